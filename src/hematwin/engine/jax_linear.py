"""Closed-form linear block for the JAX backend (the PK compartments of a PK/PD model).

The model's linear time-invariant block L (:mod:`hematwin.model.linear_block`),
``dy_L/dt = A(p) y_L + b(p) + rate_L``, is solved in closed form within each integration
segment (between two events, where A, b and the infusion rates are constant), exactly as in
the Numba kernel::

    y_L(t_a + τ) = V (e^{Λτ} z + expm1(Λτ)/Λ · w),   z = V⁻¹ y_L(t_a),  w = V⁻¹ (b + rate_L)

from the eigen-decomposition A = V Λ V⁻¹. The stepper integrates the other states only,
with the block as an exact forcing (the driver fills y_L from this formula before every
evaluation of the right-hand side); the error norm runs over the other states only. This
removes the stability limit of fast drug kinetics (eigenvalue ≈ −187/day for docetaxel)
from the explicit method.

Choice of the decomposition
---------------------------
``jnp.linalg.eig`` is not usable here: it is CPU-only in XLA, returns complex arrays and its
derivative is not defined at the defective matrices we must detect. The alternatives were
(b) ``expm`` of the augmented matrix [[Aτ, uτ], [0, 0]] at every right-hand-side
evaluation (differentiable and portable, but about six m×m Padé evaluations with a
scaling-and-squaring loop per stage, i.e. per step ≫ the cost of the 5-state PD right-hand
side) and (c) a symmetrising similarity D^{-1/2} A D^{1/2} + ``eigh``, which exists for
mammillary and catenary models but not for the most common block of all, a depot feeding a
central compartment (A lower triangular), nor for reversible chains with one-way flows.

So the decomposition is (a) computed on the host, with a derivative of our own:

- :func:`real_eig` calls ``numpy.linalg.eig`` through ``jax.pure_callback`` (which runs
  under jit and vmap on CPU and GPU: on an accelerator it is one host round trip of a
  [B, m, m] array per chunk, and again only at SET_PARAM events). It is done once per
  patient at the start and again after a SET_PARAM event (A and b may depend on any
  parameter), never per step;
- its forward-mode derivative is a ``jax.custom_jvp`` rule (first-order perturbation
  theory for a diagonalisable matrix with distinct eigenvalues; e.g. Magnus & Neudecker,
  *Matrix Differential Calculus*, 3rd ed., 2019, section 8.8): with E = V⁻¹ dA V,
  dλ = diag(E), dV = V F, d(V⁻¹) = −F V⁻¹, F_ij = E_ij / (λ_j − λ_i) for i ≠ j and 0 on
  the diagonal (any column scaling of V is a valid choice; V Λ V⁻¹ does not depend on it).
  The rule is written in JAX and calls :func:`real_eig` again, so higher-order forward
  derivatives compose. Derivatives with respect to the parameters of A and b therefore flow
  through the closed form exactly (up to rounding), with no expm per step.

A patient's block is used only if it is real-diagonalisable with well separated
eigenvalues: finite A, eigenvalues real (|Im λ| ≤ 1e-10·(|Re λ| + ‖A‖)), the reconstruction
V Λ V⁻¹ = A to 1e-9·‖A‖ (a defective A, e.g. a depot and a central compartment with
ka = k, fails it) and distinct eigenvalues (gap ≥ 1e-6·‖A‖, where the derivative rule and
the cancellation in V e^{Λτ} V⁻¹ stay accurate to ~1e-10). Otherwise the patient's flag is
off and every one of its states is stepped numerically, in the same batch (a per-patient
mask, no regrouping). The flag is re-evaluated after every SET_PARAM event.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

jax.config.update("jax_enable_x64", True)

Array = jax.Array

IMAG_TOL = 1e-10  # |Im λ| ≤ IMAG_TOL·(|Re λ| + ‖A‖): real eigenvalue
RECON_TOL = 1e-9  # ‖V Λ V⁻¹ − A‖_max ≤ RECON_TOL·‖A‖_max: diagonalisable
GAP_TOL = 1e-6  # min |λ_i − λ_j| ≥ GAP_TOL·‖A‖_max: distinct eigenvalues
_SERIES = 1e-5  # |λτ| below this: expm1(x)/λ by its Taylor series (also covers λ = 0)


@dataclass(frozen=True)
class JaxLinearBlock:
    """A model's linear time-invariant block as JAX functions of the parameters.

    ``linear``/``ode``: indices of the block's states and of the others; ``A(p)`` [m, m]
    and ``b(p)`` [m] with ``dy_L/dt = A y_L + b`` (parameters only, no state, no time).
    """

    linear: tuple[int, ...]
    ode: tuple[int, ...]
    A: Callable[[Array], Array]
    b: Callable[[Array], Array]

    @property
    def size(self) -> int:
        return len(self.linear)


class LinearState(NamedTuple):
    """Per-patient closed-form data (leading axis B in the batched driver)."""

    active: Array  # bool: the block is solved in closed form for this patient
    lam: Array  # [m] eigenvalues (0 where inactive)
    V: Array  # [m, m] eigenvectors (identity where inactive)
    Vi: Array  # [m, m] V⁻¹
    t_a: Array  # start of the current segment
    z: Array  # [m] V⁻¹ y_L(t_a)
    w: Array  # [m] V⁻¹ (b + rate_L)


# --- eigen-decomposition on the host, differentiable in JAX ---------------------------------


def _host_eig(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(λ, V, V⁻¹) of real-diagonalisable matrices a[..., m, m] with distinct eigenvalues;
    NaN where a matrix is not (see the module docstring for the tests)."""
    a = np.asarray(a, dtype=np.float64)
    shape = a.shape
    m = shape[-1]
    flat = a.reshape(-1, m, m)
    eye = np.eye(m)
    finite = np.isfinite(flat).all(axis=(1, 2))
    safe = np.where(finite[:, None, None], flat, -eye)
    scale = np.abs(safe).max(axis=(1, 2)) + 1e-300
    lam_c, vec_c = np.linalg.eig(safe)
    real = (np.abs(lam_c.imag) <= IMAG_TOL * (np.abs(lam_c.real) + scale[:, None])).all(axis=1)
    # Each eigenvector made real: divided by the phase of its largest entry (as Numba does).
    big = np.argmax(np.abs(vec_c), axis=1)  # [N, m] row of the largest entry of column k
    pivot = np.take_along_axis(vec_c, big[:, None, :], axis=1)  # [N, 1, m]
    v = (vec_c / (pivot / np.abs(pivot))).real
    lam = lam_c.real
    invertible = np.linalg.cond(v) < 1e12
    vi = np.linalg.inv(np.where(invertible[:, None, None], v, eye))
    recon = np.einsum("nik,nk,nkj->nij", v, lam, vi)
    diag_ok = (np.abs(recon - safe) <= RECON_TOL * scale[:, None, None]).all(axis=(1, 2))
    if m > 1:
        gaps = np.abs(lam[:, :, None] - lam[:, None, :]) + np.where(eye > 0, np.inf, 0.0)
        distinct = gaps.min(axis=(1, 2)) >= GAP_TOL * scale
    else:
        distinct = np.ones_like(finite)
    ok = finite & real & invertible & diag_ok & distinct
    nan = np.nan
    lam = np.where(ok[:, None], lam, nan).reshape(shape[:-1])
    v = np.where(ok[:, None, None], v, nan).reshape(shape)
    vi = np.where(ok[:, None, None], vi, nan).reshape(shape)
    return lam, v, vi


