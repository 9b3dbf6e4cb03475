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

Organ toxicity: hepatic sinusoidal obstruction syndrome (veno-occlusive disease) from the
conditioning's injury to the liver's sinusoidal endothelium (``_sinusoidal_obstruction``).

Deaths are split by cause: ``D_INF``, ``D_GVHD``, ``D_BLEED``, ``D_SOS`` and ``D_LEUK``
integrate each cause's death rate times survival, so they are cumulative incidences with
competing risks and add up to 1 − survival; all but leukemia are the non-relapse mortality
(``nrm``).

Names used: ``ANC``, ``ANC0``, ``PLT``, ``gvhd_drive``, ``LB``, ``K_marrow``, ``C_BU``,
``C_CY``, ``C_MEL``, ``k_RAD``, ``RAD``.
"""

from __future__ import annotations

from hematwin.twin.parts import Parts

DEATH_CAUSES = {"INF": ("fatal_infection*haz_infection_neutropenic", "infection"),
                "GVHD": ("fatal_gvhd*gvhd_drive", "gvhd"),
                "BLEED": ("fatal_bleed*haz_bleed", "bleeding"),
                "SOS": ("fatal_sos*haz_sos", "sos"),
                "LEUK": ("haz_leukemia_death", "leukemia")}
"""Causes of death: rate (model text) and the output name ``death_<name>``."""
NON_RELAPSE = ("INF", "GVHD", "BLEED", "SOS")

SOS_COURSE_TOXICITY = {"BU": ("C_BU", 1.0, 12.8 / (0.15 * 24), "busulfan 12.8 mg/kg i.v."),
                       "CY": ("C_CY", 0.5, 120 / (0.064 * 24), "cyclophosphamide 120 mg/kg"),
                       "MEL": ("C_MEL", 0.3, 200 / (30 * 24), "melphalan 200 mg/m2"),
                       "RAD": ("k_RAD*RAD", 0.5, 12.0, "TBI 12 Gy")}
"""Sinusoidal injury of one standard myeloablative course of each agent (in units of a
busulfan course) and that course's exposure (mg·day/L from the twin's clearances, or Gy), so
the injury per unit of exposure is their ratio. The ordering, not the values, has support:
busulfan-based myeloablation carries the highest SOS risk (Strouse et al., Biol Blood Marrow
Transplant 2018;24:2072, CIBMTR 2008-2013; busulfan a risk factor in Hägglund et al., Blood
1998;92:4568), TBI-based regimens less (busulfan 37 % vs TBI 10 % in Song et al., J Korean
Med Sci 2006;21:897), melphalan-conditioned autologous transplants rarely; the values are
assumptions."""

ACCUMULATING_STATES = ("H_INF", "H_BLEED", "H_GVHD", "H_SOS", "H_DEATH",
                       *(f"D_{k}" for k in DEATH_CAUSES))
"""States that integrate a positive rate by design (cumulative hazards and incidences): they
grow at the healthy baseline, every other state of the twin rests there."""


def hazard_component() -> Parts:
    p = Parts()
    p.param("inf_onset", 0.016, "1/day", 0.001, 0.2,
            "infection hazard at the onset of profound neutropenia (ANC → 0)",
            "calibrated [infection_profound_3wk]: ~60 % infected after 3 weeks < 0.1 ×10^9/L "
            "(Bodey 1966)")
    p.param("inf_rise", 0.0027, "1/day^2", 0, 0.05,
            "rise of the infection hazard per day of profound neutropenia",
            "calibrated [infection_profound_3wk, infection_profound_6wk]: with inf_onset, nearly "
            "all infected after 6 weeks < 0.1 ×10^9/L (Bodey 1966)")
    p.param("ANC50_inf", 0.2, "1e9/L", 0.05, 1, "ANC halving the neutropenic infection hazard",
            "calibrated [infection_depth]: infections closely linked to < 0.1, few at 0.1-0.5 "
            "×10^9/L (van der Meer 1979)")
    p.param("h_inf", 3.0, "1", 1, 6, "steepness of the infection hazard in ANC",
            "calibrated [infection_depth]: with ANC50_inf (van der Meer 1979)")
    p.param("k_neut_recovery", 0.3, "1/day", 0.05, 2,
            "rate at which accumulated neutropenia is forgotten after count recovery",
            "assumption: risk returns to baseline within days of recovery")
    p.param("inf_base", 2e-4, "1/day", 0, 0.01, "infection hazard with normal counts",
            "assumption: ~7 %/year clinically significant infections in a healthy adult")
    p.param("bleed_max", 0.05, "1/day", 0, 1, "bleeding hazard at platelets → 0",
            "calibrated [bleeding_allo]: WHO grade >= 2 bleeding 35-65 % after a sibling blood "
            "graft (Heddle 2009); value of the first twin (v1), kept as the row passes at it")
    p.param("PLT50_bleed", 8.0, "1e9/L", 1, 50, "platelets halving the bleeding hazard",
            "Gaydos 1962 (bleeding frequent below 10 x10^9/L)")
    p.param("h_bleed", 3.0, "1", 1, 6, "steepness of the bleeding hazard in platelets",
            "calibrated [asct_nrm]: non-relapse mortality after autologous transplant <= 3.1 % by "
            "day 100")
    p.param("fatal_infection", 0.095, "1", 0, 1, "share of neutropenic infections that are fatal",
            "Kuderer et al., Cancer 2006;106:2258 (in-hospital mortality of febrile "
            "neutropenia 9.5 %)")
    p.param("fatal_bleed", 0.02, "1", 0, 1, "share of WHO grade >= 2 bleeds that are fatal",
            "Heddle et al., Blood 2009;113:1564 (with prophylactic platelet transfusion: grade "
            ">= 2 bleeding in ~50 % of patients, grade 4 in 0-5 %)")
    p.param("fatal_gvhd", 0.1, "1", 0, 1, "share of GVHD hazard that is fatal",
            "calibrated [nrm_matched_sibling]: non-relapse mortality 9.5-15 % at 1 year after "
            "matched-sibling HSCT (Penack et al., Blood Adv 2020;4:6283)")
    p.param("k_leuk_death", 0.04, "1/day", 0, 1,
            "death hazard of a marrow filled with blasts",
            "calibrated [aml_untreated]: untreated AML median survival ~1.5 months (Yanada 2015)")
    p.param("blast50_death", 1.0, "1", 0.05, 10,
            "blast load (marrow blasts / normal marrow cells) giving half the leukemic death "
            "hazard",
            "assumption: half the leukemic death hazard when marrow blasts equal the normal "
            "marrow's nucleated cells (blast_load 1); a round value, k_leuk_death was fitted on "
            "aml_untreated at it")
    p.param("h_leuk_death", 4.0, "1", 1, 8, "steepness of the leukemic death hazard in blasts",
            "assumption: steepness 4, so that deaths come only once blasts fill the marrow; not "
            "fitted (k_leuk_death was fitted on aml_untreated at it)")
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
    _sinusoidal_obstruction(p)
    death = " + ".join(rate for rate, _ in DEATH_CAUSES.values())
    for name, rate, what in (("H_INF", "haz_infection", "infection"),
                             ("H_BLEED", "haz_bleed", "WHO grade >= 2 bleeding"),
                             ("H_GVHD", "gvhd_drive", "GVHD"),
                             ("H_SOS", "haz_sos", "sinusoidal obstruction syndrome"),
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
    p.output("p_sos", "1 - exp(-H_SOS)", "1",
             "probability of hepatic sinusoidal obstruction syndrome (veno-occlusive disease)")
    p.output("survival", "exp(-H_DEATH)", "1", "probability of being alive (overall survival)")
    p.output("nrm", " + ".join(f"D_{k}" for k in NON_RELAPSE), "1",
             "non-relapse mortality: death from infection, GVHD, bleeding or SOS")
    return p


def _sinusoidal_obstruction(p: Parts) -> None:
    """Organ toxicity of conditioning: hepatic sinusoidal obstruction syndrome (SOS/VOD).

    Conditioning injures the sinusoidal endothelium of the liver (DeLeve et al., Semin Liver
    Dis 2002;22:27); the syndrome appears within about three weeks of transplant (classical
    SOS, Seattle/Baltimore criteria; late onset in ~20 %: EBMT, Bone Marrow Transplant
    2023;58:1209). The twin integrates a sinusoidal injury ``SOS_INJ`` from the exposure
    to busulfan, cyclophosphamide, melphalan and radiation (``SOS_COURSE_TOXICITY``), repaired
    over about a week, and a hazard that rises steeply with it, so that busulfan-based
    myeloablation gives SOS in a few to ~14 % of patients (2.4 % of all adult allografts by
    day 100 in 2018, EBMT 2023; 4.9 % in CIBMTR 2008-2013, Strouse 2018, higher after
    busulfan-based myeloablation; mean of 135 studies 1979-2007 13.7 %, Coppell et al., Biol
    Blood Marrow Transplant 2010;16:157) and reduced-intensity or melphalan conditioning far
    less. 43 % of patients with SOS had died by day 100 (57 % alive, EBMT 2023: deaths of
    any cause, so an upper bound of the deaths SOS causes)."""
    inputs = []
    for agent, (exposure, course_injury, course_exposure, course) in SOS_COURSE_TOXICITY.items():
        p.param(f"sos_tox_{agent}", course_injury / course_exposure,
                "1/Gy" if agent == "RAD" else "L/(mg*day)", 0, 10 * course_injury / course_exposure,
                f"sinusoidal injury per unit exposure to {course.split()[0]}",
                f"assumption: {course} = {course_injury:g} of a busulfan course "
                "(hazards.SOS_COURSE_TOXICITY: the ordering is published, not the values)")
        inputs.append(f"sos_tox_{agent}*{exposure}")
    p.param("k_sos_repair", 1 / 7, "1/day", 1 / 30, 1, "repair of the sinusoidal injury",
            "assumption: classical SOS appears within 21 days of transplant (EBMT, Bone Marrow "
            "Transplant 2023;58:1209), so the injury fades over about a week")
    p.param("sos50", 1.0, "1", 0.2, 5, "sinusoidal injury giving half the maximal SOS hazard",
            "assumption: one busulfan course (the highest-risk regimen) sits at the midpoint")
    p.param("h_sos", 3.0, "1", 1, 6, "steepness of the SOS hazard in the injury",
            "calibrated [sos_bucy, sos_ric_below_mac]: SOS after busulfan-cyclophosphamide "
            "within the published range, far less after reduced-intensity busulfan (Strouse "
            "2018: myeloablative regimens carry the risk)")
    p.param("k_sos", 0.02, "1/day", 0, 0.5, "maximal SOS hazard",
            "calibrated [sos_bucy]: SOS by day +100 after BuCy2 within 2.4-13.7 % (EBMT 2023; "
            "Coppell 2010)")
    p.param("fatal_sos", 0.43, "1", 0, 1, "share of SOS that is fatal",
            "EBMT Transplant Complications Working Party, Bone Marrow Transplant "
            "2023;58:1209 (57 % of 67 adults with SOS alive at day 100; deaths of any cause)")
    p.state("SOS_INJ", 0.0, "1", "sinusoidal endothelial injury of the liver (busulfan courses)")
    p.ode("SOS_INJ", " + ".join(inputs) + " - k_sos_repair*SOS_INJ")
    p.define("haz_sos", "k_sos*max(SOS_INJ, 0)^h_sos/(sos50^h_sos + max(SOS_INJ, 0)^h_sos)",
             "1/day", "hazard of sinusoidal obstruction syndrome")
