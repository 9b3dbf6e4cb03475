"""The leukemic line: leukemic stem cells in the shared niche, and their progeny.

Leukemic stem cells (LSC, ``LS``) compete with normal HSC for the niche signal φ (Stiehl et
al., Cancer Res 2015;75:940: leukemic cells with higher self-renewal displace normal ones).
``leuk_block`` chooses what their progeny do:

* **AML** (``leuk_block`` = 1): differentiating LSC progeny become marrow blasts ``LB``,
  which proliferate up to a marrow capacity, do not mature, spill into the blood and crowd
  out normal hematopoiesis (marrow failure, the way untreated AML kills).
* **Chronic-phase CML** (``leuk_block`` = 0): the structure of Michor et al., Nature
  2005;435:1267 — leukemic stem cells → leukemic progenitors ``LP`` → leukemic
  differentiated cells ``LD`` → the leukemic neutrophil chain (``flux_N_l``, the twin's
  Friberg chain, :mod:`hematwin.twin.myeloid`) — with Michor's production rates ay, by and
  loss rates d1, d2. The progeny mature: they are "CML myeloid progenitors", not blasts,
  and do not count in ``marrow_blast_pct``. Imatinib divides the leukemic production rates
  by up to 100 (ay) and 750 (by) (Michor 2005) and does not kill LSC, so BCR::ABL1 falls in
  two phases, with slopes d2 (≈ 0.05/day: differentiated cells wash out) and d1
  (≈ 0.008/day: progenitors wash out), and rebounds when imatinib is stopped. The
  fold-reduction grows with the BCR::ABL1 kinase inhibition θ = ``E_imatinib``
  (:mod:`hematwin.twin.drugs`) as 1/(1 + (F − 1)·θ): F at full inhibition (the twin's
  interpolation; Michor's F are those of patients on 400 mg/day, where θ ≈ 0.93-0.96).
  The LSC are regulated by the niche like normal HSC, with a small self-renewal advantage
  (``a_CML``), so an untreated chronic phase is near-steady and slowly growing.

**Small numbers.** The compartments are cell densities, so a deterministic ODE lets a leukemic
line that therapy has taken to 1e-60 ×10⁶/kg (far below one cell per body) regrow: the model
could not cure anyone. Two treatments, consistent with each other:

* *Quasi-extinction in the ODE*: the self-renewing births of LSC (and the proliferation of
  blasts) are scaled by ``LS/(LS + LS_cell)`` (``LB/(LB + LB_cell)``), where ``LS_cell`` is
  one cell per 70-kg body (1/70 cells/kg = 1.4e-8 ×10⁶/kg). Above a few cells per body the
  factor is 1 (at diagnosis LS_0 = 0.5 ×10⁶/kg is 3.5e7 times ``LS_cell``, so untreated
  courses and steady states are unchanged); below one cell the births vanish and the
  remainder decays by differentiation and death, as an extinct population should. This is
  the deterministic analogue of the absorbing state 0 of a birth–death process, and the
  threshold near one cell is the scale at which the branching-process description takes
  over (Kimmel & Axelrod, Branching Processes in Biology, Springer 2015, ch. 1: the
  deterministic mean ignores extinction).
* *Probability that the leukemia persists* (output ``leukemia_persistence``): each LSC
  divides at rate ``div_LSC`` into two daughters, each of which stays a stem cell with probability
  s = a·φ (Stiehl 2015's self-renewal fraction). As a birth–death process: births (two stem
  daughters) at rate b = div_LSC·s², deaths (none) at div_LSC·(1 − s)² plus the drug and GVL kill.
  A lineage escapes extinction with probability 1 − d/b when b > d (linear birth–death
  process; Kendall, Ann Math Stat 1948;19:1 — the closed form the library's SSA test
  checks), so with N = LS/LS_cell cells the leukemia persists with probability
  1 − exp(−N·max(0, 1 − d/b)) under the current rates (Poisson number of surviving
  lineages). It reads "would the leukemia survive if today's rates held": during GVL or
  chemotherapy (d > b) it is 0 even while cells remain, so read it after the therapy.

**LSC division in aplasia.** LSC divide at the niche-driven rate p·act of the HSC (``act``,
:mod:`hematwin.twin.stem`), which reaches ~41 in an emptied marrow; for LSC that would be two
divisions a day, faster than any measured AML cell cycle, and any LSC surviving induction
refilled the marrow within weeks. Their division is therefore bounded by one cell cycle,
``div_max_L`` = 0.5/day (median myeloblast Tc 48 h: Raza et al., Br J Haematol 1991).

Names provided: ``LS`` (state), ``w_LS``, ``crowd``, ``flux_N_l``, ``marrow_blast_pct``.
Names used: ``phi``, ``act``, ``kill_lsc``, ``kill_blast``, ``kill_prolif``, ``gvl``,
``E_imatinib``, ``neut_marrow``, ``neut_marrow0``, ``N_l``, ``ANC``.
"""

