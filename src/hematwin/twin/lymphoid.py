"""Lymphocytes and the transplant immune system.

- B and NK cells per clone (:data:`hematwin.twin.parts.CLONES`): precursors fed by that
  clone's lymphoid progenitor output, then mature cells (``BC_<c>``, ``NK_<c>``), so the
  donor chimerism of B and NK cells can be read; ``BC`` and ``NK`` are their sums, which obey
  the equations of one shared pool (every clone's compartments are linear with the same
  rates). Mature B and NK cells have no immune-attack term of their own (as before the split):
  a rejected graft stops making them.
- CD4 and CD8 T cells per HLA origin (:data:`hematwin.twin.parts.T_ORIGINS`: host — made by
  the host and mutant clones —, donor, autologous graft): naive T cells from the thymus,
  whose output falls with age (thymic function halves about every 16 years after age 20:
  Douek et al., Nature 1998;396:690, TREC), and homeostatic (IL-7-driven) proliferation
  that rises when T cells are scarce — the route by which graft T cells reconstitute first
  after transplant (Mackall et al., Blood 1997;89:3700).
- Alloreactive donor T cells (``TA``) expand on host antigen, are restrained by GVHD
  prophylaxis (``immunosuppression``), drive the GVHD hazard, kill leukemic cells
  (graft-versus-leukemia) and residual host hematopoiesis (→ full donor chimerism).
- Host alloreactive T cells that survive conditioning expand on donor antigen and reject the
  graft (host-versus-graft), more with HLA disparity, less under prophylaxis and against the
  donor's alloreactive T cells (``HR``).
- Donor lymphocyte infusions add to ``T4_d``, ``T8_d`` and ``TA``.

Immune attack on each clone's stem/progenitor cells (and T cells of its origin): the donor
clone is rejected by host alloreactive T cells (``imm_d = rej``); the host, mutant and
autologous-graft clones carry host HLA and are attacked by donor alloreactive T cells
(``imm_h = imm_m = imm_a = gvh_marrow``). Host-HLA T cells, the host's alloreactive ones
included, are killed faster (``gvh_lymph``) than host stem and progenitor cells: after
non-myeloablative conditioning the graft overcomes host-versus-graft within weeks while
myeloid chimerism stays mixed for months (Baron et al., Blood 2004;104:2254). A patient
can thus carry a gene-corrected or iPSC-derived autologous clone and an allograft at once;
``graft_allogeneic`` and ``hla_disparity`` describe the allograft (clone ``d``) only.

Names provided: ``imm_<c>`` for every clone (immune kill rates of its stem/progenitor
cells), ``gvl``, ``gvhd_drive``, ``gvh_lymph``, ``LYMPH``, ``T_h``, ``T_d``, ``T_a`` (T
cells by origin), ``Ttot``, ``BC``, ``NK``.
Names used: ``prod_<c>``, ``fL``, ``prod0``, ``kill_lymph``, ``kill_prolif``, ``M_h``, ``M_m``,
``M_a``, ``q_niche``, ``M0`` (host-HLA progenitors, :mod:`hematwin.twin.stem`), ``LB``,
``K_marrow`` (marrow blasts, :mod:`hematwin.twin.leukemia`).
"""

from __future__ import annotations

from hematwin.twin.parts import (
    CLONE_NAMES,
    CLONES,
    INITIAL_SHARE,
    T_ORIGIN_NAMES,
    T_ORIGINS,
    Parts,
    total,
)


