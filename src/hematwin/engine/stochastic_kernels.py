"""Numba kernels of the stochastic simulators: one run per ``prange`` iteration.

Each run reads its own xoshiro256** state (``rng[r]``, from
:func:`hematwin.engine.stochastic_rng.run_states`), so its numbers do not depend on the
thread that runs it. States are float64 holding integer counts (exact below 2**53).

References
----------
- Gillespie DT. A general method for numerically simulating the stochastic time evolution
  of coupled chemical reactions. J Comput Phys 1976;22:403–434 (direct method).
- Gillespie DT. Exact stochastic simulation of coupled chemical reactions. J Phys Chem
  1977;81:2340–2361.
- Cao Y, Gillespie DT, Petzold LR. Avoiding negative populations in explicit Poisson
  tau-leaping. J Chem Phys 2005;123:054104 (critical reactions, n_c).
- Cao Y, Gillespie DT, Petzold LR. Efficient step size selection for the tau-leaping
  simulation method. J Chem Phys 2006;124:044109 (tau selection, eqs. 32–33, and the
  procedure of section IV: SSA fallback below 10/a0, halving tau on a negative population).
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from hematwin.engine.status import MAX_STEPS, NON_FINITE, SUCCESS
from hematwin.engine.stochastic_rng import exponential, poisson, uniform

_INF = np.inf


@nb.njit
def _total(a):
    """Sum of propensities; -1 when one is negative or not finite (invalid)."""
    a0 = 0.0
    for j in range(a.shape[0]):
        if not (a[j] >= 0.0 and a[j] < _INF):
            return -1.0
        a0 += a[j]
    return a0


@nb.njit
def _select(a, target, mask, use_mask):
    """Index j with cumsum(a)[j-1] ≤ target < cumsum(a)[j] (restricted to mask)."""
    acc = 0.0
    last = -1
    for j in range(a.shape[0]):
        if use_mask and not mask[j]:
            continue
        if a[j] > 0.0:
            last = j
            acc += a[j]
            if target < acc:
                return j
    return last  # rounding: target ≥ the float sum


@nb.njit
def _fire(x, stoich, j, times):
    for i in range(x.shape[0]):
        x[i] += times * stoich[j, i]


@nb.njit(parallel=True)
def ssa_batch(prop, x0, params, stoich, times, t0, rng, max_steps,
              out, status, n_steps, t_absorb):
    """Gillespie's direct method for every run; the state at a save time t is the state
    after the last event before t (piecewise constant, right-continuous)."""
    n_runs, n_species = x0.shape
    n_react = stoich.shape[0]
    n_t = times.shape[0]
    empty = np.zeros(1, dtype=np.bool_)
    for r in nb.prange(n_runs):
        s = rng[r].copy()
        x = x0[r].copy()
        p = params[r]
        a = np.empty(n_react)
        t = t0
        i_save = 0
        n = 0
        code = SUCCESS
        while True:
            prop(x, p, a)
            a0 = _total(a)
            if a0 < 0.0:
                code = NON_FINITE
                break
            if a0 == 0.0:  # absorbing state: nothing can happen any more
                t_absorb[r] = t
                t_next = _INF
            else:
                t_next = t + exponential(s, a0)
            while i_save < n_t and times[i_save] < t_next:
                for i in range(n_species):
                    out[r, i_save, i] = x[i]
                i_save += 1
            if i_save == n_t:
                break
            if n >= max_steps:
                code = MAX_STEPS
                break
            j = _select(a, a0 * uniform(s), empty, False)
            _fire(x, stoich, j, 1.0)
            t = t_next
            n += 1
        for k in range(i_save, n_t):
            for i in range(n_species):
                out[r, k, i] = np.nan
        status[r] = code
        n_steps[r] = n


@nb.njit
def _g(xi, nu, order):
    """Cao 2006 g_i for a species with coefficient nu in a reaction of the given order:
    (order/nu) · Σ_{k<nu} x/(x−k) — 1, 2, 2 + 1/(x−1), 3, (3/2)(2 + 1/(x−1)),
    3 + 1/(x−1) + 2/(x−2) for the cases listed in section IV of the paper."""
    if nu == 1:
        return float(order)
    acc = 0.0
    for k in range(nu):
        if xi - k <= 0.0:
            return float(order)  # the reaction cannot fire; the bound max(., 1) applies
        acc += xi / (xi - k)
    return order / nu * acc


@nb.njit
def _tau_candidate(x, a, stoich, reactant, order, critical, eps):
    """τ' of Cao 2006 eq. (33) over the non-critical reactions (∞ if none)."""
    n_react, n_species = stoich.shape
    tau = _INF
    for i in range(n_species):
        g = 0.0
        for j in range(n_react):
            nu = reactant[j, i]
            if nu > 0:
                g = max(g, _g(x[i], nu, order[j]))
        if g == 0.0:  # not a reactant species
            continue
        mu = 0.0
        sig2 = 0.0
        for j in range(n_react):
            if not critical[j]:
                v = stoich[j, i]
                mu += v * a[j]
                sig2 += v * v * a[j]
        bound = max(eps * x[i] / g, 1.0)
        if mu != 0.0:
            tau = min(tau, bound / abs(mu))
        if sig2 > 0.0:
            tau = min(tau, bound * bound / sig2)
    return tau


