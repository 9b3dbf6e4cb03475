"""Hazards: infection (by neutrophil count and its duration), bleeding, GVHD, mortality.

Cumulative hazards are states, so probabilities are 1 − exp(−H).

Infection. Bodey et al. (Ann Intern Med 1966;64:328; 52 patients with acute leukemia,
17,743 patient-days) found that the share of time spent with infection fell as the
granulocyte count rose, and that the risk grew with the duration of granulocytopenia; an
episode held below 100/µL ended in infection in ~60 % of patients by 3 weeks and nearly all
by 6 weeks (the figure as commonly cited; to be checked against the paper's duration
figure). van der Meer, Alleman & Boekhout (Infection 1979;7:171; 40 episodes of
granulocytes < 500/µL, 1,435 days) found infection in 52.5 % of episodes, closely linked to
counts below 100/µL, and few infections with counts of 100-500/µL. The twin writes

    severity  s = 1/(1 + (ANC/ANC50_inf)^h_inf)       (→ 1 in profound neutropenia)
    d NEUT_DAYS/dt = s − k_neut_recovery·(1 − s)·NEUT_DAYS
    hazard = s·(inf_onset + inf_rise·NEUT_DAYS) + inf_base

``NEUT_DAYS`` counts days of neutropenia weighted by its depth and is forgotten within days
of recovery, so under a held ANC ≈ 0 the hazard rises linearly with time and the cumulative
hazard is quadratic (Bodey's rising risk). Mortality: a share of neutropenic infections is
fatal (in-hospital mortality of febrile neutropenia 9.5 %: Kuderer et al., Cancer
2006;106:2258); infections at normal counts (``inf_base``) are taken as not fatal.

Bleeding (WHO grade ≥ 2) rises below ~10-20 ×10⁹/L platelets (Gaydos et al., NEJM
1962;266:905); the twin has no platelet transfusions, so its level is that of patients given
prophylactic transfusions, as is now standard care (grade ≥ 2 bleeding in ~50 %, grade 4 in
0-5 %: Heddle et al., Blood 2009;113:1564), and few bleeds are fatal. GVHD: the
hazard ``gvhd_drive`` of :mod:`hematwin.twin.lymphoid`; a share is fatal. Leukemia: a death
hazard that rises steeply once blasts fill the marrow (organ infiltration, leukostasis,
marrow failure beyond the modelled cytopenias), calibrated on the survival of untreated AML
(median ~1.5 months: Yanada et al., Int J Hematol 2015); it is the relapse-related mortality
after treatment.

Deaths are split by cause: ``D_INF``, ``D_GVHD``, ``D_BLEED`` and ``D_LEUK`` integrate each
cause's death rate times survival, so they are cumulative incidences with competing risks
and add up to 1 − survival; the first three are the non-relapse mortality (``nrm``).

Names used: ``ANC``, ``ANC0``, ``PLT``, ``gvhd_drive``, ``LB``, ``K_marrow``.
"""

from __future__ import annotations

from hematwin.twin.parts import Parts

DEATH_CAUSES = {"INF": ("fatal_infection*haz_infection_neutropenic", "infection"),
                "GVHD": ("fatal_gvhd*gvhd_drive", "gvhd"),
                "BLEED": ("fatal_bleed*haz_bleed", "bleeding"),
                "LEUK": ("haz_leukemia_death", "leukemia")}
"""Causes of death: rate (model text) and the output name ``death_<name>``."""
NON_RELAPSE = ("INF", "GVHD", "BLEED")

ACCUMULATING_STATES = ("H_INF", "H_BLEED", "H_GVHD", "H_DEATH",
                       *(f"D_{k}" for k in DEATH_CAUSES))
"""States that integrate a positive rate by design (cumulative hazards and incidences): they
grow at the healthy baseline, every other state of the twin rests there."""


