# ruff: noqa: F821
"""Batched ODE integration kernels, compiled with Numba once per model.

This file is a template, never imported by itself: :mod:`hematwin.engine.numba_backend`
writes a module that holds a model's generated functions (``model_rhs``, ``model_jac``,
``model_dfdt``, ``model_init``, ``model_outputs`` and the constants ``N_STATES``,
``N_OUTPUTS``, ``IS_AUTONOMOUS``) followed by this source, so that every kernel below
calls the model directly and the whole module is cached on disk by Numba.

Methods:
- Dormand–Prince 5(4) with the order-4 dense output (tableaus in ``tableaus.py``).
- Rosenbrock 2(3) "ode23s" of Shampine & Reichelt (1997), L-stable, with the analytic
  Jacobian and ∂f/∂t; its own continuous extension for dense output.

Closed-form linear block (``model/linear_block.py``): when the model has one (``N_LIN > 0``)
its states follow y_L(t_a + τ) = V (e^{Λτ} z + (e^{Λτ} − 1)/Λ w) from the eigen-decomposition
A = V Λ V⁻¹ (z = V⁻¹ y_L(t_a), w = V⁻¹ (b + rate_L)), recomputed after parameter changes;
only the other states are stepped and error-controlled. If A has complex or defective
eigenvalues the patient falls back to integrating every state.

Delay differential equations (``N_DELAYS > 0``): method of steps with the step size capped
at the shortest delay, every accepted step stored with its stages so that a delayed value
y(t − τ) is read from the DP5 dense output (order 4, matching the solver) at any past time;
y(t) for t < t0 is the model's declared history (``model_history``, an expression of t and
the patient's parameters) or else the initial state; at t0 itself the initial state (a
history that ends elsewhere is a jump, whose echoes at t0 + kτ are breakpoints). The
derivative discontinuities at t0 + kτ (k ≤ 5) of the constant delays are stepped on
exactly. State-dependent delays (``N_VARIABLE_DELAYS``): the lag τ(t, y) is evaluated with
every right-hand side (``model_lags``); the step is capped at the model's declared lower
bound ``min_lag`` or, without one, at the current lag; a step on which a lag leaves
[0, max_lag] is halved until the crossing is located (step < 1e-10·t), where the patient
stops with LAG_OUT_OF_RANGE.
Their derivative discontinuities (where t − τ(t) crosses t0) are left to error control.

Event semantics (see ``events.py``): integration stops at each event time; events at time t
are applied in order, then save points at t are recorded (right-continuous trajectories).
"""

import math

import numba as nb
import numpy as np

from hematwin.engine.events import BOLUS, RATE_CHANGE, RESET, SET_PARAM, SET_STATE
from hematwin.engine.status import (
    LAG_OUT_OF_RANGE,
    MAX_STEPS,
    NON_FINITE,
    SINGULAR_MATRIX,
    STEP_UNDERFLOW,
    SUCCESS,
)
from hematwin.engine.tableaus import DP5_A, DP5_C, DP5_E, DP5_P, ROS23_D, ROS23_E32

METHOD_DP5 = 0
METHOD_ROS23 = 1

# Scalars are compile-time constants for Numba.
C2, C3, C4, C5 = float(DP5_C[1]), float(DP5_C[2]), float(DP5_C[3]), float(DP5_C[4])
A21 = float(DP5_A[1, 0])
A31, A32 = float(DP5_A[2, 0]), float(DP5_A[2, 1])
A41, A42, A43 = float(DP5_A[3, 0]), float(DP5_A[3, 1]), float(DP5_A[3, 2])
A51, A52, A53, A54 = (float(x) for x in DP5_A[4, :4])
A61, A62, A63, A64, A65 = (float(x) for x in DP5_A[5, :5])
B1, B3, B4, B5, B6 = (float(DP5_A[6, j]) for j in (0, 2, 3, 4, 5))
E1, E3, E4, E5, E6, E7 = (float(DP5_E[j]) for j in (0, 2, 3, 4, 5, 6))
P = np.ascontiguousarray(DP5_P)
RD = float(ROS23_D)
RE32 = float(ROS23_E32)

