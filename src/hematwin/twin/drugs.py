"""Cytotoxic drugs, radiation, ATG and imatinib: pharmacokinetics and cell kill.

Each cytotoxic agent has one- or two-compartment PK in its clinical dosing basis (mg/m², mg/kg
or mg) and kills target cell classes at rate potency × weight × concentration (a linear
effect, as Friberg 2002). Target classes: ``hsc``, ``mpp`` (progenitors), ``prolif``
(proliferating precursors of every lineage), ``lsc``, ``blast``, ``lymph``. The weights
encode each agent's known selectivity — busulfan and melphalan are stem-cell toxic
(myeloablative), fludarabine and ATG are lymphotoxic, cytarabine and anthracyclines hit
cycling cells and blasts (Ferrara & Deeg, NEJM 1991; Gyurkocza & Sandmaier, Blood
2014;124:344 for conditioning intensity). Radiation is a dose compartment whose integral is
the dose in Gy, so a cell class with sensitivity α loses a fraction 1 − e^(−αD) (the linear
term of the linear-quadratic model).

Names provided: ``kill_hsc``, ``kill_mpp``, ``kill_prolif``, ``kill_lsc``, ``kill_blast``,
``kill_lymph`` (1/day), ``E_imatinib``.
"""

from __future__ import annotations

from hematwin.twin.parts import Parts

TARGETS = ("hsc", "mpp", "prolif", "lsc", "blast", "lymph")

# name: (description, dose basis, PK (CL, V1, Q, V2) in basis units per hour, source, weights)
AGENTS: dict[str, tuple] = {
    "ARAC": ("cytarabine", "mg/m2", (40.0, 40.0, 0.0, 1.0),
             "Hamada et al., Clin Pharmacokinet 2002;41:705 (CL ~40 L/h/m2, t1/2 1-3 h)",
             dict(hsc=0.02, mpp=0.3, prolif=1.0, lsc=1.5, blast=1.5, lymph=0.3)),
    "DNR": ("daunorubicin", "mg/m2", (40.0, 20.0, 60.0, 700.0),
            "Robert, Clin Pharmacokinet 1993;24:275 (Vss large, terminal t1/2 ~20 h)",
            dict(hsc=0.05, mpp=0.5, prolif=1.0, lsc=2.0, blast=1.5, lymph=0.3)),
    "BU": ("busulfan i.v.", "mg/kg", (0.15, 0.64, 0.0, 1.0),
           "Busulfex label (CL 2.5 mL/min/kg, V 0.64 L/kg)",
           dict(hsc=1.0, mpp=1.0, prolif=0.5, lsc=1.0, blast=1.0, lymph=0.1)),
    "CY": ("cyclophosphamide", "mg/kg", (0.064, 0.78, 0.0, 1.0),
           "de Jonge et al., Clin Pharmacokinet 2005;44:1135 (CL ~4.5 L/h, t1/2 ~7 h)",
           dict(hsc=0.1, mpp=0.3, prolif=0.5, lsc=0.3, blast=0.5, lymph=1.0)),
    "MEL": ("melphalan", "mg/m2", (30.0, 35.0, 0.0, 1.0),
            "Nath et al., Br J Clin Pharmacol 2010;69:484 (t1/2 ~1.5 h)",
            dict(hsc=1.0, mpp=1.0, prolif=1.0, lsc=1.0, blast=1.0, lymph=0.5)),
    "FLU": ("fludarabine", "mg/m2", (9.0, 100.0, 0.0, 1.0),
            "Gandhi & Plunkett, Clin Pharmacokinet 2002;41:93 (F-ara-A t1/2 ~10-20 h)",
            dict(hsc=0.05, mpp=0.1, prolif=0.1, lsc=0.1, blast=0.3, lymph=1.0)),
    "ATG": ("rabbit anti-thymocyte globulin", "mg/kg", (0.00042, 0.07, 0.0, 1.0),
            "Admiraal et al., Lancet Haematol 2015;2:e194 (active ATG t1/2 ~5 days)",
            dict(lymph=1.0)),
    "DTX": ("docetaxel", "mg", (38.5, 7.4, 0.0, 1.0),
            "Bruno et al. 1996 (CL 38.5 L/h, V1 7.4 L; one-compartment reduction)",
            # Friberg's proliferating compartment holds progenitors as well as precursors
            dict(mpp=1.0, prolif=0.3)),
}
POTENCY = {"ARAC": 10.0, "DNR": 20.0, "BU": 6.0, "CY": 0.6, "MEL": 30.0, "FLU": 6.0,
           "ATG": 30.0, "DTX": 18.0}
