"""Quartino 2014: the baseline is a steady state; a docetaxel cycle raises G-CSF at the nadir.

Quartino AL et al., Pharm Res 2014;31:3390. The paper reports an inverse relation between G-CSF
and ANC over the cycle, G-CSF peaking around the ANC nadir (its figures; no table of peak
values was available here). Docetaxel 100 mg/m² (180 mg), 1-h infusion.
"""

from __future__ import annotations

import numpy as np
import pytest

from hematwin.engine.simulate import Model
from hematwin.library import quartino2014

pytestmark = pytest.mark.validation


@pytest.fixture(scope="module")
def model():
    return Model(quartino2014.spec())


def test_long_run_without_drug_stays_at_baseline(model):
    res = model.simulate(times=np.linspace(0, 365, 74), record=["anc", "gcsf"])
    np.testing.assert_allclose(res["anc"], 3.53, rtol=1e-12)
    np.testing.assert_allclose(res["gcsf"], 24.3, rtol=1e-12)


def test_gcsf_peaks_at_the_anc_nadir(model):
    t = np.linspace(0, 21, 21 * 48 + 1)
    res = model.simulate(regimen=quartino2014.regimen(), times=t, record=["anc", "gcsf"])
    anc, gcsf = res["anc"][0], res["gcsf"][0]
    t_nadir, t_peak = t[anc.argmin()], t[gcsf.argmax()]
    fold = gcsf.max() / gcsf[0]
    print(f"ANC nadir {anc.min():.3f} ×10⁹/L at day {t_nadir:.2f}; G-CSF max {gcsf.max():.1f} "
          f"ng/L ({fold:.1f}-fold) at day {t_peak:.2f}")
    assert abs(t_peak - t_nadir) <= 1.0
    assert 5.0 < t_nadir < 12.0
    assert fold > 3.0