SAFETY = 0.9
FAC_MIN = 0.2
FAC_MAX = 10.0


@nb.njit(cache=True, error_model="numpy")
def _delayed_values(t, p, hist):
    """z[d] = y_i(t − τ_d) from the stored steps; before t0 the declared history
    (``model_history``) or the initial state; at t0 itself the initial state."""
    hist_t, hist_h, hist_y, hist_K, hmeta, tau, z, y_before = hist
    count = int(hmeta[0])
    for d in range(N_DELAYS):
        i = DELAY_STATE[d]
        s = t - tau[d]
        if DELAY_HISTORY[d] and s < hmeta[1]:
            z[d] = model_history(d, s, p)
            continue
        if count == 0 or s <= hmeta[1]:
            z[d] = y_before[i]
            continue
        lo = 0
        hi = count - 1
        while lo < hi:  # last stored step starting at or before s
            mid = (lo + hi + 1) // 2
            if hist_t[mid] <= s:
                lo = mid
            else:
                hi = mid - 1
        h = hist_h[lo]
        theta = (s - hist_t[lo]) / h
        th2 = theta * theta
        th3 = th2 * theta
        th4 = th3 * theta
        acc = 0.0
        for j in range(7):
            acc += hist_K[lo, j, i] * (P[j, 0] * theta + P[j, 1] * th2 + P[j, 2] * th3
                                       + P[j, 3] * th4)
        z[d] = hist_y[lo, i] + h * acc


@nb.njit(cache=True, error_model="numpy")
def _store_step(hist, t, h, y, K):
    """Append an accepted step to the history (DDE only); grows the buffers by doubling."""
    if N_DELAYS == 0:
        return hist
    hist_t, hist_h, hist_y, hist_K, hmeta, tau, z, y_before = hist
    count = int(hmeta[0])
    if count == hist_t.shape[0]:
        cap = 2 * count + 64
        nt = np.empty(cap)
        nh = np.empty(cap)
        ny = np.empty((cap, N_STATES))
        nK = np.empty((cap, 7, N_STATES))
        nt[:count] = hist_t[:count]
        nh[:count] = hist_h[:count]
        ny[:count] = hist_y[:count]
        nK[:count] = hist_K[:count]
        hist = (nt, nh, ny, nK, hmeta, tau, z, y_before)
        hist_t, hist_h, hist_y, hist_K = nt, nh, ny, nK
    hist_t[count] = t
    hist_h[count] = h
    for i in range(N_STATES):
        hist_y[count, i] = y[i]
        for j in range(7):
            hist_K[count, j, i] = K[j, i]
    hmeta[0] = count + 1
    return hist


@nb.njit(cache=True, error_model="numpy")
def _state_dependent_lags(t, y, p, hist):
    """Evaluate every lag at (t, y) into hist's τ; hmeta[3] ← 1 if one is out of range."""
    tau = hist[5]
    hmeta = hist[4]
    model_lags(t, y, p, tau)
    for d in range(N_DELAYS):
        if DELAY_VARIABLE[d] and not (0.0 <= tau[d] <= hmeta[2]):
            hmeta[3] = 1.0


@nb.njit(cache=True, error_model="numpy")
def _shortest_lag(hist):
    """The shortest state-dependent lag last evaluated (caps h when no min_lag is declared)."""
    tau = hist[5]
    m = np.inf
    for d in range(N_DELAYS):
        if DELAY_VARIABLE[d] and tau[d] < m:
            m = tau[d]
    return m


@nb.njit(cache=True, error_model="numpy")
def _f(t, y, p, rate, out, hist):
    if N_VARIABLE_DELAYS > 0:
        _state_dependent_lags(t, y, p, hist)
    if N_DELAYS > 0:
        _delayed_values(t, p, hist)
    model_rhs(t, y, hist[6], p, out)
    for i in range(N_STATES):
        out[i] += rate[i]


@nb.njit(cache=True, error_model="numpy")
def _all_finite(x):
    for i in range(x.shape[0]):
        if not math.isfinite(x[i]):
            return False
    return True


ALL_IDX = np.arange(N_STATES)


