"""Granulopoiesis: neutrophil production per clone, endogenous and exogenous G-CSF, mobilisation.

Each line (host, donor, autologous graft, mutant, and the leukemic line when it differentiates,
as in CML) has a proliferating pool ``NP``, two maturation compartments ``NM1``, ``NM2``, the
marrow reserve ``NM3`` and the circulating neutrophils ``N``, fed by the progenitor output of
its clone. The post-mitotic part follows Craig, Humphries & Mackey (Bull Math Biol
2016;78:2304, ``hematwin.library.craig2016``): G-CSF speeds maturation with the paper's
velocity V(G) = 1 + (Vmax − 1)(G − G0)/(G − G0 + bV) (maturing cells die at γNM, so faster
maturation also means fewer losses), and releases the reserve at up to (1 + Rmax) times its
resting rate (the paper's φNr,max/φNr* = 4.13/0.364). In the proliferating pool G-CSF speeds
the cell cycle (Quartino et al., Pharm Res 2014;31:3390: (G/G0)^0.444, capped) and raises the
share of daughters that divide again, bounded by ``fmax_N`` < 1 so that the amplification under
sustained G-CSF stays finite (1/(1 − fmax_N) against 1/(1 − f_prolif_N) at rest; Craig 2016's
maximal proliferation rate gives a 5.6-fold gain). The marrow passage is shorter than Craig's
3.9 + 2.7 days: with the paper's times the docetaxel nadir comes on day 8.8-9.0 at 26-31 % of
baseline, not day 7.55 at 17.7 % (Friberg et al., J Clin Oncol 2002;20:4713); the times, caps
and half-effect constants are calibrated together on filgrastim in volunteers (van der Auwera
et al., Am J Hematol 2001;66:245), the docetaxel nadir and the engraftment,
non-relapse-mortality and G-CSF-after-transplant rows (validation/twin_targets.md). G-CSF does
not change the blood half-life or margination (Price et al., Blood 1996;88:335), so the twin
has no marginated pool.

Endogenous G-CSF turns over as dG/dt = kin − (ke + kANC·ANC)·G (Quartino 2014; the form whose
baseline balances); with Quartino's rates that is ≈ 550 per day at a normal ANC (half-life
~2 min), so G is taken at its quasi-steady state G = kin/(ke + kANC·ANC): exact on the time
scale of counts, and it keeps the stiffness of a minutes-scale loop out of a model simulated
over years. In aplasia it rises 39-fold to ~1 ng/mL (median peak 1.75 ng/mL, range
0.54-26, after T-depleted marrow: Papadakis et al., Bone Marrow Transplant 1995;15:955), where
the cell cycle, the amplification and the reserve release are at their caps and maturation at
~60 % of its maximal speed-up: filgrastim after a transplant then adds ~1 day. Filgrastim (s.c.) has
first-order absorption, linear clearance and a saturable clearance by neutrophil receptors
scaled by the ANC, fitted to van der Auwera 2001's serum levels after 5 and 10 µg/kg
(``shared/data/gcsf``); pegfilgrastim is cleared linearly and by neutrophils (Roskos et al.,
J Clin Pharmacol 2006;46:747).

Names provided: ``ANC`` (10⁹/L), ``Gt`` (ng/mL), ``neut_marrow`` (marrow neutrophil
precursors, blood-equivalent units), ``neut_marrow0`` (its baseline), ``NP0``.
Names used: ``prod_<c>``, ``prod0`` (stem), ``flux_N_l`` (leukemia), ``kill_prolif``
(drugs), ``Mtot``.
"""

from __future__ import annotations

from hematwin.twin.parts import CLONE_NAMES, CLONES, INITIAL_SHARE, Parts, total

LINES = (*CLONES, "l")
LINE_NAMES = {**CLONE_NAMES, "l": "leukemic (differentiating)"}


