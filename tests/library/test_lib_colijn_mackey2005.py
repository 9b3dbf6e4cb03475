"""Colijn & Mackey 2005: equilibria, the myelo κR fix, and agreement with R deSolve ``dede``."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest

from hematwin.engine import Model
from hematwin.library import colijn_mackey2005 as cm

R_SCRIPT = """
library(deSolve)
p <- c({params})
y0 <- c(Q = {Q0}, N = {N0}, R = {R0}, P = {P0})
f <- function(t, y, parms) {{
  with(as.list(parms), {{
    lag <- function(tau) if (t - tau <= 0) y0 else lagvalue(t - tau)
    qs <- lag(tauS); qn <- lag(tauNM); r1 <- lag(tauRM + tauRet); r2 <- lag(tauSum)
    p1 <- lag(tauPM); p2 <- lag(tauPM + tauPS)
    beta <- function(q) k0 / (1 + (q / the2)^s)
    kN <- function(n) f0 / (1 + (n / the1)^n_)
    kR <- function(r) Krbar / (1 + Kr * r^m)
    kP <- function(x) Kpbar / (1 + Kp * x^r_)
    dQ <- -(beta(y[1]) + kN(y[2]) + kR(y[3]) + kP(y[4])) * y[1] +
          2 * exp(-gamS * tauS) * beta(qs[1]) * qs[1]
    dN <- -gamN * y[2] + An * kN(qn[2]) * qn[1]
    dR <- -gamR * y[3] + Ar * (exp(-gamR * tauRet) * kR(r1[3]) * r1[1] -
                               exp(-gamR * tauSum) * kR(r2[3]) * r2[1])
    dP <- -gamP * y[4] + Ap * (kP(p1[4]) * p1[1] - exp(-gamP * tauPS) * kP(p2[4]) * p2[1])
    list(c(dQ, dN, dR, dP))
  }})
}}
out <- dede(y = y0, times = c({times}), func = f, parms = p,
            rtol = 1e-12, atol = 1e-14, control = list(mxhist = 1e6))
write.csv(out, stdout(), row.names = FALSE)
"""


def _desolve(parameter_set: str, times: np.ndarray) -> np.ndarray:
    spec = cm.spec(parameter_set)
    values = spec.defaults()
    rename = {"n": "n_", "r": "r_"}  # R: avoid clashing with the function arguments
    params = ", ".join(f"{rename.get(k, k)} = {v!r}" for k, v in values.items())
    script = R_SCRIPT.format(params=params, Q0=values["Q0"], N0=values["N0"], R0=values["R0"],
                             P0=values["P0"], times=", ".join(repr(float(t)) for t in times))
    run = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True, check=True)
    rows = [line.split(",") for line in run.stdout.strip().splitlines()[1:]]
    return np.array([[float(v) for v in row[1:]] for row in rows])


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is installed by scripts/test.sh")
def test_pcml_trajectory_agrees_with_deSolve_dede():
    # 150 days cross every delay, τSum = 120 days included, while the PCML set leaves its
    # unstable equilibrium
    times = np.array([0.0, 3.0, 7.5, 15.0, 30.0, 60.0, 100.0, 125.0, 150.0])
    ref = _desolve("pcml", times)
    ours = Model(cm.spec("pcml")).simulate(times=times, rtol=1e-11, atol=1e-13,
                                            record=["Q", "N", "R", "P"])
    assert ours.status[0] == 0
    rel = np.abs(ours.values[0] - ref) / np.abs(ref)
    assert rel.max() <= 1e-5, rel


@pytest.mark.parametrize("name", ["normal_pcml", "normal_cn"])
def test_normal_sets_start_at_their_equilibrium(name):
    result = Model(cm.spec(name)).simulate(times=np.linspace(0, 300, 31), rtol=1e-10,
                                           atol=1e-12, record=["Q", "N", "R", "P"])
    v = result.values[0]
    np.testing.assert_allclose(v, np.broadcast_to(v[0], v.shape), rtol=1e-7)


def test_equilibrium_balances_every_line():
    p = cm.PARAMETER_SETS["normal_pcml"]
    Q, N, R, P = cm.steady_state(p)
    kN = p["f0"] / (1 + N / p["the1"])
    assert p["gamN"] * N == pytest.approx(p["An"] * kN * Q, rel=1e-12)
    beta = p["k0"] / (1 + (Q / p["the2"]) ** p["s"])
    kR = p["Krbar"] / (1 + p["Kr"] * R ** p["m"])
    kP = p["Kpbar"] / (1 + p["Kp"] * P ** p["r"])
    assert (2 * np.exp(-p["gamS"] * p["tauS"]) - 1) * beta == pytest.approx(kN + kR + kP,
                                                                             rel=1e-10)


def test_erythroid_feedback_reads_R_not_P():
    # myelo's port computes κR from P in one place (issue #4); here κR only ever sees R
    spec = cm.spec()
    text = " ".join(e.expression for e in spec.definitions + spec.equations)
    assert "Kr*R" in text and "Kr*P" not in text


def test_oscillation_period_of_a_sine():
    t = np.arange(0, 400, 0.25)
    assert cm.oscillation_period(t, np.sin(2 * np.pi * t / 21.0)) == pytest.approx(21.0,
                                                                                  rel=1e-3)
    assert np.isnan(cm.oscillation_period(t, np.exp(-t)))


def test_unknown_set_is_an_error():
    with pytest.raises(Exception, match="parameter set"):
        cm.spec("healthy")