@nb.njit(cache=True, error_model="numpy")
def _error_norm(err, y0, y1, rtol, atol, idx):
    """RMS norm over ``idx`` of err scaled by atol + rtol·max(|y0|, |y1|) (Hairer et al.
    1993, II.4)."""
    m = idx.shape[0]
    if m == 0:
        return 0.0
    acc = 0.0
    for k in range(m):
        i = idx[k]
        scale = atol[i] + rtol * max(abs(y0[i]), abs(y1[i]))
        r = err[i] / scale
        acc += r * r
    return math.sqrt(acc / m)


@nb.njit(cache=True, error_model="numpy")
def _fill_linear(t, y, lin):
    """Write the closed-form values of the linear block at time t into y (if active)."""
    LV, Llam, Lz, Lw, lstate = lin
    if N_LIN == 0 or lstate[1] == 0.0:
        return
    tau = t - lstate[0]
    for j in range(N_LIN):
        y[LIN_IDX[j]] = 0.0
    for k in range(N_LIN):
        x = Llam[k] * tau
        em1 = math.expm1(x)
        phi = tau * (1.0 + x * (0.5 + x / 6.0)) if abs(x) < 1e-5 else em1 / Llam[k]
        c = (em1 + 1.0) * Lz[k] + phi * Lw[k]
        for j in range(N_LIN):
            y[LIN_IDX[j]] += LV[j, k] * c


@nb.njit(cache=True, error_model="numpy")
def _decompose_linear(p, LA, Lb, LV, LVi, Llam, lstate):
    """Eigen-decomposition of the block's A; marks the block inactive if it is not real and
    well conditioned (then every state is integrated numerically)."""
    lstate[1] = 0.0
    if N_LIN == 0:
        return
    model_linear(p, LA, Lb)
    for i in range(N_LIN):
        for j in range(N_LIN):
            if not math.isfinite(LA[i, j]):
                return
    lam_c, vec_c = np.linalg.eig(LA.astype(np.complex128))
    scale = 0.0
    for i in range(N_LIN):
        for j in range(N_LIN):
            scale = max(scale, abs(LA[i, j]))
    for k in range(N_LIN):
        if abs(lam_c[k].imag) > 1e-10 * (abs(lam_c[k].real) + scale + 1e-300):
            return
        Llam[k] = lam_c[k].real
        big = 0
        for j in range(N_LIN):
            if abs(vec_c[j, k]) > abs(vec_c[big, k]):
                big = j
        phase = vec_c[big, k] / abs(vec_c[big, k])
        for j in range(N_LIN):
            LV[j, k] = (vec_c[j, k] / phase).real
    det_ok = True
    for k in range(N_LIN):
        if not math.isfinite(Llam[k]):
            det_ok = False
    if not det_ok:
        return
    inv = np.linalg.inv(LV) if np.abs(np.linalg.det(LV)) > 0.0 else LV * np.nan
    for i in range(N_LIN):
        for j in range(N_LIN):
            LVi[i, j] = inv[i, j]
    # reconstruction check: V Λ V⁻¹ must give back A (defective A fails here)
    for i in range(N_LIN):
        for j in range(N_LIN):
            acc = 0.0
            for k in range(N_LIN):
                acc += LV[i, k] * Llam[k] * LVi[k, j]
            if not abs(acc - LA[i, j]) <= 1e-9 * (scale + 1e-300):
                return
    lstate[1] = 1.0


@nb.njit(cache=True, error_model="numpy")
def _start_linear_segment(t, y, rate, Lb, LVi, Lz, Lw, lstate):
    """Project the block's state and input on the eigenvectors at the segment start."""
    if N_LIN == 0 or lstate[1] == 0.0:
        return
    lstate[0] = t
    for k in range(N_LIN):
        z = 0.0
        w = 0.0
        for j in range(N_LIN):
            z += LVi[k, j] * y[LIN_IDX[j]]
            w += LVi[k, j] * (Lb[j] + rate[LIN_IDX[j]])
        Lz[k] = z
        Lw[k] = w


