"""Shared helpers of the library-model tests: exact right-hand sides at the initial state."""

from __future__ import annotations

import pytest
import sympy as sp

from hematwin.model.spec import ModelSpec
from hematwin.model.symbolic import build_symbolic


def _rhs_at_initial(spec: ModelSpec, params: dict[str, float] | None = None) -> list[sp.Expr]:
    """d/dt of every state at the initial state (t = 0, no doses), in exact arithmetic.

    Every parameter value is turned into the rational number it stands for, so a steady state
    that holds by construction evaluates to exactly 0, not to rounding noise.
    """
    sym = build_symbolic(spec)
    values = {**spec.defaults(), **(params or {})}
    subs = {p: sp.nsimplify(values[p.name], rational=True) for p in sym.params}
    init = [e.xreplace(subs) for e in sym.initial]
    subs.update(dict(zip(sym.states, init, strict=True)))
    subs[sym.t] = sp.Integer(0)
    return [sp.simplify(e.xreplace(subs)) for e in sym.rhs]


@pytest.fixture(scope="session")
def rhs_at_initial():
    return _rhs_at_initial