CALIBRATED = {"pot_ARAC", "pot_DNR", "w_ARAC_lsc", "w_DNR_lsc"}
"""Set so that "7+3" brings 69 % of the virtual AML cohort (a_L 0.80-0.95) into CR at day 35,
inside the 57-83 % of Fernandez et al., N Engl J Med 2009;361:1249 and Blood
2011;118:3832 (validation/twin_targets.md)."""
CR_SOURCE = "calibrated: 7+3 CR rate 57-83 % (Fernandez et al., NEJM 2009;361:1249)"
RADIATION = dict(hsc=1.0, mpp=1.0, prolif=1.0, lsc=1.0, blast=1.0, lymph=1.5)


def drug_component() -> Parts:
    p = Parts()
    kills: dict[str, list[str]] = {t: [] for t in TARGETS}
    for name, (what, basis, (cl, v1, q, v2), source, weights) in AGENTS.items():
        vol_unit = "L/m2" if basis == "mg/m2" else ("L/kg" if basis == "mg/kg" else "L")
        p.param(f"CL_{name}", cl, f"{vol_unit}/h", cl / 5, cl * 5, f"{what} clearance", source)
        p.param(f"V_{name}", v1, vol_unit, v1 / 5, v1 * 5, f"{what} central volume", source)
        p.param(f"pot_{name}", POTENCY[name], "L/mg/day", 0, POTENCY[name] * 20,
                f"{what} kill potency", CR_SOURCE if f"pot_{name}" in CALIBRATED
                else "calibrated (see validation/twin_targets.md)")
        p.state(f"{name}_c", 0.0, basis.replace("mg", "mg"), f"{what}, central amount")
        two = q > 0
        if two:
            p.param(f"Q_{name}", q, f"{vol_unit}/h", q / 5, q * 5,
                    f"{what} intercompartmental clearance", source)
            p.param(f"V2_{name}", v2, vol_unit, v2 / 5, v2 * 5, f"{what} peripheral volume",
                    source)
            p.state(f"{name}_p", 0.0, basis, f"{what}, peripheral amount")
            p.ode(f"{name}_c", f"24*(-(CL_{name} + Q_{name})/V_{name}*{name}_c"
                               f" + Q_{name}/V2_{name}*{name}_p)")
            p.ode(f"{name}_p", f"24*(Q_{name}/V_{name}*{name}_c - Q_{name}/V2_{name}*{name}_p)")
        else:
            p.ode(f"{name}_c", f"-24*CL_{name}/V_{name}*{name}_c")
        p.define(f"C_{name}", f"{name}_c/V_{name}", "mg/L", f"{what} concentration")
        for target, weight in weights.items():
            p.param(f"w_{name}_{target}", weight, "1", 0, 10,
                    f"{what}: relative kill of {target}",
                    CR_SOURCE if f"w_{name}_{target}" in CALIBRATED
                    else "assumption (agent selectivity)")
            kills[target].append(f"w_{name}_{target}*pot_{name}*C_{name}")
    # radiation (TBI): a dose compartment, integral = dose in Gy
    p.param("k_RAD", 24.0, "1/day", 1, 100, "dose-delivery rate of a radiation fraction",
            "a fraction is delivered within about an hour")
    p.state("RAD", 0.0, "Gy", "radiation dose being delivered")
    p.ode("RAD", "-k_RAD*RAD")
    for target, weight in RADIATION.items():
        p.param(f"alpha_{target}", weight, "1/Gy", 0, 5, f"radiosensitivity of {target}",
                "hematopoietic D0 ~1 Gy (Fliedner et al., Stem Cells 2002); lymphocytes more")
        kills[target].append(f"alpha_{target}*k_RAD*RAD")
    for target in TARGETS:
        p.define(f"kill_{target}", "(" + " + ".join(kills[target]) + ")", "1/day",
                 f"cytotoxic kill rate of {target}")
    # imatinib: oral one-compartment PK, inhibition of leukemic differentiated production
    p.param("ka_IM", 0.61, "1/h", 0.1, 3, "imatinib absorption rate",
            "Peng et al., J Clin Oncol 2004;22:935")
    p.param("CL_IM", 14.0, "L/h", 3, 50, "imatinib clearance", "Peng et al. 2004")
    p.param("V_IM", 252.0, "L", 50, 1000, "imatinib volume", "Peng et al. 2004")
    p.param("Emax_IM", 0.99, "1", 0, 1,
            "maximal inhibition of leukemic differentiated production",
            "Michor et al. 2005 (~100-fold reduction)")
    p.param("EC50_IM", 0.3, "mg/L", 0.01, 3, "imatinib concentration for half inhibition",
            "calibrated: trough ~1 mg/L at 400 mg/day (Picard et al., Blood 2007)")
    p.state("IM_gut", 0.0, "mg", "imatinib, gut")
    p.state("IM_c", 0.0, "mg", "imatinib, central")
    p.ode("IM_gut", "-24*ka_IM*IM_gut")
    p.ode("IM_c", "24*(ka_IM*IM_gut - CL_IM/V_IM*IM_c)")
    p.define("E_imatinib", "Emax_IM*(IM_c/V_IM)/(EC50_IM + IM_c/V_IM)", "1",
             "imatinib inhibition")
    return p
