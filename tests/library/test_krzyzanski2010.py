"""Krzyzanski 2010 filgrastim model: exact baseline, positivity, non-linear (TMDD) PK."""

from __future__ import annotations

import numpy as np
import pytest

from hematwin.engine.simulate import Model
from hematwin.errors import RegimenError
from hematwin.library import krzyzanski2010


def test_steady_state_is_exact(rhs_at_initial):
    spec = krzyzanski2010.spec()
    assert rhs_at_initial(spec) == [0] * len(spec.states)


def test_steady_state_holds_for_any_parameters(rhs_at_initial):
    spec = krzyzanski2010.spec()
    other = {"NB0": 3.8, "C0": 0.05, "ksi": 0.3, "KD": 0.5, "kint": 0.2, "ktt": 0.02,
             "Smax1": 10.0, "Smax2": 5.0}
    assert rhs_at_initial(spec, other) == [0] * len(spec.states)


def test_regimen():
    sc = krzyzanski2010.regimen(5.0, weight_kg=70.0)
    assert sc.dose_times() == [float(d) for d in range(7)]
    assert sc.items[0].amount == 350.0 and sc.items[0].cmt == "Depot"
    iv = krzyzanski2010.regimen(5.0, days=1, route="iv")
    assert iv.items[0].cmt == "Atot" and iv.items[0].duration == pytest.approx(0.5 / 24)
    with pytest.raises(RegimenError, match="route"):
        krzyzanski2010.regimen(route="im")
    with pytest.raises(RegimenError, match="days"):
        krzyzanski2010.regimen(days=0)


@pytest.fixture(scope="module")
def model():
    return Model(krzyzanski2010.spec())


T = np.linspace(0, 3, 3 * 96 + 1)


def _auc(y: np.ndarray) -> float:
    return float(np.sum((y[1:] + y[:-1]) / 2 * np.diff(T)))


def test_baseline_and_positivity(model):
    res = model.simulate(regimen=[krzyzanski2010.regimen(d, days=1) for d in (2.5, 10.0)],
                         times=T, record=["anc", "gcsf"])
    assert res.ok.all()
    assert (res.values > 0).all()
    assert res["anc"][:, 0] == pytest.approx(1.55)
    assert res["gcsf"][:, 0] == pytest.approx(0.02)
    assert res["anc"][1].max() > res["anc"][0].max() > 1.55


def test_pk_is_more_than_dose_proportional(model):
    """Receptor-mediated clearance saturates: doubling the dose more than doubles the AUC."""
    res = model.simulate(regimen=[krzyzanski2010.regimen(d, days=1) for d in (5.0, 10.0)],
                         times=T, record=["gcsf"])
    auc5, auc10 = (_auc(res["gcsf"][i] - 0.02) for i in (0, 1))
    assert auc10 / auc5 > 2.1


def test_pk_is_dose_proportional_without_receptors(model):
    """With no receptors (ksi = 0) and no endogenous G-CSF the PK is linear."""
    params = {"ksi": 0.0, "C0": 1e-12}
    res = model.simulate(regimen=[krzyzanski2010.regimen(d, days=1) for d in (5.0, 10.0)],
                         params=params, times=T, record=["gcsf"], rtol=1e-9, atol=1e-12)
    assert res["gcsf"][1] == pytest.approx(2 * res["gcsf"][0], rel=1e-5, abs=1e-9)
