"""JAX functions of one patient generated from the symbolic model, for the JAX backend.

The same symbolic forms as the Numba backend (right-hand side with definitions substituted,
analytic Jacobian, initial values, outputs) are turned into ``jax.numpy`` functions with
SymPy's JAX printer; :func:`hematwin.engine.jax_backend.solve_batch_jax` integrates them
(jit + vmap; differentiable; on a GPU where one exists). With ``closed_form_linear`` the
model's linear time-invariant block (:func:`hematwin.model.linear_block.find_linear_block`)
comes with it as functions A(p), b(p), and is solved in closed form
(:mod:`hematwin.engine.jax_linear`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from hematwin.engine.events import EventTable
from hematwin.engine.jax_backend import JaxModelFunctions, solve_batch_jax
from hematwin.engine.jax_linear import JaxLinearBlock
from hematwin.model.linear_block import find_linear_block
from hematwin.model.symbolic import SymbolicModel


def _vector_function(args: tuple, exprs: list[sp.Expr]):
    import jax.numpy as jnp

    if not exprs:
        return lambda *a: jnp.zeros(0)
    raw = sp.lambdify(args, exprs, modules="jax", cse=True, dummify=True)

    def fn(*a):
        return jnp.stack([jnp.asarray(v, dtype=jnp.float64) for v in raw(*a)])

    return fn


def linear_block_functions(model: SymbolicModel) -> JaxLinearBlock | None:
    """The model's linear time-invariant block as JAX functions of the parameters, or None."""
    block = find_linear_block(model)
    if block is None:
        return None
    m = block.size
    args = (list(model.params),)
    a_flat = _vector_function(args, [block.A[i, j] for i in range(m) for j in range(m)])
    return JaxLinearBlock(
        linear=tuple(block.linear),
        ode=tuple(block.ode),
        A=lambda p: a_flat(p).reshape(m, m),
        b=_vector_function(args, list(block.b)),
    )


def jax_functions(model: SymbolicModel, closed_form_linear: bool = True) -> JaxModelFunctions:
    """The model's right-hand side, Jacobian, initial values and outputs as JAX functions,
    with its linear block (solved in closed form) when ``closed_form_linear``."""
    y = list(model.states)
    p = list(model.params)
    args = (model.t, y, p)
    n = model.n_states
    rhs = _vector_function(args, list(model.rhs))
    jac_flat = _vector_function(args, [model.jacobian[i, j] for i in range(n) for j in range(n)])
    init = _vector_function((p,), list(model.initial))
    outputs = _vector_function(args, list(model.outputs))
    return JaxModelFunctions(
        n_states=n,
        n_params=model.n_params,
        n_outputs=model.n_outputs,
        rhs=rhs,
        init=init,
        outputs=outputs,
        jac=lambda t, yy, pp: jac_flat(t, yy, pp).reshape(n, n),
        linear=linear_block_functions(model) if closed_form_linear else None,
    )


@dataclass
class JaxModel:
    """A model compiled for the JAX backend (same ``solve`` contract as the Numba one)."""

    symbolic: SymbolicModel
    functions: JaxModelFunctions

    def solve(
        self,
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
        return solve_batch_jax(
            self.functions, params, events, t0, save_t, record, method=method, rtol=rtol,
            atol=atol, max_steps=max_steps, chunk_size=chunk_size,
        )


def compile_jax(model: SymbolicModel, *, closed_form_linear: bool = True) -> JaxModel:
    """The model for the JAX backend; ``closed_form_linear`` as in :class:`Model`."""
    return JaxModel(symbolic=model, functions=jax_functions(model, closed_form_linear))
