"""The JAX backend's closed-form linear block (``hematwin.engine.jax_linear``).

Models come from specs (generated JAX functions with their linear block): Friberg et al.,
J Clin Oncol 20:4713 (2002) with docetaxel (Bruno et al. 1996, three-compartment PK,
bolus) and paclitaxel (two compartments, 3-h infusion); a one-compartment model with
first-order absorption (Gibaldi & Perrier, *Pharmacokinetics*, 2nd ed., 1982, ch. 2),
whose block A = [[-ka, 0], [ka, -k]] is defective at ka = k, driving an indirect-response
model (Dayneka, Garg & Jusko, J Pharmacokinet Biopharm 21:457, 1993). References are the
SciPy backend at tight tolerance and closed forms.
"""

from __future__ import annotations

import math
from functools import cache

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from hematwin.engine import Model
from hematwin.engine import jax_linear as jl
from hematwin.engine import status as st
from hematwin.engine.jax_backend import solve_one
from hematwin.library import friberg2002
from hematwin.model.spec import Equation, ModelSpec, Output, Parameter, State
from hematwin.therapy.regimen import Covariate, Dose, Regimen
from tests.engine.engine_models import pklin_spec

INF = math.inf
SAVE = np.unique(np.concatenate([np.arange(0.0, 85.0), [0.01, 0.2, 7.55, 21.02, 22.5]]))


@cache
def friberg(drug: str) -> Model:
    return Model(friberg2002.spec(drug))


def oral_spec() -> ModelSpec:
    return ModelSpec(
        name="oral_idr",
        description="one compartment with first-order absorption, indirect response",
        citation="Gibaldi & Perrier 1982, ch. 2; Dayneka, Garg & Jusko 1993 (model I)",
        parameters=(
            Parameter("ka", 1.3, "1/day", 0, INF, "absorption rate constant"),
            Parameter("k", 0.4, "1/day", 0, INF, "elimination rate constant"),
            Parameter("V", 10.0, "L", 0, INF, "volume"),
            Parameter("kin", 2.0, "1/day", 0, INF, "response production"),
            Parameter("kout", 0.5, "1/day", 0, INF, "response loss"),
            Parameter("imax", 0.9, "1", 0, 1, "maximal inhibition"),
            Parameter("ic50", 2.0, "mg/L", 0, INF, "half-maximal concentration"),
        ),
        states=(
            State("depot", 0.0, "mg", "absorption site"),
            State("cent", 0.0, "mg", "central compartment"),
            State("R", "kin/kout", "1", "response"),
        ),
        equations=(
            Equation("depot", "-ka*depot"),
            Equation("cent", "ka*depot - k*cent"),
            Equation("R", "kin*(1 - imax*(cent/V)/(ic50 + cent/V)) - kout*R"),
        ),
        outputs=(Output("conc", "cent/V"),),
    )


def rel_to_max(values: np.ndarray, ref: np.ndarray) -> float:
    """max |a - b| / max_t |b| per variable (each column relative to its own peak)."""
    peak = np.abs(ref).max(axis=-2, keepdims=True)
    return float(np.max(np.abs(values - ref) / np.where(peak > 0, peak, 1.0)))


def simulate(model: Model, backend: str, regimens, params=None, **kw):
    # LSODA at 1e-12 agrees with DOP853 at 1e-12 to 4e-10 (relative to each peak) here.
    kw.setdefault("rtol", 1e-9 if backend == "jax" else 1e-12)
    kw.setdefault("atol", 1e-11 if backend == "jax" else 1e-14)
    if backend == "scipy":
        kw.setdefault("method", "LSODA")
    return model.simulate(
        regimen=regimens, params=params, times=SAVE, record=model.spec.state_names,
        backend=backend, **kw,
    )  # fmt: skip


# --- the decomposition -------------------------------------------------------------------


