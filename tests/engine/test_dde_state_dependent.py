"""State-dependent delays X(t - lag(y)) checked against R deSolve ``dede`` and exact solutions.

deSolve evaluates ``lagvalue(t - lag)`` at any lag computed from the current state, so it is an
independent solver for the same equations (LSODA with Hermite history; issue #4).
"""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest

from hematwin.engine import Model
from hematwin.engine.status import LAG_OUT_OF_RANGE, reason
from hematwin.errors import BackendUnavailableError, EquationSyntaxError, SolverError
from hematwin.model import Equation, ModelSpec, Parameter, State


def lag_spec(lag: str, x_rate: str, *, x0: float = 0.5, min_lag=None, max_lag=None,
             name: str = "sd_lag") -> ModelSpec:
    """y' = -a·y(t - lag) with y(t ≤ 0) = 1, x' = x_rate; ``lag`` an expression of x and y."""
    return ModelSpec(
        name=name,
        states=(State("y", 1.0), State("x", x0)),
        parameters=(Parameter("a", 1.0),),
        equations=(Equation("y", f"-a*y(t - ({lag}))"), Equation("x", x_rate)),
        min_lag=min_lag, max_lag=max_lag,
    )


# a lag through another state (declared bounds), and a lag through the delayed state itself
# that shrinks over time (no bounds declared: the step is capped at the current lag)
CASES = {
    "through_x": (lambda: lag_spec("1 + x", "-x", min_lag=1.0, max_lag=2.0, name="sd_x"),
                  "1 + y[2]", "-y[2]"),
    "through_y": (lambda: lag_spec("x*(1 + 0.5*y^2)", "-0.1*x", x0=1.0, name="sd_y"),
                  "y[2]*(1 + 0.5*y[1]^2)", "-0.1*y[2]"),
}

R_SCRIPT = """
library(deSolve)
f <- function(t, y, p) {{
  lag <- {lag}
  ylag <- if (t - lag <= 0) 1 else lagvalue(t - lag, 1)
  list(c(-ylag, {x_rate}))
}}
out <- dede(y = c(y = 1, x = {x0}), times = c({times}), func = f, parms = NULL,
            rtol = 1e-12, atol = 1e-14, control = list(mxhist = 1e6))
write.csv(out, stdout(), row.names = FALSE)
"""


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is installed by scripts/test.sh")
@pytest.mark.parametrize("case", sorted(CASES))
def test_agrees_with_deSolve_dede(case):
    make, r_lag, r_rate = CASES[case]
    spec = make()
    times = np.array([0.0, 0.7, 1.5, 2.5, 4.0, 6.0, 8.0, 10.0])
    script = R_SCRIPT.format(lag=r_lag, x_rate=r_rate, x0=spec.states[1].initial,
                             times=", ".join(repr(float(t)) for t in times))
    run = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True, check=True)
    ref = np.array([[float(v) for v in row.split(",")[1:]]
                    for row in run.stdout.strip().splitlines()[1:]])
    ours = Model(spec).simulate(times=times, rtol=1e-11, atol=1e-13, record=["y", "x"])
    assert ours.status[0] == 0, reason(ours.status[0])
    err = np.abs(ours.values[0] - ref) / np.maximum(np.abs(ref).max(axis=0), 1e-12)
    assert err.max() <= 1e-5, err


def test_history_before_t0_gives_the_exact_solution():
    # while t − (1 + x(t)) ≤ 0 the delayed value is the history y = 1, so y = 1 − t exactly;
    # x = 0.5·e^(−t) keeps the lag above t until t* ≈ 1.16
    t = np.linspace(0.0, 1.1, 12)
    r = Model(CASES["through_x"][0]()).simulate(times=t, rtol=1e-12, atol=1e-14, record=["y"])
    np.testing.assert_allclose(r.values[0, :, 0], 1.0 - t, atol=1e-12)


def test_a_lag_beyond_max_lag_flags_the_patient():
    spec = lag_spec("1 + x", "x", min_lag=1.0, max_lag=2.0, name="sd_grows")  # x = 0.5·e^t
    times = [0.0, 0.69, 0.70]
    r = Model(spec).simulate(times=times, rtol=1e-9, atol=1e-12, record=["x"])
    assert r.status[0] == LAG_OUT_OF_RANGE
    assert "max_lag" in reason(r.status[0])
    # the lag reaches 2 at x = 1, i.e. t = ln 2 = 0.6931: values saved before are kept, the
    # later ones are NaN
    assert r.values[0, 1, 0] == pytest.approx(0.5 * np.exp(0.69))
    assert np.isnan(r.values[0, 2, 0])


def test_a_negative_lag_flags_the_patient():
    # lag = x = 0.5 − t turns negative at t = 0.5 (the declared min_lag is wrong on purpose)
    spec = lag_spec("x", "-1", min_lag=0.1, max_lag=1.0, name="sd_negative")
    r = Model(spec).simulate(times=[0.0, 0.49, 0.51], rtol=1e-9, atol=1e-12, record=["y"])
    assert r.status[0] == LAG_OUT_OF_RANGE
    assert np.isfinite(r.values[0, 1, 0]) and np.isnan(r.values[0, 2, 0])


def test_declared_bounds_are_checked():
    spec = lag_spec("1 + x", "-x", min_lag="a - 1", max_lag=2.0, name="sd_bounds")
    with pytest.raises(SolverError, match="min_lag"):
        Model(spec).simulate(times=[0.0, 1.0])


@pytest.mark.parametrize("lag, message", [
    ("t*x", "not of t itself"),
    ("x(t - 1)", "inside the lag"),
])
def test_bad_lags_are_syntax_errors(lag, message):
    with pytest.raises(EquationSyntaxError, match=message):
        Model(lag_spec(lag, "-x", name="sd_bad"))


def test_only_numba_integrates_state_dependent_delays():
    model = Model(CASES["through_x"][0]())
    for backend in ("jax", "scipy"):
        with pytest.raises(BackendUnavailableError, match="state-dependent"):
            model.simulate(times=[0.0, 1.0], backend=backend)