def myeloid_component() -> Parts:
    p = Parts()
    p.param("ANC0", 4.0, "1e9/L", 2.0, 7.0, "baseline absolute neutrophil count",
            "calibrated [steady_anc]: the baseline count is a parameter, set inside the adult "
            "reference interval 2-7 ×10⁹/L of issue #5, so the row holds by construction")
    p.param("MTT_N", 27.88, "h", 20, 120,
            "mean residence of a precursor in the proliferating pool per pass (exit 24/MTT_N"
            " per day)",
            "calibrated [docetaxel_nadir_day, docetaxel_nadir_depth]: with the post-mitotic"
            " times below; Friberg et al. 2002's 88.7 h covers the whole marrow passage of a"
            " chain without a reserve")
    p.param("t_half_N", 7.0, "h", 4, 12, "half-life of blood neutrophils",
            "Dancey et al., J Clin Invest 1976;58:705 (~7 h); issue #5 target")
    p.param("f_prolif_N", 0.2467, "1", 0.2, 0.5,
            "share of daughters of a proliferating precursor that divide again (at rest)",
            "calibrated [docetaxel_nadir_depth, filgrastim_10]: sets how deep a kill of the "
            "proliferating pool takes the count and the room for G-CSF amplification")
    p.param("fmax_N", 0.6699, "1", 0.55, 0.95,
            "largest share of daughters that divide again under G-CSF",
            "calibrated [filgrastim_10, gcsf_after_transplant]: amplification 1/(1 - fmax_N) = "
            "3.0 vs 1.3 = 1/(1 - f_prolif_N) at rest; Craig et al. 2016 (Table 4: eta_NP 1.66 -> "
            "1.90/day over 7.3 days) allows a 5.6-fold gain")
    p.param("G0", 0.025, "ng/mL", 0.01, 0.1, "baseline free G-CSF",
            "Craig et al., Bull Math Biol 2016 (0.025 ng/mL); Quartino 2014 (24.3 ng/L)")
    p.param("ke_G", 0.592, "1/h", 0.1, 2.0, "G-CSF elimination rate constant",
            "Quartino et al. 2014, Table II")
    p.param("kANC_G", 5.64, "L/(1e9*h)", 0.5, 20, "neutrophil-mediated G-CSF elimination",
            "Quartino et al. 2014, Table II")
    p.param("gamma_G", 0.444, "1", 0.1, 1.0, "G-CSF effect on proliferation (exponent)",
            "Quartino et al. 2014, Table II")
    p.param("cap_prolif", 2.795, "1", 1.0, 10, "maximal G-CSF speed-up of the cell cycle",
            "calibrated [gcsf_after_transplant, filgrastim_5]: saturated by the endogenous G-CSF "
            "of aplasia, so filgrastim after a transplant adds little")
    p.param("tau_NM", 1.023, "day", 1.0, 6.0, "maturation time at rest",
            "calibrated [docetaxel_nadir_day]: Craig et al. 2016 give 3.9 days (Table 4, a_NM), "
            "which with their 2.7-day reserve puts the docetaxel nadir on day 8.8-9.0 at "
            "26-31 % of baseline")
    p.param("gam_NM", 0.1577, "1/day", 0.0, 0.5, "death rate of maturing neutrophils",
            "Craig et al. 2016, Table 4 (gamma_NM)")
    p.param("Vmax_NM", 7.867, "1", 1.0, 15, "maximal G-CSF speed-up of maturation",
            "Craig et al. 2016, Table 4 (V_max; tau_NM 3.9 -> 0.5 days)")
    p.param("bV_NM", 0.750, "ng/mL", 0.05, 2.0, "G-CSF excess giving half the maturation speed-up",
            "calibrated [filgrastim_5, gcsf_after_transplant]: Craig et al. 2016, Table 4 give "
            "0.246 ng/mL")
    p.param("tau_NR", 3.320, "day", 0.5, 5.0, "mean time in the marrow reserve at rest",
            "calibrated [docetaxel_nadir_day, filgrastim_5, nrm_matched_sibling]: chosen with "
            "the other granulopoiesis constants so that marrow NRM stays <= 15 % (14.9 %); Craig "
            "et al. 2016, Table 5 give 2.7 days")
    p.param("Rmax_NR", 7.80, "1", 0.0, 30, "maximal G-CSF increase of reserve release",
            "calibrated [filgrastim_5, filgrastim_10]: Craig et al. 2016 (phi_Nr,max/phi_Nr* = "
            "4.1335/0.364, Tables 4-5) give 10.4")
    p.param("SC50R", 0.0245, "ng/mL", 0.01, 5.0,
            "G-CSF excess giving half-maximal reserve release",
            "calibrated [filgrastim_5, filgrastim_10, gcsf_after_transplant]: near-maximal "
            "release at the ~1 ng/mL of aplasia (Papadakis et al., Bone Marrow Transplant "
            "1995;15:955)")
    p.param("k_auto", 0.0, "1/day", 0.0, 20.0,
            "antibody-mediated destruction of neutrophils in blood and marrow reserve"
            " (immune neutropenia)",
            "patient modifier: set by hematwin.scenario.schema.MODIFIER_PARAMETERS "
            "(autoimmune_neutrophil_destruction); 0 = none; the marrow reserve is hit too: the "
            "HNA antigens are on band and segmented neutrophils, and the marrow shows reduced "
            "segmented forms (Bux et al., Blood 1998;91:181)")
    # filgrastim and pegfilgrastim PK, per kg of body weight
    auwera = ("fitted [filgrastim_5, filgrastim_10]: serum G-CSF after 5 and 10 ug/kg s.c. in "
              "volunteers (van der Auwera et al., Am J Hematol 2001;66:245, shared/data/gcsf; "
              "RMSE of log concentration 0.12, both doses together, observed ANC as input)")
    p.param("F_filg", 0.502, "1", 0.2, 1.0, "filgrastim s.c. bioavailability", auwera)
    p.param("ka_filg", 0.0868, "1/h", 0.02, 1.0, "filgrastim s.c. absorption rate", auwera)
    p.param("kel_filg", 0.152, "1/h", 0.02, 1.0, "filgrastim linear elimination",
            "Krzyzanski et al. 2010 (0.152/h); the fit to van der Auwera 2001 gives 0.1519")
    p.param("V_filg", 0.0346, "L/kg", 0.01, 0.2, "filgrastim central volume (2.42 L / 70 kg)",
            "Krzyzanski et al. 2010 (fixed in the fit)")
    p.param("Vm_filg", 0.768, "1/h", 0.0, 5.0,
            "saturable neutrophil-receptor clearance of filgrastim at ANC0", auwera)
    p.param("Km_filg", 2.0, "ng/mL", 0.1, 50,
            "filgrastim concentration half-saturating its receptor clearance",
            auwera + "; the 12-h level rises 4.5-fold from 5 to 10 ug/kg")
    p.param("ka_peg", 0.02, "1/h", 0.002, 0.2, "pegfilgrastim s.c. absorption rate",
            "Roskos et al., J Clin Pharmacol 2006;46:747 (Tmax 16-120 h)")
    p.param("kel_peg", 0.003, "1/h", 0.0, 0.05, "pegfilgrastim linear elimination",
            "Roskos et al. 2006 (renal clearance minor)")
    p.param("kANC_peg", 0.004, "L/(1e9*h)", 0.0, 0.1,
            "neutrophil-mediated pegfilgrastim clearance (self-regulating)",
            "Roskos et al. 2006 (clearance mainly neutrophil-mediated)")
    p.param("V_peg", 0.1, "L/kg", 0.02, 0.5, "pegfilgrastim apparent volume",
            "Roskos et al. 2006")
    # CD34+ mobilisation into blood
    p.param("CD34_0", 3.0, "cells/uL", 0.5, 10, "baseline blood CD34+ cells",
            "healthy adults 1-5 cells/uL (To et al., Blood 1997;89:2233)")
    p.param("Smax_mob", 74.0, "1", 0, 200, "maximal G-CSF mobilisation of CD34+ cells",
            "calibrated [mobilisation]: raised from 40 to 74 for day-5 blood CD34+ 79-104 "
            "cells/uL on 10 ug/kg/day (Vasu et al., Blood 2008;112:2092); model 91 with SC50_mob")
    p.param("SC50_mob", 25.0, "ng/mL", 0.5, 100, "G-CSF giving half-maximal mobilisation",
            "calibrated [mobilisation]: with Smax_mob, day-5 blood CD34+ 79-104 cells/uL on 10 "
            "ug/kg/day (Vasu et al. 2008); refitted from 10 to 25 ng/mL (model 91) when the "
            "filgrastim PK was fitted to van der Auwera 2001 (day-5 CD34+ 129 at 10 ng/mL)")
    p.param("k_mob", 0.4, "1/day", 0.05, 3, "rate at which mobilisation follows G-CSF",
            "assumption: mobilisation follows G-CSF with a ~2.5-day lag so that blood CD34+ peak "
            "on day 4-5 of daily G-CSF (To et al., Blood 1997;89:2233); not fitted (the "
            "mobilisation row reads day 5 only, Smax_mob was fitted at this value)")
    p.param("k_CD34", 2.0, "1/day", 0.2, 10, "removal of blood CD34+ cells",
            "assumption: blood CD34+ cells turn over within hours to a day (half-life ~8 h); no "
            "measurement found; it only sets how fast blood CD34+ follow the mobilisation signal")

    p.define("kP_N", "24/MTT_N", "1/day", "exit rate from the proliferating pool")
    p.define("kM_N", "2/tau_NM", "1/day", "transit rate of each maturation compartment")
    p.define("kN", "24*log(2)/t_half_N", "1/day", "blood neutrophil removal")
    p.define("NR0", "kN*ANC0*tau_NR", "1e9/L", "marrow reserve at baseline")
    p.define("NM20", "kN*ANC0/kM_N", "1e9/L", "late maturing neutrophils at baseline")
    p.define("NM10", "NM20*(kM_N + gam_NM)/kM_N", "1e9/L", "early maturing neutrophils at baseline")
    p.define("NP0", "(kM_N + gam_NM)*NM10/kP_N", "1e9/L", "proliferating precursors at baseline")
    p.define("A_N", "(1 - f_prolif_N)*kP_N*NP0/prod0", "1e9/L per 1e6/kg",
             "progenitor → neutrophil precursor amplification")
    p.define("C_filg", "FILG_c/V_filg", "ng/mL", "filgrastim concentration")
    p.define("C_peg", "PEG_c/V_peg", "ng/mL", "pegfilgrastim concentration")
    p.define("Gt", "G + C_filg + C_peg", "ng/mL", "total G-CSF")
    p.define("stimP", "min((Gt/G0)^gamma_G, cap_prolif)", "1", "G-CSF on the cell cycle")
    p.define("self_N", "min(f_prolif_N*(Gt/G0)^gamma_G, fmax_N)", "1",
             "share of proliferating daughters that divide again")
    p.define("V_NM", "1 + (Vmax_NM - 1)*(Gt - G0)/(Gt - G0 + bV_NM)", "1",
             "maturation speed relative to rest (Craig et al. 2016)")
    p.define("xG", "max(Gt - G0, 0)", "ng/mL", "G-CSF above baseline")
    p.define("rel_NR", "(1 + Rmax_NR*xG/(xG + SC50R))/tau_NR", "1/day",
             "release rate of the marrow reserve")
    inputs = {c: f"A_N*prod_{c}" for c in CLONES} | {"l": "flux_N_l"}
    for c in LINES:
        init = {**INITIAL_SHARE, "l": "0"}[c]
        for comp, what in (("NP", "proliferating precursors"), ("NM1", "maturing, 1"),
                           ("NM2", "maturing, 2"), ("NM3", "marrow reserve")):
            p.state(f"{comp}_{c}", f"{comp.replace('NM3', 'NR')}0*{init}", "1e9/L",
                    f"neutrophil {what}, "
                    f"{LINE_NAMES[c]}")
        p.state(f"N_{c}", f"ANC0*{init}", "1e9/L", f"blood neutrophils, {LINE_NAMES[c]}")
        p.ode(f"NP_{c}", f"{inputs[c]} - kP_N*stimP*(1 - self_N)*NP_{c}"
                         f" - kill_prolif*NP_{c}")
        p.ode(f"NM1_{c}", f"kP_N*stimP*NP_{c} - (kM_N*V_NM + gam_NM)*NM1_{c}")
        p.ode(f"NM2_{c}", f"kM_N*V_NM*NM1_{c} - (kM_N*V_NM + gam_NM)*NM2_{c}")
        p.ode(f"NM3_{c}", f"kM_N*V_NM*NM2_{c} - (rel_NR + k_auto)*NM3_{c}")
        p.ode(f"N_{c}", f"rel_NR*NM3_{c} - (kN + k_auto)*N_{c}")
    p.define("ANC", total([f"N_{c}" for c in LINES]), "1e9/L", "absolute neutrophil count")
    p.define("neut_marrow", total([f"{x}_{c}" for c in LINES for x in ("NP", "NM1", "NM2",
                                                                       "NM3")]),
             "1e9/L", "marrow neutrophil precursors")
    p.define("neut_marrow0", "NP0 + NM10 + NM20 + NR0", "1e9/L",
             "marrow neutrophil precursors at baseline")
    # G-CSF: endogenous + filgrastim + pegfilgrastim
    p.define("G", "(ke_G + kANC_G*ANC0)*G0/(ke_G + kANC_G*ANC)", "ng/mL",
             "endogenous free G-CSF (quasi-steady state of its turnover)")
    for drug, name in (("FILG", "filgrastim"), ("PEG", "pegfilgrastim")):
        p.state(f"{drug}_sc", 0.0, "ug/kg", f"{name}, s.c. depot")
        p.state(f"{drug}_c", 0.0, "ug/kg", f"{name}, central")
    p.ode("FILG_sc", "-24*ka_filg*FILG_sc")
    p.ode("FILG_c", "24*(F_filg*ka_filg*FILG_sc"
                    " - (kel_filg + Vm_filg*(ANC/ANC0)/(Km_filg + C_filg))*FILG_c)")
    p.ode("PEG_sc", "-24*ka_peg*PEG_sc")
    p.ode("PEG_c", "24*(ka_peg*PEG_sc - (kel_peg + kANC_peg*ANC)*PEG_c)")
    # mobilisation of CD34+ cells into blood, following G-CSF with a lag
    p.state("MOB", 1.0, "1", "mobilisation signal (1 at baseline)")
    p.ode("MOB", "k_mob*(1 + Smax_mob*(Gt - G0)/(SC50_mob + Gt - G0) - MOB)")
    p.state("CD34_blood", "CD34_0", "cells/uL", "circulating CD34+ cells")
    p.ode("CD34_blood", "k_CD34*(CD34_0*MOB*Mtot/(q_niche*M0) - CD34_blood)")
    p.output("anc", "ANC", "1e9/L", "absolute neutrophil count")
    p.output("gcsf", "Gt", "ng/mL", "G-CSF concentration (endogenous + drug)")
    p.output("cd34_blood", "CD34_blood", "cells/uL", "blood CD34+ cells")
    return p
