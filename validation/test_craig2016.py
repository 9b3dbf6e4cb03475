"""Craig 2016: the paper's homeostasis is a steady state; filgrastim 300/375/750 µg s.c. PK.

The homeostatic numbers are Craig 2016 Table 5 (Q* 1.1×10⁶/kg, N_R* 2.26×10⁹/kg,
N* 0.3761×10⁹/kg, free G-CSF 0.025 ng/mL). The paper's per-dose s.c. PK sets (Table 6) are
checked against published serum concentrations after single s.c. filgrastim doses in healthy
volunteers: van der Auwera et al., Am J Hematol 2001;66:245 (5 and 10 µg/kg;
``../shared/data/gcsf/auwera.csv``), i.e. 375 and 750 µg for a 75 kg adult, the weight at which
the paper's 375/750 µg doses are 5/10 µg/kg.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hematwin.engine import Model
from hematwin.library import craig2016

pytestmark = pytest.mark.validation

HOMEOSTASIS = {"Q": 1.1, "Nr": 2.26, "N": 0.3761, "G1": 0.025}  # Craig 2016 Table 5
AUWERA = Path(__file__).resolve().parents[2] / "shared" / "data" / "gcsf" / "auwera.csv"


def test_homeostasis_is_a_steady_state_over_a_year():
    model = Model(craig2016.spec())
    r = model.simulate(times=np.linspace(0, 365, 74), rtol=1e-9, atol=1e-13,
                       record=list(HOMEOSTASIS))
    v = r.values[0]
    np.testing.assert_allclose(v, np.broadcast_to(list(HOMEOSTASIS.values()), v.shape),
                               rtol=1e-6)


@pytest.fixture(scope="module")
def pk() -> dict[str, tuple[float, float]]:
    out = {}
    t = np.linspace(0, 2, 2 * 24 * 12 + 1)  # 5-min grid
    for dose in ("300", "375", "750"):
        r = Model(craig2016.spec(dose)).simulate(
            times=t, regimen=craig2016.regimen(float(dose)), rtol=1e-9, atol=1e-13,
            record=["gcsf"])
        g = r.values[0, :, 0]
        i = int(np.argmax(g))
        out[dose] = (float(g[i]), float(t[i] * 24))
    print({k: f"Cmax {c:.1f} ng/mL, tmax {h:.1f} h" for k, (c, h) in out.items()})
    return out


def test_filgrastim_cmax_rises_with_dose_and_peaks_within_hours(pk):
    cmax = [pk[d][0] for d in ("300", "375", "750")]
    assert cmax[0] < cmax[1] < cmax[2]
    assert all(1.0 < pk[d][1] < 12.0 for d in pk)


@pytest.mark.parametrize("dose, column", [
    pytest.param("375", "gcsf5", marks=pytest.mark.xfail(strict=True, reason=(
        "Craig 2016 Table 6 375 µg set gives Cmax 26.3 ng/mL at 3.0 h against 15.0 ng/mL at "
        "6 h observed after 5 µg/kg (van der Auwera 2001): +75 %; the per-dose PK sets were not "
        "fitted to these volunteers (375/750 µg are the doses of Wang et al. 2001, J "
        "Pharmacokinet Pharmacodyn 28:321, whose concentrations are not available here)"))),
    pytest.param("750", "gcsf10", marks=pytest.mark.xfail(strict=True, reason=(
        "Craig 2016 Table 6 750 µg set gives Cmax 79.5 ng/mL at 3.9 h against 36.7 ng/mL at "
        "6 h observed after 10 µg/kg (van der Auwera 2001): +117 %; the per-dose PK sets were "
        "not fitted to these volunteers (375/750 µg are the doses of Wang et al. 2001, J "
        "Pharmacokinet Pharmacodyn 28:321, whose concentrations are not available here)"))),
])
def test_filgrastim_cmax_matches_van_der_auwera_2001(pk, dose, column):
    """Model Cmax within ±30 % of the observed mean peak, reached in the observed rise
    (between the samples at 1 h and 12 h around the 6 h peak)."""
    data = pd.read_csv(AUWERA)[["hours", column]].dropna()
    observed = float(data[column].max())
    cmax, tmax_h = pk[dose]
    assert 1.0 < tmax_h < 12.0
    assert cmax == pytest.approx(observed, rel=0.30)
