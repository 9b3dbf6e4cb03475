"""Clones of the twin: per-clone committed progenitors, and a donor and an autologous-graft
clone in one patient.

Every stem/progenitor line exists per clone (host, donor, autologous graft, mutant:
:data:`hematwin.twin.parts.CLONES`). Summed over clones, the per-clone compartments must obey
the equations of the shared pools they replaced — that is what makes the split a pure
refactor — and a patient must be able to carry an allograft and a gene-corrected
autologous clone at once, each with its own immunology.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import sympy as sp

from hematwin.engine import Model
from hematwin.therapy.conditioning import bu_cy, busulfan_myeloablative
from hematwin.therapy.regimen import Regimen
from hematwin.therapy.transplant import gene_therapy_graft, stem_cell_transplant
from hematwin.twin import twin_spec
from hematwin.twin.parts import CLONES

POOLED = {
    "MK": "A_P*prod*stimA + f_prolif_P*ktrP*stimT*MK - ktrP*MK - kill_prolif*MK",
    "ERY": "A_E*prod*stimE - ktrE*ERY - kill_prolif*ERY",
    "BP": "k_B*B0*fL*A_L*prod - ktr_B*BP - kill_prolif*BP",
    "BC": "ktr_B*BP - k_B*BC - kill_lymph*BC",
    "NKP": "k_NK*NK0*A_L*prod - ktr_NK*NKP - kill_prolif*NKP",
    "NK": "ktr_NK*NKP - k_NK*NK - kill_lymph*NK",
}
"""The equations of the shared committed-progenitor pools before the split into clones
(``prod`` the summed progenitor output of the normal clones)."""


def _expr(text: str) -> sp.Expr:
    """Model text as a SymPy expression, every name a plain symbol (``E``, ``S`` included)."""
    names = {n: sp.Symbol(n) for n in re.findall(r"[A-Za-z_]\w*", text)}
    return sp.parse_expr(text.replace("^", "**"), local_dict=names)


@pytest.mark.parametrize("pool", sorted(POOLED))
def test_per_clone_compartments_sum_to_the_shared_pool_equation(pool):
    rhs = {e.state: e.expression for e in twin_spec().equations}
    clone_sum = sum(_expr(rhs[f"{pool}_{c}"]) for c in CLONES)
    # the pooled equation with every pool replaced by the sum of its clones
    totals = {sp.Symbol(name): sum(sp.Symbol(f"{name}_{c}") for c in CLONES)
              for name in (*POOLED, "prod")}
    pooled = _expr(POOLED[pool]).xreplace(totals)
    assert sp.expand(clone_sum - pooled) == 0


def test_pools_are_the_sums_of_the_clones():
    definitions = {d.name: d.expression for d in twin_spec().definitions}
    for pool in ("MK", "ERY", "BC", "NK"):
        assert _expr(definitions[pool]) == sum(sp.Symbol(f"{pool}_{c}") for c in CLONES)


@pytest.fixture(scope="module")
def twin() -> Model:
    return Model(twin_spec())


def test_a_neutral_mutant_clone_starts_with_its_share_of_every_compartment_at_rest(twin):
    spec = twin.spec
    neutral = {"chip_fraction": 0.3, "chip_advantage": 0.0}  # no fitness advantage
    p = np.array([[neutral.get(q.name, q.default) for q in spec.parameters]])
    y0 = twin.numba.initial_states(p)[0]
    dy = twin.numba.rhs(0.0, y0, p[0])
    index = {name: i for i, name in enumerate(spec.state_names)}
    for family in ("S", "M", "NP", "N", "MK", "ERY", "BP", "BC", "NKP", "NK"):
        values = {c: y0[index[f"{family}_{c}"]] for c in CLONES}
        total = sum(values.values())
        assert values["m"] / total == pytest.approx(0.3, rel=1e-12), family
        assert values["d"] == values["a"] == 0, family
        for c in CLONES:  # each clone's share rests too
            assert abs(dy[index[f"{family}_{c}"]]) <= 1e-9 * total, (family, c)


# --- an allograft and a gene-corrected autologous clone in one patient --------------------

DAYS = np.r_[-10.0, np.arange(0.0, 365.5, 5.0)]
SHARES = ("donor_myeloid_pct", "autograft_myeloid_pct", "donor_t_pct", "donor_b_pct",
          "donor_nk_pct", "autograft_b_pct", "p_gvhd")


def _at(res, name: str, day: float) -> np.ndarray:
    return res[name][:, int(np.flatnonzero(np.isclose(DAYS, day))[0])]


@pytest.fixture(scope="module")
def co_transplant(twin):
    """After BuCy on day 0: a fully corrected autologous graft (5×10⁶ CD34+/kg) together
    with a matched-sibling blood graft of the same CD34+ dose, T-cell-depleted (patient 0)
    or T-replete (patient 1)."""
    gene = gene_therapy_graft(5e6, 1.0)
    regimens = [bu_cy() + gene + stem_cell_transplant(0.0, "peripheral_blood", cd34_per_kg=5e6,
                                                      cd3_per_kg=cd3)
                for cd3 in (0.0, 2.79e8)]
    res = twin.simulate(regimen=regimens, times=DAYS, t0=-10.0, record=list(SHARES))
    assert res.ok.all(), res.failures()
    return res


def test_host_hla_autograft_sustains_rejection_of_a_t_depleted_allograft(co_transplant):
    """Without donor T cells nothing protects the allograft: the corrected autologous clone
    carries host HLA, keeps host alloantigen presented (lymphoid.host_hemato) and the host's
    alloreactive T cells reject the donor clone (T-cell depletion raises graft failure:
    Marmont et al., Blood 1991;78:2120); no GVHD without donor T cells."""
    donor, auto = (_at(co_transplant, n, 365.0)[0] for n in ("donor_myeloid_pct",
                                                              "autograft_myeloid_pct"))
    assert donor < 5 and auto > 95
    assert _at(co_transplant, "p_gvhd", 365.0)[0] == 0


def test_donor_t_cells_displace_the_host_hla_autologous_clone(co_transplant):
    depleted, replete = _at(co_transplant, "autograft_myeloid_pct", 365.0)
    # donor alloreactive T cells attack host-HLA cells, the gene-corrected ones too
    assert replete < 0.1 * depleted
    assert _at(co_transplant, "donor_myeloid_pct", 365.0)[1] > 95


def test_b_and_nk_chimerism_follow_the_clones(co_transplant):
    # B and NK cells are made by each clone's own precursors
    for lineage in ("b", "nk"):
        assert _at(co_transplant, f"donor_{lineage}_pct", 365.0)[1] > 95
    assert _at(co_transplant, "autograft_b_pct", 365.0)[0] > 30


def test_gene_therapy_after_an_allograft_leaves_its_immunology_alone(twin):
    """A gene-corrected graft on day 30 after an allograft must not switch off the donor
    clone's alloreactivity (GVHD keeps accruing) — each graft has its own covariates."""
    allo = bu_cy() + stem_cell_transplant(0.0, "peripheral_blood", "matched_sibling")
    with_gene = allo + gene_therapy_graft(2e6, 1.0, day=30.0)
    res = twin.simulate(regimen=[allo, with_gene], times=DAYS, t0=-10.0, record=list(SHARES))
    assert res.ok.all(), res.failures()
    gvhd = _at(res, "p_gvhd", 100.0)
    assert gvhd[0] > 0.1
    assert gvhd[1] == pytest.approx(gvhd[0], rel=0.02)


def test_allograft_after_gene_therapy_replaces_the_corrected_clone(twin):
    """Gene therapy after busulfan on day 0, then BuCy and a matched-sibling blood graft on
    day 200: the corrected clone makes the myeloid cells until the allograft takes over."""
    reg = (busulfan_myeloablative(0.0) + gene_therapy_graft(5e6, 0.6)
           + bu_cy(day0=200.0) + stem_cell_transplant(200.0, "peripheral_blood"))
    res = twin.simulate(regimen=Regimen(reg.items), times=DAYS, t0=-10.0, record=list(SHARES))
    assert res.ok.all(), res.failures()
    before = _at(res, "autograft_myeloid_pct", 190.0)[0]
    assert 40 < before < 80  # ~60 % of the seeded cells were corrected
    assert _at(res, "autograft_myeloid_pct", 365.0)[0] < 5
    assert _at(res, "donor_myeloid_pct", 365.0)[0] > 95