def hazard_component() -> Parts:
    p = Parts()
    p.param("inf_onset", 0.016, "1/day", 0.001, 0.2,
            "infection hazard at the onset of profound neutropenia (ANC → 0)",
            "calibrated: Bodey 1966 (~60 % infected after 3 weeks < 0.1 ×10^9/L)")
    p.param("inf_rise", 0.0027, "1/day^2", 0, 0.05,
            "rise of the infection hazard per day of profound neutropenia",
            "calibrated: Bodey 1966 (nearly all infected after 6 weeks < 0.1 ×10^9/L)")
    p.param("ANC50_inf", 0.2, "1e9/L", 0.05, 1, "ANC halving the neutropenic infection hazard",
            "calibrated: van der Meer 1979 (infections closely linked to < 0.1, few at "
            "0.1-0.5 ×10^9/L)")
    p.param("h_inf", 3.0, "1", 1, 6, "steepness of the infection hazard in ANC",
            "calibrated: van der Meer 1979")
    p.param("k_neut_recovery", 0.3, "1/day", 0.05, 2,
            "rate at which accumulated neutropenia is forgotten after count recovery",
            "assumption: risk returns to baseline within days of recovery")
    p.param("inf_base", 2e-4, "1/day", 0, 0.01, "infection hazard with normal counts",
            "assumption: ~7 %/year clinically significant infections in a healthy adult")
    p.param("bleed_max", 0.05, "1/day", 0, 1, "bleeding hazard at platelets → 0",
            "calibrated: Gaydos 1962")
    p.param("PLT50_bleed", 8.0, "1e9/L", 1, 50, "platelets halving the bleeding hazard",
            "Gaydos 1962 (bleeding frequent below 10 x10^9/L)")
    p.param("h_bleed", 3.0, "1", 1, 6, "steepness of the bleeding hazard in platelets",
            "calibrated: non-relapse mortality after autologous transplant (<= 3 %)")
    p.param("fatal_infection", 0.095, "1", 0, 1, "share of neutropenic infections that are fatal",
            "Kuderer et al., Cancer 2006;106:2258 (in-hospital mortality of febrile "
            "neutropenia 9.5 %)")
    p.param("fatal_bleed", 0.02, "1", 0, 1, "share of WHO grade >= 2 bleeds that are fatal",
            "Heddle et al., Blood 2009;113:1564 (with prophylactic platelet transfusion: grade "
            ">= 2 bleeding in ~50 % of patients, grade 4 in 0-5 %)")
    p.param("fatal_gvhd", 0.1, "1", 0, 1, "share of GVHD hazard that is fatal",
            "calibrated: non-relapse mortality after matched-sibling HSCT (Penack et al., "
            "Blood Adv 2020;4:6283)")
    p.param("k_leuk_death", 0.04, "1/day", 0, 1,
            "death hazard of a marrow filled with blasts",
            "calibrated: untreated AML median survival ~1.5 months (Yanada 2015)")
    p.param("blast50_death", 1.0, "1", 0.05, 10,
            "blast load (marrow blasts / normal marrow cells) giving half the leukemic death "
            "hazard", "calibrated")
    p.param("h_leuk_death", 4.0, "1", 1, 8, "steepness of the leukemic death hazard in blasts",
            "calibrated: deaths only once blasts fill the marrow")
    p.define("neut_severity", "1/(1 + (max(ANC, 0)/ANC50_inf)^h_inf)", "1",
             "depth of neutropenia (1 at ANC → 0)")
    p.define("neut_severity0", "1/(1 + (ANC0/ANC50_inf)^h_inf)", "1",
             "depth of neutropenia at the healthy baseline")
    p.state("NEUT_DAYS", "neut_severity0/(k_neut_recovery*(1 - neut_severity0))", "day",
            "days of neutropenia weighted by depth, forgotten after recovery")
    p.ode("NEUT_DAYS", "neut_severity - k_neut_recovery*(1 - neut_severity)*NEUT_DAYS")
    p.define("haz_infection_neutropenic", "neut_severity*(inf_onset + inf_rise*NEUT_DAYS)",
             "1/day", "infection hazard due to neutropenia")
    p.define("haz_infection", "haz_infection_neutropenic + inf_base", "1/day",
             "infection hazard")
    p.define("haz_bleed", "bleed_max/(1 + (max(PLT, 0)/PLT50_bleed)^h_bleed)", "1/day",
             "bleeding hazard")
    p.define("blast_load", "max(LB, 0)/K_marrow", "1",
             "marrow blasts relative to the normal marrow's nucleated cells")
    p.define("haz_leukemia_death", "k_leuk_death*blast_load^h_leuk_death/(blast50_death"
                                   "^h_leuk_death + blast_load^h_leuk_death)", "1/day",
             "death hazard from leukemia")
    death = " + ".join(rate for rate, _ in DEATH_CAUSES.values())
    for name, rate, what in (("H_INF", "haz_infection", "infection"),
                             ("H_BLEED", "haz_bleed", "WHO grade >= 2 bleeding"),
                             ("H_GVHD", "gvhd_drive", "GVHD"),
                             ("H_DEATH", death, "death")):
        p.state(name, 0.0, "1", f"cumulative {what} hazard")
        p.ode(name, rate)
    for key, (rate, what) in DEATH_CAUSES.items():
        p.state(f"D_{key}", 0.0, "1", f"cumulative incidence of death from {what}")
        p.ode(f"D_{key}", f"({rate})*exp(-H_DEATH)")
        p.output(f"death_{what}", f"D_{key}", "1",
                 f"cumulative probability of death from {what}")
    p.output("p_infection", "1 - exp(-H_INF)", "1", "probability of at least one infection")
    p.output("p_bleeding", "1 - exp(-H_BLEED)", "1",
             "probability of a WHO grade >= 2 bleed")
    p.output("p_gvhd", "1 - exp(-H_GVHD)", "1", "probability of clinically significant GVHD")
    p.output("survival", "exp(-H_DEATH)", "1", "probability of being alive (overall survival)")
    p.output("nrm", " + ".join(f"D_{k}" for k in NON_RELAPSE), "1",
             "non-relapse mortality: death from infection, GVHD or bleeding")
    return p