def test_real_eig_values_derivative_and_rejections():
    rng = np.random.default_rng(3)
    v = rng.standard_normal((4, 3, 3))
    lam = np.array([[-5.0, -1.0, -0.1], [-200.0, -30.0, -1.5], [1.0, -2.0, 3.0], [0.0, -1, -2]])
    a = np.einsum("nik,nk,nkj->nij", v, lam, np.linalg.inv(v))
    got, vv, vi = map(np.asarray, jl.real_eig(jnp.asarray(a)))
    np.testing.assert_allclose(np.sort(got), np.sort(lam), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(np.einsum("nik,nk,nkj->nij", vv, got, vi), a, atol=1e-11)

    # Forward derivative of λ and of e^{A} = V e^{Λ} V⁻¹ against central differences.
    direction = rng.standard_normal((3, 3))

    def expm_eig(s):
        lam_s, v_s, vi_s = jl.real_eig(jnp.asarray(a[1]) + s * direction)
        expm = (v_s * jnp.exp(lam_s * 0.01)) @ vi_s
        return jnp.concatenate([jnp.sort(lam_s), expm.ravel()])

    d = np.asarray(jax.jacfwd(expm_eig)(0.0))
    e = 1e-6
    fd = (np.asarray(expm_eig(e)) - np.asarray(expm_eig(-e))) / (2 * e)
    np.testing.assert_allclose(d, fd, rtol=1e-6, atol=1e-8)

    rotation = np.array([[0.0, -1.0], [1.0, 0.0]])  # eigenvalues ±i
    defective = np.array([[-0.4, 0.0], [0.4, -0.4]])  # depot → central, ka = k
    repeated = -0.4 * np.eye(2)  # diagonalisable but not distinct (no eigenvector derivative)
    fine = np.array([[-1.3, 0.0], [1.3, -0.4]])
    got = np.asarray(jl.real_eig(jnp.asarray(np.stack([rotation, defective, repeated, fine])))[0])
    assert np.isnan(got[:3]).all(axis=1).all()
    np.testing.assert_allclose(np.sort(got[3]), [-1.3, -0.4], rtol=1e-14)


# --- Friberg against SciPy --------------------------------------------------------------------


def docetaxel_regimens():
    bolus = friberg2002.regimen("docetaxel", 180.0, cycles=4)
    # PK rates change mid-run while drug is in every compartment (then A is decomposed again).
    changed = bolus + Regimen([Covariate(0.2, "k10", 2.6), Covariate(22.5, "k21", 3.0)])
    infusion = friberg2002.regimen("docetaxel", 100.0, cycles=4, infusion_hours=1.0)
    return [bolus, changed, infusion]


@pytest.fixture(scope="module")
def docetaxel_runs():
    model = friberg("docetaxel")
    regimens = docetaxel_regimens()
    params = {"MTT": np.array([88.7, 70.0, 120.0]), "slope": np.array([8.58, 12.0, 5.0])}
    jax_run = simulate(model, "jax", regimens, params)
    ref = simulate(model, "scipy", regimens, params)
    return jax_run, ref


def test_docetaxel_closed_form_matches_scipy(docetaxel_runs):
    run, ref = docetaxel_runs
    assert (run.status == st.SUCCESS).all() and (ref.status == st.SUCCESS).all()
    for i in (0, 2):
        assert rel_to_max(run.values[i], ref.values[i]) <= 1e-6
    # The PK block is no longer stepped: ~5,900 steps at rtol 1e-8 before (stability-bound),
    # 892, 1487 and 531 now at rtol 1e-9.
    assert run.n_steps.max() < 2000, run.n_steps
    day = list(SAVE).index
    # Right-continuity: the day-21 save sees the second bolus.
    assert run.values[0, day(21.0), 0] == pytest.approx(ref.values[0, day(21.0), 0], rel=1e-9)
    assert run.values[0, day(20.0), 0] < 1e-6 and run.values[0, day(21.0), 0] >= 180.0


def test_set_param_on_a_pk_rate_mid_run(docetaxel_runs):
    run, ref = docetaxel_runs
    assert rel_to_max(run.values[1], ref.values[1]) <= 1e-6
    # The change matters (half the elimination: more drug, deeper nadir than without it).
    a1 = run.values[:, :, 0]
    assert a1[1, list(SAVE).index(1.0)] > 2 * a1[0, list(SAVE).index(1.0)]


def test_paclitaxel_3h_infusion_matches_scipy():
    model = friberg("paclitaxel")
    regimens = [friberg2002.regimen("paclitaxel", 175.0 * 1.8, cycles=4)]
    params = {"MTT": np.array([124.0]), "slope": np.array([28.9])}
    run = simulate(model, "jax", regimens, params)
    ref = simulate(model, "scipy", regimens, params)
    assert run.status[0] == st.SUCCESS
    assert rel_to_max(run.values[0], ref.values[0]) <= 1e-6
    assert run.n_steps[0] < 1000


# --- fallback -----------------------------------------------------------------------------


def test_defective_block_falls_back_and_stays_correct():
    model = Model(oral_spec())
    block = model.jax.functions.linear
    assert block is not None and block.linear == (0, 1) and block.ode == (2,)
    dose = Regimen([Dose(0.0, 100.0, "depot"), Dose(6.0, 100.0, "depot")])
    switch = dose + Regimen([Covariate(3.0, "ka", 0.4)])  # ka := k mid-run: defective
    names = model.spec.parameter_names
    ka = np.array([1.3, 0.4, 1.3])
    params = {"ka": ka}
    p = np.tile([q.default for q in model.spec.parameters], (3, 1))
    p[:, names.index("ka")] = ka
    active = np.asarray(jl.decompose(block, jnp.asarray(p))[0])
    assert active.tolist() == [True, False, True]
    regimens = [dose, dose, switch]
    run = simulate(model, "jax", regimens, params)
    ref = simulate(model, "scipy", regimens, params)
    assert (run.status == st.SUCCESS).all()
    assert rel_to_max(run.values, ref.values) <= 1e-6
    # Central amount against the closed forms (ka ≠ k: Bateman; ka = k: D·k·t·e^{-kt}).
    k, t = 0.4, SAVE

    def bateman(ka_, tt):
        tt = np.clip(tt, 0, None)
        if ka_ == k:
            return 100.0 * k * tt * np.exp(-k * tt)
        return 100.0 * ka_ / (ka_ - k) * (np.exp(-k * tt) - np.exp(-ka_ * tt))

    for i in (0, 1):
        exact = bateman(ka[i], t) + np.where(t >= 6, bateman(ka[i], t - 6), 0.0)
        np.testing.assert_allclose(run.values[i, :, 1], exact, rtol=1e-7, atol=1e-9)


def test_fully_linear_model_is_exact_in_one_step_per_segment():
    model = Model(pklin_spec())
    assert model.jax.functions.linear.ode == ()
    regimen = Regimen([Dose(0.5, 2.0, "x"), Dose(1.0, 3.0, "x", duration=2.0)])
    times = np.linspace(0.0, 6.0, 25)
    run = model.simulate(regimen=regimen, params={"x0": 1.0}, n=1, times=times,
                         record=["x", "e"], backend="jax", rtol=1e-6, atol=1e-8)
    ref = model.simulate(regimen=regimen, params={"x0": 1.0}, n=1, times=times,
                         record=["x", "e"], backend="scipy", rtol=1e-12, atol=1e-14,
                         method="DOP853")
    assert rel_to_max(run.values, ref.values) <= 1e-10  # exact, at a loose tolerance
    assert run.n_steps[0] <= 4  # one step per segment (four segments)


# --- forward-mode sensitivities through the closed form ----------------------------------------


def test_jacfwd_through_the_closed_form_matches_finite_differences():
    model = friberg("docetaxel")
    fns = model.jax.functions
    names = model.spec.parameter_names
    which = [names.index(n) for n in ("slope", "MTT", "k10", "k21", "V1")]
    p0 = jnp.asarray([q.default for q in model.spec.parameters])
    # A SET_PARAM on k31 at day 1: derivatives also pass through the second decomposition.
    regimen = friberg2002.regimen("docetaxel", 180.0, cycles=2) + Regimen(
        [Covariate(1.0, "k31", 0.12)]
    )
    events = regimen.to_events(model.spec)
    padded = [a[0] for a in events.padded()]
    save_t = np.array([7.0, 25.0])
    record = np.array([model.spec.state_names.index("Circ")])

    def circ(theta):
        p = p0.at[jnp.asarray(which)].set(theta)
        values, _, _ = solve_one(fns, p, *padded, 0.0, save_t, record, rtol=1e-11, atol=1e-13)
        return values[:, 0]

    # One compiled function gives the values and the Jacobian (jacfwd is this vmap of jvp),
    # so that the finite differences need no second compilation.
    basis = jnp.eye(len(which))
    value_and_jac = jax.jit(
        lambda theta: jax.vmap(lambda v: jax.jvp(circ, (theta,), (v,)), out_axes=(None, 1))(
            basis
        )
    )
    theta = p0[jnp.asarray(which)]
    grad = np.asarray(value_and_jac(theta)[1])
    fd = np.zeros_like(grad)
    for j in range(len(which)):
        step = 1e-4 * float(theta[j])
        e = basis[j] * step
        up, down = value_and_jac(theta + e)[0], value_and_jac(theta - e)[0]
        fd[:, j] = (np.asarray(up) - np.asarray(down)) / (2 * step)
    np.testing.assert_allclose(grad, fd, rtol=2e-5, atol=1e-7)
    assert grad[0, 0] < 0 and grad[0, 2] > 0  # steeper slope deeper, faster clearance milder
