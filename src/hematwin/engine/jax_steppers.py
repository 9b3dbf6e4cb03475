"""One-step integrators of the JAX backend: Dormand–Prince 5(4) and Rosenbrock 2(3).

Each stepper is a small stateless object with two pure functions, written for one patient
(the driver in :mod:`hematwin.engine.jax_backend` vmaps them over a batch):

- ``step(f, jac, t, y, f0, h)`` takes one trial step of size ``h`` from ``(t, y)`` where
  ``f0 = f(t, y)`` and returns the new state, ``f(t + h, y_new)`` (first-same-as-last, reused
  as the next ``f0``), a per-state local error estimate and the data of its continuous
  extension;
- ``interpolate(dense, y, h, theta)`` evaluates that extension at ``t + theta * h``,
  ``0 <= theta <= 1``.

The coefficients come from :mod:`hematwin.engine.tableaus`, shared with the Numba backend so
that both integrate with the same formulas. ``f`` is the effective vector field of one patient
(model right-hand side plus infusion rates), ``jac`` its Jacobian with respect to the state.

The step-size control (error norm, acceptance, controller) lives in the driver, not here.

References
----------
Dormand & Prince, J. Comput. Appl. Math. 6:19 (1980); Hairer, Nørsett & Wanner, *Solving
Ordinary Differential Equations I*, 2nd ed. (1993), sections II.4 (initial step) and II.6
(dense output); Shampine & Reichelt, SIAM J. Sci. Comput. 18:1 (1997) (ode23s).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple, Protocol

import jax
import jax.numpy as jnp
import jax.scipy.linalg as jsl

from hematwin.engine import tableaus

jax.config.update("jax_enable_x64", True)

Array = jax.Array
VectorField = Callable[[Array, Array], Array]
"""``f(t, y) -> dy/dt`` of one patient: t scalar, y and dy of shape [n_states]."""
JacobianField = Callable[[Array, Array], Array]
"""``jac(t, y) -> df/dy`` of one patient, shape [n_states, n_states]."""


class StepResult(NamedTuple):
    """The outcome of one trial step (not yet accepted or rejected)."""

    y_new: Array  # [n_states] the solution at t + h
    f_new: Array  # [n_states] f(t + h, y_new)
    error: Array  # [n_states] local error estimate (same units as y)
    dense: tuple[Array, ...]  # stage data for ``interpolate``


class Stepper(Protocol):
    """The interface every JAX one-step method implements."""

    name: str
    order_exp: int  # q in the controller factor 0.9 * err^(-1/q)

    def step(
        self, f: VectorField, jac: JacobianField, t: Array, y: Array, f0: Array, h: Array
    ) -> StepResult: ...

    def interpolate(self, dense: tuple[Array, ...], y: Array, h: Array, theta: Array) -> Array: ...


def _lincomb(coeffs: list[float], vectors: list[Array]) -> Array | float:
    """Σ c_i v_i over the non-zero coefficients, unrolled (no matmul for tiny systems)."""
    acc: Array | float = 0.0
    for c, v in zip(coeffs, vectors, strict=False):
        if c != 0.0:
            acc = acc + c * v
    return acc


@dataclass(frozen=True)
class DormandPrince5:
    """Explicit Dormand–Prince 5(4) with FSAL and Shampine's 4th-order dense output."""

    name: str = "dp5"
    order_exp: int = tableaus.DP5_ORDER

    def step(
        self, f: VectorField, jac: JacobianField, t: Array, y: Array, f0: Array, h: Array
    ) -> StepResult:
        a = tableaus.DP5_A.tolist()
        c = tableaus.DP5_C.tolist()
        k = [f0]
        for i in range(1, 6):
            k.append(f(t + c[i] * h, y + h * _lincomb(a[i][:i], k)))
        y_new = y + h * _lincomb(tableaus.DP5_B.tolist()[:6], k)
        k.append(f(t + h, y_new))
        error = h * _lincomb(tableaus.DP5_E.tolist(), k)
        return StepResult(y_new=y_new, f_new=k[6], error=error, dense=tuple(k))

    def interpolate(self, dense: tuple[Array, ...], y: Array, h: Array, theta: Array) -> Array:
        # y(t + θh) = y + h Σ_i k_i Σ_j P[i, j] θ^(j+1)   (Hairer et al. 1993, II.6)
        powers = [theta, theta * theta, theta**3, theta**4]
        weights = [
            sum(float(pij) * pw for pij, pw in zip(row, powers, strict=True))
            for row in tableaus.DP5_P
        ]
        return y + h * _lincomb([1.0] * 7, [w * k for w, k in zip(weights, dense, strict=True)])


