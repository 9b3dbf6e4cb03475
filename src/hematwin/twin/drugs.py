"""Cytotoxic drugs, radiation, ATG and imatinib: pharmacokinetics and cell kill.

Each cytotoxic agent has one- or two-compartment PK in its clinical dosing basis (mg/m², mg/kg
or mg) and kills target cell classes at rate potency × weight × concentration (a linear
effect, as Friberg 2002; the kill of leukemic stem cells saturates, see ``LEUKEMIC_KMAX``).
Target classes: ``hsc``, ``mpp`` (progenitors), ``prolif``
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
             dict(hsc=0.02, mpp=1.0, prolif=1.0, lsc=1.2, blast=1.5, lymph=0.3)),
    "DNR": ("daunorubicin", "mg/m2", (40.0, 20.0, 60.0, 700.0),
            "Robert, Clin Pharmacokinet 1993;24:275 (Vss large, terminal t1/2 ~20 h)",
            dict(hsc=0.05, mpp=1.0, prolif=1.0, lsc=2.0, blast=1.5, lymph=0.3)),
    "BU": ("busulfan i.v.", "mg/kg", (0.15, 0.64, 0.0, 1.0),
           "Busulfex (i.v. busulfan) US label, approved 1999 (CL 2.5 mL/min/kg, V 0.64 L/kg)",
           dict(hsc=1.0, mpp=1.0, prolif=0.5, lsc=0.3, blast=1.0, lymph=0.1)),
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
    # short-course methotrexate of GVHD prophylaxis (hematwin.therapy.transplant): its kill of
    # cycling marrow cells delays engraftment; its effect on alloreactive T cells is part of
    # the calibrated CsA/MTX immunosuppression level, so it has no lymphocyte weight here
    "MTX": ("methotrexate", "mg/m2", (5.1, 13.5, 1.1, 8.7),
            "Herman et al., J Pharm Sci 1989;78:165 (10 mg/m2 i.v.: CL 84.6 mL/min/m2, V1 13.5"
            " and Vss 22.2 L/m2, terminal t1/2 ~6 h; Q from the 7.9 h peripheral residence)",
            dict(mpp=1.0, prolif=1.0)),
}
POTENCY = {"ARAC": 10.0, "DNR": 20.0, "BU": 6.0, "CY": 0.6, "MEL": 30.0, "FLU": 6.0,
           "ATG": 30.0, "DTX": 18.0, "MTX": 2.5}
CR_SOURCE = ("calibrated [aml_7_3_cr]: 7+3 CR rate 57-83 % (Fernandez et al., NEJM "
             "2009;361:1249)")
RECOVERY_SOURCE = ("calibrated [aml_7_3_recovery]: 7+3 neutrophil recovery (ANC >= 1.0) day "
                   "21-35; median 32 days in the 7+3 arm of Lancet et al., Blood 2014;123:3239")
DOCETAXEL_SOURCE = ("calibrated [docetaxel_nadir_day, docetaxel_nadir_depth]: the Friberg 2002 "
                    "docetaxel cycle; pot_DTX lowered from 25 to 18 and the weight on "
                    "proliferating precursors from 1 to 0.3 (Friberg's proliferating "
                    "compartment holds progenitors as well as precursors)")
CALIBRATED = {"pot_ARAC": CR_SOURCE, "pot_DNR": CR_SOURCE,
              "w_ARAC_lsc": CR_SOURCE + ", with kmax_lsc",
              "w_DNR_lsc": CR_SOURCE, "w_ARAC_mpp": RECOVERY_SOURCE,
              "w_DNR_mpp": RECOVERY_SOURCE,
              "w_BU_lsc": "calibrated [aml_relapse_without_gvl]: busulfan kills leukemic stem "
                          "cells less than normal HSC (0.3 vs 1), so that conditioning alone "
                          "leaves residual AML in about half of the patients in first CR, as "
                          "after identical-twin transplants (3-year relapse 52 %, 95 % CI "
                          "37-67 %: Gale et al., Ann Intern Med 1994;120:646); with weight 1 "
                          "the cohort relapsed 20 % without GVL",
              "pot_MEL": "calibrated [asct_rmse]: raised from 4 to 30 so that platelets fall "
                         "after melphalan 200 mg/m² as in the ASCT mean curve (the row is a "
                         "strict xfail for the late recovery)",
              "pot_DTX": DOCETAXEL_SOURCE, "w_DTX_mpp": DOCETAXEL_SOURCE,
              "w_DTX_prolif": DOCETAXEL_SOURCE,
              "pot_MTX": "calibrated [mtx_engraftment_delay]: short-course methotrexate "
                         "delays neutrophil engraftment after sibling marrow by ~5 days (17 vs "
                         "12 days with ciclosporin + methotrexate vs ciclosporin alone: "
                         "Locatelli et al., Blood 2000;96:1690), within the Champlin 2000 "
                         "engraftment days (engraft_pb_n, engraft_bm_n)"}
UNFITTED_POTENCY = ("assumption: value of the first twin (v1), not fitted to a target row; it "
                    "sets how deep this agent's conditioning depletes its target cells")
"""Source of the potencies no target row fits (busulfan, cyclophosphamide, fludarabine, ATG):
BuCy runs in every allogeneic row and FluBu2 ± ATG in the rejection behaviour tests at these
values, but none of those was used to choose them."""
SELECTIVITY = {
    "ARAC": "cytarabine kills cells in S phase: cycling progenitors, precursors and blasts; "
            "quiescent HSC hardly, lymphocytes less",
    "DNR": "daunorubicin hits proliferating cells and blasts; quiescent HSC hardly, "
           "lymphocytes less",
    "BU": "busulfan is stem-cell toxic (myeloablative): HSC, progenitors, LSC and blasts "
          "alike; lymphocytes little (hence cyclophosphamide in BuCy)",
    "CY": "cyclophosphamide is lymphotoxic and spares HSC; moderate on progenitors and blasts",
    "MEL": "melphalan is stem-cell toxic (myeloablative at 200 mg/m²): every hematopoietic "
           "class alike, lymphocytes half",
    "FLU": "fludarabine is lymphotoxic and little myelotoxic",
    "ATG": "ATG acts on lymphocytes only; its kill is scaled by pot_ATG",
    "MTX": "methotrexate blocks DNA synthesis: cycling progenitors and precursors alike; its "
           "effect on alloreactive T cells is in the immunosuppression level",
}
"""Why each agent's relative kill weights are ordered as they are (their sizes are not
measured); Ferrara & Deeg, NEJM 1991 and Gyurkocza & Sandmaier, Blood 2014;124:344 for the
agents' roles in conditioning. An agent without an entry gets no source, which
tests/twin/test_twin_structure.py reports."""
WEIGHT_SOURCE = {name: f"assumption: agent selectivity, sizes not measured: {why}"
                 for name, why in SELECTIVITY.items()}
POTENCY_SOURCE = {name: UNFITTED_POTENCY for name in ("BU", "CY", "FLU", "ATG")}
"""Calibrated drug parameters and their targets (validation/twin_targets.md). The leukemic
potencies are set so that "7+3" brings 69 % of the virtual AML cohort (a_L 0.80-0.95) into
CR, inside the 57-83 % of Fernandez et al., N Engl J Med 2009;361:1249 and Blood
2011;118:3832. The progenitor (``mpp``) weights of cytarabine and daunorubicin are set equal
to their weight on proliferating precursors (1.0: both agents kill cycling cells, and
committed progenitors cycle), which takes normal granulopoiesis to aplasia (ANC nadir
< 0.1 ×10⁹/L) and puts the cohort's neutrophil recovery on day 26-28, where 0.3 and 0.5
left the marrow making neutrophils through induction (recovery on day 13-15)."""
LEUKEMIC_KMAX = {"lsc": 3.0}
KMAX_SOURCE = ("calibrated [aml_7_3_cr, aml_allo_relapse, aml_relapse_without_gvl]: with "
               "w_ARAC_lsc and the leukemic chemosensitivity spread, 7+3 CR rate 57-83 % "
               "(Fernandez et al., NEJM 2009;361:1249) and residual disease in first CR before "
               "transplant; saturable form: Bruce et al., J Natl Cancer Inst 1966;37:233")
"""Saturable kill of leukemic stem cells: kill = kmax·k/(kmax + k), k the sum of the linear
terms (potency × weight × concentration) — linear at low concentration, bounded by kmax. The
agents that dominate leukemic kill are cell-cycle-phase specific (cytarabine kills cells in S
phase), so their kill plateaus with dose once the cycling cells are hit (Bruce, Meeker &
Valeriote, J Natl Cancer Inst 1966;37:233, phase-specific agents; the Emax form of Holford &
Sheiner, Clin Pharmacokinet 1981;6:429), and intracellular ara-CTP formation saturates at
plasma cytarabine of a few µM, well below high-dose levels (Plunkett et al., Semin Oncol
1985;12(2 Suppl 3):20). With a linear kill, 3 g/m² cytarabine gave ~20 logs of LSC kill per
dose and every patient's leukemia fell to 1e-60 ×10⁶/kg. With kmax_lsc 12/day each high-dose
course still killed ~8 logs, so every virtual patient in first CR was below one leukemic stem
cell before transplant and none relapsed after it (Gale et al., Leukemia 1996;10:1687: 24 %).
kmax_lsc = 3/day, with LSC division bounded by 0.15/day (leukemia.py) and the patients'
leukemic chemosensitivity spread (hematwin.therapy.disease.LEUKEMIC_CHEMOSENSITIVITY_SD), gives
the 7+3 CR rate 75 %, a high-dose course ~1-2 logs net of regrowth, and residual disease before
transplant in a third of the patients in first CR (validation/twin_targets.md)."""
RADIATION = dict(hsc=1.0, mpp=1.0, prolif=1.0, lsc=1.0, blast=1.0, lymph=1.5)


def drug_component() -> Parts:
    p = Parts()
    kills: dict[str, list[str]] = {t: [] for t in TARGETS}
    for name, (what, basis, (cl, v1, q, v2), source, weights) in AGENTS.items():
        vol_unit = "L/m2" if basis == "mg/m2" else ("L/kg" if basis == "mg/kg" else "L")
        p.param(f"CL_{name}", cl, f"{vol_unit}/h", cl / 5, cl * 5, f"{what} clearance", source)
        p.param(f"V_{name}", v1, vol_unit, v1 / 5, v1 * 5, f"{what} central volume", source)
        p.param(f"pot_{name}", POTENCY[name], "L/mg/day", 0, POTENCY[name] * 20,
                f"{what} kill potency",
                CALIBRATED.get(f"pot_{name}", POTENCY_SOURCE.get(name, "no source")))
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
                    CALIBRATED.get(f"w_{name}_{target}", WEIGHT_SOURCE.get(name, "no source")))
            kills[target].append(f"w_{name}_{target}*pot_{name}*C_{name}")
    # radiation (TBI): a dose compartment, integral = dose in Gy
    p.param("k_RAD", 24.0, "1/day", 1, 100, "dose-delivery rate of a radiation fraction",
            "assumption: a fraction is delivered within about an hour; the dose, not its "
            "rate, sets the kill (linear term only)")
    p.state("RAD", 0.0, "Gy", "radiation dose being delivered")
    p.ode("RAD", "-k_RAD*RAD")
    for target, weight in RADIATION.items():
        p.param(f"alpha_{target}", weight, "1/Gy", 0, 5, f"radiosensitivity of {target}",
                "hematopoietic D0 ~1 Gy (Fliedner et al., Stem Cells 2002); lymphocytes more")
        kills[target].append(f"alpha_{target}*k_RAD*RAD")
    for target in TARGETS:
        linear = "(" + " + ".join(kills[target]) + ")"
        if target in LEUKEMIC_KMAX:
            p.param(f"kmax_{target}", LEUKEMIC_KMAX[target], "1/day", 0.1, 100,
                    f"maximal cytotoxic kill rate of {target}", KMAX_SOURCE)
            p.define(f"kill_lin_{target}", linear, "1/day",
                     f"unsaturated cytotoxic kill rate of {target}")
            linear = f"kmax_{target}*kill_lin_{target}/(kmax_{target} + kill_lin_{target})"
        p.define(f"kill_{target}", linear, "1/day", f"cytotoxic kill rate of {target}")
    # imatinib: oral one-compartment PK, inhibition of leukemic differentiated production
    p.param("ka_IM", 0.61, "1/h", 0.1, 3, "imatinib absorption rate",
            "Peng et al., J Clin Oncol 2004;22:935")
    p.param("CL_IM", 14.0, "L/h", 3, 50, "imatinib clearance", "Peng et al. 2004")
    p.param("V_IM", 252.0, "L", 50, 1000, "imatinib volume", "Peng et al. 2004")
    p.param("Emax_IM", 1.0, "1", 0, 1, "maximal inhibition of the BCR::ABL1 kinase",
            "definition: full inhibition at saturating imatinib; the fold-reductions of "
            "Michor 2005 act on it (leukemia.py)")
    p.param("EC50_IM", 0.05, "mg/L", 0.005, 1, "imatinib concentration for half inhibition",
            "1 uM (0.49 mg/L) inhibits BCR::ABL1 > 90 % in CML cell lines (Snead et al., "
            "Blood 2009;114:3459); at 400 mg/day (trough ~1 mg/L: Picard et al., Blood "
            "2007;109:3496) inhibition is then 0.93-0.96")
    p.state("IM_gut", 0.0, "mg", "imatinib, gut")
    p.state("IM_c", 0.0, "mg", "imatinib, central")
    p.ode("IM_gut", "-24*ka_IM*IM_gut")
    p.ode("IM_c", "24*(ka_IM*IM_gut - CL_IM/V_IM*IM_c)")
    p.define("E_imatinib", "Emax_IM*(IM_c/V_IM)/(EC50_IM + IM_c/V_IM)", "1",
             "imatinib inhibition")
    return p