@nb.njit(cache=True, error_model="numpy")
def _initial_step(t, y, f0, p, rate, span, rtol, atol, order, y1, f1, idx, lin, hist):
    """Starting step size (Hairer, Nørsett & Wanner 1993, II.4, algorithm of p. 169)."""
    m = max(idx.shape[0], 1)
    d0 = 0.0
    d1 = 0.0
    for k in range(idx.shape[0]):
        i = idx[k]
        scale = atol[i] + abs(y[i]) * rtol
        d0 += (y[i] / scale) ** 2
        d1 += (f0[i] / scale) ** 2
    d0 = math.sqrt(d0 / m)
    d1 = math.sqrt(d1 / m)
    h0 = 1e-6 if (d0 < 1e-5 or d1 < 1e-5) else 0.01 * d0 / d1
    h0 = min(h0, span)
    for i in range(N_STATES):
        y1[i] = y[i] + h0 * f0[i]
    _fill_linear(t + h0, y1, lin)
    _f(t + h0, y1, p, rate, f1, hist)
    d2 = 0.0
    for k in range(idx.shape[0]):
        i = idx[k]
        scale = atol[i] + abs(y[i]) * rtol
        d2 += ((f1[i] - f0[i]) / scale) ** 2
    d2 = math.sqrt(d2 / m) / h0
    if not math.isfinite(d2):
        return h0 * 1e-3
    if d1 <= 1e-15 and d2 <= 1e-15:
        h1 = max(1e-6, h0 * 1e-3)
    else:
        h1 = (0.01 / max(d1, d2)) ** (1.0 / (order + 1.0))
    return min(100.0 * h0, h1, span)


@nb.njit(cache=True, error_model="numpy")
def _record(t, y, p, record, row, obuf, full):
    for i in range(N_STATES):
        full[i] = y[i]
    if N_OUTPUTS > 0:
        model_outputs(t, y, p, obuf)
        for j in range(N_OUTPUTS):
            full[N_STATES + j] = obuf[j]
    for r in range(record.shape[0]):
        row[r] = full[record[r]]


@nb.njit(cache=True, error_model="numpy")
def _step_factor(err, exponent, grow):
    if err == 0.0:
        return FAC_MAX if grow else 1.0
    fac = SAFETY * err ** (-exponent)
    if not grow:
        fac = min(1.0, fac)
    return min(FAC_MAX, max(FAC_MIN, fac))