@dataclass(frozen=True)
class Rosenbrock23:
    """Rosenbrock 2(3) of Shampine & Reichelt (1997), MATLAB's ``ode23s``; L-stable.

    With W = I − h·d·J and T = ∂f/∂t (eq. 4.3 of the paper)::

        k1 = W⁻¹ (f0 + h d T)
        f1 = f(t + h/2, y + h/2 k1);            k2 = W⁻¹ (f1 − k1) + k1
        y_new = y + h k2;  f2 = f(t + h, y_new)
        k3 = W⁻¹ (f2 − e32 (k2 − f1) − 2 (k1 − f0) + h d T)
        error = h/6 (k1 − 2 k2 + k3)

    Continuous extension: y(t + s h) = y + h [s(1−s) k1 + s(s−2d) k2] / (1 − 2d).
    """

    name: str = "ros23"
    order_exp: int = tableaus.ROS23_ORDER

    def step(
        self, f: VectorField, jac: JacobianField, t: Array, y: Array, f0: Array, h: Array
    ) -> StepResult:
        d = float(tableaus.ROS23_D)
        e32 = float(tableaus.ROS23_E32)
        n = y.shape[0]
        # ∂f/∂t by forward mode; XLA removes it for autonomous models (zero tangent).
        _, dfdt = jax.jvp(lambda s: f(s, y), (t,), (jnp.ones_like(t),))
        w = jnp.eye(n, dtype=y.dtype) - (h * d) * jac(t, y)
        lu = jsl.lu_factor(w)

        def solve(b: Array) -> Array:
            return jsl.lu_solve(lu, b)

        hdt = (h * d) * dfdt
        k1 = solve(f0 + hdt)
        f1 = f(t + 0.5 * h, y + (0.5 * h) * k1)
        k2 = solve(f1 - k1) + k1
        y_new = y + h * k2
        f2 = f(t + h, y_new)
        k3 = solve(f2 - e32 * (k2 - f1) - 2.0 * (k1 - f0) + hdt)
        error = (h / 6.0) * (k1 - 2.0 * k2 + k3)
        return StepResult(y_new=y_new, f_new=f2, error=error, dense=(k1, k2))

    def interpolate(self, dense: tuple[Array, ...], y: Array, h: Array, theta: Array) -> Array:
        d = float(tableaus.ROS23_D)
        k1, k2 = dense
        w1 = theta * (1.0 - theta) / (1.0 - 2.0 * d)
        w2 = theta * (theta - 2.0 * d) / (1.0 - 2.0 * d)
        return y + h * (w1 * k1 + w2 * k2)


STEPPERS: dict[str, Stepper] = {"dp5": DormandPrince5(), "ros23": Rosenbrock23()}
"""The methods ``solve_batch_jax(method=...)`` accepts."""


def rms_norm(x: Array, mask: Array | None = None) -> Array:
    """Root mean square over the states (Hairer et al. 1993, eq. II.4.11); with ``mask``,
    over the masked states only (0 if none)."""
    if mask is None:
        return jnp.sqrt(jnp.mean(x * x))
    count = jnp.maximum(jnp.sum(mask), 1)
    return jnp.sqrt(jnp.sum(jnp.where(mask, x * x, 0.0)) / count)


def initial_step(
    f: VectorField,
    t: Array,
    y: Array,
    f0: Array,
    span: Array,
    order_exp: int,
    rtol: Array,
    atol: Array,
    mask: Array | None = None,
) -> Array:
    """Hairer's starting step size (Hairer et al. 1993, II.4, p. 169), as SciPy's
    ``select_initial_step``, bounded by ``span`` (the distance to the next stop).

    ``mask`` (bool [n_states]) restricts the norms to the stepped states (those not solved
    in closed form)."""
    scale = atol + jnp.abs(y) * rtol
    d0 = rms_norm(y / scale, mask)
    d1 = rms_norm(f0 / scale, mask)
    small = (d0 < 1e-5) | (d1 < 1e-5)
    h0 = jnp.where(small, 1e-6, 0.01 * d0 / jnp.where(small, 1.0, d1))
    h0 = jnp.minimum(h0, span)
    h0_safe = jnp.where(h0 > 0, h0, 1.0)
    f1 = f(t + h0, y + h0 * f0)
    d2 = rms_norm((f1 - f0) / scale, mask) / h0_safe
    dmax = jnp.maximum(d1, d2)
    flat = (d1 <= 1e-15) & (d2 <= 1e-15)
    h1 = jnp.where(
        flat,
        jnp.maximum(1e-6, h0 * 1e-3),
        (0.01 / jnp.where(flat, 1.0, dmax)) ** (1.0 / order_exp),
    )
    return jnp.minimum(jnp.minimum(100.0 * h0, h1), span)
