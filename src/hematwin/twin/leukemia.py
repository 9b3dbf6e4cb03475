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
refilled the marrow within weeks. Their division is therefore bounded by one slow cell cycle,
``div_max_L`` = 0.15/day (Tc ~160 h, inside the 11.5-211 h of AML myeloblasts: Raza et al.,
Br J Haematol 1991; leukemic stem cells cycle more slowly than the bulk blasts), calibrated on
relapse after transplant in first CR (validation/twin_targets.md).

**Blasts do not self-renew.** Marrow blasts proliferate (``r_LB``) but are lost faster
(``d_LB + k_out_LB``), so the blast mass is maintained by the LSC only and an LSC-free marrow
clears its blasts (the leukemic hierarchy: Bonnet & Dick, Nat Med 1997;3:730).

**Patients differ in chemosensitivity.** ``chemo_sens_L`` multiplies the cytotoxic kill of
LSC and blasts; :func:`hematwin.therapy.disease.leukemic_chemosensitivity` draws it for
virtual cohorts, so residual disease after the same chemotherapy varies between patients.

**BCR::ABL1 as measured.** The laboratory value is a transcript ratio in blood leukocytes,
not the leukemic share of neutrophils. Michor 2005 report BCR-ABL/BCR: a Ph-positive cell
carries one BCR::ABL1 and one normal BCR allele, a Ph-negative cell two BCR alleles (the
convention of :mod:`hematwin.library.michor2005`), so the ratio is P/(P + 2·Q) with P, Q the
Ph-positive and Ph-negative leukocytes. The twin's Ph-positive leukocytes are the CML
neutrophils and their monocytes; Ph-negative are the normal ones and the lymphocytes (the
twin's lymphocytes come from normal progenitors only; CML T cells are mostly Ph-negative).
The output ``bcr_abl_pct`` is this ratio on the International Scale, ``CF_IS`` times it, the
conversion factor setting the untreated chronic phase to 100 % IS as the IS defines its
baseline (Hughes et al., NEJM 2003;349:1423; Blood 2006;108:28). The neutrophil share alone
saturated: at diagnosis the twin has ~9-15 CML neutrophils per normal one, so the share
(90-94 %) lost less than a fifth of its value in the first month although the CML
neutrophils fell at ~0.02-0.04/day. The lymphocytes, which stay normal, make the leukocyte
ratio fall from the start, as in Michor's patients (median BCR-ABL/BCR 129 % → 39 % → 9 % →
1.8 % at 0-3 months, ``../shared/data/cml/michor.csv``). The ratio is still flatter in the
first months than the patients': the twin's leukocytosis resolves in ~2 months, not ~1,
because the CML differentiated cells wash out at d2 = 0.05/day.