@nb.njit(cache=True, error_model="numpy")
def _dp5_segment(t, t_end, y, p, rate, K, ynew, yerr, ys, rtol, atol,
                 save_t, s, record, out_i, obuf, full, nsteps, max_steps, idx, lin, hist, hmax):
    """Integrate from t to t_end exactly (no event inside); record save points in (t, t_end)."""
    n = N_STATES
    T = save_t.shape[0]
    hmeta = hist[4]
    _f(t, y, p, rate, K[0], hist)
    if not _all_finite(K[0]) or not _all_finite(y):
        return NON_FINITE, t, s, nsteps, hist
    if N_VARIABLE_DELAYS > 0 and hmeta[3] != 0.0:
        return LAG_OUT_OF_RANGE, t, s, nsteps, hist
    h = _initial_step(t, y, K[0], p, rate, t_end - t, rtol, atol, 4.0, ynew, K[1], idx, lin, hist)
    grow = True
    while t < t_end:
        if t_end - t <= 1e-14 * max(1.0, abs(t)):
            break  # a remainder below the step floor (events a rounding error apart)
        if nsteps >= max_steps:
            return MAX_STEPS, t, s, nsteps, hist
        if h < 1e-14 * max(1.0, abs(t)):
            return STEP_UNDERFLOW, t, s, nsteps, hist
        if h > hmax:
            h = hmax
        if N_VARIABLE_DELAYS > 0:
            if not HAS_MIN_LAG:
                _state_dependent_lags(t, y, p, hist)
                h = min(h, _shortest_lag(hist))
            hmeta[3] = 0.0
        last = t + h >= t_end
        if last:
            h = t_end - t
        k0, k1, k2, k3, k4, k5, k6 = K[0], K[1], K[2], K[3], K[4], K[5], K[6]
        for i in range(n):
            ys[i] = y[i] + h * A21 * k0[i]
        _fill_linear(t + C2 * h, ys, lin)
        _f(t + C2 * h, ys, p, rate, k1, hist)
        for i in range(n):
            ys[i] = y[i] + h * (A31 * k0[i] + A32 * k1[i])
        _fill_linear(t + C3 * h, ys, lin)
        _f(t + C3 * h, ys, p, rate, k2, hist)
        for i in range(n):
            ys[i] = y[i] + h * (A41 * k0[i] + A42 * k1[i] + A43 * k2[i])
        _fill_linear(t + C4 * h, ys, lin)
        _f(t + C4 * h, ys, p, rate, k3, hist)
        for i in range(n):
            ys[i] = y[i] + h * (A51 * k0[i] + A52 * k1[i] + A53 * k2[i] + A54 * k3[i])
        _fill_linear(t + C5 * h, ys, lin)
        _f(t + C5 * h, ys, p, rate, k4, hist)
        for i in range(n):
            ys[i] = y[i] + h * (
                A61 * k0[i] + A62 * k1[i] + A63 * k2[i] + A64 * k3[i] + A65 * k4[i]
            )
        _fill_linear(t + h, ys, lin)
        _f(t + h, ys, p, rate, k5, hist)
        for i in range(n):
            ynew[i] = y[i] + h * (B1 * k0[i] + B3 * k2[i] + B4 * k3[i] + B5 * k4[i] + B6 * k5[i])
        for j in range(N_LIN):  # the block at t + h was just filled into ys (stage 6, c = 1)
            ynew[LIN_IDX[j]] = ys[LIN_IDX[j]]
        _f(t + h, ynew, p, rate, k6, hist)
        for i in range(n):
            yerr[i] = h * (
                E1 * k0[i] + E3 * k2[i] + E4 * k3[i] + E5 * k4[i] + E6 * k5[i] + E7 * k6[i]
            )
        err = _error_norm(yerr, y, ynew, rtol, atol, idx)
        nsteps += 1
        if not math.isfinite(err):
            h *= FAC_MIN
            grow = False
            continue
        if err > 1.0:
            h *= _step_factor(err, 0.2, False)
            grow = False
            continue
        if N_VARIABLE_DELAYS > 0 and hmeta[3] != 0.0:
            # a lag left its range inside the step: close in on the crossing (the patient
            # stops at the last point where every lag was in range)
            if h <= 1e-10 * max(1.0, abs(t)):
                return LAG_OUT_OF_RANGE, t, s, nsteps, hist
            h *= 0.5
            grow = False
            continue
        t_new = t_end if last else t + h
        while s < T and save_t[s] < t_new:
            theta = (save_t[s] - t) / h
            th2 = theta * theta
            th3 = th2 * theta
            th4 = th3 * theta
            for i in range(n):
                acc = 0.0
                for j in range(7):
                    acc += K[j, i] * (P[j, 0] * theta + P[j, 1] * th2 + P[j, 2] * th3
                                      + P[j, 3] * th4)
                ys[i] = y[i] + h * acc
            _fill_linear(save_t[s], ys, lin)
            _record(save_t[s], ys, p, record, out_i[s], obuf, full)
            s += 1
        hist = _store_step(hist, t, h, y, K)
        t = t_new
        for i in range(n):
            y[i] = ynew[i]
            k0[i] = k6[i]
        h *= _step_factor(err, 0.2, grow)
        grow = True
    return SUCCESS, t, s, nsteps, hist


@nb.njit(cache=True, error_model="numpy")
def _lu_factor(A, piv):
    """In-place LU with partial pivoting; False if singular."""
    n = A.shape[0]
    for k in range(n):
        m = k
        big = abs(A[k, k])
        for i in range(k + 1, n):
            if abs(A[i, k]) > big:
                big = abs(A[i, k])
                m = i
        if big == 0.0 or not math.isfinite(big):
            return False
        piv[k] = m
        if m != k:
            for j in range(n):
                tmp = A[k, j]
                A[k, j] = A[m, j]
                A[m, j] = tmp
        inv = 1.0 / A[k, k]
        for i in range(k + 1, n):
            A[i, k] *= inv
            f = A[i, k]
            if f != 0.0:
                for j in range(k + 1, n):
                    A[i, j] -= f * A[k, j]
    return True