def lymphoid_component() -> Parts:
    p = Parts()
    p.param("B0", 0.25, "1e9/L", 0.1, 0.6, "baseline B cells",
            "Chng, Tan & Kuperan, Clin Diagn Lab Immunol 2004;11:168, Table 3 (232 adults: CD19+ "
            "median 0.33, reference range 0.11-0.80 ×10⁹/L); 0.25 is a round value inside the "
            "range, below the median; with NK0, CD4_0, CD8_0 it gives lymphocytes 1.75 "
            "(steady_lymph)")
    p.param("NK0", 0.25, "1e9/L", 0.1, 0.6, "baseline NK cells",
            "Chng, Tan & Kuperan, Clin Diagn Lab Immunol 2004;11:168, Table 3 (NK median "
            "0.33-0.41, reference range 0.10-1.10 ×10⁹/L); 0.25 is a round value inside the "
            "range, below the median")
    p.param("CD4_0", 0.8, "1e9/L", 0.4, 1.5, "baseline CD4 T cells",
            "Chng, Tan & Kuperan, Clin Diagn Lab Immunol 2004;11:168, Table 3 (CD4+ median 0.81, "
            "reference range 0.31-1.49 ×10⁹/L)")
    p.param("CD8_0", 0.45, "1e9/L", 0.2, 1.0, "baseline CD8 T cells",
            "Chng, Tan & Kuperan, Clin Diagn Lab Immunol 2004;11:168, Table 3 (CD8+ median "
            "0.60-0.64, reference range 0.23-1.24 ×10⁹/L); 0.45 is a round value inside the "
            "range, below the median")
    p.param("ktr_B", 1 / 25, "1/day", 0.01, 0.2, "B-cell development rate in marrow",
            "assumption: ~25 days of marrow B-cell development so that B cells recover over "
            "months after transplant (6-12 months: Storek et al., Semin Immunopathol "
            "2008;30:425); no target row measures B cells")
    p.param("k_B", 1 / 40, "1/day", 0.005, 0.2, "B-cell turnover",
            "assumption: mean B-cell life of 40 days, no measurement taken; with ktr_B it sets "
            "the B-cell recovery after transplant, which no target row measures")
    p.param("ktr_NK", 1 / 7, "1/day", 0.05, 1, "NK development rate",
            "calibrated [nk_recovery]: NK ≥ 0.1 ×10⁹/L within ~1 month of HSCT (Storek et al., "
            "Semin Immunopathol 2008;30:425)")
    p.param("k_NK", 1 / 14, "1/day", 0.02, 0.5, "NK turnover (half-life ~10 days)",
            "Zhang et al., J Immunol 2007;179:4351")
    p.param("k_T", 1 / 150, "1/day", 1 / 1000, 1 / 30, "T-cell loss rate (mixed naive/memory)",
            "Vrisekoop et al., PNAS 2008 (naive T lifespans of years; memory months)")
    p.param("thymic_share_20", 0.3, "1", 0.05, 0.8,
            "share of T-cell production from the thymus at age 20",
            "assumption: 30 % of T-cell production from the thymus at age 20, no measurement "
            "found; it sets the thymic part of CD4 recovery (cd4_recovery, fitted with cap_H at "
            "this value) and its fall with age (test_older_patient_has_less_thymic_output)")
    p.param("thymus_half_life", 16.0, "year", 8, 30, "halving time of thymic output with age",
            "Douek et al. 1998 (TREC fall with age)")
    p.param("MTT_thymus", 90.0, "day", 30, 200, "thymic transit to naive T-cell export",
            "set from Douek et al., Lancet 2000;355:1875 (40 adults after autologous HSCT: new "
            "naive T cells from the thymus detectable by ~100 days): 90-day thymic transit; no "
            "target row measures it")
    p.param("gamma_H", 2.0, "1", 0.5, 5, "homeostatic proliferation exponent (IL-7)",
            "calibrated [cd4_recovery]: with cap_H, CD4 > 0.2 ×10⁹/L 3-12 months after a blood "
            "stem-cell graft (Storek 2008); set in the first twin (v1) and kept when cap_H was "
            "refitted")
    p.param("cap_H", 3.0, "1", 1, 50, "maximal homeostatic proliferation",
            "calibrated [cd4_recovery]: lowered from 12 to 3 for CD4 > 0.2 ×10⁹/L 3-12 months "
            "after HSCT (Storek 2008)")
    # alloreactivity
    # Calibrated together on grade II-IV acute GVHD by day 100 under ciclosporin +
    # methotrexate (immunosuppression 0.8): matched-sibling blood 64 % and marrow 57 %
    # (Bensinger et al., NEJM 2001;344:175), 4-6/6 double cord blood 65 % (Barker et al.,
    # Blood 2005;105:1343); validation/twin_targets.md. Under prophylaxis the alloreactive
    # clone still grows (net 0.3/day) to its capacity within weeks, so GVHD depends little on
    # the T-cell dose (blood grafts carry ~10× the marrow's) and starts in weeks 3-5; host
    # antigen presentation wanes (half-life ~23 days), so acute GVHD plateaus by day 100.
    p.param("k_allo", 2.0, "1/day", 0.05, 5, "expansion of alloreactive donor T on host antigen",
            "calibrated [gvhd_pbsc, gvhd_marrow, gvhd_double_cord]: aGVHD incidence and onset "
            "(Bensinger 2001, Barker 2005), with k_TA, TA_max, host_antigen_decay, k_gvhd, "
            "TA50_gvhd (the block comment above)")
    p.param("k_TA", 0.1, "1/day", 0.01, 1, "loss of alloreactive T cells",
            "calibrated [gvhd_pbsc, gvhd_marrow, gvhd_double_cord]: loss of alloreactive T; with "
            "k_allo under prophylaxis 0.8 it sets their net growth of 0.3/day (the block comment "
            "above)")
    p.param("TA_max", 0.01, "1e9/L", 0.001, 1, "carrying capacity of alloreactive T",
            "calibrated [gvhd_pbsc, gvhd_marrow, gvhd_pbsc_vs_marrow]: capacity reached within "
            "weeks, so GVHD depends little on the T-cell dose of blood vs marrow grafts "
            "(Bensinger 2001)")
    p.param("host_antigen_decay", 0.03, "1/day", 0, 0.1,
            "decline of host alloantigen presentation (tolerance)",
            "calibrated [gvhd_pbsc, gvhd_marrow]: host antigen half-life ~23 days, so acute GVHD "
            "plateaus by day 100")
    p.param("ag_leukemia", 1.0, "1", 0, 2,
            "alloantigen presentation by a marrow blast relative to a normal host marrow cell",
            "assumption: leukemic blasts carry the hematopoietic minor histocompatibility "
            "antigens (Marijt et al., PNAS 2003;100:2742) and present them like normal host "
            "hematopoietic cells (1)")
    p.param("AG50_host", 0.05, "1", 1e-3, 1e3,
            "host hematopoiesis (relative to an untouched host) giving half of the maximal "
            "alloantigen stimulation",
            "calibrated [test_dli_delays_relapse_when_gvl_is_weak, aml_allo_relapse]: a few "
            "percent of host cells suffice to stimulate alloreactive T cells (presentation "
            "saturates), so that a DLI given at MRD relapse expands and delays hematologic "
            "relapse; at 1 (near-linear) a DLI at 1 % marrow blasts changed nothing; GVHD rows "
            "unchanged (host hematopoiesis is gone after myeloablation)")
    p.param("immunosuppression", 0.0, "1", 0, 1,
            "GVHD prophylaxis strength (0 none, 1 complete); set by the regimen over time",
            "therapy covariate: set by hematwin.therapy.transplant.gvhd_prophylaxis over time "
            "(hematwin.therapy.transplant.PROPHYLAXIS_LEVEL: ciclosporin + methotrexate 0.8, "
            "tapered from day 100 to 180); 0 none, 1 complete")
    p.param("k_gvhd", 0.03, "1/day", 0, 1, "maximal GVHD hazard",
            "calibrated [gvhd_pbsc, gvhd_marrow]: grade II-IV aGVHD 57-64 % after matched-sibling "
            "HSCT (Bensinger 2001)")
    p.param("TA50_gvhd", 0.005, "1e9/L", 1e-4, 1,
            "alloreactive T giving half-maximal GVHD hazard",
            "calibrated [gvhd_pbsc, gvhd_marrow]: with k_gvhd (Bensinger 2001)")
    p.param("k_gvl", 0.12, "1/day", 0, 10, "maximal graft-versus-leukemia kill rate",
            "calibrated [aml_allo_relapse]: relapse 5 years after a matched-sibling transplant "
            "in first CR 20-28 % (Gale et al., Leukemia 1996;10:1687) in the virtual cohort "
            "whose relapse without GVL is that of identical-twin grafts (aml_relapse_without_gvl,"
            " Gale et al., Ann Intern Med 1994;120:646); 0.1 gave 26 %, 0.15 20 %")
    p.param("TA50_gvl", 0.005, "1e9/L", 1e-4, 1, "alloreactive T giving half-maximal GVL",
            "assumption: as TA50_gvhd (half-maximal at half the alloreactive capacity TA_max); no "
            "target constrains it (aml_allo_relapse, a strict xfail, has no leukemia left for GVL)")
    p.param("k_gvh_marrow", 0.1, "1/day", 0, 5,
            "maximal kill of residual host stem and progenitor cells by donor T",
            "calibrated [test_nonmyeloablative_conditioning_gives_mixed_chimerism_that_converts]:"
            " after fludarabine + 2 Gy TBI most patients stay mixed chimeras for months "
            "(Baron et al., Blood 2004;104:2254, 120 patients) and convert to full donor over "
            "3-6 months; 0.1/day gives donor myeloid 16 / 92 / 99.9 % on days 30 / 100 / 180 "
            "(0.5, the first twin's value, 98 % on day 30; 0.05 only 90 % on day 180); host T "
            "cells are killed at k_gvh_lymph")
    p.param("k_gvh_lymph", 0.5, "1/day", 0, 5,
            "maximal kill of host T cells by donor alloreactive T",
            "assumption: 0.5/day, the value k_gvh_marrow had in the first twin (v1), kept for "
            "host T cells: it gives full donor T-cell chimerism by day 100 after BuCy "
            "(test_myeloablative_graft_is_full_donor_by_day_100_in_every_lineage) and lets a "
            "T-replete graft overcome the host's alloreactive T cells (Marmont et al., Blood "
            "1991;78:2120: T-cell depletion raises graft failure)")
    p.param("k_hvg", 0.5, "1/day", 0, 5, "maximal rejection rate of the graft by host T",
            "calibrated [test_ric_without_atg_and_hla_disparity_ends_in_graft_failure, "
            "test_matched_graft_with_atg_engrafts]: maximal rejection rate, set in the first twin "
            "(v1) for graft failure after RIC without ATG and kept when k_hvg_exp was fitted on "
            "these tests")
    p.param("hvg_precursors", 0.05, "1", 0.001, 0.1,
            "share of host T cells alloreactive against an allogeneic graft",
            "alloreactive T-cell precursor frequency 1-10 % (Suchin et al., J Immunol "
            "2001;166:973)")
    p.param("k_hvg_exp", 4.0, "1/day", 0.1, 10,
            "expansion of host alloreactive T cells on donor antigen",
            "calibrated [test_ric_without_atg_and_hla_disparity_ends_in_graft_failure, "
            "test_matched_graft_with_atg_engrafts, "
            "test_myeloablative_graft_is_full_donor_by_day_100_in_every_lineage]: graft failure "
            "after FluBu2 without ATG and a T-replete haploidentical graft under ciclosporin + "
            "methotrexate, none after matched-sibling or ATG-containing conditioning or "
            "myeloablative BuCy with cord blood")
    p.param("HR50_hvg", 0.005, "1e9/L", 1e-4, 1,
            "host alloreactive T cells giving half-maximal rejection",
            "assumption: as TA50_gvl for the donor's alloreactive T cells")
    p.param("hla_disparity", 0.0, "1", 0, 1,
            "HLA disparity (0 matched sibling, ~0.3 matched unrelated, 1 haploidentical)",
            "therapy covariate: set by hematwin.therapy.transplant.stem_cell_transplant from the "
            "donor (hematwin.therapy.transplant.DONORS): 0 matched sibling, ~0.3 matched "
            "unrelated, 1 haploidentical")
    p.param("graft_allogeneic", 0.0, "1", 0, 1,
            "1 once an allogeneic graft (donor clone d) is in place; autologous, "
            "gene-corrected and iPSC-derived grafts (clone a) leave it as it is",
            "therapy covariate: set by hematwin.therapy.transplant.stem_cell_transplant (1 for an "
            "allogeneic donor); hematwin.therapy.transplant.gene_therapy_graft and "
            "hematwin.therapy.transplant.ipsc_graft leave it unchanged")

    p.define("thymus", "thymic_share_20*2^(-max(0, age - 20)/thymus_half_life)", "1",
             "thymic share of T production at this age")
    p.define("A_L", "1/prod0", "1e9/L per 1e6/kg",
             "progenitor → lymphoid scaling (at the reference age 40)")
    _b_and_nk_cells(p)
    # T cells by origin: thymus (two compartments) + homeostatic proliferation
    for o in T_ORIGINS:
        p.define(f"T_{o}", f"(T4_{o} + T8_{o})", "1e9/L", f"T cells, {T_ORIGIN_NAMES[o]} origin")
    p.define("Ttot", f"max({' + '.join(f'T_{o}' for o in T_ORIGINS)}, 1e-9)", "1e9/L",
             "all T cells")
    # The ceiling of homeostatic proliferation is a per-cell rate, the same at every age
    # (set at the calibrated age 40), not a multiple of the age's resting rate: otherwise
    # the larger peripheral share of an old patient's T-cell production would let the
    # periphery regenerate faster than a young one's thymus and periphery together, whereas
    # CD4 recovery after lymphodepletion is slower with age (Mackall et al., N Engl J Med
    # 1995;332:143: thymus-dependent CD4 regeneration falls with age).
    p.define("thymus_40", "thymic_share_20*2^(-20/thymus_half_life)", "1",
             "thymic share of T production at age 40 (the calibrated reference)")
    p.define("homeo", "min(((CD4_0 + CD8_0)/Ttot)^gamma_H, cap_H*(1 - thymus_40)/(1 - thymus))",
             "1", "homeostatic (IL-7) drive")
    p.define("k_thy", "2/MTT_thymus", "1/day", "thymic transit rate")
    # donor T cells are rejected with the donor graft; host-HLA T cells (host, autologous
    # graft) are attacked by donor alloreactive T cells
    imm = {"h": "gvh_lymph", "d": "rej", "a": "gvh_lymph"}
    for o, clones in T_ORIGINS.items():
        init = "1" if o == "h" else "0"
        what = f"{T_ORIGIN_NAMES[o]} origin"
        for k in (1, 2):
            p.state(f"THY{k}_{o}", f"{init}*thymus*k_T*(CD4_0 + CD8_0)/k_thy", "1e9/L",
                    f"thymocytes, stage {k}, {what}")
        prod = total([f"prod_{c}" for c in clones])
        # thymic seeding carries no lymphoid share: the fall of thymic output with age is
        # ``thymus`` (not counted twice), and T-cell numbers are held by homeostasis
        p.ode(f"THY1_{o}", f"thymus*k_T*(CD4_0 + CD8_0)*A_L*{prod}"
                           f" - k_thy*THY1_{o} - kill_prolif*THY1_{o}")
        p.ode(f"THY2_{o}", f"k_thy*(THY1_{o} - THY2_{o})")
        for cd, share in (("4", "CD4_0"), ("8", "CD8_0")):
            frac = f"{share}/(CD4_0 + CD8_0)"
            p.state(f"T{cd}_{o}", f"{init}*{share}", "1e9/L", f"CD{cd} T cells, {what}")
            p.ode(f"T{cd}_{o}", f"{frac}*k_thy*THY2_{o} + k_T*(1 - thymus)*homeo*T{cd}_{o}"
                                f" - k_T*T{cd}_{o} - (kill_lymph + {imm[o]})*T{cd}_{o}")
    # alloreactive donor T cells and host antigen
    p.state("TA", 0.0, "1e9/L", "alloreactive donor T cells")
    p.state("HOST_AG", 1.0, "1", "host alloantigen presentation (1 = untouched host)")
    # Host alloantigen is presented by host-derived hematopoietic cells (host antigen-presenting
    # cells are required for GVHD: Shlomchik et al., Science 1999;285:412), including the
    # leukemia: the minor histocompatibility antigens targeted by GVL (HA-1, HA-2) are
    # expressed on hematopoietic and leukemic cells (Marijt et al., PNAS 2003;100:2742).
    # Presentation follows the host's remaining hematopoiesis (normal and mutant progenitors
    # relative to a healthy marrow, plus marrow blasts relative to the normal marrow
    # cellularity) with the turnover of antigen-presenting cells (host_antigen_decay): after
    # myeloablation it wanes as before (half-life ~23 days), while mixed chimerism or a
    # regrowing leukemia re-stimulate the donor's alloreactive T cells (the route by which
    # donor lymphocyte infusions act: Kolb, Blood 2008;112:4371).
    p.define("host_hemato", "(M_h + M_m + M_a)/(q_niche*M0) + ag_leukemia*LB/K_marrow", "1",
             "host hematopoiesis presenting alloantigen (1 = untouched healthy host)")
    p.define("host_ag_source", "host_hemato*(1 + AG50_host)/(host_hemato + AG50_host)", "1",
             "alloantigen presentation by the remaining host hematopoiesis (1 = untouched)")
    p.ode("HOST_AG", "graft_allogeneic*host_antigen_decay*(host_ag_source - HOST_AG)")
    p.ode("TA", "graft_allogeneic*k_allo*(1 + hla_disparity)*HOST_AG*(1 - immunosuppression)"
                "*TA*(1 - TA/TA_max) - k_TA*TA - (kill_lymph + rej)*TA")
    p.define("gvl", "graft_allogeneic*k_gvl*TA/(TA50_gvl + TA)", "1/day",
             "graft-versus-leukemia kill rate")
    p.define("gvhd_drive", "graft_allogeneic*k_gvhd*TA/(TA50_gvhd + TA)", "1/day",
             "GVHD hazard")
    p.define("gvh_marrow", "graft_allogeneic*k_gvh_marrow*TA/(TA50_gvl + TA)", "1/day",
             "donor T kill of residual host stem and progenitor cells")
    p.define("gvh_lymph", "graft_allogeneic*k_gvh_lymph*TA/(TA50_gvl + TA)", "1/day",
             "donor T kill of host T cells (incl. the host's alloreactive ones)")
    # host-versus-graft: the host's alloreactive T cells that survived conditioning expand on
    # donor antigen (more with HLA disparity; minor antigens alone count 0.2), restrained by
    # the prophylaxis and killed by the donor's alloreactive T cells (gvh_lymph), so that the
    # T cells of a T-replete graft protect it (T-cell depletion raises graft failure: Marmont
    # et al., Blood 1991;78:2120); rejection kills graft stem cells, progenitors and T cells.
    p.state("HR", "hvg_precursors*(CD4_0 + CD8_0)", "1e9/L",
            "host T cells alloreactive against the graft")
    # tolerance: alloantigen presentation wanes on both sides alike (HOST_AG; assumption),
    # so host T cells left after myeloablation cannot reject once prophylaxis is tapered
    p.ode("HR", "graft_allogeneic*(k_hvg_exp*(0.2 + hla_disparity)*HOST_AG"
                "*(1 - immunosuppression)*HR*(1 - HR/TA_max) - k_TA*HR)"
                " - (kill_lymph + gvh_lymph)*HR")
    p.define("rej", "graft_allogeneic*k_hvg*HR/(HR50_hvg + HR)", "1/day",
             "host-versus-graft rejection rate")
    for c in CLONES:
        p.define(f"imm_{c}", "rej" if c == "d" else "gvh_marrow", "1/day",
                 f"immune attack on the {CLONE_NAMES[c]} clone")
    p.define("LYMPH", f"(BC + NK + {' + '.join(f'T_{o}' for o in T_ORIGINS)})", "1e9/L",
             "lymphocytes")
    p.output("lymphocytes", "LYMPH", "1e9/L", "absolute lymphocyte count")
    p.output("cd4", total([f"T4_{o}" for o in T_ORIGINS]), "1e9/L", "CD4 T cells")
    p.output("cd8", total([f"T8_{o}" for o in T_ORIGINS]), "1e9/L", "CD8 T cells")
    p.output("nk", "NK", "1e9/L", "NK cells")
    p.output("b_cells", "BC", "1e9/L", "B cells")
    p.output("host_alloreactive_t", "HR", "1e9/L",
             "host T cells alloreactive against the graft")
    p.output("alloreactive_t", "TA", "1e9/L", "alloreactive donor T cells")
    return p


