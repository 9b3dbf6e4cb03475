"""Unit tests of hematwin.library.precup2012 (steady state, positivity, spec shape)."""

import numpy as np
import pytest

from hematwin.engine import Model
from hematwin.library import precup2012


@pytest.fixture(scope="module")
def model():
    return Model(precup2012.spec())


def test_spec_parameters_match_biomodels_file():
    # BIOMD0000000800 global parameters (../shared/data/sbml/BIOMD0000000800.xml).
    d = precup2012.spec().defaults()
    assert (d["a"], d["A"], d["b"], d["c"], d["g"], d["G"], d["h"]) == (
        0.23, 0.45, 2.2e-8, 0.01, 2.0, 2.0, 2.0)
    assert precup2012.CITATION and precup2012.DESCRIPTION


def test_donor_alone_is_a_steady_state(model):
    z_star = precup2012.donor_steady_state()
    res = model.simulate(times=[0.0, 50.0, 500.0], params={"x0": 0.0, "y0": 0.0, "z0": z_star},
                         record=["x", "y", "z"])
    assert res.ok.all()
    np.testing.assert_allclose(res["z"][0], z_star, rtol=1e-9)
    assert np.all(res["x"][0] == 0) and np.all(res["y"][0] == 0)


def test_populations_stay_positive(model):
    t = np.linspace(0, 2000, 201)
    res = model.simulate(times=t, record=["x", "y", "z", "donor_chimerism"])
    assert res.ok.all()
    for name in ("x", "y", "z"):
        assert np.all(res[name] > 0)
    assert np.all((res["donor_chimerism"] >= 0) & (res["donor_chimerism"] <= 1))


def test_parameters_and_initial_state_are_those_of_the_biomodels_file():
    from hematwin.library.biomodels import BIOMODELS

    entry = BIOMODELS["precup2012_sbml"]
    if not entry.path.is_file():
        pytest.skip(f"{entry.path} not present")
    curated = entry.spec()
    native = precup2012.spec().defaults()
    for name, value in curated.defaults().items():
        if name != "compartment":  # the file's 1-volume compartment; amounts = concentrations
            assert native[name] == value, name
    for state in curated.states:
        assert native[f"{state.name}0"] == float(state.initial), state.name
