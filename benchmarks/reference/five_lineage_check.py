#!/usr/bin/env python3
"""Parse five_lineage_model.txt (the `d/dt(X) = ...` text notation), compile it
to a NumPy right-hand side, and check it independently of hematwin:

  1. it has 27 states;
  2. the initial values are an exact steady state (f(y0) == 0);
  3. with fS = 0 and dS = 0 the neutrophil lineage reproduces the 8-state
     Friberg docetaxel reference (friberg_scipy_reference.py);
  4. default parameters: 180 mg docetaxel bolus, per-lineage nadirs;
  5. stiffness (Jacobian eigenvalues at the steady state).

Time unit: hours (reported in days).  SciPy Radau, rtol 1e-10, atol 1e-12.
"""
from __future__ import annotations

import os
import re
import sys

import numpy as np
from scipy.integrate import solve_ivp

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import friberg_scipy_reference as ref  # noqa: E402

RE_ODE = re.compile(r"^d/dt\((\w+)\)\s*=\s*(.+)$")
RE_INIT = re.compile(r"^(\w+)\(0\)\s*=\s*(.+)$")
RE_ASSIGN = re.compile(r"^(\w+)\s*=\s*(.+)$")


def parse(path):
    assigns, inits, odes = [], {}, []
    for raw in open(path, encoding="utf-8"):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        for rx, kind in ((RE_ODE, "ode"), (RE_INIT, "init"), (RE_ASSIGN, "assign")):
            m = rx.match(line)
            if m:
                name, expr = m.group(1), m.group(2).replace("^", "**")
                if kind == "ode":
                    odes.append((name, expr))
                elif kind == "init":
                    inits[name] = expr
                else:
                    assigns.append((name, expr))
                break
        else:
            raise ValueError(f"cannot parse: {raw!r}")
    return assigns, inits, odes


class Model:
    def __init__(self, path, overrides=None):
        assigns, inits, odes = parse(path)
        self.states = [n for n, _ in odes]
        assert set(self.states) == set(inits), "every state needs an initial value"
        overrides = dict(overrides or {})
        # parameters = assignments whose expressions evaluate without states
        env = {"np": np}
        self.params, self.algebra = {}, []
        for name, expr in assigns:
            try:
                val = overrides[name] if name in overrides else eval(expr, env, dict(self.params))
                self.params[name] = float(val)
            except NameError:
                self.algebra.append((name, expr))
        src = ["def rhs(t, y, rate=0.0):"]
        src += [f"    {s} = y[{i}]" for i, s in enumerate(self.states)]
        src += [f"    {n} = {e}" for n, e in self.algebra]
        src += [f"    d_{s} = {e}" for s, e in odes]
        src += ["    d_A1 = d_A1 + rate"]
        src += ["    return np.array([" + ", ".join(f"d_{s}" for s in self.states) + "])"]
        ns = {"np": np, **self.params}
        exec("\n".join(src), ns)
        self.rhs = ns["rhs"]
        self.y0 = np.array([float(eval(inits[s].replace("^", "**"), {"np": np}, dict(self.params)))
                            for s in self.states])
        self.idx = {s: i for i, s in enumerate(self.states)}

    def simulate(self, dose_mg=180.0, t_end_h=30 * 24.0):
        y0 = self.y0.copy()
        y0[self.idx["A1"]] += dose_mg
        return solve_ivp(self.rhs, (0.0, t_end_h), y0, method="Radau",
                         rtol=ref.RTOL, atol=ref.ATOL, dense_output=True)


def jac_fd(f, y, h=1e-7):
    n = len(y)
    J = np.zeros((n, n))
    f0 = f(0.0, y)
    for j in range(n):
        dy = np.zeros(n)
        dy[j] = h * max(1.0, abs(y[j]))
        J[:, j] = (f(0.0, y + dy) - f0) / dy[j]
    return J


def main():
    path = os.path.join(HERE, "five_lineage_model.txt")
    m = Model(path)
    print(f"states: {len(m.states)} -> {m.states}")
    assert len(m.states) == 27
    r0 = np.max(np.abs(m.rhs(0.0, m.y0)))
    print(f"steady state |f(y0)|_inf = {r0:.3e}")
    s = solve_ivp(m.rhs, (0, 200 * 24.0), m.y0, method="Radau", rtol=ref.RTOL, atol=ref.ATOL)
    print(f"max |y(t)-y0| over 200 d without drug = {np.max(np.abs(s.y - m.y0[:, None])):.3e}")

    # reduction check
    pw, rhs8 = ref.simulate(180.0, 0.0)
    tt = np.linspace(0, 30 * 24.0, 3001)
    c8 = np.array([ref.circ_at(pw, t) for t in tt])
    for ov in ({"fS": 0.0, "dS": 0.0}, {"b_N": 0.0}):
        mr = Model(path, overrides=ov)
        c27 = mr.simulate(180.0).sol(tt)[mr.idx["Circ_N"]]
        err = np.max(np.abs(c27 - c8))
        print(f"reduction {ov}: max |Circ_N(27-state) - Circ(8-state)| = {err:.3e}")
        assert err < 1e-6

    # default coupled benchmark
    sol = m.simulate(180.0)
    tt = np.arange(0, 30 * 24.0 + 0.05, 0.05)
    Y = sol.sol(tt)
    print("default parameters, 180 mg bolus (days):")
    for s_ in ["Stem", "Circ_N", "Circ_P", "Circ_E", "Circ_M", "Circ_L"]:
        y = Y[m.idx[s_]]
        i = int(np.argmin(y[: int(21 * 24 / 0.05) + 1]))
        j = i + int(np.argmax(y[i: int(21 * 24 / 0.05) + 1]))
        print(f"  {s_:7s} rebound max(nadir-21 d) {y[j]:9.4f} at day {tt[j] / 24:7.3f}")
        print(f"  {s_:7s} baseline {m.y0[m.idx[s_]]:9.4f}  min(0-21 d) {y[i]:9.4f} "
              f"at day {tt[i] / 24:7.3f}  day21 {y[int(21 * 24 / 0.05)]:9.4f}")
    J = jac_fd(m.rhs, m.y0)
    ev = np.linalg.eigvals(J)
    re_ = np.abs(ev.real[ev.real < -1e-12])
    print(f"Jacobian at steady state: max Re(-lambda) {re_.max():.3e} /h, min {re_.min():.3e} /h, "
          f"stiffness ratio {re_.max() / re_.min():.2e}; max Re(lambda) {ev.real.max():.3e}")


if __name__ == "__main__":
    main()
