"""Kloft 2006 docetaxel covariates: reduction to Friberg 2002 and the published covariate factors.

Kloft C et al., Clin Cancer Res 2006;12:5481; estimates via DDMoRe DDMODEL00000224.
"""

from __future__ import annotations

import numpy as np
import pytest

from hematwin.engine.simulate import Model
from hematwin.library import friberg2002, kloft2006

pytestmark = pytest.mark.validation

T = np.linspace(0, 21, 421)


@pytest.fixture(scope="module")
def kloft():
    return Model(kloft2006.spec("friberg2002"))


def test_reference_covariates_reproduce_friberg_2002(kloft):
    """Covariates at reference (male, ECOG 0, untreated, AAG 1.34 g/L): Friberg exactly."""
    reg = friberg2002.regimen("docetaxel", 180.0, infusion_hours=1.0)
    ours = kloft.simulate(regimen=reg, times=T, record=["anc"], rtol=1e-10, atol=1e-12)
    ref = Model(friberg2002.spec("docetaxel")).simulate(regimen=reg, times=T, record=["anc"],
                                                         rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours["anc"], ref["anc"], rtol=1e-12, atol=0)


def test_baseline_of_the_ddmore_example_subject(kloft):
    """DDMODEL00000224 example subject (female, PS ≥ 1, pretreated, AAG 2.54 g/L):
    BA = 5.21965·0.879·1.130·0.853·(1 + 0.4946·1.2) ≈ 7.05 ×10⁹/L (nlmixr2lib vignette)."""
    model = Model(kloft2006.spec())
    res = model.simulate(times=[0.0], record=["anc"],
                         params={"SEXF": [1.0], "PS": [1.0], "PRIOR": [1.0], "AAG": [2.54]})
    assert res["anc"][0, 0] == pytest.approx(7.05, abs=0.01)
