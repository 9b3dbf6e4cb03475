"""The integrated twin: a well-formed model whose healthy baseline is an exact steady state."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hematwin.engine import Model
from hematwin.twin import twin_spec
from hematwin.twin.hazards import ACCUMULATING_STATES

# Cumulative hazards grow at their baseline rate by design; everything else must balance.
HAZARDS = set(ACCUMULATING_STATES)


def test_every_parameter_has_unit_range_and_source():
    spec = twin_spec()
    for p in spec.parameters:
        assert p.unit, p.name
        assert p.citation, f"{p.name} has no source"
        assert math.isfinite(p.lower) and math.isfinite(p.upper), p.name
        assert p.lower <= p.default <= p.upper, p.name


def test_mechanisms_of_the_seed_documents_have_states():
    names = set(twin_spec().state_names)
    for required in ("S_h", "S_d", "S_a", "S_m", "LS", "LB", "N_d", "N_a", "T4_d", "T4_a",
                     "MK_d", "ERY_a", "BC_d", "NK_a", "TA", "FILG_sc", "PEG_sc", "PLT",
                     "RBC1", "BU_c", "RAD", "IM_c", "H_INF", "H_GVHD"):
        assert required in names


@pytest.fixture(scope="module")
def twin():
    return Model(twin_spec())


def test_healthy_baseline_is_an_exact_steady_state(twin):
    spec = twin.spec
    p = np.array([[q.default for q in spec.parameters]])
    y0 = twin.numba.initial_states(p)[0]
    f = twin.numba.rhs(0.0, y0, p[0])
    scale = np.maximum(np.abs(y0), 1e-9)
    for name, value, s in zip(spec.state_names, f, scale, strict=True):
        if name not in HAZARDS:
            assert abs(value) <= 1e-12 * max(s, 1.0), (name, value)


def test_two_years_healthy_stay_at_baseline(twin):
    # at tight tolerance the steady state holds to round-off (at rtol 1e-6 the integration
    # error itself, ~1e-7 relative, shows as a small wander of the platelet loop)
    r = twin.simulate(times=np.arange(0, 731.0, 30), rtol=1e-10, atol=1e-12,
                      record=["anc", "platelets", "hb", "lymphocytes", "cd4"])
    assert r.status[0] == 0
    np.testing.assert_allclose(r.values[0, -1], r.values[0, 0], rtol=1e-9)
    anc, plt, hb, lymph, _ = r.values[0, 0]
    assert 2 <= anc <= 7 and 150 <= plt <= 400 and 12 <= hb <= 16 and 1 <= lymph <= 4