@nb.njit(cache=True, error_model="numpy")
def _lu_solve(LU, piv, b):
    """Solve in place: b <- LU^-1 b."""
    n = LU.shape[0]
    for k in range(n):
        m = piv[k]
        if m != k:
            tmp = b[k]
            b[k] = b[m]
            b[m] = tmp
    for i in range(n):
        acc = b[i]
        for j in range(i):
            acc -= LU[i, j] * b[j]
        b[i] = acc
    for i in range(n - 1, -1, -1):
        acc = b[i]
        for j in range(i + 1, n):
            acc -= LU[i, j] * b[j]
        b[i] = acc / LU[i, i]


@nb.njit(cache=True, error_model="numpy")
def _ros23_segment(t, t_end, y, p, rate, K, ynew, yerr, ys, J, W, piv, dT, rtol, atol,
                   save_t, s, record, out_i, obuf, full, nsteps, max_steps, idx, lin, hist, hmax):
    """Rosenbrock 2(3) of Shampine & Reichelt (1997) from t to t_end (no event inside)."""
    n = N_STATES
    T = save_t.shape[0]
    F0, F1, F2, k1, k2, k3 = K[0], K[1], K[2], K[3], K[4], K[5]
    _f(t, y, p, rate, F0, hist)
    if not _all_finite(F0) or not _all_finite(y):
        return NON_FINITE, t, s, nsteps, hist
    h = _initial_step(t, y, F0, p, rate, t_end - t, rtol, atol, 2.0, ynew, F1, idx, lin, hist)
    linear_active = N_LIN > 0 and lin[4][1] != 0.0
    fresh = False  # whether J and dT belong to the current (t, y)
    grow = True
    while t < t_end:
        if t_end - t <= 1e-14 * max(1.0, abs(t)):
            break  # a remainder below the step floor (events a rounding error apart)
        if nsteps >= max_steps:
            return MAX_STEPS, t, s, nsteps, hist
        if h < 1e-14 * max(1.0, abs(t)):
            return STEP_UNDERFLOW, t, s, nsteps, hist
        if h > hmax:
            h = hmax
        last = t + h >= t_end
        if last:
            h = t_end - t
        if not fresh:
            model_jac(t, y, hist[6], p, J)
            if IS_AUTONOMOUS:
                for i in range(n):
                    dT[i] = 0.0
            else:
                model_dfdt(t, y, hist[6], p, dT)
            if linear_active:
                # the block is an exact forcing: total ∂f/∂t gains J[:, L]·dy_L/dt, and the
                # block's rows and columns leave the iteration matrix
                for i in range(n):
                    for jj in range(N_LIN):
                        dT[i] += J[i, LIN_IDX[jj]] * F0[LIN_IDX[jj]]
                for jj in range(N_LIN):
                    for i in range(n):
                        J[LIN_IDX[jj], i] = 0.0
                        J[i, LIN_IDX[jj]] = 0.0
            fresh = True
        hd = h * RD
        for i in range(n):
            for j in range(n):
                W[i, j] = -hd * J[i, j]
            W[i, i] += 1.0
        nsteps += 1
        if not _lu_factor(W, piv):
            h *= 0.5
            grow = False
            if h < 1e-14 * max(1.0, abs(t)):
                return SINGULAR_MATRIX, t, s, nsteps, hist
            continue
        for i in range(n):
            k1[i] = F0[i] + hd * dT[i]
        _lu_solve(W, piv, k1)
        for i in range(n):
            ys[i] = y[i] + 0.5 * h * k1[i]
        _fill_linear(t + 0.5 * h, ys, lin)
        _f(t + 0.5 * h, ys, p, rate, F1, hist)
        for i in range(n):
            k2[i] = F1[i] - k1[i]
        _lu_solve(W, piv, k2)
        for i in range(n):
            k2[i] += k1[i]
            ynew[i] = y[i] + h * k2[i]
        _fill_linear(t + h, ynew, lin)
        _f(t + h, ynew, p, rate, F2, hist)
        for i in range(n):
            k3[i] = F2[i] - RE32 * (k2[i] - F1[i]) - 2.0 * (k1[i] - F0[i]) + hd * dT[i]
        _lu_solve(W, piv, k3)
        for i in range(n):
            yerr[i] = h / 6.0 * (k1[i] - 2.0 * k2[i] + k3[i])
        err = _error_norm(yerr, y, ynew, rtol, atol, idx)
        if not math.isfinite(err):
            h *= FAC_MIN
            grow = False
            continue
        if err > 1.0:
            h *= _step_factor(err, 1.0 / 3.0, False)
            grow = False
            continue
        t_new = t_end if last else t + h
        denom = 1.0 - 2.0 * RD
        while s < T and save_t[s] < t_new:
            u = (save_t[s] - t) / h
            c1 = u * (1.0 - u) / denom
            c2 = u * (u - 2.0 * RD) / denom
            for i in range(n):
                ys[i] = y[i] + h * (c1 * k1[i] + c2 * k2[i])
            _fill_linear(save_t[s], ys, lin)
            _record(save_t[s], ys, p, record, out_i[s], obuf, full)
            s += 1
        t = t_new
        for i in range(n):
            y[i] = ynew[i]
            F0[i] = F2[i]
        fresh = False
        h *= _step_factor(err, 1.0 / 3.0, grow)
        grow = True
    return SUCCESS, t, s, nsteps, hist


