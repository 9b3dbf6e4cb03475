"""The twin under chronic-phase CML and imatinib, an iPSC-derived graft, and the red-cell
course after aplasia (issue 5)."""

from __future__ import annotations

import numpy as np
import pytest

from hematwin.therapy.conditioning import bu_cy
from hematwin.therapy.disease import cml_chronic_phase
from hematwin.therapy.regimen import Covariate, Regimen
from hematwin.therapy.tki import imatinib
from hematwin.therapy.transplant import ipsc_graft, stem_cell_transplant

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def model():
    from hematwin.engine import Model
    from hematwin.twin import twin_spec

    return Model(twin_spec())


def test_cml_starts_at_the_balance_of_its_leukemic_compartments(model):
    from hematwin.twin import twin_spec

    spec = twin_spec()
    p = np.array([[q.default for q in spec.parameters]])
    names = list(spec.parameter_names)
    for k, v in cml_chronic_phase().params().items():
        p[0, names.index(k)] = v
    y0 = model.numba.initial_states(p)[0]
    dy = model.numba.rhs(0.0, y0, p[0])
    for s in ("LP", "LD"):
        i = spec.state_names.index(s)
        assert y0[i] > 0 and abs(dy[i]) < 1e-9 * y0[i]


def test_untreated_cml_is_chronic_phase_and_imatinib_does_not_kill_lsc(model):
    t = np.array([-60.0, 0.0, 365.0, 1825.0])
    burden = cml_chronic_phase().params()
    untreated = model.simulate(times=t, t0=-60.0, params=burden,
                               record=["wbc", "marrow_blasts_pct", "bcr_abl_pct", "lsc"])
    treated = model.simulate(regimen=imatinib(0.0, 400.0, 1825), times=t, t0=-60.0,
                             params=burden, record=["wbc", "bcr_abl_pct", "lsc"])
    assert untreated["wbc"][0, 1] > 11  # leukocytosis
    assert np.all(untreated["marrow_blasts_pct"][0] < 10)  # chronic phase
    assert untreated["bcr_abl_pct"][0, 1] > 50
    # imatinib: complete hematologic and major molecular response, LSC untouched
    assert treated["wbc"][0, 2] < 11
    assert treated["bcr_abl_pct"][0, 2] < 1
    assert treated["lsc"][0, -1] == pytest.approx(untreated["lsc"][0, -1], rel=1e-3)


def test_imatinib_inhibition_at_400_mg():
    """At the steady-state trough of 400 mg/day (the twin's PK: Peng et al. 2004, one
    compartment, first-order absorption) the BCR::ABL1 kinase is inhibited 90-99 %."""
    from hematwin.twin import twin_spec

    p = {q.name: q.default for q in twin_spec().parameters}
    ke, ka, tau = p["CL_IM"] / p["V_IM"], p["ka_IM"], 24.0
    trough = 400.0 / p["V_IM"] * ka / (ka - ke) * (np.exp(-ke * tau) / (1 - np.exp(-ke * tau))
                                                   - np.exp(-ka * tau) / (1 - np.exp(-ka * tau)))
    inhibition = p["Emax_IM"] * trough / (p["EC50_IM"] + trough)
    assert 0.5 < trough < 1.5  # mg/L; ~1 mg/L in patients (Picard et al., Blood 2007)
    assert 0.9 < inhibition < 0.99


def test_ipsc_graft_engrafts_with_its_own_lower_fitness_and_no_alloimmunity(model):
    t = np.arange(-10.0, 366.0, 5.0)
    adult = bu_cy() + stem_cell_transplant(0.0, "peripheral_blood", "autologous",
                                           cd34_per_kg=1e7)
    ipsc = bu_cy() + ipsc_graft(1e7, potency=1.0)
    out = ["hsc_total", "anc", "p_gvhd", "alloreactive_t"]
    a = model.simulate(regimen=adult, times=t, t0=-10.0, record=out)
    i = model.simulate(regimen=ipsc, times=t, t0=-10.0, record=out)
    assert a.ok.all() and i.ok.all()
    # same seeded dose, lower self-renewal: a smaller HSC pool at one year
    assert i["hsc_total"][0, -1] < 0.8 * a["hsc_total"][0, -1]
    assert i["anc"][0, -1] > 1.0  # still engrafted
    assert i["p_gvhd"][0, -1] == 0 and np.all(i["alloreactive_t"][0] == 0)


def test_ipsc_self_renewal_is_a_covariate_of_the_graft_clone():
    reg = ipsc_graft(1e7, 3.0, self_renewal=0.8)
    assert Covariate(3.0, "graft_self_renewal", 0.8) in reg.items
    assert isinstance(reg, Regimen)


def test_hb_recovers_after_transplant_without_damped_oscillation(model):
    t = np.arange(-10.0, 366.0)
    reg = bu_cy() + stem_cell_transplant(0.0, "peripheral_blood", "matched_sibling")
    res = model.simulate(regimen=reg, times=t, t0=-10.0,
                         record=["hb", "reticulocytes_pct", "epo"])
    hb = res["hb"][0]
    k = int(np.argmin(hb))
    assert 10 < t[k] < 60 and hb[k] < 13  # aplasia, then recovery
    assert hb.max() - hb[0] < 0.5  # no overshoot above baseline of more than 0.5 g/dL
    # once back within 0.5 g/dL of baseline, Hb stays there (no second trough); the EPO
    # lesion after myeloablation keeps Hb low for months (Jaspers et al., Blood 2014;124:33:
    # 8.1 % at >= 13 g/dL by day 126 without EPO), back within the year
    back = np.flatnonzero((t > t[k]) & (np.abs(hb - hb[0]) < 0.5))
    assert back.size and 126 < t[back[0]] < 365
    assert np.all(np.abs(hb[back[0]:] - hb[0]) < 0.5)
    # EPO answers the anemia, though less than a healthy kidney would (Miller et al., Blood
    # 1992;80:2677; Jaspers et al. 2014: higher in absolute terms, not enough for the anemia)
    from hematwin.twin import twin_spec

    p = {q.name: q.default for q in twin_spec().parameters}
    healthy = 10 ** (p["epo_a"] - p["epo_b"] * hb[k])
    assert res["epo"][0, 0] < res["epo"][0, k] < 0.8 * healthy
    assert 0.5 < res["reticulocytes_pct"][0, 0] < 2.5  # normal reticulocytes at baseline
