"""Find the linear, time-invariant block of a model (typically its PK compartments).

A set of states L is a *linear block* when, for every state in L, the right-hand side is
affine in the states of L only — ``dy_L/dt = A(p) y_L + b(p)`` — with A and b depending on
parameters alone (no other state, no time). Within an integration segment (between two
events, where infusion rates and parameters are constant) such a block has the closed-form
solution ``y_L(t_a + τ) = exp(Aτ) y_L(t_a) + ∫_0^τ exp(As) ds (b + rate)``, the approach of
closed-form PK coupled to ODE PD (mrgsolve ``$PKMODEL``; Torsten's coupled solvers,
Margossian & Gillespie 2017). The remaining states are integrated numerically with the
block as an exact forcing, which removes the stiffness fast drug kinetics bring to
myelosuppression models.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from hematwin.model.symbolic import SymbolicModel


@dataclass(frozen=True)
class LinearBlock:
    """Indices of the block's states (``linear``) and of the others (``ode``), with A and b."""

    linear: tuple[int, ...]
    ode: tuple[int, ...]
    A: sp.Matrix  # m × m, parameters only
    b: tuple[sp.Expr, ...]  # m, parameters only

    @property
    def size(self) -> int:
        return len(self.linear)


def _affine_in(expr: sp.Expr, block: list[sp.Symbol], params: set[sp.Symbol]):
    """Coefficients (row of A, b) if ``expr`` is affine in ``block`` with parameter-only
    coefficients, else None."""
    # quick rejection before expanding (expanding a large nonlinear right-hand side, such as
    # a Hill function of a sum of many states, can take minutes)
    if any(not sp.diff(expr, s).free_symbols <= params for s in block):
        return None
    expr = sp.expand(expr)
    row = []
    rest = expr
    for s in block:
        c = sp.diff(expr, s)
        if not c.free_symbols <= params:
            return None
        row.append(c)
        rest = rest - c * s
    rest = sp.expand(rest)
    if not rest.free_symbols <= params:
        return None
    return row, rest


def find_linear_block(model: SymbolicModel) -> LinearBlock | None:
    """The largest linear block of ``model``, or None if there is none.

    Starts from every state and removes, until nothing changes, the states whose
    right-hand side is not affine in the remaining candidates.
    """
    params = set(model.params)
    delayed = {i for i, _, _ in model.delays}  # their history is needed: keep them stepped
    candidates = [i for i in range(model.n_states) if i not in delayed]
    while candidates:
        block = [model.states[i] for i in candidates]
        keep = [i for i in candidates if _affine_in(model.rhs[i], block, params) is not None]
        if keep == candidates:
            break
        candidates = keep
    if not candidates:
        return None
    block = [model.states[i] for i in candidates]
    rows, consts = [], []
    for i in candidates:
        row, const = _affine_in(model.rhs[i], block, params)
        rows.append(row)
        consts.append(const)
    ode = tuple(i for i in range(model.n_states) if i not in candidates)
    return LinearBlock(linear=tuple(candidates), ode=ode, A=sp.Matrix(rows), b=tuple(consts))
