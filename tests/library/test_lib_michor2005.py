"""Unit tests of hematwin.library.michor2005 and its biphasic fit."""

import numpy as np
import pandas as pd
import pytest

from hematwin.engine import Model
from hematwin.errors import DataError
from hematwin.library import michor2005, michor2005_fit


@pytest.fixture(scope="module")
def model():
    return Model(michor2005.spec())


def test_untreated_normal_lineage_is_at_steady_state(model):
    res = model.simulate(times=[0.0, 100.0, 400.0], record=["x0", "x1", "x2", "x3"])
    assert res.ok.all()
    # ax/d1 = bx/d2 = cx/d3 = 100 (Michor 2005): x3 = 1e6 · 100^3 = 1e12.
    np.testing.assert_allclose(res["x3"][0], 1e12, rtol=1e-8)
    np.testing.assert_allclose(res["x0"][0], 1e6, rtol=1e-8)


def test_ratio_definition_and_positivity(model):
    t = np.linspace(0, 730, 74)
    res = model.simulate(times=t, regimen=michor2005.regimen(stop_day=365),
                         record=["bcr_abl_pct", "y3", "x3", "z3"])
    assert res.ok.all()
    expected = 100 * (res["y3"] + res["z3"]) / (res["y3"] + res["z3"] + 2 * res["x3"])
    np.testing.assert_allclose(res["bcr_abl_pct"], expected, rtol=1e-12)
    assert np.all(res["y3"] > 0) and np.all(res["bcr_abl_pct"] < 100)
    # Stopping imatinib (Fig. 4B) makes the ratio rise again.
    after = res["bcr_abl_pct"][0][t > 365]
    assert after[-1] > after[0]


def test_hinge_fit_recovers_known_slopes():
    t = np.array([0, 30, 60, 90, 180, 270, 365.0])
    tau, s1, s2 = 100.0, 0.05, 0.008
    lnr = np.log(80) - s1 * np.minimum(t, tau) - s2 * np.maximum(t - tau, 0)
    fit = michor2005_fit.fit_biphasic(t, np.exp(lnr))
    assert fit["slope1"] == pytest.approx(s1, rel=1e-6)
    assert fit["slope2"] == pytest.approx(s2, rel=1e-6)
    assert fit["breakpoint"] == pytest.approx(tau)


def test_fit_rejects_short_series_and_nonpositive_values(tmp_path):
    with pytest.raises(DataError):
        michor2005_fit.fit_biphasic(np.array([0, 30, 60.0]), np.array([1, 0.5, 0.2]))
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"Days": [0, 30], "Prct": [50, 0], "Pt": [1, 1]}).to_csv(bad, index=False)
    with pytest.raises(DataError, match="row 3"):
        michor2005_fit.load(bad)


def test_summarize_reports_the_distribution_of_both_slopes():
    fits = pd.DataFrame({"slope1": [0.01, 0.02, 0.03, 0.04, 0.05],
                         "slope2": [-0.001, 0.002, 0.004, 0.006, 0.1]})
    s = michor2005_fit.summarize(fits)
    assert s.loc["slope1", "n"] == 5 and s.loc["slope1", "median"] == pytest.approx(0.03)
    assert s.loc["slope1", "q1"] == pytest.approx(0.02)
    assert s.loc["slope1", "q3"] == pytest.approx(0.04)
    assert (s.loc["slope2", "min"], s.loc["slope2", "max"]) == (-0.001, 0.1)
    assert s.loc["slope2", "n_rising"] == 1
    assert s.loc["slope1", "sd"] == pytest.approx(np.std([0.01, 0.02, 0.03, 0.04, 0.05],
                                                         ddof=1))
