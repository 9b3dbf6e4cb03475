"""Stem-cell niche: HSC and multipotent progenitors of every clone, competing for one niche.

The clones (:data:`hematwin.twin.parts.CLONES`): host, donor (allogeneic graft), autologous
graft (gene-corrected, iPSC-derived or unmanipulated) and a clonal-hematopoiesis mutant;
they differ only in self-renewal (the mutant's advantage, the iPSC graft's
``graft_self_renewal``), division rate (``mut_pS``) and the immune attack ``imm_<c>``.

Self-renewal is regulated by a niche signal shared by all clones, as in the multi-compartment
models of Marciniak-Czochra et al. (Stem Cells Dev 2009;18:377) and Stiehl et al. (Cancer
Res 2015;75:940): an HSC of clone c divides at rate p·act and each daughter stays a stem
cell with probability a_c·φ, where

    φ = 1 / (1 + (2 a − 1) · S_total / (r · S0))

so that a niche of reserve r (below) holds exactly r·S0 host HSC (2 a φ = 1, a the host's
self-renewal probability at its age). A clone with a higher self-renewal probability
(clonal-hematopoiesis mutant, leukemic stem cell) expands and displaces the others. When the
niche is depleted (after conditioning or in a graft's early days) quiescent HSC are
activated: act = 1 + r · act_max · D/(D50 + D), D = depletion.

Marrow cellularity falls with age (roughly 100 − age %: Hartsock et al., Am J Clin Pathol
1965;43:326); the twin's marrow is counted in cells per kg and does not model the fat that
replaces it, so cellularity itself is not an output.

Patient modifiers act on function, relative to the calibrated 40-year-old with a healthy
marrow:

- Age lowers HSC self-renewal (``hsc_age_decline``): aged human HSC are more numerous but
  repopulate less per cell and are myeloid-biased (Pang et al., PNAS 2011;108:20012; in
  mice Rossi et al., PNAS 2005;102:9194), so an older marrow regenerates its HSC, and
  engrafts, more slowly. The lineage output shifts towards myeloid: the lymphoid (B-cell)
  share ``fL`` falls, relative to age 40, by ``lymph_age_decline`` per year.
- Niche quality ``q_niche`` and prior therapy damage ``hsc_damage`` lower the marrow
  *reserve*, ``reserve = q_niche·(1 − hsc_damage)``: the niche then holds ``reserve·S0``
  HSC, and the regenerative drives (HSC activation ``act_max``, progenitor expansion
  ``Mmax``) scale with the reserve. At rest the progenitors compensate (they self-renew
  more, and every lineage's amplification is set by the niche's own baseline output
  ``prod0``), so the blood counts stay normal; under stress the nadirs deepen and recovery
  and engraftment slow. Damaged marrow stroma after chemo-/radiotherapy persists for years
  (Mauch et al., Int J Radiat Oncol Biol Phys 1995;31:1319; Shipounova et al., Exp Hematol
  2009;37:1245), poor graft function goes with a damaged niche (Kong et al., Blood
  2016;127:3042), and prior therapy lowers CD34+ mobilisation (Bensinger et al., Blood
  1995;85:1655; the number of prior cycles). The proportional scaling is an assumption.

Names provided: ``Stot`` (all HSC incl. leukemic, 10⁶/kg), ``phi``, ``act``, ``Mtot``,
``prod_<c>`` (MPP output of clone c towards the lineages, 10⁶ cells/kg/day), ``fL`` (the
lymphoid share relative to age 40), ``prod0`` (baseline MPP output).
Names used: ``kill_hsc``, ``kill_mpp`` (drugs), ``imm_<c>`` (immune attack on clone c),
``crowd`` (marrow crowding by blasts), ``LS`` (leukemic stem cells), ``w_LS``.
"""

from __future__ import annotations

from hematwin.twin.parts import CLONE_NAMES, CLONES, INITIAL_SHARE, Parts, total

INF = float("inf")


