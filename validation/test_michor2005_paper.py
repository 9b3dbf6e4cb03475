"""Michor 2005 (Nature 435:1267): biphasic BCR-ABL decline, slopes ≈ 0.05 and ≈ 0.008 /day.

Both the model and the patient data (``../shared/data/cml/michor.csv``, 68 patients,
digitised from the paper by radivot/myelo) are summarised with the same estimator:
a least-squares hinge on ln(BCR-ABL/BCR) (``hematwin.library.michor2005_fit``).
Tolerance: medians within 20 % of the paper's slopes (the digitisation and the choice of
estimator alone move the second slope by several per cent).
"""

import numpy as np
import pytest

from hematwin.engine import Model
from hematwin.library import michor2005, michor2005_fit

pytestmark = pytest.mark.validation

REL_TOL = 0.20
SAMPLE_DAYS = np.array([0.0, 29.3, 58.7, 90.7, 181.3, 272.0, 362.7])  # michor.csv visit days


def test_patient_slopes_match_paper():
    fits = michor2005_fit.fit_patients()
    summary = michor2005_fit.summarize(fits)
    assert len(fits) == 68
    # Michor 2005, text and Fig. 3: first slope ≈ 0.05/day, second ≈ 0.008/day.
    assert summary.loc["slope1", "median"] == pytest.approx(0.05, rel=REL_TOL)   # 0.0503
    assert summary.loc["slope2", "median"] == pytest.approx(0.008, rel=REL_TOL)  # 0.0073


def test_model_decline_is_biphasic_with_paper_slopes():
    res = Model(michor2005.spec()).simulate(times=SAMPLE_DAYS, regimen=michor2005.regimen(),
                                            record=["bcr_abl_pct"], rtol=1e-8, atol=1e-6)
    assert res.ok.all()
    fit = michor2005_fit.fit_biphasic(SAMPLE_DAYS, res["bcr_abl_pct"][0])
    assert fit["slope1"] == pytest.approx(0.05, rel=REL_TOL)  # 0.0446 at the visit days
    assert fit["slope2"] == pytest.approx(0.008, rel=REL_TOL)  # 0.0072
    assert fit["slope1"] > 3 * fit["slope2"]
