"""Thrombopoiesis: megakaryocyte progenitors → platelets, with thrombopoietin feedback.

A Friberg-type chain shared by all normal clones (platelet chimerism is not tracked):
proliferating megakaryocyte progenitors, two maturation compartments, circulating platelets.
TPO feedback on proliferation is written as (Plt0/Plt)^γ (the Friberg form; TPO is cleared
by platelets, so it rises as they fall: Kuter, Blood 2002;100:3457). Besides senescence,
platelets are consumed at a fixed rate for endothelial support (Hanson & Slichter, Blood
1985;66:1105: 7.1 ×10⁹/L/day), which dominates in thrombocytopenia and makes counts fall
fast after marrow ablation. Platelet transfusions
are boluses into ``PLT``.

Names provided: ``PLT`` (state, 10⁹/L), ``mk_marrow``. Names used: ``prod_<c>``, ``fP``,
``prod0``, ``kill_prolif``.
"""

from __future__ import annotations

from hematwin.twin.parts import CLONES, Parts, total


def platelet_component() -> Parts:
    p = Parts()
    p.param("PLT0", 250.0, "1e9/L", 150, 400, "baseline platelet count",
            "healthy adult reference interval 150-400 (issue #5 target)")
    p.param("MTT_P", 5.0, "day", 3, 10, "megakaryocyte maturation time",
            "Kaushansky, NEJM 2005 (~5 days from megakaryoblast to platelet release)")
    p.param("life_P", 9.5, "day", 7, 11, "platelet life span (mean)",
            "Harker & Finch, J Clin Invest 1969;48:963 (9-10 days)")
    p.param("C_fix_P", 7.1, "1e9/L/day", 0, 15,
            "fixed platelet consumption for endothelial support (saturates at low counts)",
            "Hanson & Slichter, Blood 1985;66:1105 (7.1 x10^3/uL/day)")
    p.param("P50_fix", 5.0, "1e9/L", 0.5, 50,
            "platelet count at half the fixed consumption",
            "calibrated: fall of platelets after conditioning (ASCT mean curve)")
    p.param("gamma_P", 0.5, "1", 0.05, 2.0, "TPO feedback exponent",
            "calibrated: platelet engraftment and the ASCT platelet curve")
    p.param("cap_tpo", 2.0, "1", 1, 30, "maximal TPO stimulation",
            "calibrated: platelet engraftment 18/25 days after blood/marrow grafts"
            " (Champlin 2000)")
    p.param("f_prolif_P", 0.5, "1", 0.1, 0.9, "share of progenitor output from own divisions",
            "calibrated")
    p.define("ktrP", "3/MTT_P", "1/day", "megakaryocyte transit rate")
    p.define("kPLT", "1/life_P", "1/day", "platelet removal")
    p.define("fixP", "C_fix_P*PLT/(P50_fix + PLT)", "1e9/L/day", "fixed platelet consumption")
    p.define("MK0", "(kPLT*PLT0 + C_fix_P*PLT0/(P50_fix + PLT0))/ktrP", "1e9/L",
             "baseline megakaryocyte compartments")
    p.define("A_P", "(1 - f_prolif_P)*ktrP*MK0/(fP*prod0)", "1e9/L per 1e6/kg",
             "progenitor → megakaryocyte amplification")
    p.define("stimT", "min((PLT0/max(PLT, 1e-3))^gamma_P, cap_tpo)", "1", "TPO feedback")
    for name in ("MK", "MKT1", "MKT2"):
        p.state(name, "MK0", "1e9/L", f"megakaryocyte compartment {name}")
    p.state("PLT", "PLT0", "1e9/L", "circulating platelets")
    prod = total([f"prod_{c}" for c in CLONES])
    p.ode("MK", f"A_P*fP*{prod} + f_prolif_P*ktrP*stimT*MK - ktrP*MK - kill_prolif*MK")
    p.ode("MKT1", "ktrP*(MK - MKT1)")
    p.ode("MKT2", "ktrP*(MKT1 - MKT2)")
    p.ode("PLT", "ktrP*MKT2 - kPLT*PLT - fixP")
    p.define("mk_marrow", "(MK + MKT1 + MKT2)", "1e9/L", "marrow megakaryocyte lineage")
    p.output("platelets", "PLT", "1e9/L", "platelet count")
    return p