def stem_component() -> Parts:
    p = Parts()
    p.param("S0", 1.1, "1e6/kg", 0.3, 3.0, "healthy HSC number",
            "Craig, Humphries & Mackey, Bull Math Biol 2016;78:2304 (Q* = 1.1e6/kg)")
    p.param("pS", 1 / 280, "1/day", 1 / 700, 1 / 100, "HSC division rate at homeostasis",
            "Catlin et al., Blood 2011;117:4460 (human HSC divide about once per 40 weeks)")
    p.param("a_h", 0.7, "1", 0.55, 0.95,
            "maximal self-renewal probability of a normal HSC (empty niche)",
            "assumption: inside the range 0.5-1 of Stiehl et al. 2014; value of the first twin "
            "(v1), not tuned on a target since (the engraftment rows were then fitted with Mmax, "
            "act_max, D50 and kM at this value)")
    p.param("act_max", 40.0, "1", 5, 100, "maximal activation of HSC division in a depleted niche",
            "calibrated [engraft_pb_n, engraft_bm_n, engraft_cord_n]: with D50, how fast a "
            "graft's few HSC regrow an emptied niche; set in the first twin (v1) to Champlin's "
            "neutrophil engraftment days and kept when Mmax was refitted on these rows")
    p.param("D50", 0.2, "1", 0.05, 0.8, "depletion giving half-maximal HSC activation",
            "calibrated [engraft_pb_n, engraft_bm_n, engraft_cord_n]: with act_max (see there); "
            "set in the first twin (v1) and kept when Mmax was refitted on these rows")
    p.param("q_niche", 1.0, "1", 0.2, 1.0, "marrow niche quality (capacity relative to healthy)",
            "patient modifier: set by hematwin.therapy.patient.Patient.niche_quality (scenario "
            "modifier niche_quality, hematwin.scenario.schema.MODIFIER_PARAMETERS); 1 = healthy "
            "marrow")
    p.param("hsc_damage", 0.0, "1", 0.0, 0.95, "fraction of HSC lost to prior therapy",
            "patient modifier: set by hematwin.therapy.patient.Patient.prior_therapy_hsc_loss "
            "(scenario modifier prior_therapy_damage, "
            "hematwin.scenario.schema.MODIFIER_PARAMETERS); 0 = none")
    p.param("chip_fraction", 0.0, "1", 0.0, 0.5,
            "fraction of HSC carrying a clonal-hematopoiesis mutation at t0",
            "patient modifier: set by hematwin.scenario.schema.MODIFIER_PARAMETERS "
            "(chip_fraction); 0 = no clone; e.g. DNMT3A/TET2 clones (Jaiswal et al., NEJM "
            "2014;371:2488)")
    # At homeostasis (2·a_age·φ = 1) the mutant's HSC log-odds grow at
    # pS·2·a_age·φ·chip_advantage = pS·chip_advantage per day: 365/280 × 0.05 = 6.5 %/year.
    p.param("chip_advantage", 0.05, "1", 0.0, 0.2,
            "relative self-renewal advantage of the mutant clone",
            "calibrated [test_chip_default_growth_rate_is_at_least_the_slowest_published_"
            "driver]: the default clone's HSC log-odds grow by pS·chip_advantage = 6.5 %/year, "
            "just above the slowest common drivers — Fabre et al., Nature 2022;606:335 (697 "
            "clones in 385 people followed a median 13 years: 5 %/year for DNMT3A and TP53 up "
            "to > 50 %/year for SRSF2 P95H); positive selection of CHIP variants: Watson et "
            "al., Science 2020;367:1449. A patient modifier (scenario field chip_advantage)")
    p.param("M0", 100.0, "1e6/kg", 20, 500, "multipotent/committed CD34+ progenitors in marrow",
            "assumption: order of magnitude, CD34+ ~1 % of the 1.1e10 nucleated marrow cells/kg "
            "(Harrison, J Clin Pathol 1962), the rule of thumb of one CD34+ cell per 100 "
            "nucleated marrow cells; no measurement of the percentage checked")
    p.param("kM", 0.12, "1/day", 0.03, 0.5, "progenitor output rate towards the lineages",
            "calibrated [engraft_pb_n, engraft_pb_p, engraft_bm_n, engraft_bm_p]: progenitor "
            "output rate (progenitor residence ~8 days), set in the first twin (v1) on Champlin's "
            "engraftment kinetics and kept when Mmax and cap_tpo were refitted on these rows")
    p.param("Mmax", 2.4, "1", 0.5, 20, "maximal extra progenitor proliferation when depleted",
            "calibrated [engraft_pb_n, engraft_bm_n, engraft_cord_n, docetaxel_nadir_day]: "
            "refitted from 4.0 to 2.4 on neutrophil engraftment 14/19/23 days after "
            "blood/marrow/double cord grafts (Champlin 2000; Barker 2005) and the docetaxel nadir "
            "day (Friberg 2002)")
    p.param("ampS", 1.0, "1", 0.1, 10, "progenitors produced per differentiating HSC daughter",
            "definition: model scale, progenitors per differentiating HSC daughter; any value is "
            "absorbed by the progenitor self-renewal rM and the lineage amplifications, which are "
            "derived from the baselines")
    p.param("age", 40.0, "year", 0, 100, "patient age",
            "patient covariate: set by hematwin.therapy.patient.Patient.age_years; 40 years is "
            "the calibrated reference adult")
    p.param("lymph_age_decline", 0.015, "1/year", 0.0, 0.05,
            "relative fall of the lymphoid (B-cell) share of progenitor output per year of age "
            "above 40",
            "assumption: 1.5 %/year (B-cell output at age 70 0.55x, at 90 0.25x that of age 40), "
            "a rate not fitted; the direction is that of myeloid-biased aged human HSC (Pang et "
            "al., PNAS 2011;108:20012) and of blood B cells falling beyond age 50 (Jentsch-Ullrich "
            "et al., Clin Immunol 2005;116:192); blood lymphocytes stay ~2e9/L to the 40s and "
            "fall to ~1.5e9/L at 90 (MacKinney, J Gerontol 1978;33:213), the twin's 1.75 at 40 to "
            "1.56 at 90 (T cells held by homeostasis); "
            "checked by test_older_patient_makes_fewer_b_cells_at_rest")
    p.param("hsc_age_decline", 0.003, "1/year", 0.0, 0.01,
            "relative fall of HSC self-renewal probability per year of age (from age 40)",
            "set from Pang et al., PNAS 2011;108:20012, Fig. 2 (~2-fold lower repopulation per "
            "aged human HSC, age 65-80 vs 20-35, in NSG mice): at age 70 the regeneration rate "
            "pS·(2a·phi - 1) of an empty niche falls by a third; direction checked by "
            "test_older_patient_regenerates_hsc_more_slowly")
    p.param("mut_pS", 1.0, "1", 0.5, 3.0, "division rate of the mutant HSC relative to host",
            "patient modifier: division rate of the CHIP mutant relative to host HSC, 1 = none "
            "(its advantage is in self-renewal, chip_advantage); not a scenario modifier, set by "
            "a parameter override of hematwin.engine.Model.simulate")

    p.param("graft_self_renewal", 1.0, "1", 0.5, 1.0,
            "self-renewal of the autologous graft clone's HSC relative to adult HSC",
            "graft covariate of clone a: set by hematwin.therapy.transplant.ipsc_graft "
            "(hematwin.therapy.transplant.IPSC_SELF_RENEWAL, an assumption); 1 for adult HSC "
            "(gene-corrected or unmanipulated)")
    w = {c: "1" for c in CLONES}
    a = {"h": "a_age", "d": "a_age", "a": "a_age*graft_self_renewal",
         "m": "a_age*(1 + chip_advantage)"}
    p_div = {"h": "pS", "d": "pS", "a": "pS", "m": "pS*mut_pS"}
    s_names = [f"S_{c}" for c in CLONES]
    m_names = [f"M_{c}" for c in CLONES]
    p.define("Stot", total([f"{w[c]}*S_{c}" for c in CLONES] + ["w_LS*LS"]), "1e6/kg",
             "HSC in the niche (all clones)")
    # the graft's HSC are taken to be as old as the patient (the twin has no donor age)
    p.define("a_age", "a_h*max(0.75, 1 - hsc_age_decline*(age - 40))", "1",
             "maximal self-renewal probability of the patient's HSC at this age")
    p.define("reserve", "q_niche*(1 - hsc_damage)", "1",
             "marrow reserve: HSC capacity and regenerative drive relative to healthy")
    p.define("phi", "1/(1 + (2*a_age - 1)*Stot/(reserve*S0))", "1", "niche self-renewal signal")
    p.define("depletion", "max(0, 1 - Stot/(reserve*S0))", "1", "HSC depletion of the niche")
    p.define("act", "1 + reserve*act_max*depletion/(D50 + depletion)", "1", "HSC activation")
    p.define("Mtot", total(m_names), "1e6/kg", "progenitors of the normal clones")
    p.define("depM", "max(0, 1 - Mtot/(q_niche*M0))", "1", "progenitor depletion")
    p.define("stimM", "1 + reserve*Mmax*depM/(0.1 + depM)", "1",
             "regenerative progenitor expansion")
    # progenitor self-maintenance that balances the HSC influx exactly at homeostasis (it
    # compensates for HSC lost to prior therapy)
    p.define("rM", "kM - ampS*pS*(1 - hsc_damage)*S0/M0", "1/day",
             "progenitor self-renewal rate")
    # Lineage shares act relative to the calibrated 40-year-old. Myeloid output per progenitor
    # is held by its cytokine loops (G-CSF, TPO, EPO), and blood neutrophils do not change
    # with age (MacKinney, J Gerontol 1978;33:213), so the myeloid amplifications (A_N, A_P,
    # A_E) carry no share; the myeloid bias of aged HSC shows as less B lymphopoiesis.
    p.define("fL", "max(0.2, 1 - lymph_age_decline*max(0, age - 40))", "1",
             "lymphoid (B-cell) share of progenitor output relative to age 40")
    p.define("prod0", "kM*q_niche*M0", "1e6/kg/day", "baseline progenitor output")
    for c in CLONES:
        p.state(f"S_{c}", f"q_niche*(1 - hsc_damage)*S0*{INITIAL_SHARE[c]}", "1e6/kg",
                f"HSC, {CLONE_NAMES[c]}")
        p.state(f"M_{c}", f"q_niche*M0*{INITIAL_SHARE[c]}", "1e6/kg",
                f"progenitors, {CLONE_NAMES[c]}")
        p.ode(f"S_{c}", f"{p_div[c]}*act*(2*{a[c]}*phi - 1)*S_{c} - (kill_hsc + imm_{c})*S_{c}")
        p.ode(f"M_{c}", f"ampS*2*{p_div[c]}*act*(1 - {a[c]}*phi)*S_{c} + rM*stimM*M_{c}"
                        f" - kM*M_{c} - (kill_mpp + imm_{c})*M_{c}")
        p.define(f"prod_{c}", f"kM*M_{c}*crowd", "1e6/kg/day",
                 f"progenitor output of the {CLONE_NAMES[c]} clone")
    p.output("hsc_total", total(s_names), "1e6/kg", "normal HSC (all clones)")
    return p