@nb.njit
def _mark_critical(x, a, stoich, n_critical, critical):
    """Cao 2005: a reaction is critical when it could exhaust a reactant within n_c
    firings, L_j = min_{i: v_ij < 0} floor(x_i/|v_ij|) < n_c."""
    n_react, n_species = stoich.shape
    for j in range(n_react):
        lj = _INF
        for i in range(n_species):
            v = stoich[j, i]
            if v < 0.0:
                lj = min(lj, math.floor(x[i] / -v))
        critical[j] = a[j] > 0.0 and lj < n_critical


@nb.njit(parallel=True)
def tau_leap_batch(prop, x0, params, stoich, reactant, order, times, t0, rng, max_steps,
                   eps, n_critical, ssa_factor, n_ssa, out, status, n_steps, t_absorb):
    """Explicit Poisson tau-leaping with Cao 2006 step selection for every run.

    A leap never crosses a save time (it is shortened to end on it, with no critical
    firing, which is exact for the exponential waiting time of the critical reactions).
    n_steps counts leaps plus single SSA steps.
    """
    n_runs, n_species = x0.shape
    n_react = stoich.shape[0]
    n_t = times.shape[0]
    empty = np.zeros(1, dtype=np.bool_)
    for r in nb.prange(n_runs):
        s = rng[r].copy()
        x = x0[r].copy()
        xn = np.empty(n_species)
        p = params[r]
        a = np.empty(n_react)
        critical = np.zeros(n_react, dtype=np.bool_)
        t = t0
        i_save = 0
        n = 0
        ssa_left = 0
        code = SUCCESS
        while True:
            while i_save < n_t and times[i_save] <= t:
                for i in range(n_species):
                    out[r, i_save, i] = x[i]
                i_save += 1
            if i_save == n_t:
                break
            if n >= max_steps:
                code = MAX_STEPS
                break
            prop(x, p, a)
            a0 = _total(a)
            if a0 < 0.0:
                code = NON_FINITE
                break
            if a0 == 0.0:
                t_absorb[r] = t
                while i_save < n_t:
                    for i in range(n_species):
                        out[r, i_save, i] = x[i]
                    i_save += 1
                break
            t_save = times[i_save]
            if ssa_left == 0:
                _mark_critical(x, a, stoich, n_critical, critical)
                tau1 = _tau_candidate(x, a, stoich, reactant, order, critical, eps)
                if tau1 < ssa_factor / a0:
                    ssa_left = n_ssa
            if ssa_left > 0:  # exact step: leaping would fire too few reactions
                t_next = t + exponential(s, a0)
                while i_save < n_t and times[i_save] < t_next:
                    for i in range(n_species):
                        out[r, i_save, i] = x[i]
                    i_save += 1
                if i_save == n_t:
                    break
                _fire(x, stoich, _select(a, a0 * uniform(s), empty, False), 1.0)
                t = t_next
                n += 1
                ssa_left -= 1
                continue
            a0c = 0.0
            for j in range(n_react):
                if critical[j]:
                    a0c += a[j]
            while True:  # leap; on a negative population halve tau' (Cao 2006, step 6)
                tau2 = exponential(s, a0c) if a0c > 0.0 else _INF
                if tau1 < tau2:
                    tau = tau1
                    jc = -1
                else:
                    tau = tau2
                    jc = _select(a, a0c * uniform(s), critical, True)
                ends_on_save = t + tau >= t_save
                if ends_on_save:
                    tau = t_save - t
                    jc = -1
                for i in range(n_species):
                    xn[i] = x[i]
                for j in range(n_react):
                    if not critical[j] and a[j] > 0.0:
                        k = poisson(s, a[j] * tau)
                        if k > 0.0:
                            _fire(xn, stoich, j, k)
                if jc >= 0:
                    _fire(xn, stoich, jc, 1.0)
                negative = False
                for i in range(n_species):
                    if xn[i] < 0.0:
                        negative = True
                if not negative:
                    break
                tau1 *= 0.5
                if tau1 < ssa_factor / a0:
                    break
            n += 1
            if negative:  # tau' shrank below the SSA threshold: go exact for a while
                ssa_left = n_ssa
                continue
            for i in range(n_species):
                x[i] = xn[i]
            t = t_save if ends_on_save else t + tau
        for k in range(i_save, n_t):
            for i in range(n_species):
                out[r, k, i] = np.nan
        status[r] = code
        n_steps[r] = n
