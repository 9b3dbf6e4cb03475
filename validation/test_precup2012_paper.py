"""Precup 2012 (BIOMD0000000800): the donor line reaches z* = (a/c − 1)/b = 1.0e9, and the
hand-written library model is the curated BioModels file, run for run."""

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from hematwin.engine import Model
from hematwin.library import biomodels, precup2012

pytestmark = pytest.mark.validation

SBML = biomodels.BIOMODELS["precup2012_sbml"]
needs_sbml = pytest.mark.skipif(not Path(SBML.path).is_file(), reason=f"{SBML.path} not present")
RATES = ("a", "A", "b", "B", "c", "C", "g", "G", "h")


def test_donor_steady_state_after_transplant():
    # Precup et al., Int J Biomath 2012: with the BioModels parameters (a = 0.23, c = 0.01,
    # b = 2.2e-8) the graft eliminates the host lines and settles at (a/c − 1)/b = 1.0e9.
    assert precup2012.donor_steady_state() == pytest.approx(1.0e9, rel=1e-12)
    res = Model(precup2012.spec()).simulate(times=np.array([0.0, 1000.0, 4000.0]),
                                            record=["x", "y", "z"])
    assert res.ok.all()
    assert res["z"][0, -1] == pytest.approx(1.0e9, rel=1e-6)
    assert res["x"][0, -1] < 1e-3 and res["y"][0, -1] < 1e-3


def _imported_with_initial_state(x0: float, y0: float, z0: float):
    spec = SBML.spec()
    values = {"x": x0, "y": y0, "z": z0}
    states = tuple(dataclasses.replace(s, initial=repr(values[s.name])) for s in spec.states)
    return dataclasses.replace(spec, states=states)


@needs_sbml
@pytest.mark.parametrize("initial", [(2.0e8, 1.0e8, 4.0e8), (1.0e8, 5.0e8, 1.0e7)],
                         ids=["biomodels_initial_state", "leukemic_majority"])
def test_hand_written_model_agrees_with_the_biomodels_file(initial):
    """Same parameters, same initial state → the same trajectories (≤ 1e-6 relative) for the
    file's own parameter values and 8 random sets around them (each rate × e^N(0, 0.3))."""
    rng = np.random.default_rng(800)
    defaults = SBML.spec().defaults()
    params = {k: defaults[k] * np.exp(rng.normal(0.0, 0.3, 9)) for k in RATES}
    for k in RATES:
        params[k][0] = defaults[k]  # patient 0: the curated values themselves
    times = np.linspace(0.0, 2000.0, 201)
    x0, y0, z0 = initial
    solver = dict(times=times, params=params, record=["x", "y", "z"], rtol=1e-10, atol=1e-6)
    native = Model(precup2012.spec()).simulate(
        **{**solver, "params": {**params, "x0": x0, "y0": y0, "z0": z0}})
    curated = Model(_imported_with_initial_state(*initial)).simulate(**solver)
    assert native.ok.all() and curated.ok.all()
    for name in ("x", "y", "z"):
        scale = np.maximum(np.abs(curated[name]), 1.0)  # cells; host lines decay towards 0
        assert np.max(np.abs(native[name] - curated[name]) / scale) <= 1e-6, name
