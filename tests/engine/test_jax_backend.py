"""The JAX backend against closed forms, SciPy and its own per-patient solves.

Test models are written here by hand in jax.numpy (not generated from a spec), so these
tests pin the solver alone. References: Friberg et al., J Clin Oncol 20:4713 (2002)
(myelosuppression); Bruno et al., J Pharmacokinet Biopharm 24:153 (1996) (docetaxel PK);
Robertson (1966) in Hairer & Wanner, *Solving ODEs II*, section IV.1 (stiff kinetics).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy.integrate import solve_ivp

from hematwin.engine import events as ev
from hematwin.engine import status as st
from hematwin.engine.events import EventTable
from hematwin.engine.jax_backend import JaxModelFunctions, solve_batch_jax, solve_one
from hematwin.errors import RegimenError, SolverError

# --- models ------------------------------------------------------------------------------

# Exponential decay/growth, y' = -k y + rate; p = [k, y0].
EXPO = JaxModelFunctions(
    n_states=1,
    n_params=2,
    n_outputs=1,
    rhs=lambda t, y, p: -p[0] * y,
    init=lambda p: jnp.array([p[1]]),
    outputs=lambda t, y, p: 2.0 * y,
)

# Friberg 2002 + Bruno 1996 docetaxel, time in days. p indices:
CIRC0, MTT, GAMMA, SLOPE, K10, K12, K21, K13, K31, V1, MW = range(11)
HOURS = 24.0  # h per day
FRIBERG_P = np.array(
    [5.05, 88.7 / HOURS, 0.161, 8.58]
    + [k * HOURS for k in (5.2, 1.06, 1.51, 1.26, 0.084)]
    + [7.4, 0.808]
)


def friberg_rhs(t, y, p):
    a1, a2, a3, prol, t1, t2, t3, circ = (y[i] for i in range(8))
    ktr = 4.0 / p[MTT]
    conc = a1 / p[V1] / p[MW]  # µM
    edrug = p[SLOPE] * conc
    return jnp.stack(
        [
            -(p[K10] + p[K12] + p[K13]) * a1 + p[K21] * a2 + p[K31] * a3,
            p[K12] * a1 - p[K21] * a2,
            p[K13] * a1 - p[K31] * a3,
            ktr * prol * (1.0 - edrug) * (p[CIRC0] / circ) ** p[GAMMA] - ktr * prol,
            ktr * (prol - t1),
            ktr * (t1 - t2),
            ktr * (t2 - t3),
            ktr * (t3 - circ),
        ]
    )


FRIBERG = JaxModelFunctions(
    n_states=8,
    n_params=11,
    n_outputs=1,
    rhs=friberg_rhs,
    init=lambda p: jnp.concatenate([jnp.zeros(3), jnp.full(5, p[CIRC0])]),
    outputs=lambda t, y, p: jnp.stack([y[0] / p[V1] / p[MW]]),
)
CIRC = 7

# Robertson's stiff chemical kinetics; p = [k1, k2, k3].
ROBERTSON = JaxModelFunctions(
    n_states=3,
    n_params=3,
    n_outputs=0,
    rhs=lambda t, y, p: jnp.stack(
        [
            -p[0] * y[0] + p[1] * y[1] * y[2],
            p[0] * y[0] - p[1] * y[1] * y[2] - p[2] * y[1] ** 2,
            p[2] * y[1] ** 2,
        ]
    ),
    init=lambda p: jnp.array([1.0, 0.0, 0.0]),
    outputs=lambda t, y, p: jnp.zeros(0),
)

# y' = c y², y(0) = 1: blows up at t = 1/c.
BLOWUP = JaxModelFunctions(
    n_states=1,
    n_params=1,
    n_outputs=0,
    rhs=lambda t, y, p: p[0] * y * y,
    init=lambda p: jnp.ones(1),
    outputs=lambda t, y, p: jnp.zeros(0),
)


# --- helpers -----------------------------------------------------------------------------


def table(*patients: list[tuple[float, int, int, float]]) -> EventTable:
    """An event table from per-patient lists of (time, kind, target, value)."""
    parts = []
    for evs in patients:
        arr = np.array(evs, dtype=float).reshape(-1, 4)
        parts.append(
            EventTable(
                ptr=np.array([0, len(evs)], dtype=np.int64),
                time=arr[:, 0],
                kind=arr[:, 1].astype(np.int64),
                target=arr[:, 2].astype(np.int64),
                value=arr[:, 3],
            )
        )
    return EventTable.concat(parts)


def docetaxel(dose_mg: float, infusion_days: float, cycles: int = 4, every: float = 21.0):
    evs = []
    for c in range(cycles):
        t = c * every
        if infusion_days > 0:
            evs.append((t, ev.RATE_CHANGE, 0, dose_mg / infusion_days))
            evs.append((t + infusion_days, ev.RATE_CHANGE, 0, -dose_mg / infusion_days))
        else:
            evs.append((t, ev.BOLUS, 0, dose_mg))
    return evs


def scipy_reference(fns, p, evs, t0, save_t, method="DOP853", rtol=1e-12, atol=1e-14):
    """concat(states, outputs) at save_t, integrating segment by segment between events."""
    p = np.array(p, dtype=float)
    rhs = jax.jit(fns.rhs)
    y = np.array(fns.init(jnp.asarray(p)), dtype=float)
    rate = np.zeros_like(y)
    out = np.full((len(save_t), fns.n_states + fns.n_outputs), np.nan)
    times = sorted({e[0] for e in evs} | {t0})
    stops = [t for t in times if t <= save_t[-1]] + [save_t[-1]]

    def observe(t, yy):
        return np.concatenate([yy, np.array(fns.outputs(t, jnp.asarray(yy), jnp.asarray(p)))])

    for a, b in zip(stops[:-1], stops[1:], strict=True):
        for _, kind, target, value in (e for e in evs if e[0] == a):
            if kind == ev.BOLUS:
                y[target] += value
            elif kind == ev.RATE_CHANGE:
                rate[target] += value
            elif kind == ev.RESET:
                y, rate = np.array(fns.init(jnp.asarray(p)), dtype=float), np.zeros_like(y)
            elif kind == ev.SET_STATE:
                y[target] = value
            elif kind == ev.SET_PARAM:
                p[target] = value
        last = b == save_t[-1]
        inside = (save_t >= a) & ((save_t < b) | (last & (save_t <= b)))
        if b > a:
            pp, rr = jnp.asarray(p.copy()), rate.copy()
            sol = solve_ivp(
                lambda t, yy, pp=pp, rr=rr: np.asarray(rhs(t, yy, pp)) + rr,
                (a, b), y, method=method, rtol=rtol, atol=atol, dense_output=True,
            )  # fmt: skip
            assert sol.success, sol.message
            for i in np.flatnonzero(inside):
                out[i] = observe(save_t[i], sol.sol(save_t[i]))
            y = sol.y[:, -1].copy()
        else:
            for i in np.flatnonzero(inside):
                out[i] = observe(save_t[i], y)
    return out


def max_rel(a, b, floor: float | np.ndarray = 0.0) -> float:
    """max |a - b| / max(|b|, floor)."""
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), floor)))


# --- 1. closed form ------------------------------------------------------------------------


def expo_exact(t, k, y0):
    """Bolus 2 at t=1, infusion 1/day over [2, 3], growth (k<0) or decay (k>0)."""
    y = y0 * np.exp(-k * t)
    y = y + np.where(t >= 1, 2.0 * np.exp(-k * (t - 1)), 0.0)
    s = np.clip(t, 2, 3)
    return y + np.where(t >= 2, (1 - np.exp(-k * (s - 2))) / k * np.exp(-k * (t - s)), 0.0)


EXPO_EVENTS = [
    (1.0, ev.BOLUS, 0, 2.0),
    (2.0, ev.RATE_CHANGE, 0, 1.0),
    (3.0, ev.RATE_CHANGE, 0, -1.0),
]


# ros23 is of order 2: at rtol 1e-10 its global error is ~1e-7 (it shrinks as rtol^(2/3)).
@pytest.mark.parametrize(("method", "bound"), [("dp5", 1e-8), ("ros23", 5e-7)])
def test_exponential_with_bolus_and_infusion_matches_closed_form(method, bound):
    params = np.array([[0.7, 1.0], [-0.3, 0.5], [2.0, 3.0]])
    save_t = np.linspace(0.0, 5.0, 41)  # includes the event times 1, 2, 3
    values, status, _ = solve_batch_jax(
        EXPO, params, table(*[EXPO_EVENTS] * 3), 0.0, save_t, np.array([0, 1]),
        method=method, rtol=1e-10, atol=1e-12,
    )  # fmt: skip
    assert (status == st.SUCCESS).all()
    for i, (k, y0) in enumerate(params):
        exact = expo_exact(save_t, k, y0)
        assert max_rel(values[i, :, 0], exact) <= bound
        np.testing.assert_allclose(values[i, :, 1], 2 * values[i, :, 0], rtol=1e-15)


# --- 2. Friberg against SciPy ----------------------------------------------------------------

FRIBERG_SAVE = np.concatenate([np.arange(0.0, 85.0, 1.0), [0.01, 7.55, 21.02]])
FRIBERG_SAVE.sort()
FRIBERG_REGIMENS = [docetaxel(180.0, 0.0), docetaxel(180.0, 1.0 / HOURS)]
ALL_FRIBERG = np.arange(9)
# The drug amounts fall by ~30 orders of magnitude between cycles; below 1e-4 of their peak
# the two SciPy references (DOP853 and Radau at rtol 1e-12, atol 1e-14) themselves differ by
# ~1e-6 relative, so there values are compared relative to 1e-4 of the column's peak. The
# cell counts never come near 0 and are compared purely relatively.
FRIBERG_FLOOR = np.array([1e-4] * 3 + [0.0] * 5 + [1e-4])


@pytest.fixture(scope="module")
def friberg_reference():
    return [scipy_reference(FRIBERG, FRIBERG_P, r, 0.0, FRIBERG_SAVE) for r in FRIBERG_REGIMENS]


@pytest.mark.parametrize(("method", "rtol"), [("dp5", 1e-10), ("ros23", 1e-10)])
def test_friberg_docetaxel_matches_scipy(friberg_reference, method, rtol):
    values, status, _ = solve_batch_jax(
        FRIBERG, np.tile(FRIBERG_P, (2, 1)), table(*FRIBERG_REGIMENS), 0.0, FRIBERG_SAVE,
        ALL_FRIBERG, method=method, rtol=rtol, atol=1e-14,
    )  # fmt: skip
    assert (status == st.SUCCESS).all(), status
    for i, ref in enumerate(friberg_reference):
        assert max_rel(values[i], ref, floor=FRIBERG_FLOOR * np.abs(ref).max(axis=0)) <= 1e-6
    # Right-continuity: the day-21 save sees the second bolus.
    day = list(FRIBERG_SAVE).index
    assert values[0, day(20.0), 0] < 1e-6
    assert values[0, day(21.0), 0] == pytest.approx(180.0, rel=1e-12)


def test_friberg_nadir_matches_published_numbers():
    """Friberg 2002: 180 mg docetaxel gives ANC nadir 0.896 at day ~7.55, 6.21 at day 21."""
    save_t = np.array([7.5520834, 21.0])
    values, status, _ = solve_batch_jax(
        FRIBERG, FRIBERG_P[None], table(docetaxel(180.0, 0.0, cycles=1)), 0.0, save_t,
        np.array([CIRC]), rtol=1e-8, atol=1e-10,
    )  # fmt: skip
    assert status[0] == st.SUCCESS
    np.testing.assert_allclose(values[0, :, 0], [0.8962297949, 6.2121271109], rtol=1e-6)


# --- 3. stiff ------------------------------------------------------------------------------


def test_robertson_stiff_with_ros23():
    p = np.array([0.04, 1e4, 3e7])
    save_t = np.array([0.0, 1e-3, 0.1, 1.0, 10.0, 100.0, 1e3, 1e4])
    values, status, n_steps = solve_batch_jax(
        ROBERTSON, p[None], EventTable.empty(1), 0.0, save_t, np.arange(3),
        method="ros23", rtol=1e-7, atol=1e-12,
    )  # fmt: skip
    assert status[0] == st.SUCCESS
    assert n_steps[0] < 5000
    rhs = jax.jit(ROBERTSON.rhs)
    ref = solve_ivp(
        lambda t, y: np.asarray(rhs(t, y, p)),
        (0, save_t[-1]), [1.0, 0.0, 0.0], method="Radau", rtol=1e-12, atol=1e-16,
        t_eval=save_t,
    ).y.T  # fmt: skip
    assert max_rel(values[0], ref, floor=1e-10) <= 1e-4
    np.testing.assert_allclose(values[0].sum(axis=1), 1.0, rtol=1e-10)  # mass balance
    # The explicit method, same tolerance, is stability-bound (h ~ 3.3/|λ|, λ ~ -1e4).
    _, status_dp5, _ = solve_batch_jax(
        ROBERTSON, p[None], EventTable.empty(1), 0.0, save_t, np.arange(3),
        method="dp5", rtol=1e-7, atol=1e-12, max_steps=20_000,
    )  # fmt: skip
    assert status_dp5[0] == st.MAX_STEPS


# --- 4. batch equals per-patient solves -------------------------------------------------------


def test_batch_equals_per_patient_solves():
    rng = np.random.default_rng(7)
    n = 5
    params = np.tile(FRIBERG_P, (n, 1))
    params[:, [CIRC0, MTT, SLOPE]] *= np.exp(0.3 * rng.standard_normal((n, 3)))
    regimens = [
        docetaxel(180.0, 0.0, cycles=2),
        docetaxel(100.0, 1.0 / HOURS, cycles=3, every=14.0),
        [],
        docetaxel(75.0, 0.0, cycles=4, every=7.0),
        docetaxel(180.0, 3.0 / HOURS, cycles=1),
    ]
    save_t = np.arange(0.0, 29.0, 0.5)
    record = np.array([CIRC, 8])
    batch = solve_batch_jax(FRIBERG, params, table(*regimens), 0.0, save_t, record, chunk_size=2)
    assert (batch[1] == st.SUCCESS).all()
    np.testing.assert_allclose(batch[0][2, :, 0], params[2, CIRC0], rtol=1e-14)  # no drug
    solve = jax.jit(lambda *args: solve_one(FRIBERG, *args))
    padded = table(*regimens).padded()
    for i in range(n):
        one = solve(params[i], *(a[i] for a in padded), 0.0, save_t, record)
        np.testing.assert_allclose(batch[0][i], one[0], rtol=1e-12, atol=1e-300)
        assert batch[1][i] == int(one[1]) and batch[2][i] == int(one[2])


# --- 5. failure flagging -------------------------------------------------------------------


def test_blowup_is_flagged_and_the_others_go_on():
    c = np.array([[0.5], [1 / 0.95], [0.1]])  # blow-up at t = 2, 0.95, 10
    save_t = np.linspace(0.0, 1.5, 16)
    values, status, _ = solve_batch_jax(
        BLOWUP, c, EventTable.empty(3), 0.0, save_t, np.array([0]), rtol=1e-8, atol=1e-10
    )
    assert status[1] in (st.NON_FINITE, st.STEP_UNDERFLOW)
    assert status[0] == status[2] == st.SUCCESS
    for i in (0, 2):
        np.testing.assert_allclose(values[i, :, 0], 1 / (1 - c[i, 0] * save_t), rtol=1e-6)
    before = save_t < 0.95
    np.testing.assert_allclose(values[1, before, 0], 1 / (1 - c[1, 0] * save_t[before]), rtol=1e-5)
    assert np.isnan(values[1, ~before, 0]).all()


def test_max_steps_and_non_finite_parameters_are_flagged():
    save_t = np.linspace(0.0, 1.0, 3)
    params = np.array([[0.5, 1.0], [np.nan, 1.0], [0.5, 1.0]])
    _, status, n_steps = solve_batch_jax(
        EXPO, params, EventTable.empty(3), 0.0, save_t, np.array([0]), max_steps=5, rtol=1e-12
    )
    assert status.tolist() == [st.MAX_STEPS, st.NON_FINITE, st.MAX_STEPS]
    assert n_steps[0] == 5


# --- 6. forward-mode sensitivities ----------------------------------------------------------


def test_jacfwd_of_day7_circ_matches_finite_differences():
    padded = [a[0] for a in table(docetaxel(180.0, 0.0, cycles=1)).padded()]
    save_t = np.array([7.0])
    record = np.array([CIRC])

    @jax.jit
    def circ_day7(theta):  # theta = (slope, MTT)
        p = jnp.asarray(FRIBERG_P).at[SLOPE].set(theta[0]).at[MTT].set(theta[1])
        values, _, _ = solve_one(FRIBERG, p, *padded, 0.0, save_t, record, rtol=1e-10, atol=1e-12)
        return values[0, 0]

    theta = jnp.array([FRIBERG_P[SLOPE], FRIBERG_P[MTT]])
    grad = np.asarray(jax.jit(jax.jacfwd(circ_day7))(theta))
    fd = np.zeros(2)
    for j in range(2):
        step = 1e-4 * theta[j]
        e = jnp.zeros(2).at[j].set(step)
        fd[j] = (circ_day7(theta + e) - circ_day7(theta - e)) / (2 * step)
    np.testing.assert_allclose(grad, fd, rtol=1e-5)
    assert grad[0] < 0  # more sensitive marrow, deeper nadir


# --- 7. event semantics ----------------------------------------------------------------------


def test_reset_set_state_and_set_param_semantics():
    evs = [
        (0.0, ev.BOLUS, 0, 1.0),  # at t0: before the first save
        (1.0, ev.SET_STATE, 0, 3.0),
        (2.0, ev.SET_PARAM, 0, 1.0),  # k: 0.5 -> 1
        (3.0, ev.RATE_CHANGE, 0, 2.0),
        (4.0, ev.SET_PARAM, 1, 5.0),  # y0 -> 5, then RESET uses it and stops the infusion
        (4.0, ev.RESET, 0, 0.0),
        (5.0, ev.RESET, 0, 0.0),  # RESET then SET_STATE at the same time: order kept
        (5.0, ev.SET_STATE, 0, 7.0),
    ]
    save_t = np.linspace(0.0, 6.0, 25)
    values, status, _ = solve_batch_jax(
        EXPO, np.array([[0.5, 2.0]]), table(evs), 0.0, save_t, np.array([0]),
        rtol=1e-11, atol=1e-13,
    )  # fmt: skip
    assert status[0] == st.SUCCESS
    t = save_t
    exact = np.select(
        [t < 1, t < 2, t < 3, t < 4, t < 5, t >= 5],
        [
            3.0 * np.exp(-0.5 * t),
            3.0 * np.exp(-0.5 * (t - 1)),
            3.0 * np.exp(-0.5) * np.exp(-(t - 2)),
            3.0 * np.exp(-1.5) * np.exp(-(t - 3)) + 2.0 * (1 - np.exp(-(t - 3))),
            5.0 * np.exp(-(t - 4)),
            7.0 * np.exp(-(t - 5)),
        ],
    )
    assert max_rel(values[0, :, 0], exact) <= 1e-9
    ref = scipy_reference(EXPO, [0.5, 2.0], evs, 0.0, save_t)
    assert max_rel(values[0, :, 0], ref[:, 0]) <= 1e-9


# --- bad input -----------------------------------------------------------------------------


def test_bad_input_raises_typed_errors():
    one = EventTable.empty(1)
    p = np.array([[0.5, 1.0]])
    with pytest.raises(SolverError, match="unknown method"):
        solve_batch_jax(EXPO, p, one, 0.0, np.array([1.0]), np.array([0]), method="rk4")
    with pytest.raises(SolverError, match="save_t"):
        solve_batch_jax(EXPO, p, one, 0.0, np.array([2.0, 1.0]), np.array([0]))
    with pytest.raises(SolverError, match="record"):
        solve_batch_jax(EXPO, p, one, 0.0, np.array([1.0]), np.array([2]))
    unsorted = table([(2.0, ev.BOLUS, 0, 1.0), (1.0, ev.BOLUS, 0, 1.0)])
    with pytest.raises(RegimenError, match="patient 0, event 1: .*sorted"):
        solve_batch_jax(EXPO, p, unsorted, 0.0, np.array([3.0]), np.array([0]))
    bad_target = table([(1.0, ev.BOLUS, 3, 1.0)])
    with pytest.raises(RegimenError, match="target"):
        solve_batch_jax(EXPO, p, bad_target, 0.0, np.array([3.0]), np.array([0]))
