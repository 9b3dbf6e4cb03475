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
(``imm_h = imm_m = imm_a = gvh_marrow``). A patient can thus carry a gene-corrected or
iPSC-derived autologous clone and an allograft at once; ``graft_allogeneic`` and
``hla_disparity`` describe the allograft (clone ``d``) only.

Names provided: ``imm_<c>`` for every clone (immune kill rates of its stem/progenitor
cells), ``gvl``, ``gvhd_drive``, ``LYMPH``, ``T_h``, ``T_d``, ``T_a`` (T cells by origin),
``Ttot``, ``BC``, ``NK``.
Names used: ``prod_<c>``, ``fL``, ``prod0``, ``kill_lymph``, ``kill_prolif``.
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
    p.param("B0", 0.25, "1e9/L", 0.1, 0.6, "baseline B cells", "adult reference 0.1-0.5")
    p.param("NK0", 0.25, "1e9/L", 0.1, 0.6, "baseline NK cells", "adult reference 0.1-0.5")
    p.param("CD4_0", 0.8, "1e9/L", 0.4, 1.5, "baseline CD4 T cells", "adult reference 0.5-1.5")
    p.param("CD8_0", 0.45, "1e9/L", 0.2, 1.0, "baseline CD8 T cells", "adult reference 0.2-0.9")
    p.param("ktr_B", 1 / 25, "1/day", 0.01, 0.2, "B-cell development rate in marrow",
            "calibrated: B cells recover 6-12 months after HSCT (Storek, Blood 2008)")
    p.param("k_B", 1 / 40, "1/day", 0.005, 0.2, "B-cell turnover", "calibrated")
    p.param("ktr_NK", 1 / 7, "1/day", 0.05, 1, "NK development rate",
            "calibrated: NK recover within ~1 month of HSCT (Storek, Blood 2008)")
    p.param("k_NK", 1 / 14, "1/day", 0.02, 0.5, "NK turnover (half-life ~10 days)",
            "Zhang et al., J Immunol 2007;179:4351")
    p.param("k_T", 1 / 150, "1/day", 1 / 1000, 1 / 30, "T-cell loss rate (mixed naive/memory)",
            "Vrisekoop et al., PNAS 2008 (naive T lifespans of years; memory months)")
    p.param("thymic_share_20", 0.3, "1", 0.05, 0.8,
            "share of T-cell production from the thymus at age 20", "calibrated")
    p.param("thymus_half_life", 16.0, "year", 8, 30, "halving time of thymic output with age",
            "Douek et al. 1998 (TREC fall with age)")
    p.param("MTT_thymus", 90.0, "day", 30, 200, "thymic transit to naive T-cell export",
            "calibrated: first TREC+ cells ~3-6 months after HSCT (Douek, Lancet 2000)")
    p.param("gamma_H", 2.0, "1", 0.5, 5, "homeostatic proliferation exponent (IL-7)",
            "calibrated: CD4 recovery after HSCT")
    p.param("cap_H", 3.0, "1", 1, 50, "maximal homeostatic proliferation",
            "calibrated: CD4 > 0.2 x10^9/L 3-6 months after HSCT (Storek 2008)")
    # alloreactivity
    # Calibrated together on grade II-IV acute GVHD by day 100 under ciclosporin +
    # methotrexate (immunosuppression 0.8): matched-sibling blood 64 % and marrow 57 %
    # (Bensinger et al., NEJM 2001;344:175), 4-6/6 double cord blood 65 % (Barker et al.,
    # Blood 2005;105:1343); validation/twin_targets.md. Under prophylaxis the alloreactive
    # clone still grows (net 0.3/day) to its capacity within weeks, so GVHD depends little on
    # the T-cell dose (blood grafts carry ~10× the marrow's) and starts in weeks 3-5; host
    # antigen presentation wanes (half-life ~23 days), so acute GVHD plateaus by day 100.
    p.param("k_allo", 2.0, "1/day", 0.05, 5, "expansion of alloreactive donor T on host antigen",
            "calibrated: aGVHD incidence and onset (Bensinger 2001, Barker 2005)")
    p.param("k_TA", 0.1, "1/day", 0.01, 1, "loss of alloreactive T cells", "calibrated")
    p.param("TA_max", 0.01, "1e9/L", 0.001, 1, "carrying capacity of alloreactive T",
            "calibrated: aGVHD by graft source (Bensinger 2001)")
    p.param("host_antigen_decay", 0.03, "1/day", 0, 0.1,
            "decline of host alloantigen presentation (tolerance)",
            "calibrated: acute GVHD plateaus by day 100")
    p.param("immunosuppression", 0.0, "1", 0, 1,
            "GVHD prophylaxis strength (0 none, 1 complete); set by the regimen over time",
            "therapy covariate")
    p.param("k_gvhd", 0.03, "1/day", 0, 1, "maximal GVHD hazard",
            "calibrated: grade II-IV aGVHD 57-64 % after matched-sibling HSCT (Bensinger 2001)")
    p.param("TA50_gvhd", 0.005, "1e9/L", 1e-4, 1,
            "alloreactive T giving half-maximal GVHD hazard", "calibrated (Bensinger 2001)")
    p.param("k_gvl", 1.5, "1/day", 0, 10, "maximal graft-versus-leukemia kill rate",
            "assumption; not calibrated: in the relapse case after alloHSCT in CR1 "
            "(aml_allo_relapse, validation/twin_targets.md) every patient in CR1 at "
            "transplant is already below one leukemic stem cell, so k_gvl does not change it")
    p.param("TA50_gvl", 0.005, "1e9/L", 1e-4, 1, "alloreactive T giving half-maximal GVL",
            "calibrated")
    p.param("k_gvh_marrow", 0.5, "1/day", 0, 5,
            "maximal kill of residual host hematopoiesis by donor T", "calibrated")
    p.param("k_hvg", 0.5, "1/day", 0, 5, "maximal rejection rate of the graft by host T",
            "calibrated: graft failure after RIC without ATG")
    p.param("hvg_precursors", 0.05, "1", 0.001, 0.1,
            "share of host T cells alloreactive against an allogeneic graft",
            "alloreactive T-cell precursor frequency 1-10 % (Suchin et al., J Immunol "
            "2001;166:973)")
    p.param("k_hvg_exp", 4.0, "1/day", 0.1, 10,
            "expansion of host alloreactive T cells on donor antigen",
            "calibrated: graft failure after FluBu2 without ATG and a T-replete haploidentical "
            "graft under ciclosporin + methotrexate (tests/twin), none after matched-sibling "
            "or ATG-containing conditioning or myeloablative BuCy with cord blood")
    p.param("HR50_hvg", 0.005, "1e9/L", 1e-4, 1,
            "host alloreactive T cells giving half-maximal rejection",
            "assumption: as TA50_gvl for the donor's alloreactive T cells")
    p.param("hla_disparity", 0.0, "1", 0, 1,
            "HLA disparity (0 matched sibling, ~0.3 matched unrelated, 1 haploidentical)",
            "therapy/graft covariate")
    p.param("graft_allogeneic", 0.0, "1", 0, 1,
            "1 once an allogeneic graft (donor clone d) is in place; autologous, "
            "gene-corrected and iPSC-derived grafts (clone a) leave it as it is",
            "therapy/graft covariate")

    p.define("thymus", "thymic_share_20*2^(-max(0, age - 20)/thymus_half_life)", "1",
             "thymic share of T production at this age")
    p.define("A_L", "1/(fL*prod0)", "1e9/L per 1e6/kg", "progenitor → lymphoid scaling")
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
    imm = {"h": "gvh_marrow", "d": "rej", "a": "gvh_marrow"}
    for o, clones in T_ORIGINS.items():
        init = "1" if o == "h" else "0"
        what = f"{T_ORIGIN_NAMES[o]} origin"
        for k in (1, 2):
            p.state(f"THY{k}_{o}", f"{init}*thymus*k_T*(CD4_0 + CD8_0)/k_thy", "1e9/L",
                    f"thymocytes, stage {k}, {what}")
        prod = total([f"prod_{c}" for c in clones])
        p.ode(f"THY1_{o}", f"thymus*k_T*(CD4_0 + CD8_0)*A_L*fL*{prod}"
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
    p.ode("HOST_AG", "-host_antigen_decay*graft_allogeneic*HOST_AG")
    p.ode("TA", "graft_allogeneic*k_allo*(1 + hla_disparity)*HOST_AG*(1 - immunosuppression)"
                "*TA*(1 - TA/TA_max) - k_TA*TA - (kill_lymph + rej)*TA")
    p.define("gvl", "graft_allogeneic*k_gvl*TA/(TA50_gvl + TA)", "1/day",
             "graft-versus-leukemia kill rate")
    p.define("gvhd_drive", "graft_allogeneic*k_gvhd*TA/(TA50_gvhd + TA)", "1/day",
             "GVHD hazard")
    p.define("gvh_marrow", "graft_allogeneic*k_gvh_marrow*TA/(TA50_gvl + TA)", "1/day",
             "donor T kill of residual host hematopoiesis")
    # host-versus-graft: the host's alloreactive T cells that survived conditioning expand on
    # donor antigen (more with HLA disparity; minor antigens alone count 0.2), restrained by
    # the prophylaxis and killed by the donor's alloreactive T cells (gvh_marrow), so that the
    # T cells of a T-replete graft protect it (T-cell depletion raises graft failure: Marmont
    # et al., Blood 1991;78:2120); rejection kills graft stem cells, progenitors and T cells.
    p.state("HR", "hvg_precursors*(CD4_0 + CD8_0)", "1e9/L",
            "host T cells alloreactive against the graft")
    # tolerance: alloantigen presentation wanes on both sides alike (HOST_AG; assumption),
    # so host T cells left after myeloablation cannot reject once prophylaxis is tapered
    p.ode("HR", "graft_allogeneic*(k_hvg_exp*(0.2 + hla_disparity)*HOST_AG"
                "*(1 - immunosuppression)*HR*(1 - HR/TA_max) - k_TA*HR)"
                " - (kill_lymph + gvh_marrow)*HR")
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
    for cells, mature0, k_mature, k_dev, what in (("B", "B0", "k_B", "ktr_B", "B"),
                                                 ("NK", "NK0", "k_NK", "ktr_NK", "NK")):
        prec, mature = f"{cells}P", "BC" if cells == "B" else "NK"
        for c in CLONES:
            share = INITIAL_SHARE[c]
            p.state(f"{prec}_{c}", f"{k_mature}*{mature0}/{k_dev}*{share}", "1e9/L",
                    f"{what}-cell precursors, {CLONE_NAMES[c]}")
            p.state(f"{mature}_{c}", f"{mature0}*{share}", "1e9/L",
                    f"{what} cells, {CLONE_NAMES[c]}")
            p.ode(f"{prec}_{c}", f"{k_mature}*{mature0}*A_L*fL*prod_{c} - {k_dev}*{prec}_{c}"
                                 f" - kill_prolif*{prec}_{c}")
            p.ode(f"{mature}_{c}", f"{k_dev}*{prec}_{c} - {k_mature}*{mature}_{c}"
                                   f" - kill_lymph*{mature}_{c}")
        p.define(mature, total([f"{mature}_{c}" for c in CLONES]), "1e9/L",
                 f"{what} cells (all clones)")
