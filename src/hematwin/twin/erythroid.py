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

Anaemia after myeloablative transplantation is deeper and longer than the aplastic gap in
red-cell production alone would make it (the twin's Hb fell only to 11.5 g/dL and was back at
13 g/dL on day 50, where only 8.1 % of the control arm of Jaspers et al., Blood 2014;124:33
reached 13 g/dL before day 126). Two published causes are modelled:

- *Inappropriately low EPO after myeloablative conditioning.* After marrow recovery the EPO
  response to anaemia is suppressed after allogeneic and autologous BMT, more so with acute
  GVHD, and stays inadequate in patients anaemic for up to 12 months (Miller et al., Blood
  1992;80:2677); the impairment follows myeloablative, not nonmyeloablative, conditioning
  (Jaspers et al. 2014, introduction). The twin carries it as a lesion ``EPO_LESION``
  (0 = intact, 1 = complete) made by stem-cell-toxic exposure (``kill_hsc``: busulfan,
  melphalan, radiation; cytarabine and daunorubicin hardly) and repaired slowly. It scales
  renal EPO production, EPO = 10^(a − b·Hb)·(1 − epo_blunt·EPO_LESION), as in the
  anaemia of renal disease: EPO still rises as Hb falls and falls monotonically with Hb (the
  loop keeps its gain below one), but the Hb at which output balances red-cell loss is
  lower while the lesion lasts. The evidence is not uniform: EPO about twice the predicted
  level for two weeks after allogeneic BMT, then in the expected range (Grace et al., Eur J
  Haematol 1991;47:81), adequate for the anaemia after autologous BMT (Bone Marrow
  Transplant 1991;7:421), inadequate in 60 of 67 measurements after allogeneic BMT
  (Haematologica 1991;76:280). Not modelled: the excess EPO of the first 1-3 weeks after
  conditioning (Jaspers 2014; EPO is then not taken up by an empty marrow) — it falls in
  the aplastic weeks, when there are no erythroid progenitors to stimulate — and the
  stronger suppression with acute GVHD (Miller 1992).
- *Diagnostic blood sampling* during the hospital stay: whole blood drawn at
  ``phlebotomy`` mL/day (a covariate, 0 outside hospital; 12.4 mL/day on general medical
  wards, 33.5 in intensive care: Smoller & Kruskall, N Engl J Med 1986;314:1233) removes
  reticulocytes and red cells of every age at the rate phlebotomy/blood_volume.
  ``hematwin.therapy.support.diagnostic_phlebotomy`` sets the covariate for a stay.

After BuCy + a matched-sibling blood graft with ward sampling from day −8 to +28
(validation/twin_cases.py): without the lesion Hb falls to 10.2 g/dL and is back at 13 g/dL
on day 56 (overshoot 0.48 g/dL); with it the nadir is 10.0 g/dL on day ~30, Hb 12.8 g/dL
on day 126, 13 g/dL on day ~181 and 13.7 g/dL at one year, with no overshoot.

Not modelled: bleeding from thrombocytopenia (fecal blood loss rises only at platelets
≤ 5 ×10⁹/L: Slichter et al., Transfusion 2021;61:393), hemolysis (ABO-mismatched grafts),
inflammation from GVHD or infection, iron deficiency.

Red-cell age classes: ``RBC1`` … ``RBC3`` are the first compartments of the young, middle
and old thirds of life (``RBC1b`` … ``RBC3b`` the second ones). Red-cell transfusions are
boluses into ``RBC2`` (stored red cells are mid-life on average).

