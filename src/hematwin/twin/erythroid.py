"""Erythropoiesis: erythroid progenitors → red cells with a 120-day life span; EPO feedback.

Shared by all normal clones. Proliferating erythroid progenitors, two maturation
compartments, then red cells aging through three compartments (an Erlang-3 life span of
120 days: Shemin & Rittenberg, J Biol Chem 1946;166:627). States are in g/dL of hemoglobin.
EPO feedback on progenitor proliferation as (Hb0/Hb)^γ (EPO rises steeply as Hb falls:
Jelkmann, Physiol Rev 1992). Red-cell transfusions are boluses into ``RBC2`` (stored red
cells are mid-life on average).

Names provided: ``HB`` (g/dL), ``ery_marrow``. Names used: ``prod_<c>``, ``fE``, ``prod0``,
``kill_prolif``.
"""

from __future__ import annotations

from hematwin.twin.parts import CLONES, Parts, total


def erythroid_component() -> Parts:
    p = Parts()
    p.param("HB0", 14.0, "g/dL", 12, 16, "baseline hemoglobin",
            "healthy adult reference interval 12-16 g/dL (issue #5 target)")
    p.param("MTT_E", 7.0, "day", 4, 12, "erythroid maturation time (progenitor to reticulocyte)",
            "Finch et al., Medicine 1970;49:17 (about a week)")
    p.param("life_E", 120.0, "day", 60, 130, "red cell life span",
            "Shemin & Rittenberg 1946 (120 days)")
    p.param("gamma_E", 1.0, "1", 0.1, 4, "EPO feedback exponent", "calibrated")
    p.param("cap_epo", 5.0, "1", 1, 30, "maximal EPO stimulation", "calibrated")
    p.param("f_prolif_E", 0.5, "1", 0.1, 0.9, "share of progenitor output from own divisions",
            "calibrated")
    p.define("ktrE", "3/MTT_E", "1/day", "erythroid transit rate")
    p.define("kRBC", "3/life_E", "1/day", "red-cell aging rate per compartment")
    p.define("E0", "kRBC*HB0/3/ktrE", "g/dL", "baseline erythroid compartments")
    p.define("A_E", "(1 - f_prolif_E)*ktrE*E0/(fE*prod0)", "g/dL per 1e6/kg",
             "progenitor → erythroid amplification")
    p.define("HB", "(RBC1 + RBC2 + RBC3)", "g/dL", "hemoglobin")
    p.define("stimE", "min((HB0/max(HB, 1e-3))^gamma_E, cap_epo)", "1", "EPO feedback")
    for name in ("ERY", "ERYT1", "ERYT2"):
        p.state(name, "E0", "g/dL", f"erythroid compartment {name}")
    for k in (1, 2, 3):
        p.state(f"RBC{k}", "HB0/3", "g/dL", f"red cells, age class {k} of 3")
    prod = total([f"prod_{c}" for c in CLONES])
    p.ode("ERY", f"A_E*fE*{prod} + f_prolif_E*ktrE*stimE*ERY - ktrE*ERY - kill_prolif*ERY")
    p.ode("ERYT1", "ktrE*(ERY - ERYT1)")
    p.ode("ERYT2", "ktrE*(ERYT1 - ERYT2)")
    p.ode("RBC1", "ktrE*ERYT2 - kRBC*RBC1")
    p.ode("RBC2", "kRBC*(RBC1 - RBC2)")
    p.ode("RBC3", "kRBC*(RBC2 - RBC3)")
    p.define("ery_marrow", "(ERY + ERYT1 + ERYT2)", "g/dL", "marrow erythroid lineage")
    p.output("hb", "HB", "g/dL", "hemoglobin")
    return p
