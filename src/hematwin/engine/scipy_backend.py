"""Reference backend: SciPy ``solve_ivp`` patient by patient, segment by segment.

Slow, but independent of our own integrators: the tests and benchmarks compare against it.
Same event semantics as the compiled backends (events applied at their time, then save
points at that time recorded).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp
from scipy.integrate import solve_ivp

from hematwin.engine.events import BOLUS, RATE_CHANGE, RESET, SET_PARAM, SET_STATE, EventTable
from hematwin.engine.status import NON_FINITE, STEP_UNDERFLOW, SUCCESS
from hematwin.model.symbolic import SymbolicModel


@dataclass
class ScipyModel:
    symbolic: SymbolicModel

    def __post_init__(self) -> None:
        m = self.symbolic
        args = (m.t, sp.Matrix(m.states), sp.Matrix(m.params))
        self._rhs = sp.lambdify(args, list(m.rhs), modules="math", cse=True)
        self._jac = sp.lambdify(args, m.jacobian, modules="numpy", cse=True)
        self._init = sp.lambdify((sp.Matrix(m.params),), list(m.initial), modules="math")
        self._out = sp.lambdify(args, list(m.outputs) or [0.0], modules="math", cse=True)

    def _full(self, t: float, y: np.ndarray, p: np.ndarray) -> np.ndarray:
        outs = np.asarray(self._out(t, y, p), dtype=float) if self.symbolic.n_outputs else []
        return np.concatenate([y, outs])

    def solve(
        self,
        params: np.ndarray,
        events: EventTable,
        t0: float,
        save_t: np.ndarray,
        record: np.ndarray,
        *,
        method: str = "LSODA",
        rtol: float = 1e-6,
        atol: float | np.ndarray = 1e-8,
        max_steps: int = 100_000,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n_pat, n_t = params.shape[0], save_t.shape[0]
        out = np.full((n_pat, n_t, record.shape[0]), np.nan)
        status = np.zeros(n_pat, dtype=np.int64)
        nsteps = np.zeros(n_pat, dtype=np.int64)
        for i in range(n_pat):
            status[i], nsteps[i] = self._one(params[i].copy(), events.patient(i), t0, save_t,
                                             record, method, rtol, atol, out[i])
        return out, status, nsteps

    def _one(self, p, ev, t0, save_t, record, method, rtol, atol, row):
        at_start = (ev.time <= t0) & (ev.kind == SET_PARAM)  # covariates at t0 set y(t0)
        p[ev.target[at_start]] = ev.value[at_start]
        y = np.asarray(self._init(p), dtype=float)
        rate = np.zeros_like(y)
        t, e, s, steps = float(t0), 0, 0, 0
        n_ev, n_t = ev.time.shape[0], save_t.shape[0]
        uses_jac = method in ("Radau", "BDF", "LSODA")
        while True:
            while e < n_ev and ev.time[e] <= t:
                kind, tgt, v = ev.kind[e], ev.target[e], ev.value[e]
                if kind == BOLUS:
                    y[tgt] += v
                elif kind == RATE_CHANGE:
                    rate[tgt] += v
                elif kind == RESET:
                    y = np.asarray(self._init(p), dtype=float)
                    rate[:] = 0.0
                elif kind == SET_STATE:
                    y[tgt] = v
                elif kind == SET_PARAM:
                    p[tgt] = v
                e += 1
            while s < n_t and save_t[s] <= t:
                row[s] = self._full(t, y, p)[record]
                s += 1
            if s >= n_t:
                return SUCCESS, steps
            t_end = save_t[-1]
            if e < n_ev and ev.time[e] < t_end:
                t_end = float(ev.time[e])
            inside = save_t[(save_t > t) & (save_t < t_end)]
            pr = p.copy()
            rr = rate.copy()
            extra = (
                {"jac": lambda tt, yy, pr=pr: np.asarray(self._jac(tt, yy, pr), dtype=float)}
                if uses_jac else {}
            )
            sol = solve_ivp(
                lambda tt, yy, pr=pr, rr=rr: np.asarray(self._rhs(tt, yy, pr)) + rr,
                (t, t_end),
                y,
                method=method,
                t_eval=np.concatenate([inside, [t_end]]),
                rtol=rtol,
                atol=atol,
                **extra,
            )
            steps += int(sol.nfev)
            if sol.status != 0:
                return STEP_UNDERFLOW, steps
            if not np.all(np.isfinite(sol.y)):
                return NON_FINITE, steps
            for k in range(inside.shape[0]):
                row[s] = self._full(float(sol.t[k]), sol.y[:, k], p)[record]
                s += 1
            y = sol.y[:, -1].copy()
            t = t_end
