"""Colijn & Mackey 2005: oscillation periods of the CN and PCML parameter sets.

The papers' patient-fitted parameter tables could not be retrieved (see the module docstring
for what was searched); the ``cn`` and ``pcml`` sets are this project's, so there is no
paper-reported period of a fitted set to compare with. The periods are compared with the
clinical periods the papers set out to explain: human cyclical neutropenia 19–21 days (Hearn,
Haurie & Mackey, J Theor Biol 1998;192:167, abstract), periodic CML leukocyte periods 37–83 days
in the 12 significantly periodic published cases (Fortin & Mackey, Br J Haematol
1999;104:336, abstract; Colijn & Mackey 2005 I fits 11 such patients).
"""

from __future__ import annotations

import numpy as np
import pytest

from hematwin.engine import Model
from hematwin.library import colijn_mackey2005 as cm

pytestmark = pytest.mark.validation

DT = 0.25


def _neutrophils(name: str, days: float) -> tuple[np.ndarray, np.ndarray]:
    t = np.arange(0.0, days + DT / 2, DT)
    result = Model(cm.spec(name)).simulate(times=t, rtol=1e-8, atol=1e-11, record=["N"])
    assert result.status[0] == 0
    return t, result.values[0, :, 0]


@pytest.fixture(scope="module")
def cn():
    return _neutrophils("cn", 900.0)


@pytest.fixture(scope="module")
def pcml():
    return _neutrophils("pcml", 1200.0)


def test_cn_set_leaves_its_steady_state_in_a_growing_oscillation(cn):
    t, n = cn
    early = np.ptp(n[(t >= 300) & (t < 400)])
    late = np.ptp(n[t >= 800])
    assert late > 1.5 * early > 0


def test_cn_period_measured(cn):
    # the model's own number (regression of this port): 18.76 days
    t, n = cn
    w = t >= 300
    assert cm.oscillation_period(t[w], n[w]) == pytest.approx(18.76, abs=0.3)


@pytest.mark.xfail(strict=True, reason=(
    "the hematwin CN set (γS 0.113/day on the paper-II normal set, just past its Hopf point) "
    "oscillates with an 18.8-day period, just below the 19–21 days of human CN (Hearn 1998); "
    "Colijn & Mackey 2005 II fitted patient-specific parameter changes that were not available "
    "to this port"))
def test_cn_period_is_that_of_human_cyclical_neutropenia(cn):
    t, n = cn
    w = t >= 300
    assert 19.0 <= cm.oscillation_period(t[w], n[w]) <= 21.0


def test_pcml_oscillation_is_sustained(pcml):
    t, n = pcml
    a = np.ptp(n[(t >= 700) & (t < 950)])
    b = np.ptp(n[t >= 950])
    assert b == pytest.approx(a, rel=0.2)
    assert n[t >= 700].mean() > 2 * n[0]  # leukocytosis, as in CML


def test_pcml_period_measured(pcml):
    t, n = pcml
    w = t >= 700
    assert cm.oscillation_period(t[w], n[w]) == pytest.approx(36.3, abs=1.0)


@pytest.mark.xfail(strict=True, reason=(
    "the hematwin PCML set (γS 0.12/day, f0 1.6/day on the paper-I normal set) cycles with a "
    "36.3-day period, below the 37–83 days of PCML leukocyte cycles (Fortin & Mackey 1999); the "
    "patient-fitted sets of Colijn & Mackey 2005 I were not available to this port"))
def test_pcml_period_is_in_the_clinical_range(pcml):
    t, n = pcml
    w = t >= 700
    assert 37.0 <= cm.oscillation_period(t[w], n[w]) <= 83.0