from __future__ import annotations

from hematwin.twin.parts import Parts

MICHOR = "Michor et al., Nature 2005;435:1267 (Supplementary Information; as in " \
         "hematwin.library.michor2005)"


def leukemia_component() -> Parts:
    p = Parts()
    p.param("LS_0", 0.0, "1e6/kg", 0, 10, "leukemic stem cells at t0", "patient/disease state")
    p.param("LB_0", 0.0, "1e9/kg", 0, 20, "marrow blasts at t0", "patient/disease state")
    p.param("a_L", 0.85, "1", 0.5, 1.0, "maximal self-renewal probability of LSC",
            "calibrated: leukemic takeover (Stiehl 2015: a_L > a_c)")
    p.param("p_L", 0.05, "1/day", 0.005, 0.5, "LSC division rate",
            "calibrated: untreated AML time scale")
    p.param("w_LS", 1.0, "1", 0, 5, "niche occupancy of an LSC relative to an HSC", "assumption")
    p.param("amp_LB", 50.0, "1e9 per 1e6", 1, 1000, "blasts made per differentiating LSC",
            "calibrated")
    p.param("r_LB", 0.3, "1/day", 0.01, 2, "blast proliferation rate",
            "calibrated: blast doubling time ~3-5 days")
    p.param("d_LB", 0.1, "1/day", 0.01, 1, "blast loss (death + egress)", "calibrated")
    p.param("LB_max", 10.0, "1e9/kg", 1, 50, "marrow capacity for blasts",
            "~ total marrow nucleated cells 1.1e10/kg (Harrison, J Clin Pathol 1962)")
    p.param("K_marrow", 11.0, "1e9/kg", 5, 20, "normal marrow nucleated cells",
            "Harrison 1962 (1.1e10 nucleated marrow cells per kg)")
    p.param("k_out_LB", 0.02, "1/day", 0, 1, "blast egress into blood", "calibrated")
    p.param("k_PB", 1.0, "1/day", 0.1, 10, "removal of circulating blasts", "calibrated")
    p.param("BV", 0.07, "L/kg", 0.06, 0.08, "blood volume", "adult 70 mL/kg")
    p.param("LB50_crowd", 1.5, "1e9/kg", 0.3, 20,
            "marrow blasts halving normal production (marrow failure)",
            "calibrated: untreated AML survival (see validation/twin_targets.md)")
    p.param("h_crowd", 2.0, "1", 0.5, 6, "steepness of marrow crowding", "calibrated")
    p.param("LS_cell", 1 / 70 / 1e6, "1e6/kg", 1e-9, 1e-6,
            "one leukemic stem cell in the body (quasi-extinction scale)",
            "one cell per 70 kg body weight (1/70 cells/kg)")
    p.param("LB_cell", 1 / 70 / 1e9, "1e9/kg", 1e-12, 1e-9,
            "one blast in the body (quasi-extinction scale)",
            "one cell per 70 kg body weight (1/70 cells/kg)")
    p.param("leuk_block", 1.0, "1", 0, 1,
            "differentiation block of the leukemic line (1 AML, 0 chronic-phase CML)",
            "disease covariate")
    _cml_parameters(p)
    aml = "leuk_block"
    cml = "(1 - leuk_block)"
    p.param("div_max_L", 0.5, "1/day", 0.1, 100,
            "fastest division of a leukemic stem cell (one cell cycle)",
            "1/Tc with the AML myeloblast cell cycle Tc: median 48 h, range 11.5-211 h (Raza "
            "et al., Br J Haematol 1991, BrdU in 128 patients)")
    p.define("p_LSC", f"{aml}*p_L + {cml}*p_CML", "1/day", "LSC division rate (AML or CML)")
    p.define("div_LSC", "min(p_LSC*act, div_max_L)", "1/day",
             "LSC divisions per day: the niche activation, bounded by one cell cycle")
    p.define("a_LSC", f"{aml}*a_L + {cml}*a_CML", "1", "LSC self-renewal (AML or CML)")
    p.define("fold_ay", "1/(1 + (F_ay - 1)*E_imatinib)", "1",
             "imatinib: remaining share of leukemic progenitor production")
    p.define("fold_by", "1/(1 + (F_by - 1)*E_imatinib)", "1",
             "imatinib: remaining share of leukemic differentiated-cell production")
    p.state("LS", "LS_0", "1e6/kg", "leukemic stem cells")
    p.state("LB", "LB_0", "1e9/kg", "marrow blasts (AML)")
    p.state("LPB", "k_out_LB*LB_0/BV/k_PB", "1e9/L", "circulating blasts")
    # CML progeny start at their balance with LS_0 without imatinib (Michor's initial values)
    p.state("LP", f"{cml}*ay_CML*LS_0/d_LP", "1e6/kg", "CML leukemic progenitors")
    p.state("LD", f"by_CML*{cml}*ay_CML*LS_0/d_LP/d_LD", "1e6/kg",
            "CML leukemic differentiated cells")
    p.define("q_LS", "LS/(LS + LS_cell)", "1", "quasi-extinction factor of LSC births")
    p.define("q_LB", "LB/(LB + LB_cell)", "1", "quasi-extinction factor of blast proliferation")
    p.ode("LS", "div_LSC*(2*a_LSC*phi*q_LS - 1)*LS - (kill_lsc + gvl)*LS")
    p.ode("LB", f"{aml}*amp_LB*2*div_LSC*(1 - a_L*phi)*LS + r_LB*(q_LB - LB/LB_max)*LB"
                " - (d_LB + k_out_LB + kill_blast + gvl)*LB")
    p.ode("LPB", "k_out_LB*LB/BV - k_PB*LPB")
    p.ode("LP", f"{cml}*ay_CML*fold_ay*LS - (d_LP + kill_blast + gvl)*LP")
    p.ode("LD", "by_CML*fold_by*LP - (d_LD + kill_prolif + gvl)*LD")
    p.define("flux_N_l", "amp_LN*d_LD*LD", "1e9/L/day",
             "leukemic neutrophil precursor production (CML)")
    p.define("crowd", "1/(1 + (LB/LB50_crowd)^h_crowd)", "1",
             "share of normal production left by marrow blasts")
    p.define("marrow_blast_pct", "100*LB/(LB + K_marrow*(neut_marrow/neut_marrow0) + 1e-12)",
             "%", "marrow blast percentage (AML blasts; CML progenitors mature, not counted)")
    p.output("marrow_blasts_pct", "marrow_blast_pct", "%", "marrow blast percentage")
    p.output("blasts_blood", "LPB", "1e9/L", "circulating blasts")
    p.output("bcr_abl_pct", "100*N_l/(ANC + 1e-12)", "%",
             "BCR::ABL1 ratio (leukemic share of neutrophils)")
    p.define("b_LSC", "div_LSC*(a_LSC*phi)^2", "1/day",
             "LSC births (division into two stem daughters)")
    p.define("d_LSC", "div_LSC*(1 - a_LSC*phi)^2 + kill_lsc + gvl", "1/day",
             "LSC deaths (division into two differentiating daughters, drug and GVL kill)")
    p.output("leukemia_persistence",
             "1 - exp(-(LS/LS_cell)*max(0, 1 - d_LSC/max(b_LSC, 1e-30)))", "1",
             "probability that the leukemic stem-cell line escapes extinction at the current "
             "rates (branching process)")
    p.output("lsc", "LS", "1e6/kg", "leukemic stem cells")
    p.output("cml_progenitors", "LP", "1e6/kg", "CML leukemic myeloid progenitors")
    return p


