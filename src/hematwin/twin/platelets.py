"""Thrombopoiesis: megakaryocyte progenitors → platelets, with thrombopoietin feedback.

A Friberg-type chain: proliferating megakaryocyte progenitors ``MK_<c>`` of each normal
clone (each fed by its own clone's progenitor output, under the same TPO stimulation and drug
kill), then two maturation compartments ``MKT1``, ``MKT2`` and the circulating platelets,
shared (platelets are anucleate; their chimerism is not tracked). ``MK`` is the sum of the
clones' progenitors; since each clone's equation is linear in its own ``MK_<c>`` with the
same coefficients, ``MK`` obeys the equation of one shared pool. Maturing megakaryocytes
replicate their DNA (endomitosis), so cytotoxic drugs kill them as well as the progenitors
(weight ``s_endo_MK``): after melphalan, platelet production stops within about a day.

Circulating platelets age through ``N_AGE`` classes (``PA1`` … youngest, the oldest is
``PLT`` minus the others), so their life span is gamma-distributed around ``life_P``
instead of exponential: labelled platelets survive 9-10 days on a near-linear curve
(Harker & Finch, J Clin Invest 1969;48:963), and when production stops the count falls
by about PLT0/life_P per day rather than by a shrinking fraction. Besides senescence,
platelets are consumed at a fixed rate for endothelial support (Hanson & Slichter, Blood
1985;66:1105: 7.1 ×10⁹/L/day), at random ages, which dominates in thrombocytopenia.

TPO relative to baseline is (PLT0 + w·MK0)/(PLT + w·MK): TPO is cleared by the Mpl receptors
of platelets and megakaryocytes (Kuter, Blood 2002;100:3457), so it rises in aplasia and
falls again as the megakaryocyte mass regrows, before the platelets do, which damps the
overshoot of the recovery. TPO acts twice: on the divisions of megakaryocyte progenitors
(exponent γ, capped at ``cap_tpo``), and on the number of megakaryocytes each committed
progenitor gives (proportional to TPO up to ``cap_MK_tpo`` × baseline; Kaushansky, N Engl J
Med 1998;339:746: TPO raises megakaryocyte number, size and ploidy). The second term makes
platelet recovery after an autologous graft as fast as the ASCT mean curve (> 50 ×10⁹/L on
day ~15); with it alone, sibling grafts would engraft platelets days before the published
medians, which come from patients on ciclosporin + methotrexate and counted from the first
transfusion-free week (methotrexate: :mod:`hematwin.twin.drugs`). Platelet transfusions
are boluses into ``PLT`` (transfused platelets join the oldest class: stored platelets live
shorter).

Names provided: ``PLT`` (state, 10⁹/L), ``mk_marrow``. Names used: ``prod_<c>``,
``prod0``, ``kill_prolif``.
"""

from __future__ import annotations

from hematwin.twin.parts import CLONE_NAMES, CLONES, INITIAL_SHARE, Parts, total

N_AGE = 5
"""Age classes of circulating platelets: their life span is gamma-distributed with shape
``N_AGE`` (Erlang), close to the near-linear survival curves of labelled platelets."""


