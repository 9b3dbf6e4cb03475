"""Craig 2016: the paper's homeostasis is a steady state; filgrastim 300/375/750 µg s.c. PK.

The homeostatic numbers are Craig 2016 Table 5 (Q* 1.1×10⁶/kg, N_R* 2.26×10⁹/kg,
N* 0.3761×10⁹/kg, free G-CSF 0.025 ng/mL). The paper compares single s.c. filgrastim doses of
300, 375 and 750 µg with published concentration data (its PK figures; per-dose PK in Table 6);
those data points were not available to this port, so the Cmax / tmax of the model are printed
and checked only for what the table implies (dose ordering), and the comparison with the
paper's figure is a visible xfail.
"""

from __future__ import annotations

import numpy as np
import pytest

from hematwin.engine import Model
from hematwin.library import craig2016

pytestmark = pytest.mark.validation

HOMEOSTASIS = {"Q": 1.1, "Nr": 2.26, "N": 0.3761, "G1": 0.025}  # Craig 2016 Table 5


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


@pytest.mark.xfail(strict=False, run=False, reason=(
    "Craig 2016 PK figures (single s.c. 300/375/750 µg filgrastim against published serum "
    "concentrations) were not available as numbers to this port; the model gives Cmax ≈ 15, 26 "
    "and 80 ng/mL at tmax ≈ 2.8, 3.0 and 3.8 h"))
def test_filgrastim_pk_matches_the_papers_figure():
    raise AssertionError("no reference numbers")