@nb.njit(cache=True, error_model="numpy")
def _apply_event(kind, target, value, y, p, rate):
    if kind == BOLUS:
        y[target] += value
    elif kind == RATE_CHANGE:
        rate[target] += value
    elif kind == RESET:
        model_init(p, y)
        for i in range(N_STATES):
            rate[i] = 0.0
    elif kind == SET_STATE:
        y[target] = value
    elif kind == SET_PARAM:
        p[target] = value
        return True
    return False


@nb.njit(cache=True, error_model="numpy")
def solve_one(p_in, ev_time, ev_kind, ev_target, ev_value, e0, e1, t0, save_t, record,
              rtol, atol, max_steps, method, out_i):
    """One patient: events e0:e1 of the CSR arrays; fills out_i[T, len(record)].

    ``method`` is compiled as a literal, so the branch of the other method is pruned."""
    nb.literally(method)
    n = N_STATES
    p = p_in.copy()
    # covariates given at t0 are the individual's values from the start: the initial state
    # is computed with them (NONMEM uses the first record's covariates)
    for e in range(e0, e1):
        if ev_time[e] > t0:
            break
        if ev_kind[e] == SET_PARAM:
            p[ev_target[e]] = ev_value[e]
    y = np.empty(n)
    model_init(p, y)
    rate = np.zeros(n)
    K = np.empty((7, n))
    ynew = np.empty(n)
    yerr = np.empty(n)
    ys = np.empty(n)
    obuf = np.empty(max(N_OUTPUTS, 1))
    full = np.empty(n + N_OUTPUTS)
    if method == METHOD_ROS23:
        J = np.empty((n, n))
        W = np.empty((n, n))
    else:
        J = np.empty((0, 0))
        W = np.empty((0, 0))
    piv = np.empty(n, dtype=np.int64)
    dT = np.empty(n)
    m = max(N_LIN, 1)
    LA = np.empty((m, m))
    Lb = np.empty(m)
    LV = np.empty((m, m))
    LVi = np.empty((m, m))
    Llam = np.empty(m)
    Lz = np.empty(m)
    Lw = np.empty(m)
    lstate = np.zeros(2)  # segment start time, block active (1) or not (0)
    lin = (LV, Llam, Lz, Lw, lstate)
    _decompose_linear(p, LA, Lb, LV, LVi, Llam, lstate)
    # history for delay equations (empty buffers when the model has no delay)
    nd = max(N_DELAYS, 1)
    tau = np.empty(nd)
    model_delays(p, tau)
    y_before = y.copy()
    bounds = np.empty(2)
    model_lag_bounds(p, bounds)
    hmeta = np.array([0.0, t0, bounds[1], 0.0])  # steps stored, t0, max lag, lag-range flag
    hist = (np.empty(0), np.empty(0), np.empty((0, n)), np.empty((0, 7, n)), hmeta, tau,
            np.zeros(nd), y_before)
    hmax = np.inf
    n_break = 5 * (N_DELAYS - N_VARIABLE_DELAYS)
    breaks = np.empty(max(n_break, 1))
    nb_ = 0
    for d in range(N_DELAYS):
        hmax = min(hmax, tau[d])  # a state-dependent lag contributes its declared min_lag
        if DELAY_VARIABLE[d]:
            continue
        for k in range(5):
            breaks[nb_] = t0 + (k + 1) * tau[d]
            nb_ += 1
    breaks = np.sort(breaks[:n_break])
    b = 0
    T = save_t.shape[0]
    t = t0
    e = e0
    s = 0
    nsteps = 0
    status = SUCCESS
    while True:
        params_changed = False
        while e < e1 and ev_time[e] <= t:
            if _apply_event(ev_kind[e], ev_target[e], ev_value[e], y, p, rate):
                params_changed = True
            e += 1
        if params_changed:
            _decompose_linear(p, LA, Lb, LV, LVi, Llam, lstate)
        while s < T and save_t[s] <= t:
            _record(t, y, p, record, out_i[s], obuf, full)
            s += 1
        if s >= T:
            break
        t_end = save_t[T - 1]
        if e < e1 and ev_time[e] < t_end:
            t_end = ev_time[e]
        while b < n_break and breaks[b] <= t:
            b += 1
        if b < n_break and breaks[b] < t_end:
            t_end = breaks[b]  # derivative discontinuity of the delay equation
        _start_linear_segment(t, y, rate, Lb, LVi, Lz, Lw, lstate)
        idx = ODE_IDX if lstate[1] != 0.0 else ALL_IDX
        if method == METHOD_ROS23:
            status, t, s, nsteps, hist = _ros23_segment(
                t, t_end, y, p, rate, K, ynew, yerr, ys, J, W, piv, dT, rtol, atol,
                save_t, s, record, out_i, obuf, full, nsteps, max_steps, idx, lin, hist, hmax)
        else:
            status, t, s, nsteps, hist = _dp5_segment(
                t, t_end, y, p, rate, K, ynew, yerr, ys, rtol, atol,
                save_t, s, record, out_i, obuf, full, nsteps, max_steps, idx, lin, hist, hmax)
        if status != SUCCESS:
            for ss in range(s, T):
                for r in range(record.shape[0]):
                    out_i[ss, r] = np.nan
            break
        t = t_end  # land exactly on the event or end time
    return status, nsteps


