"""The leukemic line: leukemic stem cells in the shared niche, blasts, circulating blasts.

Leukemic stem cells (LSC) compete with normal HSC for the niche signal φ (Stiehl et al.,
Cancer Res 2015;75:940: leukemic cells with higher self-renewal displace normal ones). Their
differentiating progeny become marrow blasts, which proliferate up to a marrow capacity and
spill into the blood. ``leuk_block`` sets the differentiation block: 1 for AML (blasts do
not mature), 0 for chronic-phase CML (the leukemic line makes neutrophils, and the
BCR::ABL1 ratio is the leukemic share of them; Michor et al., Nature 2005;435:1267).
Imatinib slows the leukemic production of differentiated cells (Michor 2005: by ~100-fold)
without killing LSC. Blasts crowd out normal hematopoiesis (marrow failure), the way
untreated AML kills.

Names provided: ``LS`` (state), ``w_LS``, ``crowd``, ``flux_N_l``, ``marrow_blast_pct``.
Names used: ``phi``, ``act``, ``kill_lsc``, ``kill_blast``, ``gvl``, ``E_imatinib``,
``neut_marrow``, ``NP0``, ``N_l``, ``ANC``.
"""

from __future__ import annotations

from hematwin.twin.parts import Parts


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
    p.param("leuk_block", 1.0, "1", 0, 1,
            "differentiation block of the leukemic line (1 AML, 0 chronic-phase CML)",
            "disease covariate")
    p.param("amp_LN", 0.5, "1e9/L per 1e9/kg/day", 0, 10,
            "neutrophil precursors made by differentiating leukemic blasts (CML)", "calibrated")
    p.state("LS", "LS_0", "1e6/kg", "leukemic stem cells")
    p.state("LB", "LB_0", "1e9/kg", "marrow blasts (leukemic progenitors)")
    p.state("LPB", "k_out_LB*LB_0/BV/k_PB", "1e9/L", "circulating blasts")
    p.ode("LS", "p_L*act*(2*a_L*phi - 1)*LS - (kill_lsc + gvl)*LS")
    p.ode("LB", "amp_LB*2*p_L*act*(1 - a_L*phi)*LS + r_LB*(1 - E_imatinib)*(1 - LB/LB_max)*LB"
                " - (d_LB + k_out_LB + kill_blast + gvl)*LB")
    p.ode("LPB", "k_out_LB*LB/BV - k_PB*LPB")
    p.define("flux_N_l", "(1 - leuk_block)*amp_LN*(1 - E_imatinib)*d_LB*LB", "1e9/L/day",
             "leukemic neutrophil production (CML)")
    p.define("crowd", "1/(1 + (LB/LB50_crowd)^h_crowd)", "1",
             "share of normal production left by marrow blasts")
    p.define("marrow_blast_pct", "100*LB/(LB + K_marrow*(neut_marrow/(4*NP0)) + 1e-12)",
             "%", "marrow blast percentage")
    p.output("marrow_blasts_pct", "marrow_blast_pct", "%", "marrow blast percentage")
    p.output("blasts_blood", "LPB", "1e9/L", "circulating blasts")
    p.output("bcr_abl_pct", "100*N_l/(ANC + 1e-12)", "%",
             "BCR::ABL1 ratio (leukemic share of neutrophils)")
    p.output("lsc", "LS", "1e6/kg", "leukemic stem cells")
    return p
