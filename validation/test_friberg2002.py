"""Friberg 2002 docetaxel myelosuppression: published-model numbers reproduced by the engine.

Model and parameters: Friberg LE, Henningsson A, Maas H, Nguyen L, Karlsson MO, J Clin Oncol
2002;20:4713–4721, Table 4 (docetaxel, neutrophils: Circ0 5.05 ×10⁹/L, MTT 88.7 h,
γ 0.161, slope 8.58 µM⁻¹), with the docetaxel PK of Bruno R et al., J Pharmacokinet
Biopharm 1996;24:153, Table II (see ``hematwin.library.friberg2002``). Targets after one
180 mg i.v. bolus (issue #2): ANC nadir 0.896 ×10⁹/L at day 7.55, rebound maximum 6.28 at
day 19.8, ANC at day 21 = 6.21. The independent SciPy model in
``benchmarks/reference/friberg_scipy_reference.py`` (no hematwin code, Radau and LSODA at
rtol 1e-10) gives 0.89623 @ 7.5521, 6.28049 @ 19.7785 and 6.21213
(``benchmarks/reference/friberg_reference_output.txt``).
"""

from __future__ import annotations

import numpy as np
import pytest

from hematwin.engine import Model
from hematwin.engine.population import lognormal_iiv
from hematwin.library import friberg2002

pytestmark = pytest.mark.validation

TARGETS = {"nadir": 0.896, "nadir_day": 7.55, "rebound": 6.28, "rebound_day": 19.8,
           "day21": 6.21}
REFERENCE = {"nadir": 0.89623, "nadir_day": 7.5521, "rebound": 6.28049,
             "rebound_day": 19.7785, "day21": 6.21213}


@pytest.fixture(scope="module")
def model() -> Model:
    return Model(friberg2002.spec("docetaxel"))


@pytest.fixture(scope="module", params=["dp5", "ros23"])
def course(model, request):
    times = np.round(np.arange(0.0, 21.0005, 0.001), 6)  # 0.001-day grid for nadir timing
    res = model.simulate(regimen=friberg2002.regimen("docetaxel", 180), times=times,
                         record=["anc"], method=request.param, rtol=1e-10, atol=1e-12)
    assert res.ok.all()
    anc = res["anc"][0]
    i = int(np.argmin(anc))
    after = times > times[i]
    j = int(np.flatnonzero(after)[np.argmax(anc[after])])
    return {"nadir": anc[i], "nadir_day": times[i], "rebound": anc[j], "rebound_day": times[j],
            "day21": anc[-1]}


@pytest.mark.parametrize("key", list(TARGETS))
def test_docetaxel_180mg_bolus_hits_the_published_numbers(course, key):
    assert course[key] == pytest.approx(TARGETS[key], rel=0.01)


@pytest.mark.parametrize("key", list(REFERENCE))
def test_docetaxel_180mg_bolus_agrees_with_the_independent_scipy_model(course, key):
    # grid resolution 0.001 day for the days, 1e-5 relative for the counts
    tol = 0.0011 if key.endswith("_day") else 1e-5 * REFERENCE[key]
    assert course[key] == pytest.approx(REFERENCE[key], abs=tol)


def test_no_drug_stays_at_baseline_for_100_days(model):
    times = np.linspace(0.0, 100.0, 401)
    res = model.simulate(times=times, record=["Prol", "Transit1", "Transit2", "Transit3",
                                              "Circ", "anc"])
    assert res.ok.all()
    np.testing.assert_allclose(res.values[0], 5.05, rtol=1e-12)


def test_every_virtual_patient_starts_at_its_own_steady_state(model):
    ids = np.arange(1, 9)
    params = lognormal_iiv(model.spec, friberg2002.IIV["docetaxel"], ids, seed=2002)
    res = model.simulate(params=params, ids=ids, times=np.linspace(0.0, 100.0, 101),
                         record=["anc"])
    assert res.ok.all()
    baseline = params["Circ0"].to_numpy()[:, None]
    np.testing.assert_allclose(res["anc"], np.broadcast_to(baseline, res["anc"].shape),
                               rtol=1e-10)