@nb.njit(cache=True, parallel=True, error_model="numpy")
def solve_batch_dp5(params, ev_ptr, ev_time, ev_kind, ev_target, ev_value, t0, save_t,
                    record, rtol, atol, max_steps, out, status, nsteps):
    """All patients in parallel with Dormand–Prince (one prange iteration per patient).

    One kernel per method, so that a model only ever integrated explicitly never compiles
    its Jacobian (the largest generated function of a big model)."""
    for i in nb.prange(params.shape[0]):
        st, ns = solve_one(params[i], ev_time, ev_kind, ev_target, ev_value, ev_ptr[i],
                           ev_ptr[i + 1], t0, save_t, record, rtol, atol, max_steps,
                           METHOD_DP5, out[i])
        status[i] = st
        nsteps[i] = ns


@nb.njit(cache=True, parallel=True, error_model="numpy")
def solve_batch_ros23(params, ev_ptr, ev_time, ev_kind, ev_target, ev_value, t0, save_t,
                      record, rtol, atol, max_steps, out, status, nsteps):
    """All patients in parallel with the Rosenbrock method."""
    for i in nb.prange(params.shape[0]):
        st, ns = solve_one(params[i], ev_time, ev_kind, ev_target, ev_value, ev_ptr[i],
                           ev_ptr[i + 1], t0, save_t, record, rtol, atol, max_steps,
                           METHOD_ROS23, out[i])
        status[i] = st
        nsteps[i] = ns


@nb.njit(cache=True, error_model="numpy")
def initial_states(params, out):
    """Initial values of every patient (for reports and steady-state checks)."""
    for i in range(params.shape[0]):
        model_init(params[i], out[i])