@jax.custom_jvp
def real_eig(a: Array) -> tuple[Array, Array, Array]:
    """(λ, V, V⁻¹) of a[..., m, m] with A = V diag(λ) V⁻¹, all real; NaN where A is not
    real-diagonalisable with distinct eigenvalues. Works under jit/vmap on any device
    (host callback); forward-mode differentiable (custom JVP)."""
    a = jnp.asarray(a, dtype=jnp.float64)
    out = (
        jax.ShapeDtypeStruct(a.shape[:-1], jnp.float64),
        jax.ShapeDtypeStruct(a.shape, jnp.float64),
        jax.ShapeDtypeStruct(a.shape, jnp.float64),
    )
    return jax.pure_callback(_host_eig, out, a, vmap_method="broadcast_all")


@real_eig.defjvp
def _real_eig_jvp(primals, tangents):
    (a,), (da,) = primals, tangents
    lam, v, vi = real_eig(a)
    e = vi @ da @ v
    m = a.shape[-1]
    off = ~jnp.eye(m, dtype=bool)
    diff = lam[..., None, :] - lam[..., :, None]  # [i, j] = λ_j − λ_i
    f = jnp.where(off, e / jnp.where(off, diff, 1.0), 0.0)
    return (lam, v, vi), (jnp.diagonal(e, axis1=-2, axis2=-1), v @ f, -(f @ vi))


# --- per-patient pieces (vmapped by the driver) ----------------------------------------------


def decompose(block: JaxLinearBlock, p: Array) -> tuple[Array, Array, Array, Array]:
    """(active, λ, V, V⁻¹) of a batch p[B, n_params]; inactive patients get λ = 0, V = I."""
    a = jax.vmap(block.A)(p)
    lam, v, vi = real_eig(a)
    active = jnp.all(jnp.isfinite(lam), axis=-1)
    eye = jnp.eye(block.size, dtype=jnp.float64)
    lam = jnp.where(active[:, None], lam, 0.0)
    v = jnp.where(active[:, None, None], v, eye)
    vi = jnp.where(active[:, None, None], vi, eye)
    return active, lam, v, vi


def start_segment(
    block: JaxLinearBlock, lin: LinearState, t: Array, y: Array, rate: Array, p: Array
) -> LinearState:
    """One patient: project the block's state and input on the eigenvectors at time t."""
    idx = jnp.asarray(block.linear)
    z = lin.Vi @ y[idx]
    w = lin.Vi @ (jnp.atleast_1d(block.b(p)) + rate[idx])
    return lin._replace(t_a=t, z=z, w=w)


def fill(block: JaxLinearBlock, lin: LinearState, t: Array, y: Array) -> Array:
    """One patient: y with the block's entries replaced by their closed form at time t
    (unchanged if the patient's block is inactive)."""
    idx = jnp.asarray(block.linear)
    tau = t - lin.t_a
    x = lin.lam * tau
    em1 = jnp.expm1(x)
    small = jnp.abs(x) < _SERIES
    safe = jnp.where(small, 1.0, lin.lam)
    phi = jnp.where(small, tau * (1.0 + x * (0.5 + x / 6.0)), em1 / safe)
    y_lin = lin.V @ ((em1 + 1.0) * lin.z + phi * lin.w)
    return y.at[idx].set(jnp.where(lin.active, y_lin, y[idx]))


def state_mask(block: JaxLinearBlock, n_states: int, active: Array) -> Array:
    """[B, n_states] weights of the error norm: the stepped states of each patient."""
    ode = np.zeros(n_states, dtype=bool)
    ode[list(block.ode)] = True
    return jnp.where(active[:, None], jnp.asarray(ode)[None, :], True)