**Floor under imatinib.** At the kinase inhibition of 400 mg/day (θ 0.93-0.96) the leukemic
output keeps 1/(95·713) of its untreated value (Michor's 100 × 750 fold-reductions), so the
ratio flattens from month ~18 near MR4 (~0.01 % IS) and rises slowly as the LSC grow.
Michor's own model does the same: its progenitors fall at d1 towards 1/100 of their start
and its leukemic stem cells grow at ry − d0 = 0.005/day, so
:mod:`hematwin.library.michor2005` (without resistance) is flat to rising over months 12-24
(−0.0022/day). Its slopes (0.05 and 0.008/day) describe the first year, the span of its
patient data; the twin is measured over that span with the fit applied to the patients
(``validation/twin_cases.py``, ``cml_imatinib_course``; the library model itself gives 0.045
and 0.0072/day under it).

Names provided: ``LS`` (state), ``w_LS``, ``crowd``, ``flux_N_l``, ``marrow_blast_pct``.
Names used: ``phi``, ``act``, ``kill_lsc``, ``kill_blast``, ``kill_prolif``, ``gvl``,
``E_imatinib``, ``neut_marrow``, ``neut_marrow0``, ``N_l``, ``ANC``, ``mono_ratio``,
``LYMPH``.
"""

from __future__ import annotations

from hematwin.twin.parts import Parts

MICHOR = "Michor et al., Nature 2005;435:1267 (Supplementary Information; as in " \
         "hematwin.library.michor2005)"


def leukemia_component() -> Parts:
    p = Parts()
    p.param("LS_0", 0.0, "1e6/kg", 0, 10, "leukemic stem cells at t0",
            "disease state: set by hematwin.therapy.disease.LeukemicBurden.params "
            "(hematwin.therapy.disease.aml_at_diagnosis, "
            "hematwin.therapy.disease.cml_chronic_phase); 0 = no leukemia")
    p.param("LB_0", 0.0, "1e9/kg", 0, 20, "marrow blasts at t0",
            "disease state: set by hematwin.therapy.disease.LeukemicBurden.params "
            "(hematwin.therapy.disease.aml_at_diagnosis); 0 = no leukemia")
    p.param("a_L", 0.85, "1", 0.5, 1.0, "maximal self-renewal probability of LSC",
            "patient modifier: set by hematwin.scenario.schema.MODIFIER_PARAMETERS "
            "(leukemic_self_renewal); default 0.85 in the range 0.80-0.95 of the virtual AML "
            "cohort of aml_7_3_cr (validation/twin_cases.py); a_L > a_h so that leukemic cells "
            "take over the niche (Stiehl et al., Cancer Res 2015;75:940)")
    p.param("p_L", 0.05, "1/day", 0.005, 0.5, "LSC division rate",
            "calibrated [aml_untreated]: LSC division rate, with LB50_crowd and k_leuk_death, for "
            "the untreated AML time scale (median survival 1-3 months)")
    p.param("w_LS", 1.0, "1", 0, 5, "niche occupancy of an LSC relative to an HSC",
            "assumption: a leukemic stem cell occupies the niche like a normal HSC (1); no data "
            "found")
    p.param("amp_LB", 150.0, "1e9 per 1e6", 1, 1000, "blasts made per differentiating LSC",
            "calibrated [aml_untreated]: 150 ×10⁹ blasts per 10⁶ differentiating LSC, raised "
            "from 50 when the blasts were made non-self-sustaining (d_LB), so that untreated AML "
            "still kills within 1-3 months (with p_L, LB50_crowd and k_leuk_death)")
    p.param("r_LB", 0.3, "1/day", 0.01, 2, "blast proliferation rate",
            "assumption: blasts divide at 0.3/day (cell cycle 48 h, median of Raza et al., Br J "
            "Haematol 1991, with ~60 % of blasts cycling); value of the first twin (v1)")
    p.param("d_LB", 0.4, "1/day", 0.01, 1, "blast loss (death + egress)",
            "assumption: blasts have limited proliferative capacity (the leukemic hierarchy: "
            "Bonnet & Dick, Nat Med 1997;3:730; only LSC self-renew), so their loss exceeds "
            "their proliferation (d_LB + k_out_LB > r_LB): without LSC the blast mass falls by "
            "0.12/day (half-life ~6 days), a blast leaving on average 3.5 cells; with d_LB 0.1 "
            "the blasts sustained themselves and an LSC-free marrow relapsed")
    p.param("LB_max", 10.0, "1e9/kg", 1, 50, "marrow capacity for blasts",
            "~ total marrow nucleated cells 1.1e10/kg (Harrison, J Clin Pathol 1962)")
    p.param("K_marrow", 11.0, "1e9/kg", 5, 20, "normal marrow nucleated cells",
            "Harrison 1962 (1.1e10 nucleated marrow cells per kg)")
    p.param("k_out_LB", 0.02, "1/day", 0, 1, "blast egress into blood",
            "assumption: 2 %/day of marrow blasts reach the blood; no target row measures blood "
            "blasts; value of the first twin (v1)")
    p.param("k_PB", 1.0, "1/day", 0.1, 10, "removal of circulating blasts",
            "assumption: circulating blasts removed within ~1 day; no target row measures blood "
            "blasts; value of the first twin (v1)")
    p.param("BV", 0.07, "L/kg", 0.06, 0.08, "blood volume",
            "Nadler, Hidalgo & Bloch, Surgery 1962;51:224 (men: 0.3669·H³ + 0.03219·W + 0.6041 L, "
            "4.8 L or 69 mL/kg at 70 kg and 1.75 m)")
    p.param("LB50_crowd", 1.5, "1e9/kg", 0.3, 20,
            "marrow blasts halving normal production (marrow failure)",
            "calibrated [aml_untreated]: lowered from 3.0 to 1.5 ×10⁹/kg so that untreated AML "
            "kills through marrow failure within 1-3 months")
    p.param("h_crowd", 2.0, "1", 0.5, 6, "steepness of marrow crowding",
            "assumption: Hill steepness 2 of marrow crowding, value of the first twin (v1), not "
            "tuned; aml_untreated was fitted with LB50_crowd at it")
    p.param("LS_cell", 1 / 70 / 1e6, "1e6/kg", 1e-9, 1e-6,
            "one leukemic stem cell in the body (quasi-extinction scale)",
            "definition: one cell in a 70-kg body (1/70 cells/kg), the quasi-extinction scale of "
            "the leukemic stem cells")
    p.param("LB_cell", 1 / 70 / 1e9, "1e9/kg", 1e-12, 1e-9,
            "one blast in the body (quasi-extinction scale)",
            "definition: one cell in a 70-kg body (1/70 cells/kg), the quasi-extinction scale of "
            "the blasts")
    p.param("leuk_block", 1.0, "1", 0, 1,
            "differentiation block of the leukemic line (1 AML, 0 chronic-phase CML)",
            "disease covariate: set by hematwin.therapy.disease.LeukemicBurden (1 AML, 0 "
            "chronic-phase CML)")
    p.param("chemo_sens_L", 1.0, "1", 0.1, 10,
            "chemosensitivity of the leukemic clone: multiplier of the cytotoxic kill of "
            "leukemic stem cells and blasts",
            "patient modifier: set by hematwin.therapy.disease.leukemic_chemosensitivity for "
            "virtual AML cohorts (log-normal, median 1, SD of its logarithm "
            "hematwin.therapy.disease.LEUKEMIC_CHEMOSENSITIVITY_SD, fitted on the 7+3 CR rate, "
            "the MRD-positive share before transplant and relapse after it); 1 = the typical "
            "patient")
    _cml_parameters(p)
    aml = "leuk_block"
    cml = "(1 - leuk_block)"
    p.param("div_max_L", 0.15, "1/day", 0.05, 100,
            "fastest division of a leukemic stem cell (one cell cycle)",
            "calibrated [aml_allo_relapse, aml_relapse_without_gvl]: 1/Tc with Tc 160 h, inside "
            "the range 11.5-211 h of AML myeloblast cell cycles (median 48 h: Raza et al., Br J "
            "Haematol 1991, BrdU in 128 patients), slower than the bulk blasts as leukemic stem "
            "cells are mostly quiescent (Ishikawa et al., Nat Biotechnol 2007;25:1315); at 0.5/day "
            "(one median cycle) residual LSC regrew ~4 logs between high-dose cytarabine courses, "
            "so no patient stayed in CR with residual disease until transplant")
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
    p.ode("LS", "div_LSC*(2*a_LSC*phi*q_LS - 1)*LS - (chemo_sens_L*kill_lsc + gvl)*LS")
    p.ode("LB", f"{aml}*amp_LB*2*div_LSC*(1 - a_L*phi)*LS + r_LB*(q_LB - LB/LB_max)*LB"
                " - (d_LB + k_out_LB + chemo_sens_L*kill_blast + gvl)*LB")
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
    # BCR::ABL1 as the laboratory measures it (module docstring, "BCR::ABL1 as measured")
    p.define("ph_pos_wbc", "N_l*(1 + mono_ratio)", "1e9/L",
             "Ph-positive blood leukocytes (CML neutrophils and monocytes)")
    p.define("ph_neg_wbc", "(ANC - N_l)*(1 + mono_ratio) + LYMPH", "1e9/L",
             "Ph-negative blood leukocytes (normal myeloid cells and lymphocytes)")
    p.define("bcr_abl_bcr", "ph_pos_wbc/(ph_pos_wbc + 2*ph_neg_wbc + 1e-12)", "1",
             "BCR::ABL1/BCR transcript ratio of blood leukocytes")
    p.output("bcr_abl_pct", "100*CF_IS*bcr_abl_bcr", "%",
             "BCR::ABL1 on the International Scale (% IS)")
    p.define("b_LSC", "div_LSC*(a_LSC*phi)^2", "1/day",
             "LSC births (division into two stem daughters)")
    p.define("d_LSC", "div_LSC*(1 - a_LSC*phi)^2 + chemo_sens_L*kill_lsc + gvl", "1/day",
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
            "calibrated [cml_chronic_phase]: near-steady untreated chronic phase, leukemic stem "
            "cells < 2× over 5 years (a_CML slightly above a_h)")
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
    p.param("CF_IS", 1.44, "1", 0.5, 5,
            "conversion factor of the BCR::ABL1/BCR ratio to the International Scale",
            "calibrated [cml_chronic_phase]: the twin's default untreated chronic phase "
            "(BCR::ABL1/BCR 0.69) reads 100 % IS, as the IS defines its baseline: the "
            "standardized baseline is the median ratio of untreated patients (30 IRIS "
            "patients; Hughes et al., N Engl J Med 2003;349:1423), set to 100 % (Hughes et "
            "al., Blood 2006;108:28)")
    p.param("amp_LN", 0.13, "1e9/L per 1e6/kg", 0, 10,
            "neutrophil precursors made per CML differentiated cell leaving its compartment",
            "calibrated [cml_chronic_phase]: leukocytosis at CML diagnosis (WBC > 11)")