def _cml_parameters(p: Parts) -> None:
    p.param("p_CML", 0.008, "1/day", 0.002, 0.05, "CML stem-cell division rate",
            f"{MICHOR}: ry = 0.008/day")
    p.param("a_CML", 0.75, "1", 0.5, 1.0,
            "maximal self-renewal probability of a CML stem cell",
            "calibrated: near-steady untreated chronic phase (a_CML slightly above a_h)")
    p.param("ay_CML", 1.6, "1/day", 0.1, 10, "CML progenitors made per LSC per day",
            f"{MICHOR}: ay = 1.6/day")
    p.param("by_CML", 10.0, "1/day", 1, 50, "CML differentiated cells made per progenitor "
            "per day", f"{MICHOR}: by = 10/day")
    p.param("d_LP", 0.008, "1/day", 0.002, 0.03, "loss rate of CML progenitors",
            f"{MICHOR}: d1 = 0.008/day (second slope of the BCR::ABL1 decline)")
    p.param("d_LD", 0.05, "1/day", 0.01, 0.2, "loss rate of CML differentiated cells",
            f"{MICHOR}: d2 = 0.05/day (first slope of the BCR::ABL1 decline)")
    p.param("F_ay", 100.0, "1", 1, 1000, "imatinib fold-reduction of ay at full inhibition",
            "Michor et al. 2005 (ay reduced 100-fold)")
    p.param("F_by", 750.0, "1", 1, 5000, "imatinib fold-reduction of by at full inhibition",
            "Michor et al. 2005 (by reduced 750-fold)")
    p.param("amp_LN", 0.13, "1e9/L per 1e6/kg", 0, 10,
            "neutrophil precursors made per CML differentiated cell leaving its compartment",
            "calibrated: leukocytosis at CML diagnosis")
