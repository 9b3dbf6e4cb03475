"""Erythropoiesis: erythroid progenitors → reticulocytes → red cells aging over 120 days.

Erythroid progenitors ``ERY_<c>`` of each normal clone, made by that clone's multipotent
progenitors under the same EPO stimulation and drug kill (their sum ``ERY`` obeys the
equation of one shared pool), are amplified and mature through three marrow compartments
(the first per clone, the two maturing ones shared; about a week: Finch et al., Medicine
1970;49:17), become blood reticulocytes that mature in about a day, then red cells that age
through six compartments (an Erlang-6 life span of mean 120 days, CV 0.41: Shemin &
Rittenberg, J Biol Chem 1946;166:627). The measured spread of red-cell life spans is
narrower (CV ~0.1-0.15: Franco, Transfus Med Hemother 2012;39:302); the wider spread is the
twin's choice: a narrow one makes the cells of the burst that refills Hb after aplasia die
together ~120 days later, an echo of the aplastic gap that the weak EPO gain near the set
point cannot damp (Hb overshoot after a transplant: 0.13 g/dL with 3 compartments, 0.29
with 6, 0.48 with 12).
States are in g/dL of hemoglobin.

Feedback: the kidney's EPO output rises log-linearly as Hb falls, log₁₀ EPO = 3.05 − 0.131·Hb
(mIU/mL; 1096 subjects with normal renal function: Symeonidis et al., J Biomed Sci Eng
2016;9(10), doi:10.4236/jbise.2016.910042); with a half-life of hours, EPO is taken at
that quasi-steady value. EPO raises the amplification of erythroid progenitors (survival of
CFU-E and their progeny) saturably, as EPO/(EC50 + EPO): definitive erythropoiesis needs EPO
(none in EPO-deficient mice: Wu et al., Cell 1995;83:59), so output follows EPO near
baseline too. There is no self-renewing erythroid compartment, so the loop has no gain
above one, and Hb recovers towards its set point without damped oscillations.

Red-cell age classes: ``RBC1`` … ``RBC3`` are the first compartments of the young, middle
and old thirds of life (``RBC1b`` … ``RBC3b`` the second ones). Red-cell transfusions are
boluses into ``RBC2`` (stored red cells are mid-life on average).

Names provided: ``HB`` (g/dL), ``ery_marrow``. Names used: ``prod_<c>``, ``fE``, ``prod0``,
``kill_prolif``.
"""

from __future__ import annotations

from hematwin.twin.parts import CLONE_NAMES, CLONES, INITIAL_SHARE, Parts, total

N_THIRD = 2
"""Red-cell compartments per third of the life span (6 in all)."""


def red_cell_names() -> list[str]:
    """The red-cell age compartments, youngest first."""
    return [f"RBC{k}" + ("" if j == 0 else "bcd"[j - 1]) for k in (1, 2, 3)
            for j in range(N_THIRD)]


def erythroid_component() -> Parts:
    p = Parts()
    p.param("HB0", 14.0, "g/dL", 12, 16, "baseline hemoglobin",
            "healthy adult reference interval 12-16 g/dL (issue #5 target)")
    p.param("MTT_E", 7.0, "day", 4, 12,
            "erythroid maturation time in the marrow (progenitor to blood reticulocyte)",
            "Finch et al., Medicine 1970;49:17 (about a week)")
    p.param("t_ret", 1.0, "day", 0.5, 2.5, "maturation time of blood reticulocytes",
            "Hillman & Finch, Red Cell Manual (about 1 day at a normal hematocrit)")
    p.param("life_E", 120.0, "day", 60, 130, "red cell life span",
            "Shemin & Rittenberg 1946 (120 days)")
    p.param("epo_a", 3.05, "log10 mIU/mL", 2.5, 3.6, "EPO–Hb relation: intercept",
            "Symeonidis et al., J Biomed Sci Eng 2016;9(10), doi:10.4236/jbise.2016.910042"
            " (log10 EPO = 3.05 - 0.131 Hb)")
    p.param("epo_b", 0.131, "log10 mIU/mL per g/dL", 0.05, 0.3, "EPO–Hb relation: slope",
            "Symeonidis et al. 2016")
    p.param("EC50_EPO", 65.0, "mIU/mL", 10, 500,
            "EPO giving half-maximal erythroid amplification",
            "assumption: 4x the baseline EPO, so that red-cell output can rise to ~5x basal "
            "(4-6x in chronic hemolysis: Hillman & Finch, Red Cell Manual)")
    names = red_cell_names()
    n = len(names)
    p.define("ktrE", "3/MTT_E", "1/day", "erythroid transit rate")
    p.define("kRBC", f"{n}/life_E", "1/day", "red-cell aging rate per compartment")
    p.define("FE0", "HB0/(life_E + t_ret)", "g/dL/day", "baseline red-cell production")
    p.define("A_E", "FE0/(fE*prod0)", "g/dL per 1e6/kg", "progenitor → erythroid amplification")
    p.define("HB", total(["RET", *names]), "g/dL", "hemoglobin")
    p.define("EPO", "10^(epo_a - epo_b*HB)", "mIU/mL", "serum erythropoietin")
    p.define("EPO0", "10^(epo_a - epo_b*HB0)", "mIU/mL", "baseline erythropoietin")
    p.define("stimE", "EPO/(EC50_EPO + EPO)*(EC50_EPO + EPO0)/EPO0", "1",
             "EPO stimulation of erythroid amplification (1 at baseline)")
    for c in CLONES:
        p.state(f"ERY_{c}", f"FE0/ktrE*{INITIAL_SHARE[c]}", "g/dL",
                f"erythroid progenitors, {CLONE_NAMES[c]}")
    p.define("ERY", total([f"ERY_{c}" for c in CLONES]), "g/dL",
             "erythroid progenitors (all clones)")
    for name in ("ERYT1", "ERYT2"):
        p.state(name, "FE0/ktrE", "g/dL", f"maturing erythroid cells, {name}")
    p.state("RET", "FE0*t_ret", "g/dL", "blood reticulocytes")
    for k, name in enumerate(names):
        p.state(name, "FE0/kRBC", "g/dL", f"red cells, age class {k + 1} of {n}")
    for c in CLONES:
        p.ode(f"ERY_{c}", f"A_E*fE*prod_{c}*stimE - ktrE*ERY_{c} - kill_prolif*ERY_{c}")
    p.ode("ERYT1", "ktrE*(ERY - ERYT1)")
    p.ode("ERYT2", "ktrE*(ERYT1 - ERYT2)")
    p.ode("RET", "ktrE*ERYT2 - RET/t_ret")
    p.ode(names[0], f"RET/t_ret - kRBC*{names[0]}")
    for prev, name in zip(names[:-1], names[1:], strict=True):
        p.ode(name, f"kRBC*({prev} - {name})")
    p.define("ery_marrow", "(ERY + ERYT1 + ERYT2)", "g/dL", "marrow erythroid lineage")
    p.output("hb", "HB", "g/dL", "hemoglobin")
    p.output("reticulocytes_pct", "100*RET/HB", "%", "reticulocytes (share of red cells)")
    p.output("epo", "EPO", "mIU/mL", "serum erythropoietin")
    return p
