"""The integrated twin's defaults against published calibration targets (issue #5).

Each row of ``twin_cases.TARGETS`` names the target, its source and how the twin is
measured (regimens and read-outs in ``validation/twin_cases.py``; engraftment days are read
by ``hematwin.clinic`` with the ASTCT definitions, as for patients). A target the defaults do
not reach is a strict xfail whose reason gives the measured value; the table
``validation/twin_targets.md`` is written by ``validation/make_twin_targets.py`` from the same
functions.
"""

from __future__ import annotations

import pytest
from twin_cases import TARGETS, twin_model

pytestmark = pytest.mark.validation


@pytest.fixture(scope="module")
def model():
    return twin_model()


def _param(t):
    marks = [pytest.mark.xfail(strict=True, reason=t.xfail)] if t.xfail else []
    return pytest.param(t, id=t.key, marks=marks)


@pytest.mark.parametrize("target", [_param(t) for t in TARGETS])
def test_twin_reproduces(model, target):
    value = target.measure(model)
    print(f"{target.key}: {target.shown(value)} (target {target.target}; {target.source})")
    assert target.ok(value), f"{target.target}: model {target.shown(value)}"
