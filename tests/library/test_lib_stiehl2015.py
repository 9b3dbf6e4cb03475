"""Unit tests of hematwin.library.stiehl2015 (steady state, positivity, regimens)."""

import numpy as np
import pytest

from hematwin.engine import Model
from hematwin.errors import RegimenError
from hematwin.library import stiehl2015


@pytest.fixture(scope="module")
def model():
    return Model(stiehl2015.spec())


def test_healthy_steady_state_holds_for_other_sizes(model):
    params = {"c1_star": 5e6, "c2_star": 1e9, "c3_star": 3e8, "a1c": 0.8}
    res = model.simulate(times=[0.0, 100.0, 1000.0], params=params,
                         record=["c1", "c2", "c3", "signal"])
    assert res.ok.all()
    np.testing.assert_allclose(res["c1"][0], 5e6, rtol=1e-8)
    np.testing.assert_allclose(res["c2"][0], 1e9, rtol=1e-8)
    np.testing.assert_allclose(res["c3"][0], 3e8, rtol=1e-8)
    np.testing.assert_allclose(res["signal"][0], 1 / (2 * 0.8), rtol=1e-8)


def test_transplant_trajectory_is_positive_and_returns_to_steady_state(model):
    t = np.linspace(0, 400, 401)
    res = model.simulate(times=t, regimen=stiehl2015.regimen(), record=["c1", "c2", "c3"])
    assert res.ok.all()
    assert np.all(res.values[:, 1:, :] > 0)
    np.testing.assert_allclose(res["c3"][0, -1], 4e8, rtol=1e-2)


def test_transplant_regimen_checks_its_inputs():
    with pytest.raises(RegimenError):
        stiehl2015.transplant_regimen(0.0)
    with pytest.raises(RegimenError):
        stiehl2015.transplant_regimen(5e6, stem_fraction=1.5)
