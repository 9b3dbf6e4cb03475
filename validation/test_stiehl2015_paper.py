"""Stiehl / Marciniak-Czochra self-renewal model: healthy steady state, AML takeover,
engraftment after 5e6 CD34+/kg.

Provenance: see the docstring of ``hematwin.library.stiehl2015`` — the healthy parameters
are the radivot/myelo reconstruction of the Stiehl 2015 Supplement, not read from the paper.
"""

import numpy as np
import pytest

from hematwin.engine import Model
from hematwin.library import stiehl2015

pytestmark = pytest.mark.validation


@pytest.fixture(scope="module")
def model():
    return Model(stiehl2015.spec())


def _first_crossing(t, y, level):
    """First time ``y`` rises through ``level`` (linear interpolation between samples)."""
    i = int(np.flatnonzero(y >= level)[0])
    return float(np.interp(level, y[i - 1:i + 1], t[i - 1:i + 1]))


def test_healthy_steady_state(model):
    # Marciniak-Czochra 2009 / Stiehl 2015: s* = 1/(2 a1c), c3* = (2 a1c − 1)/kc.
    res = model.simulate(times=[0.0, 365.0], record=["anc", "signal", "c3"])
    np.testing.assert_allclose(res["signal"][0], 1 / (2 * 0.85), rtol=1e-10)
    np.testing.assert_allclose(res["c3"][0], 4e8, rtol=1e-10)


def test_more_self_renewing_clone_displaces_healthy_cells(model):
    # Stiehl 2014 (J R Soc Interface) / 2015: a leukemic clone with higher self-renewal
    # expands and suppresses healthy haematopoiesis through the shared signal; a clone with
    # lower self-renewal than the HSC dies out. Death criterion: healthy mature cells below
    # 5 % of their steady state (Stiehl et al., Biol Direct 2016;11:51, Fig. 2 legend).
    t = np.linspace(0, 1500, 1501)
    res = model.simulate(times=t, params={"l1_init": [1.0, 1.0], "a1l": [1.0, 0.8]},
                         record=["anc", "marrow_blasts", "l1"])
    assert res.ok.all()
    anc, blasts = res["anc"], res["marrow_blasts"]
    assert blasts[0, -1] > 99 and anc[0, -1] < 0.05 * anc[0, 0]
    assert res["l1"][1, -1] < 1e-2 and anc[1, -1] == pytest.approx(anc[1, 0], rel=1e-6)


@pytest.mark.xfail(strict=True, reason=(
    "time scale not reproduced: from one LSC/kg the illustrative clone (a1l = 1, "
    "p1l = 0.2/day) reaches 50 % marrow blasts at ~540 days, while Stiehl 2015 Fig. 3A "
    "(as read by radivot/myelo) shows ~200 days. The leukemic parameters of Fig. 3A could "
    "not be retrieved, and myelo's reconstruction (a1l = 1.6·a1c = 1.36) is not an "
    "admissible self-renewal fraction."))
def test_time_to_half_blasts_as_in_fig3a(model):
    t = np.linspace(0, 1500, 1501)
    res = model.simulate(times=t, params={"l1_init": 1.0}, record=["marrow_blasts"])
    day = _first_crossing(t, res["marrow_blasts"][0], 50.0)
    assert day == pytest.approx(200.0, abs=50.0)


def test_engraftment_day_after_5e6_cd34_per_kg(model):
    # Stiehl 2015 Supplement, ref. 15 (Stiehl, Ho, Marciniak-Czochra, Bone Marrow Transplant
    # 2014;49:30), as transcribed by radivot/myelo: ANC 0.5e9/L about 15 days after
    # 5e6 CD34+ cells/kg. Tolerance ±3 days (clinical PBSC range; the source number is
    # itself approximate). Model: 14.8 days (2e6/kg: 17.7; 1e7/kg: 12.7).
    t = np.linspace(0, 60, 601)
    res = model.simulate(times=t, regimen=stiehl2015.transplant_regimen(5e6),
                         record=["anc"])
    day = _first_crossing(t, res["anc"][0], stiehl2015.ENGRAFTMENT_ANC)
    assert day == pytest.approx(stiehl2015.PAPER_ENGRAFTMENT_DAY, abs=3.0)
