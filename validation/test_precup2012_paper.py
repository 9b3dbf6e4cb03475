"""Precup 2012 (BIOMD0000000800): the donor line reaches z* = (a/c − 1)/b = 1.0e9."""

import numpy as np
import pytest

from hematwin.engine import Model
from hematwin.library import precup2012

pytestmark = pytest.mark.validation


def test_donor_steady_state_after_transplant():
    # Precup et al., Int J Biomath 2012: with the BioModels parameters (a = 0.23, c = 0.01,
    # b = 2.2e-8) the graft eliminates the host lines and settles at (a/c − 1)/b = 1.0e9.
    assert precup2012.donor_steady_state() == pytest.approx(1.0e9, rel=1e-12)
    res = Model(precup2012.spec()).simulate(times=np.array([0.0, 1000.0, 4000.0]),
                                            record=["x", "y", "z"])
    assert res.ok.all()
    assert res["z"][0, -1] == pytest.approx(1.0e9, rel=1e-6)
    assert res["x"][0, -1] < 1e-3 and res["y"][0, -1] < 1e-3