def _b_and_nk_cells(p: Parts) -> None:
    """B and NK cells per clone: precursors fed by the clone's lymphoid output, then mature
    cells; ``BC`` and ``NK`` are the sums over clones."""
    # B lymphopoiesis follows the age-dependent lymphoid share fL (1 at age 40): blood B
    # cells fall beyond age 50 while NK cells rise (Jentsch-Ullrich et al., Clin Immunol
    # 2005;116:192), so the NK feed carries no share (their rise is not modelled)
    for cells, mature0, k_mature, k_dev, what in (("B", "B0*fL", "k_B", "ktr_B", "B"),
                                                 ("NK", "NK0", "k_NK", "ktr_NK", "NK")):
        prec, mature = f"{cells}P", "BC" if cells == "B" else "NK"
        for c in CLONES:
            share = INITIAL_SHARE[c]
            p.state(f"{prec}_{c}", f"{k_mature}*{mature0}/{k_dev}*{share}", "1e9/L",
                    f"{what}-cell precursors, {CLONE_NAMES[c]}")
            p.state(f"{mature}_{c}", f"{mature0}*{share}", "1e9/L",
                    f"{what} cells, {CLONE_NAMES[c]}")
            p.ode(f"{prec}_{c}", f"{k_mature}*{mature0}*A_L*prod_{c} - {k_dev}*{prec}_{c}"
                                 f" - kill_prolif*{prec}_{c}")
            p.ode(f"{mature}_{c}", f"{k_dev}*{prec}_{c} - {k_mature}*{mature}_{c}"
                                   f" - kill_lymph*{mature}_{c}")
        p.define(mature, total([f"{mature}_{c}" for c in CLONES]), "1e9/L",
                 f"{what} cells (all clones)")
