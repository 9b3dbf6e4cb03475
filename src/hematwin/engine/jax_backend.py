"""Batched, differentiable ODE integration with events in JAX (jit + vmap, float64).

One patient is integrated by :func:`solve_one`, a pure function of its parameters and its
padded event list: it can be jitted, vmapped over patients and differentiated in forward mode
(``jax.jacfwd``) with respect to the parameters or event values (e.g. doses) for fitting.
:func:`solve_batch_jax` vmaps it over a cohort in fixed-size chunks so that memory stays
bounded for 10⁵–10⁶ patients and XLA compiles once per shape; it runs on whatever device JAX
uses (CPU, GPU).

Semantics (shared with the Numba backend)
-----------------------------------------
- ``y(t0) = init(p)``, infusion rates 0; the integrated vector field is ``rhs(t, y, p) + rate``.
- At an event time every event with that time is applied in table order (kinds in
  :mod:`hematwin.engine.events`): BOLUS ``y[k] += v``; RATE_CHANGE ``rate[k] += v``; RESET
  ``y = init(p)``, ``rate = 0``; SET_STATE ``y[k] = v``; SET_PARAM ``p[k] = v``. Steps never
  cross an event: integration stops at it and restarts there with a fresh derivative and
  Hairer's starting step.
- A save point ``ts`` sees the state after the events at ``ts`` (right-continuous
  trajectory); save points inside a step come from the method's continuous extension. The
  saved vector is ``concat(y, outputs(t, y, p))[record]``.
- Step control: ``err = RMS_i(e_i / (atol + rtol·max(|y_i|, |y_new_i|)))``, accept if
  ``err <= 1``, next step ``h·clip(0.9·err^(-1/q), 0.2, 10)`` (no growth right after a
  rejection), ``q = 5`` (dp5) or ``3`` (ros23). A trial step with a non-finite result is
  rejected and the step cut by 5.
- Linear block (``fns.linear``, :mod:`hematwin.engine.jax_linear`): a patient whose block
  A is real-diagonalisable has its block states in closed form at every evaluation of the
  field, at accepted step ends and at save points; the error norms (step control and
  starting step) then run over the other states only, and the stiff method's Jacobian
  loses the block's columns. A is decomposed at t0 and again after a SET_PARAM event.
- Failures (codes in :mod:`hematwin.engine.status`): a non-finite state, parameter or
  derivative at a (re)start → NON_FINITE; proposed step below ``1e-14·max(1, |t|)`` →
  STEP_UNDERFLOW; more than ``max_steps`` step attempts → MAX_STEPS. The patient stops, its
  remaining saved values stay NaN, the other patients go on.

Differentiation: the step sizes are treated as constants (``lax.stop_gradient``), so the
derivative is that of the Runge–Kutta map along the step sequence actually taken — a
consistent approximation of the forward sensitivities (the "internal numerical
differentiation" of Bock, 1981). Reverse mode is not supported: the step loop is a
``lax.while_loop`` of data-dependent length.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from hematwin.engine import events as ev
from hematwin.engine import jax_linear as jl
from hematwin.engine import status as st
from hematwin.engine.events import EventTable
from hematwin.engine.jax_linear import JaxLinearBlock, LinearState
from hematwin.engine.jax_steppers import STEPPERS, Stepper, initial_step
from hematwin.errors import RegimenError, SolverError

jax.config.update("jax_enable_x64", True)

Array = jax.Array

DEFAULT_CHUNK_SIZE = {"cpu": 256}
"""Patients per compiled call of :func:`solve_batch_jax` by JAX backend (the last chunk is
padded); :data:`DEFAULT_CHUNK_SIZE_ACCELERATOR` elsewhere. On CPU a chunk's working set
should stay near the cache size, and a chunk runs as long as its slowest patient: on the
Friberg cohort (N = 10⁴, 2 cores) 256 gave 3,900 patients/s, 128: 3,000, 512: 3,200,
4096: 1,100 (benchmarks/jax_smoke.py)."""
DEFAULT_CHUNK_SIZE_ACCELERATOR = 16384

_UNDERFLOW = 1e-14  # relative step-size floor: h < 1e-14 * max(1, |t|) is an underflow


@dataclass(frozen=True)
class JaxModelFunctions:
    """A compiled model as JAX functions of one patient (jnp arrays, float64).

    Attributes
    ----------
    n_states, n_params, n_outputs:
        Sizes of ``y``, ``p`` and the derived outputs.
    rhs:
        ``rhs(t, y, p) -> dy/dt`` [n_states], time in the model's unit (usually days).
    init:
        ``init(p) -> y0`` [n_states], the initial (and RESET) state.
    outputs:
        ``outputs(t, y, p) -> out`` [n_outputs] (e.g. ``anc``); may return an empty array.
    jac:
        ``jac(t, y, p) -> ∂rhs/∂y`` [n_states, n_states]; ``None`` means ``jax.jacfwd`` of
        ``rhs``. Used by the stiff method only.
    linear:
        The model's linear time-invariant block, solved in closed form
        (:mod:`hematwin.engine.jax_linear`); ``None``: every state is stepped.
    """

    n_states: int
    n_params: int
    n_outputs: int
    rhs: Callable[[Array, Array, Array], Array]
    init: Callable[[Array], Array]
    outputs: Callable[[Array, Array, Array], Array]
    jac: Callable[[Array, Array, Array], Array] | None = None
    linear: JaxLinearBlock | None = None

    def jacobian(self, t: Array, y: Array, p: Array) -> Array:
        """∂rhs/∂y, from ``jac`` if given, else by forward-mode autodiff."""
        if self.jac is not None:
            return self.jac(t, y, p)
        return jax.jacfwd(self.rhs, argnums=1)(t, y, p)


class _Carry(NamedTuple):
    """The loop state of a batch of B patients (leading axis B)."""

    t: Array  # [B] current time (a stop or the end of an accepted step)
    y: Array  # [B, n_states]
    p: Array  # [B, n_params], changed by SET_PARAM
    rate: Array  # [B, n_states] infusion rates
    f0: Array  # [B, n_states] effective derivative at (t, y); stale while ``fresh``
    h: Array  # [B] proposed next step size
    fresh: Array  # [B] bool: at a (re)start, f0 and h must be recomputed
    rejected: Array  # [B] bool: the last trial step was rejected (no growth on the next)
    ev_i: Array  # [B] index of the next event not yet applied
    save_i: Array  # [B] index of the next save point not yet filled
    out: Array  # [B, n_save, n_record], NaN where not (yet) filled
    status: Array  # [B] status code, st.SUCCESS while running
    n_steps: Array  # [B] trial steps taken (accepted + rejected)
    p_changed: Array  # [B] bool: a SET_PARAM since the last decomposition of the block
    lin: LinearState | None  # closed-form data of the linear block (None: no block)


def solve_one(
    fns: JaxModelFunctions,
    p: Array,
    ev_time: Array,
    ev_kind: Array,
    ev_target: Array,
    ev_value: Array,
    n_ev: Array | int,
    t0: Array | float,
    save_t: Array,
    record: Array,
    *,
    method: str = "dp5",
    rtol: Array | float = 1e-6,
    atol: Array | float = 1e-8,
    max_steps: Array | int = 100_000,
) -> tuple[Array, Array, Array]:
    """Integrate one patient; a pure JAX function (jit, vmap and jacfwd compose with it).

    Parameters
    ----------
    fns:
        The model (static: closed over, not traced).
    p:
        float64[n_params] parameters at ``t0``.
    ev_time, ev_kind, ev_target, ev_value:
        The patient's events padded to a common width W ≥ 1 (a row of
        :meth:`EventTable.padded`): times sorted and ≥ ``t0``; entries at and after
        ``n_ev`` are ignored.
    n_ev:
        Number of real events (int).
    t0:
        Start time (model time unit).
    save_t:
        float64[T] save times, sorted, ≥ ``t0``; integration ends at ``save_t[-1]``.
    record:
        int[R] indices into ``concat(states, outputs)`` to save.
    method:
        ``"dp5"`` (explicit Dormand–Prince 5(4)) or ``"ros23"`` (Rosenbrock 2(3), stiff).
    rtol, atol:
        Relative and absolute tolerances of the local error (state units).
    max_steps:
        Guard on the number of trial steps.

    Returns
    -------
    values:
        float64[T, R]; NaN from the failure time on if the patient failed.
    status:
        int scalar, a code of :mod:`hematwin.engine.status`.
    n_steps:
        int scalar, trial steps taken (accepted and rejected).
    """
    values, status, n_steps = solve_many(
        fns,
        jnp.asarray(p)[None],
        jnp.asarray(ev_time)[None],
        jnp.asarray(ev_kind)[None],
        jnp.asarray(ev_target)[None],
        jnp.asarray(ev_value)[None],
        jnp.asarray(n_ev)[None],
        t0,
        save_t,
        record,
        method=method,
        rtol=rtol,
        atol=atol,
        max_steps=max_steps,
    )
    return values[0], status[0], n_steps[0]


def solve_many(
    fns: JaxModelFunctions,
    p: Array,
    ev_time: Array,
    ev_kind: Array,
    ev_target: Array,
    ev_value: Array,
    n_ev: Array,
    t0: Array | float,
    save_t: Array,
    record: Array,
    *,
    method: str = "dp5",
    rtol: Array | float = 1e-6,
    atol: Array | float = 1e-8,
    max_steps: Array | int = 100_000,
) -> tuple[Array, Array, Array]:
    """Integrate a batch of B patients at once; the batched form of :func:`solve_one`.

    The arguments of :func:`solve_one` with a leading patient axis on ``p`` [B, n_params],
    the event arrays [B, W] and ``n_ev`` [B]; returns values [B, T, R], status [B] and
    n_steps [B]. Written as one loop over the whole batch (rather than ``vmap`` of a
    per-patient loop) so that its predicates are scalars: the restart and event work is
    skipped when no patient needs it, and saves write single rows instead of selecting the
    whole output buffer at every step.
    """
    stepper = _stepper(method)
    p = jnp.asarray(p, dtype=jnp.float64)
    ev_time = jnp.asarray(ev_time, dtype=jnp.float64)
    ev_kind = jnp.asarray(ev_kind)
    ev_target = jnp.asarray(ev_target)
    ev_value = jnp.asarray(ev_value, dtype=jnp.float64)
    save_t = jnp.asarray(save_t, dtype=jnp.float64)
    record = jnp.asarray(record)
    t0 = jnp.asarray(t0, dtype=jnp.float64)
    rtol = jnp.asarray(rtol, dtype=jnp.float64)
    atol = jnp.asarray(atol, dtype=jnp.float64)

    n_states, n_params = fns.n_states, fns.n_params
    batch, width = ev_time.shape
    n_save = save_t.shape[0]
    t_end = save_t[n_save - 1]
    rows = jnp.arange(batch)
    ev_time = jnp.where(jnp.arange(width)[None, :] < jnp.asarray(n_ev)[:, None], ev_time, jnp.inf)
    block = fns.linear

    # --- per-patient pieces, vmapped over the batch -----------------------------------
    def observe_one(t: Array, y: Array, p: Array) -> Array:
        return jnp.concatenate([y, jnp.atleast_1d(fns.outputs(t, y, p))])[record]

    def fill_one(lin: LinearState | None, t: Array, y: Array) -> Array:
        return y if block is None else jl.fill(block, lin, t, y)

    def apply_one(y: Array, rate: Array, p: Array, kind: Array, target: Array, value: Array):
        ks = jnp.clip(target, 0, n_states - 1)
        kp = jnp.clip(target, 0, n_params - 1)
        reset = kind == ev.RESET
        y = jnp.where(kind == ev.BOLUS, y.at[ks].add(value), y)
        y = jnp.where(kind == ev.SET_STATE, y.at[ks].set(value), y)
        y = jnp.where(reset, fns.init(p), y)
        rate = jnp.where(kind == ev.RATE_CHANGE, rate.at[ks].add(value), rate)
        rate = jnp.where(reset, jnp.zeros_like(rate), rate)
        p = jnp.where(kind == ev.SET_PARAM, p.at[kp].set(value), p)
        return y, rate, p

    if block is not None:
        lin_cols = np.zeros(n_states, dtype=bool)
        lin_cols[list(block.linear)] = True

    def start_one(t: Array, y: Array, p: Array, rate: Array, span: Array, lin):
        f = _field(fns, p, rate, lin)
        f0 = f(t, y)
        if block is None:
            return f0, initial_step(f, t, y, f0, span, stepper.order_exp, rtol, atol)
        mask = jnp.where(lin.active, jnp.asarray(~lin_cols), True)
        h0 = initial_step(f, t, y, f0, span, stepper.order_exp, rtol, atol, mask)
        if not block.ode:  # nothing left to step: one step per segment
            h0 = jnp.where(lin.active, span, h0)
        return f0, h0

    def step_one(t: Array, y: Array, p: Array, rate: Array, f0: Array, h: Array, lin):
        def jac(t: Array, y: Array) -> Array:
            if block is None:
                return fns.jacobian(t, y, p)
            # The block is an exact forcing: its columns leave the Jacobian (then its rows
            # are zero too); ∂f/∂t gains J[:, L]·dy_L/dt through the time derivative of
            # the filled field, which the stepper takes by forward mode.
            j = fns.jacobian(t, jl.fill(block, lin, t, y), p)
            return jnp.where(lin.active & jnp.asarray(lin_cols)[None, :], 0.0, j)

        return stepper.step(_field(fns, p, rate, lin), jac, t, y, f0, h)

    observe = jax.vmap(observe_one)
    apply_events = jax.vmap(apply_one)
    start = jax.vmap(start_one)
    step = jax.vmap(step_one)
    interpolate = jax.vmap(stepper.interpolate)
    fill = jax.vmap(fill_one)

    def decompose(p: Array) -> LinearState:
        active, lam, v, vi = jl.decompose(block, p)
        zero = jnp.zeros((batch, block.size))
        return LinearState(active, lam, v, vi, jnp.full(batch, t0), zero, zero)

    def error_norm(e: Array, lin: LinearState | None) -> Array:
        if block is None:
            return jnp.sqrt(jnp.mean(e * e, axis=1))
        mask = jl.state_mask(block, n_states, lin.active)
        count = jnp.maximum(jnp.sum(mask, axis=1), 1)
        return jnp.sqrt(jnp.sum(jnp.where(mask, e * e, 0.0), axis=1) / count)

    def event_time(i: Array) -> Array:
        return jnp.where(i < width, ev_time[rows, jnp.minimum(i, width - 1)], jnp.inf)

    def write(out: Array, i: Array, mask: Array, value: Array) -> Array:
        """out[b, i[b]] = value[b] where mask[b] (one row per patient, not the buffer)."""
        i = jnp.minimum(i, n_save - 1)
        return out.at[rows, i].set(jnp.where(mask[:, None], value, out[rows, i]))

    def running(c: _Carry) -> Array:
        return (c.status == st.SUCCESS) & (c.save_i < n_save)

    # --- events at the current time, in table order --------------------------------------
    def event_pending(c: _Carry) -> Array:
        return running(c) & (event_time(c.ev_i) <= c.t)

    def apply_next_event(c: _Carry) -> _Carry:
        due = event_pending(c)
        i = jnp.minimum(c.ev_i, width - 1)
        kind = ev_kind[rows, i]
        y, rate, p = apply_events(c.y, c.rate, c.p, kind, ev_target[rows, i], ev_value[rows, i])
        keep = due[:, None]
        return c._replace(
            y=jnp.where(keep, y, c.y),
            rate=jnp.where(keep, rate, c.rate),
            p=jnp.where(keep, p, c.p),
            ev_i=c.ev_i + due,
            fresh=c.fresh | due,
            p_changed=c.p_changed | (due & (kind == ev.SET_PARAM)),
        )

    # --- save points at the current time (after its events) --------------------------------
    def save_pending(c: _Carry) -> Array:
        return running(c) & (save_t[jnp.minimum(c.save_i, n_save - 1)] <= c.t)

    def save_now(c: _Carry) -> _Carry:
        due = save_pending(c)
        out = write(c.out, c.save_i, due, observe(c.t, c.y, c.p))
        return c._replace(out=out, save_i=c.save_i + due)

    # --- restart: fresh derivative and Hairer's starting step ------------------------------
    def restart(c: _Carry) -> _Carry:
        t_stop = jnp.minimum(event_time(c.ev_i), t_end)
        lin = c.lin
        restarting = c.fresh & running(c)
        if block is not None:
            # A SET_PARAM may change A and b: decompose again (on the host, batched), then
            # project the block's state and input at the segment start.
            redo = restarting & c.p_changed
            lin = jax.lax.cond(
                jnp.any(redo), lambda lin: _pick(redo, decompose(c.p), lin), lambda lin: lin, lin
            )
            start_seg = jax.vmap(functools.partial(jl.start_segment, block))
            lin = _pick(c.fresh, start_seg(lin, c.t, c.y, c.rate, c.p), lin)
        f0, h0 = start(c.t, c.y, c.p, c.rate, t_stop - c.t, lin)
        bad = c.fresh & (
            ~jnp.all(jnp.isfinite(f0), axis=1)
            | ~jnp.all(jnp.isfinite(c.y), axis=1)
            | ~jnp.all(jnp.isfinite(c.p), axis=1)
        )
        return c._replace(
            f0=jnp.where(c.fresh[:, None], f0, c.f0),
            h=jnp.where(c.fresh, jax.lax.stop_gradient(h0), c.h),
            status=jnp.where(running(c) & bad, st.NON_FINITE, c.status),
            fresh=c.fresh & ~running(c),
            p_changed=c.p_changed & ~restarting,
            lin=lin,
        )

    def iteration(c: _Carry) -> _Carry:
        c = jax.lax.while_loop(lambda c: jnp.any(event_pending(c)), apply_next_event, c)
        c = jax.lax.while_loop(lambda c: jnp.any(save_pending(c)), save_now, c)
        c = jax.lax.cond(jnp.any(c.fresh & running(c)), restart, lambda c: c, c)
        active = running(c)

        t_stop = jnp.minimum(event_time(c.ev_i), t_end)
        span = t_stop - c.t
        h = jax.lax.stop_gradient(c.h)
        underflow = h < _UNDERFLOW * jnp.maximum(1.0, jnp.abs(c.t))
        too_many = c.n_steps >= max_steps
        failure = jnp.where(underflow, st.STEP_UNDERFLOW, jnp.where(too_many, st.MAX_STEPS, 0))
        attempt = active & (failure == st.SUCCESS)

        hit = c.t + h >= t_stop
        h = jnp.where(hit, span, h)
        h = jnp.where(attempt, h, 1.0)  # keeps idle patients' arithmetic finite
        t_new = jnp.where(hit, t_stop, c.t + h)
        trial = step(c.t, c.y, c.p, c.rate, c.f0, h, c.lin)
        y_new = fill(c.lin, t_new, trial.y_new)  # the block exactly, not its RK quadrature
        scale = atol + rtol * jnp.maximum(jnp.abs(c.y), jnp.abs(y_new))
        err = jax.lax.stop_gradient(error_norm(trial.error / scale, c.lin))
        finite = jnp.isfinite(err) & jnp.all(jnp.isfinite(y_new), axis=1)
        accept = attempt & finite & (err <= 1.0)

        factor = jnp.clip(0.9 * err ** (-1.0 / stepper.order_exp), 0.2, 10.0)
        factor = jnp.where(finite, factor, 0.2)
        factor = jnp.where(c.rejected | ~accept, jnp.minimum(factor, 1.0), factor)
        h_next = jax.lax.stop_gradient(h * factor)

        # Save points strictly inside (t, t_new), from the continuous extension.
        def dense_pending(s: tuple[Array, Array]) -> Array:
            i, _ = s
            return accept & (i < n_save) & (save_t[jnp.minimum(i, n_save - 1)] < t_new)

        def dense_save(s: tuple[Array, Array]) -> tuple[Array, Array]:
            i, out = s
            due = dense_pending(s)
            ts = save_t[jnp.minimum(i, n_save - 1)]
            y_ts = interpolate(trial.dense, c.y, h, jnp.where(due, (ts - c.t) / h, 0.0))
            y_ts = fill(c.lin, ts, y_ts)
            return i + due, write(out, i, due, observe(ts, y_ts, c.p))

        save_i, out = jax.lax.while_loop(
            lambda s: jnp.any(dense_pending(s)), dense_save, (c.save_i, c.out)
        )
        keep = accept[:, None]
        return c._replace(
            t=jnp.where(accept, t_new, c.t),
            y=jnp.where(keep, y_new, c.y),
            f0=jnp.where(keep, trial.f_new, c.f0),
            h=jnp.where(attempt, h_next, c.h),
            rejected=jnp.where(attempt, ~accept, c.rejected),
            save_i=save_i,
            out=out,
            status=jnp.where(active, failure, c.status),
            n_steps=c.n_steps + attempt,
        )

    y0 = jax.vmap(fns.init)(p).astype(jnp.float64)
    carry = _Carry(
        t=jnp.full(batch, t0),
        y=y0,
        p=p,
        rate=jnp.zeros_like(y0),
        f0=jnp.zeros_like(y0),
        h=jnp.zeros(batch),
        fresh=jnp.ones(batch, dtype=bool),
        rejected=jnp.zeros(batch, dtype=bool),
        ev_i=jnp.zeros(batch, dtype=jnp.int64),
        save_i=jnp.zeros(batch, dtype=jnp.int64),
        out=jnp.full((batch, n_save, record.shape[0]), jnp.nan),
        status=jnp.full(batch, st.SUCCESS, dtype=jnp.int64),
        n_steps=jnp.zeros(batch, dtype=jnp.int64),
        p_changed=jnp.zeros(batch, dtype=bool),
        lin=None if block is None else decompose(p),
    )
    end = jax.lax.while_loop(lambda c: jnp.any(running(c)), iteration, carry)
    return end.out, end.status, end.n_steps


def _field(
    fns: JaxModelFunctions, p: Array, rate: Array, lin: LinearState | None = None
) -> Callable[[Array, Array], Array]:
    """The effective vector field of one patient: model right-hand side plus infusions,
    evaluated with the linear block (if any) at its closed-form value."""
    if fns.linear is None or lin is None:
        return lambda t, y: fns.rhs(t, y, p) + rate
    block = fns.linear
    return lambda t, y: fns.rhs(t, jl.fill(block, lin, t, y), p) + rate


def _pick(mask: Array, new, old):
    """Per patient (leading axis), ``new`` where ``mask`` else ``old``, over a pytree."""

    def one(a: Array, b: Array) -> Array:
        return jnp.where(mask.reshape(mask.shape + (1,) * (a.ndim - 1)), a, b)

    return jax.tree_util.tree_map(one, new, old)


def _stepper(method: str) -> Stepper:
    try:
        return STEPPERS[method]
    except KeyError:
        raise SolverError(
            f"unknown method {method!r}; expected one of {sorted(STEPPERS)}", field="method"
        ) from None


@functools.lru_cache(maxsize=32)
def _batched(fns: JaxModelFunctions, method: str) -> Callable[..., tuple[Array, Array, Array]]:
    """``solve_many`` jitted; XLA compiles once per shape."""

    def many(p, ev_time, ev_kind, ev_target, ev_value, n_ev, t0, save_t, record, rtol, atol, ms):
        return solve_many(
            fns, p, ev_time, ev_kind, ev_target, ev_value, n_ev, t0, save_t, record,
            method=method, rtol=rtol, atol=atol, max_steps=ms,
        )  # fmt: skip

    return jax.jit(many)


def pad_events(table: EventTable, width: int) -> tuple[np.ndarray, ...]:
    """CSR events as dense [n_patients, width] arrays (vectorised :meth:`EventTable.padded`).

    Padding entries have time +inf; the last array is the number of real events per patient.
    """
    n = table.n_patients
    counts = np.diff(table.ptr).astype(np.int64)
    rows = np.repeat(np.arange(n), counts)
    cols = np.arange(int(table.ptr[-1]) - int(table.ptr[0])) - np.repeat(
        table.ptr[:-1] - table.ptr[0], counts
    )
    time = np.full((n, width), np.inf)
    kind = np.zeros((n, width), dtype=np.int64)
    target = np.zeros((n, width), dtype=np.int64)
    value = np.zeros((n, width))
    time[rows, cols] = table.time
    kind[rows, cols] = table.kind
    target[rows, cols] = table.target
    value[rows, cols] = table.value
    return time, kind, target, value, counts


def _validate(
    fns: JaxModelFunctions,
    params: np.ndarray,
    events: EventTable,
    t0: float,
    save_t: np.ndarray,
    record: np.ndarray,
    rtol: float,
    atol: float,
    max_steps: int,
) -> None:
    n = params.shape[0]
    if params.ndim != 2 or params.shape[1] != fns.n_params:
        raise SolverError(
            f"params has shape {params.shape}; expected [n_patients, {fns.n_params}]",
            field="params",
        )
    if events.n_patients != n:
        raise RegimenError(
            f"the event table has {events.n_patients} patients; params has {n}", field="events"
        )
    if save_t.ndim != 1 or save_t.size == 0:
        raise SolverError("save_t must be a non-empty 1-D array of times", field="save_t")
    if not np.all(np.isfinite(save_t)) or np.any(np.diff(save_t) < 0) or save_t[0] < t0:
        raise SolverError(f"save_t must be finite, sorted and >= t0 = {t0}", field="save_t")
    n_rec = fns.n_states + fns.n_outputs
    if record.ndim != 1 or record.size and (record.min() < 0 or record.max() >= n_rec):
        raise SolverError(
            f"record indices must lie in [0, {n_rec}) (states then outputs)", field="record"
        )
    if not (rtol > 0 and atol > 0 and np.isfinite(rtol) and np.isfinite(atol)):
        raise SolverError(f"rtol and atol must be positive, got {rtol}, {atol}", field="rtol")
    if max_steps < 1:
        raise SolverError(f"max_steps must be >= 1, got {max_steps}", field="max_steps")
    if events.time.size == 0:
        return
    patient = np.repeat(np.arange(n), np.diff(events.ptr))
    _check_events(events, patient, t0, fns)


def _check_events(events: EventTable, patient: np.ndarray, t0: float, fns: JaxModelFunctions):
    def fail(mask: np.ndarray, what: str) -> None:
        j = int(np.flatnonzero(mask)[0])
        raise RegimenError(
            f"patient {int(patient[j])}, event {j - int(events.ptr[patient[j]])}: {what}",
            field="events",
        )

    kinds = np.array(sorted(ev.KIND_NAMES))
    bad = ~np.isin(events.kind, kinds)
    if bad.any():
        fail(bad, f"unknown event kind; expected one of {kinds.tolist()}")
    bad = ~np.isfinite(events.time) | (events.time < t0)
    if bad.any():
        fail(bad, f"event time must be finite and >= t0 = {t0}")
    same = patient[1:] == patient[:-1]
    bad = np.concatenate([[False], same & (np.diff(events.time) < 0)])
    if bad.any():
        fail(bad, "event times must be sorted within a patient")
    bad = ~np.isfinite(events.value) & (events.kind != ev.RESET)
    if bad.any():
        fail(bad, "event value must be finite")
    on_param = events.kind == ev.SET_PARAM
    limit = np.where(on_param, fns.n_params, fns.n_states)
    bad = (events.kind != ev.RESET) & ((events.target < 0) | (events.target >= limit))
    if bad.any():
        fail(bad, "event target out of range (state index, or parameter index for SET_PARAM)")


def solve_batch_jax(
    fns: JaxModelFunctions,
    params: np.ndarray,
    events: EventTable,
    t0: float,
    save_t: np.ndarray,
    record: np.ndarray,
    *,
    method: str = "dp5",
    rtol: float = 1e-6,
    atol: float = 1e-8,
    max_steps: int = 100_000,
    chunk_size: int | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Integrate a cohort, each patient with its own parameters, events and adaptive steps.

    Parameters
    ----------
    fns:
        The model as JAX functions of one patient.
    params:
        float64[N, n_params].
    events:
        The patients' events (CSR, N patients), times ≥ ``t0`` and sorted per patient.
    t0:
        Start time (model time unit).
    save_t:
        float64[T] sorted save times ≥ ``t0``, common to all patients.
    record:
        int[R] indices into ``concat(states, outputs)`` to save.
    method:
        ``"dp5"`` explicit Dormand–Prince 5(4) or ``"ros23"`` stiff Rosenbrock 2(3).
    rtol, atol:
        Tolerances of the local error control.
    max_steps:
        Guard on trial steps per patient.
    chunk_size:
        Patients per compiled call (default 256 on CPU, 16384 on an accelerator, capped at
        N); the last chunk is padded so that every call has the same shape.

    Returns
    -------
    values:
        float64[N, T, R] saved values, NaN after a patient's failure.
    status:
        int64[N] codes of :mod:`hematwin.engine.status`.
    n_steps:
        int64[N] trial steps taken.

    Raises
    ------
    SolverError
        Unknown method, bad shapes, tolerances or save times.
    RegimenError
        An event with an unknown kind, a time before ``t0`` or out of order, a non-finite
        value or a target out of range.
    """
    params = np.ascontiguousarray(params, dtype=np.float64)
    save_t = np.ascontiguousarray(save_t, dtype=np.float64)
    record = np.ascontiguousarray(record, dtype=np.int64)
    _stepper(method)
    _validate(fns, params, events, float(t0), save_t, record, rtol, atol, max_steps)

    n = params.shape[0]
    n_save, n_rec = save_t.shape[0], record.shape[0]
    values = np.full((n, n_save, n_rec), np.nan)
    status = np.zeros(n, dtype=np.int64)
    n_steps = np.zeros(n, dtype=np.int64)
    if n == 0:
        return values, status, n_steps

    default = DEFAULT_CHUNK_SIZE.get(jax.default_backend(), DEFAULT_CHUNK_SIZE_ACCELERATOR)
    size = max(1, min(chunk_size or default, n))
    width = max(int(np.diff(events.ptr).max()), 1)
    solve = _batched(fns, method)
    shared = (
        jnp.asarray(t0, dtype=jnp.float64),
        jnp.asarray(save_t),
        jnp.asarray(record),
        jnp.asarray(rtol, dtype=jnp.float64),
        jnp.asarray(atol, dtype=jnp.float64),
        jnp.asarray(max_steps, dtype=jnp.int64),
    )

    def launch(start: int) -> tuple[int, int, tuple[Array, Array, Array]]:
        stop = min(start + size, n)
        p = params[start:stop]
        padded = pad_events(events.slice(start, stop), width)
        if stop - start < size:  # pad with copies of the chunk's first patient
            fill = size - (stop - start)
            p = np.concatenate([p, np.repeat(p[:1], fill, axis=0)])
            padded = tuple(np.concatenate([a, np.repeat(a[:1], fill, axis=0)]) for a in padded)
        return start, stop, solve(jnp.asarray(p), *map(jnp.asarray, padded), *shared)

    # One chunk at a time: XLA already spreads a chunk over the cores, and two chunks in
    # flight would compete for them and for the cache, and double the memory held.
    for start in range(0, n, size):
        start, stop, result = launch(start)
        m = stop - start
        values[start:stop] = np.asarray(result[0])[:m]
        status[start:stop] = np.asarray(result[1])[:m]
        n_steps[start:stop] = np.asarray(result[2])[:m]
    return values, status, n_steps