def platelet_component() -> Parts:
    p = Parts()
    p.param("PLT0", 250.0, "1e9/L", 150, 400, "baseline platelet count",
            "calibrated [steady_plt]: the baseline count is a parameter, set inside the adult "
            "reference interval 150-400 ×10⁹/L of issue #5, so the row holds by construction")
    p.param("MTT_P", 5.0, "day", 3, 10, "megakaryocyte maturation time",
            "Kaushansky, NEJM 2005 (~5 days from megakaryoblast to platelet release)")
    p.param("life_P", 9.5, "day", 7, 11, "platelet life span (mean)",
            "Harker & Finch, J Clin Invest 1969;48:963 (9-10 days)")
    p.param("C_fix_P", 7.1, "1e9/L/day", 0, 15,
            "fixed platelet consumption for endothelial support (saturates at low counts)",
            "Hanson & Slichter, Blood 1985;66:1105 (7.1 x10^3/uL/day)")
    p.param("P50_fix", 5.0, "1e9/L", 0.5, 50,
            "platelet count at half the fixed consumption",
            "calibrated [asct_rmse]: the fall of platelets after melphalan, with the age classes "
            "and s_endo_MK; the row is a strict xfail for the late recovery")
    p.param("gamma_P", 0.5, "1", 0.05, 2.0, "TPO feedback exponent",
            "calibrated [engraft_pb_p, engraft_bm_p, asct_rmse]: TPO feedback strength, with "
            "cap_tpo, on platelet engraftment after sibling grafts and the ASCT curve")
    p.param("cap_tpo", 2.0, "1", 1, 30, "maximal TPO stimulation",
            "calibrated [engraft_pb_p, engraft_bm_p]: lowered from 6 to 2 for platelet "
            "engraftment 18/25 days after blood/marrow grafts (Champlin 2000)")
    p.param("w_MK_tpo", 5.0, "1", 0.0, 10.0,
            "TPO clearance by megakaryocytes relative to platelets (per blood-equivalent unit)",
            "calibrated [asct_rmse, asct_day50]: ASCT platelet recovery without overshoot (TPO "
            "is cleared by platelet and megakaryocyte Mpl: Kuter, Blood 2002;100:3457)")
    p.param("f_prolif_P", 0.5, "1", 0.1, 0.9, "share of progenitor output from own divisions",
            "assumption: half of the megakaryocyte precursor output from their own divisions; "
            "value of the first twin (v1), not tuned on a target; it sets how much G-CSF/TPO "
            "stimulation and drug kill of the proliferating compartment move the counts "
            "(engraft_pb_p, engraft_bm_p, asct_rmse)")
    p.param("s_endo_MK", 1.0, "1", 0.0, 1.0,
            "chemosensitivity of endomitotic (maturing) megakaryocytes relative to progenitors",
            "calibrated [asct_rmse]: platelets fall within 2 days of melphalan as in the ASCT "
            "mean curve; endomitosis replicates DNA (Kaushansky, NEJM 2005)")
    p.param("gamma_MK_tpo", 1.0, "1", 0.0, 4.0,
            "exponent of the TPO drive of megakaryocytes made per committed progenitor",
            "calibrated [asct_rmse, asct_day50]: TPO (Mpl ligand) raises the number of "
            "megakaryocytes formed from their progenitors, their ploidy and size (Kaushansky, "
            "N Engl J Med 1998;339:746; J Clin Invest 2005;115:3339)")
    p.param("cap_MK_tpo", 6.0, "1", 1.0, 30.0,
            "TPO level (relative to baseline) at which megakaryocyte output saturates",
            "calibrated [asct_rmse, asct_day50, engraft_pb_p, engraft_bm_p]: high enough for "
            "the ASCT recovery by day 15, low enough that sibling grafts under ciclosporin + "
            "methotrexate engraft platelets on days 18/25 (Champlin 2000)")
    p.define("ktrP", "3/MTT_P", "1/day", "megakaryocyte transit rate")
    p.define("kAge", f"{N_AGE}/life_P", "1/day", "platelet ageing rate between age classes")
    p.define("fixP", "C_fix_P*PLT/(P50_fix + PLT)", "1e9/L/day", "fixed platelet consumption")
    p.define("rfix0", "C_fix_P/(P50_fix + PLT0)", "1/day",
             "fixed consumption per platelet at baseline")
    p.define("qAge0", "kAge/(kAge + rfix0)", "1", "share of an age class reaching the next")
    p.define("PLTin0", f"PLT0*rfix0/(1 - qAge0^{N_AGE})", "1e9/L/day",
             "baseline platelet production")
    p.define("MK0", "PLTin0/ktrP", "1e9/L", "baseline megakaryocyte compartments")
    p.define("A_P", "(1 - f_prolif_P)*ktrP*MK0/prod0", "1e9/L per 1e6/kg",
             "progenitor → megakaryocyte amplification")
    for c in CLONES:
        p.state(f"MK_{c}", f"MK0*{INITIAL_SHARE[c]}", "1e9/L",
                f"megakaryocyte progenitors, {CLONE_NAMES[c]}")
    p.define("MK", total([f"MK_{c}" for c in CLONES]), "1e9/L",
             "megakaryocyte progenitors (all clones)")
    p.define("tpo_rel", "(PLT0 + 3*w_MK_tpo*MK0)/max(PLT + w_MK_tpo*(MK + MKT1 + MKT2), 1e-3)",
             "1", "TPO relative to baseline: cleared by the Mpl receptors of platelets and "
             "megakaryocytes")
    p.define("stimT", "min(tpo_rel^gamma_P, cap_tpo)", "1",
             "TPO feedback on megakaryocyte progenitor divisions")
    p.define("stimA", "min(tpo_rel, cap_MK_tpo)^gamma_MK_tpo", "1",
             "TPO drive of megakaryocyte output per committed progenitor")
    for name in ("MKT1", "MKT2"):
        p.state(name, "MK0", "1e9/L", f"maturing megakaryocytes, {name}")
    p.state("PLT", "PLT0", "1e9/L", "circulating platelets (all ages)")
    young = [f"PA{i}" for i in range(1, N_AGE)]
    for i, name in enumerate(young):
        p.state(name, f"PLTin0/(kAge + rfix0)*qAge0^{i}", "1e9/L",
                f"circulating platelets of age class {i + 1} (youngest first)")
    p.define("PA_old", f"PLT - {total(young)}", "1e9/L",
             f"circulating platelets of the oldest age class ({N_AGE})")
    for c in CLONES:
        p.ode(f"MK_{c}", f"A_P*prod_{c}*stimA + f_prolif_P*ktrP*stimT*MK_{c} - ktrP*MK_{c}"
                         f" - kill_prolif*MK_{c}")
    p.ode("MKT1", "ktrP*(MK - MKT1) - s_endo_MK*kill_prolif*MKT1")
    p.ode("MKT2", "ktrP*(MKT1 - MKT2) - s_endo_MK*kill_prolif*MKT2")
    p.ode("PLT", "ktrP*MKT2 - kAge*PA_old - fixP")
    for i, name in enumerate(young):
        inflow = "ktrP*MKT2" if i == 0 else f"kAge*{young[i - 1]}"
        # each class's share of the fixed consumption, written without dividing by PLT
        p.ode(name, f"{inflow} - kAge*{name} - C_fix_P*{name}/(P50_fix + PLT)")
    p.define("mk_marrow", "(MK + MKT1 + MKT2)", "1e9/L", "marrow megakaryocyte lineage")
    p.output("platelets", "PLT", "1e9/L", "platelet count")
    return p