Names provided: ``HB`` (g/dL), ``ery_marrow``. Names used: ``prod_<c>``, ``prod0``,
``kill_prolif``, ``kill_hsc``.
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
            "calibrated [steady_hb]: the baseline Hb is a parameter, set inside the adult "
            "reference interval 12-16 g/dL of issue #5, so the row holds by construction")
    p.param("MTT_E", 7.0, "day", 4, 12,
            "erythroid maturation time in the marrow (progenitor to blood reticulocyte)",
            "Finch et al., Medicine 1970;49:17 (about a week)")
    p.param("t_ret", 1.0, "day", 0.5, 2.5, "maturation time of blood reticulocytes",
            "Hillman & Finch, Red Cell Manual, 7th ed., F.A. Davis 1996 (blood reticulocytes "
            "mature in about 1 day at a normal hematocrit)")
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
    p.param("epo_blunt", 0.65, "1", 0.0, 0.9,
            "share of renal EPO production lost with a complete EPO lesion",
            "calibrated [hb_recovery]: Hb >= 13 g/dL only after day 126 (Jaspers et al., "
            "Blood 2014;124:33); EPO inadequate for the degree of anaemia at marrow recovery "
            "after BMT (Miller et al., Blood 1992;80:2677). With k_epo_repair 0.003: 0.6 gives "
            "day 125, 0.65 day 181, 0.7 day 213; Hb plateaus at 12.7-13.1 g/dL from day 100 "
            "to 200, so the day is sensitive to both")
    p.param("k_epo_lesion", 0.1, "1", 0.02, 0.5,
            "EPO lesion made per unit of stem-cell log-kill (integral of kill_hsc)",
            "assumption: BuCy (log-kill integral ~25) makes a nearly complete lesion (0.92), "
            "melphalan 200 mg/m² (~8) 0.57, one high-dose cytarabine course (~3.7) 0.31, 7+3 "
            "(~0.3) 0.03; the EPO response stays adequate after nonmyeloablative "
            "conditioning (Jaspers et al. 2014)")
    p.param("k_epo_repair", 0.003, "1/day", 0.001, 0.05,
            "repair rate of the EPO lesion (half-time ln2/k, 231 days)",
            "calibrated [hb_recovery]: inadequate EPO for months, up to 12 months in "
            "patients who stay anaemic (Miller et al., Blood 1992;80:2677); with epo_blunt "
            "0.65, 0.0025/day gives day 222 and 0.0035/day day 132")
    p.param("phlebotomy", 0.0, "mL/day", 0, 100,
            "whole blood drawn for laboratory tests (0 outside hospital)",
            "therapy covariate: set by hematwin.therapy.support.diagnostic_phlebotomy for a "
            "hospital stay (default 12.4 mL/day on general medical wards, 33.5 in intensive "
            "care, 73.9 with an arterial line: Smoller & Kruskall, N Engl J Med "
            "1986;314:1233)")
    p.param("blood_volume", 5000.0, "mL", 3500, 7000, "blood volume",
            "Nadler et al., Surgery 1962;51:224 (about 70 mL/kg in a 70-kg adult)")
    names = red_cell_names()
    n = len(names)
    p.define("ktrE", "3/MTT_E", "1/day", "erythroid transit rate")
    p.define("kRBC", f"{n}/life_E", "1/day", "red-cell aging rate per compartment")
    p.define("FE0", "HB0/(life_E + t_ret)", "g/dL/day", "baseline red-cell production")
    p.define("A_E", "FE0/prod0", "g/dL per 1e6/kg", "progenitor → erythroid amplification")
    p.define("HB", total(["RET", *names]), "g/dL", "hemoglobin")
    p.state("EPO_LESION", 0.0, "1", "impairment of renal EPO production (0 = intact)")
    p.ode("EPO_LESION", "k_epo_lesion*kill_hsc*(1 - EPO_LESION) - k_epo_repair*EPO_LESION")
    p.define("EPO", "10^(epo_a - epo_b*HB)*(1 - epo_blunt*EPO_LESION)", "mIU/mL",
             "serum erythropoietin")
    p.define("EPO0", "10^(epo_a - epo_b*HB0)", "mIU/mL", "baseline erythropoietin")
    p.define("k_sampling", "phlebotomy/blood_volume", "1/day",
             "share of the circulating red cells drawn per day")
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
        p.ode(f"ERY_{c}", f"A_E*prod_{c}*stimE - ktrE*ERY_{c} - kill_prolif*ERY_{c}")
    p.ode("ERYT1", "ktrE*(ERY - ERYT1)")
    p.ode("ERYT2", "ktrE*(ERYT1 - ERYT2)")
    p.ode("RET", "ktrE*ERYT2 - RET/t_ret - k_sampling*RET")
    p.ode(names[0], f"RET/t_ret - (kRBC + k_sampling)*{names[0]}")
    for prev, name in zip(names[:-1], names[1:], strict=True):
        p.ode(name, f"kRBC*({prev} - {name}) - k_sampling*{name}")
    p.define("ery_marrow", "(ERY + ERYT1 + ERYT2)", "g/dL", "marrow erythroid lineage")
    p.output("hb", "HB", "g/dL", "hemoglobin")
    p.output("reticulocytes_pct", "100*RET/HB", "%", "reticulocytes (share of red cells)")
    p.output("epo", "EPO", "mIU/mL", "serum erythropoietin")
    p.output("epo_lesion", "EPO_LESION", "1",
             "impairment of the EPO response after myeloablative conditioning")
    return p
