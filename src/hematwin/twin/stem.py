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
  engrafts, more slowly. The lineage shares shift towards myeloid output (``fL``).
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
``prod_<c>`` (MPP output of clone c towards the lineages, 10⁶ cells/kg/day), ``fN``, ``fP``,
``fE``, ``fL`` (lineage fractions, age-adjusted), ``prod0`` (baseline MPP output).
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
            "calibrated: HSC regeneration after transplant (Stiehl et al. 2014 range 0.5-1)")
    p.param("act_max", 40.0, "1", 5, 100, "maximal activation of HSC division in a depleted niche",
            "calibrated: neutrophil engraftment after transplant (Champlin 2000)")
    p.param("D50", 0.2, "1", 0.05, 0.8, "depletion giving half-maximal HSC activation",
            "calibrated: neutrophil engraftment after transplant (Champlin 2000)")
    p.param("q_niche", 1.0, "1", 0.2, 1.0, "marrow niche quality (capacity relative to healthy)",
            "patient modifier (1 = healthy marrow)")
    p.param("hsc_damage", 0.0, "1", 0.0, 0.95, "fraction of HSC lost to prior therapy",
            "patient modifier (0 = none)")
    p.param("chip_fraction", 0.0, "1", 0.0, 0.5,
            "fraction of HSC carrying a clonal-hematopoiesis mutation at t0",
            "patient modifier (e.g. DNMT3A/TET2 clones; Jaiswal et al., NEJM 2014;371:2488)")
    p.param("chip_advantage", 0.02, "1", 0.0, 0.2,
            "relative self-renewal advantage of the mutant clone",
            "calibrated: CHIP clone growth ~5-15 %/year (Watson et al., Science 2020;367:1449)")
    p.param("M0", 100.0, "1e6/kg", 20, 500, "multipotent/committed CD34+ progenitors in marrow",
            "order of magnitude of marrow CD34+ cells (~1 % of 1.1e10 nucleated cells/kg)")
    p.param("kM", 0.12, "1/day", 0.03, 0.5, "progenitor output rate towards the lineages",
            "calibrated: platelet and neutrophil engraftment kinetics (Champlin 2000)")
    p.param("Mmax", 2.4, "1", 0.5, 20, "maximal extra progenitor proliferation when depleted",
            "calibrated: neutrophil engraftment 14/19/23 days after blood/marrow/double cord"
            " grafts (Champlin 2000; Barker 2005) and the docetaxel nadir day (Friberg 2002)")
    p.param("ampS", 1.0, "1", 0.1, 10, "progenitors produced per differentiating HSC daughter",
            "model scale (absorbed in the lineage amplifications)")
    p.param("age", 40.0, "year", 0, 100, "patient age", "patient covariate")
    p.param("fL40", 0.15, "1", 0.02, 0.4,
            "lymphoid share of progenitor output at age 40",
            "calibrated: lymphocyte counts; myeloid skewing with age (Pang et al., PNAS 2011)")
    p.param("lymph_age_decline", 0.015, "1/year", 0.0, 0.05,
            "relative fall of the lymphoid share per year of age",
            "Pang et al., PNAS 2011;108:20012 (myeloid-biased aged human HSC)")
    p.param("hsc_age_decline", 0.003, "1/year", 0.0, 0.01,
            "relative fall of HSC self-renewal probability per year of age (from age 40)",
            "calibrated to the ~2-fold lower repopulation per aged human HSC (age 65-80 vs "
            "20-35 in NSG mice; Pang et al., PNAS 2011;108:20012, Fig. 2): at age 70 the "
            "regeneration rate pS·(2a·phi - 1) of an empty niche falls by a third")
    p.param("fP_share", 0.3, "1", 0.1, 0.6, "platelet share of the myeloid output", "calibrated")
    p.param("fE_share", 0.3, "1", 0.1, 0.6, "erythroid share of the myeloid output", "calibrated")
    p.param("mut_pS", 1.0, "1", 0.5, 3.0, "division rate of the mutant HSC relative to host",
            "patient modifier")

    p.param("graft_self_renewal", 1.0, "1", 0.5, 1.0,
            "self-renewal of the autologous graft clone's HSC relative to adult HSC",
            "graft covariate of clone a: 1 for adult HSC (gene-corrected or unmanipulated); "
            "below 1 for iPSC-derived HSC (hematwin.therapy.transplant.IPSC_SELF_RENEWAL, "
            "an assumption)")
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
    p.define("fL", "fL40*max(0.2, 1 - lymph_age_decline*(age - 40))", "1",
             "lymphoid share of progenitor output")
    p.define("fP", "(1 - fL)*fP_share", "1", "platelet share")
    p.define("fE", "(1 - fL)*fE_share", "1", "erythroid share")
    p.define("fN", "(1 - fL)*(1 - fP_share - fE_share)", "1", "neutrophil share")
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
