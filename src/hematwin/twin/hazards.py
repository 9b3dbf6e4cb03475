"""Hazards: infection (by neutrophil count), bleeding (by platelet count), GVHD, mortality.

Cumulative hazards are states, so probabilities are 1 − exp(−H). The infection hazard falls
steeply with the neutrophil count, as Bodey et al. (Ann Intern Med 1966;64:328) showed in
acute leukemia: infections were most frequent below 0.1 ×10⁹/L, and risk rose with the
duration of neutropenia. The bleeding hazard rises below ~10-20 ×10⁹/L platelets (Gaydos et
al., NEJM 1962;266:905). Deaths: a share of infections and of severe GVHD and bleeding is
fatal (non-relapse mortality, which also carries death from marrow failure in untreated
leukemia).

Names used: ``ANC``, ``PLT``, ``gvhd_drive``.
"""

from __future__ import annotations

from hematwin.twin.parts import Parts


def hazard_component() -> Parts:
    p = Parts()
    p.param("inf_max", 0.3, "1/day", 0.01, 1, "infection hazard at ANC → 0",
            "calibrated: Bodey 1966 (infection frequency at ANC < 0.1)")
    p.param("ANC50_inf", 0.25, "1e9/L", 0.05, 1, "ANC halving the infection hazard",
            "calibrated: Bodey 1966")
    p.param("h_inf", 2.0, "1", 0.5, 6, "steepness of the infection hazard", "calibrated")
    p.param("inf_base", 0.0005, "1/day", 0, 0.01, "infection hazard with normal counts",
            "calibrated")
    p.param("bleed_max", 0.05, "1/day", 0, 1, "major bleeding hazard at platelets → 0",
            "calibrated: Gaydos 1962")
    p.param("PLT50_bleed", 8.0, "1e9/L", 1, 50, "platelets halving the bleeding hazard",
            "Gaydos 1962 (bleeding frequent below 10 x10^9/L)")
    p.param("fatal_infection", 0.1, "1", 0, 1, "share of infections that are fatal",
            "calibrated: non-relapse mortality")
    p.param("fatal_bleed", 0.2, "1", 0, 1, "share of major bleeds that are fatal", "calibrated")
    p.param("fatal_gvhd", 0.15, "1", 0, 1, "share of GVHD hazard that is fatal", "calibrated")
    p.define("haz_infection", "inf_max/(1 + (ANC/ANC50_inf)^h_inf) + inf_base", "1/day",
             "infection hazard")
    p.define("haz_bleed", "bleed_max/(1 + (PLT/PLT50_bleed)^2)", "1/day", "bleeding hazard")
    for name, rate, what in (("H_INF", "haz_infection", "infection"),
                             ("H_BLEED", "haz_bleed", "major bleeding"),
                             ("H_GVHD", "gvhd_drive", "GVHD"),
                             ("H_DEATH", "fatal_infection*haz_infection + fatal_bleed*haz_bleed"
                                         " + fatal_gvhd*gvhd_drive", "death")):
        p.state(name, 0.0, "1", f"cumulative {what} hazard")
        p.ode(name, rate)
    p.output("p_infection", "1 - exp(-H_INF)", "1", "probability of at least one infection")
    p.output("p_bleeding", "1 - exp(-H_BLEED)", "1", "probability of a major bleed")
    p.output("p_gvhd", "1 - exp(-H_GVHD)", "1", "probability of clinically significant GVHD")
    p.output("survival", "exp(-H_DEATH)", "1", "probability of being alive")
    return p
