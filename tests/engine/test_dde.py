"""Delay differential equations checked against R deSolve ``dede`` (an independent solver).

deSolve integrates with LSODA and Hermite interpolation of its own history; both solvers run
at tight tolerances and must agree to 1e-5 relative (issue #4).
"""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest

from hematwin.engine import Model
from hematwin.errors import BackendUnavailableError, SolverError
from hematwin.model import Equation, ModelSpec, Output, Parameter, State

R_SCRIPT = """
library(deSolve)
f <- function(t, y, p) {{
  lag <- if (t < {tau}) c({x0}, {v0}) else lagvalue(t - {tau})
  dx <- {beta} * lag[1] / (1 + lag[1]^{n}) - {gam} * y[1]
  dv <- -y[2] + 0.5 * lag[1] * lag[2]
  list(c(dx, dv))
}}
out <- dede(y = c(x = {x0}, v = {v0}), times = c({times}), func = f, parms = NULL,
            rtol = 1e-12, atol = 1e-14, control = list(mxhist = 1e6))
write.csv(out, stdout(), row.names = FALSE)
"""

PARAMS = {"beta": 2.0, "tau": 2.0, "gam": 1.0, "n": 9.65}
X0, V0 = 0.5, 1.0


def mackey_glass_spec() -> ModelSpec:
    # Mackey & Glass, Science 1977;197:287 — the blood-cell production equation, plus a
    # second state driven by two delayed states (checks several delayed components at once).
    return ModelSpec(
        name="mackey_glass_test",
        states=(State("x", X0), State("v", V0)),
        parameters=tuple(Parameter(k, v) for k, v in PARAMS.items()),
        equations=(
            Equation("x", "beta*x(t - tau)/(1 + x(t - tau)^n) - gam*x"),
            Equation("v", "-v + 0.5*x(t - tau)*v(t - tau)"),
        ),
        outputs=(Output("xo", "x"),),
    )


@pytest.fixture(scope="module")
def model() -> Model:
    return Model(mackey_glass_spec())


def deSolve_reference(times: np.ndarray) -> np.ndarray:
    script = R_SCRIPT.format(
        tau=PARAMS["tau"], beta=PARAMS["beta"], gam=PARAMS["gam"], n=PARAMS["n"], x0=X0,
        v0=V0, times=", ".join(repr(float(t)) for t in times),
    )
    run = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True, check=True)
    rows = [line.split(",") for line in run.stdout.strip().splitlines()[1:]]
    return np.array([[float(v) for v in row[1:]] for row in rows])


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is installed by scripts/test.sh")
def test_agrees_with_deSolve_dede(model):
    times = np.array([0.0, 1.0, 2.5, 5.0, 7.3, 10.0, 20.0, 30.0])
    ref = deSolve_reference(times)
    ours = model.simulate(times=times, rtol=1e-11, atol=1e-13, record=["x", "v"])
    assert ours.status[0] == 0
    rel = np.abs(ours.values[0] - ref) / np.abs(ref)
    assert rel.max() <= 1e-5, rel


def test_converges_when_tolerance_tightens(model):
    times = np.array([5.0, 10.0, 20.0])
    tight = model.simulate(times=times, rtol=1e-12, atol=1e-14, record=["x"]).values
    loose = model.simulate(times=times, rtol=1e-7, atol=1e-9, record=["x"]).values
    assert np.abs(loose / tight - 1).max() < 1e-5


def test_history_before_t0_is_the_initial_state(model):
    # on [0, tau] x(t - tau) = x0, so x solves x' = c - gam*x with c = beta*x0/(1+x0^n)
    t = np.linspace(0.0, 2.0, 9)
    c = PARAMS["beta"] * X0 / (1 + X0 ** PARAMS["n"])
    exact = c / PARAMS["gam"] + (X0 - c / PARAMS["gam"]) * np.exp(-PARAMS["gam"] * t)
    got = model.simulate(times=t, rtol=1e-12, atol=1e-14, record=["x"]).values[0, :, 0]
    np.testing.assert_allclose(got, exact, rtol=1e-9)


def test_non_positive_delay_is_an_error(model):
    with pytest.raises(SolverError, match="delay"):
        model.simulate(times=[0.0, 1.0], params={"tau": 0.0})


def test_only_numba_integrates_delays(model):
    with pytest.raises(BackendUnavailableError, match="delay"):
        model.simulate(times=[0.0, 1.0], backend="scipy")
    with pytest.raises(SolverError, match="dp5"):
        model.simulate(times=[0.0, 1.0], method="ros23")
