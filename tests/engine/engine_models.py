"""Test models shared by the engine tests, each compiled once per process.

Numba compiles a model in ~10–15 s the first time on a machine and loads it from the disk
cache afterwards; :func:`model` keeps one :class:`Model` per name per process so that every
test file reuses the same compiled kernels.

- ``onecpt``: one compartment with first-order elimination (textbook closed forms, e.g.
  Gibaldi & Perrier, *Pharmacokinetics*, 2nd ed., 1982, ch. 1–2), an effect compartment,
  a forcing ``amp*sin(w*t)`` (explicit time dependence) and a term ``q*x^2`` (blow-up when
  q > 0). The same model is in ``fixtures/onecpt.yaml``.
- ``pklin``: the same elimination and effect site without forcing: a linear model, which
  the Numba kernel solves in closed form (its linear block), so that event semantics are
  checked on both code paths with the same closed forms.
- ``robertson``: Robertson's stiff chemical kinetics (Robertson 1966; Hairer & Wanner,
  *Solving ODEs II*, 2nd ed., 1996, section IV.1, eq. (1.4)).
- ``friberg_docetaxel``/``friberg_paclitaxel``: :mod:`hematwin.library.friberg2002`.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np

from hematwin.engine import Model
from hematwin.library import friberg2002
from hematwin.model.spec import Definition, Equation, ModelSpec, Output, Parameter, State

FIXTURES = Path(__file__).with_name("fixtures")
INF = math.inf


def onecpt_spec() -> ModelSpec:
    return ModelSpec(
        name="onecpt",
        description="one compartment, first-order elimination, forcing amp*sin(w*t), "
                    "effect site",
        citation="textbook one-compartment model (Gibaldi & Perrier, Pharmacokinetics, "
                 "2nd ed., ch. 1)",
        time_unit="day",
        method="dp5",
        parameters=(
            Parameter("k", 1.0, "1/day", 0, INF, "elimination rate constant"),
            Parameter("amp", 0.0, "mg/day", description="amplitude of the sinusoidal input"),
            Parameter("w", 1.0, "1/day", 0, INF, "angular frequency of the input"),
            Parameter("q", 0.0, "1/(mg*day)",
                      description="quadratic self-feedback (blow-up tests)"),
            Parameter("x0", 0.0, "mg", 0, INF, "initial amount"),
            Parameter("ke", 0.5, "1/day", 0, INF, "effect-site equilibration rate"),
        ),
        states=(
            State("x", "x0", "mg", "amount in the body"),
            State("e", 0, "mg", "effect-site amount"),
        ),
        definitions=(Definition("input", "amp*sin(w*t)"),),
        equations=(
            Equation("x", "-k*x + input + q*x^2"),
            Equation("e", "ke*(x - e)"),
        ),
        outputs=(Output("conc", "x"), Output("double", "2*x")),
    )


def pklin_spec() -> ModelSpec:
    return ModelSpec(
        name="pklin",
        description="one compartment, first-order elimination, effect site (linear)",
        citation="textbook one-compartment model (Gibaldi & Perrier, Pharmacokinetics, "
                 "2nd ed., ch. 1)",
        parameters=(
            Parameter("k", 1.0, "1/day", 0, INF, "elimination rate constant"),
            Parameter("x0", 0.0, "mg", 0, INF, "initial amount"),
            Parameter("ke", 0.5, "1/day", 0, INF, "effect-site equilibration rate"),
        ),
        states=(
            State("x", "x0", "mg", "amount in the body"),
            State("e", 0, "mg", "effect-site amount"),
        ),
        equations=(Equation("x", "-k*x"), Equation("e", "ke*(x - e)")),
        outputs=(Output("conc", "x"), Output("double", "2*x")),
    )


def robertson_spec() -> ModelSpec:
    return ModelSpec(
        name="robertson",
        description="Robertson's stiff chemical kinetics",
        citation="Hairer & Wanner, Solving ODEs II (1996), IV.1 eq. (1.4)",
        method="ros23",
        parameters=(
            Parameter("k1", 0.04, lower=0),
            Parameter("k2", 3e7, lower=0),
            Parameter("k3", 1e4, lower=0),
        ),
        states=(State("y1", 1.0), State("y2", 0.0), State("y3", 0.0)),
        equations=(
            Equation("y1", "-k1*y1 + k3*y2*y3"),
            Equation("y2", "k1*y1 - k2*y2^2 - k3*y2*y3"),
            Equation("y3", "k2*y2^2"),
        ),
    )


SPECS = {
    "onecpt": onecpt_spec,
    "pklin": pklin_spec,
    "robertson": robertson_spec,
    "friberg_docetaxel": lambda: friberg2002.spec("docetaxel"),
    "friberg_paclitaxel": lambda: friberg2002.spec("paclitaxel"),
}


@cache
def model(name: str) -> Model:
    """The compiled model ``name`` (one instance per process)."""
    m = Model(SPECS[name]())
    m.numba  # noqa: B018 - compile (or load from the disk cache) now
    return m


def onecpt_closed_form(t: np.ndarray, *, k: float, x0: float = 0.0, amp: float = 0.0,
                       w: float = 1.0) -> np.ndarray:
    """x(t) of dx/dt = −k x + amp·sin(w t), x(0) = x0."""
    t = np.asarray(t, dtype=float)
    forced = amp * (k * np.sin(w * t) - w * np.cos(w * t) + w * np.exp(-k * t)) / (k * k + w * w)
    return x0 * np.exp(-k * t) + forced


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """max |a − b| / max |b| per variable (last axis), the largest over variables."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    axes = tuple(range(b.ndim - 1))
    scale = np.max(np.abs(b), axis=axes)
    scale = np.where(scale > 0, scale, 1.0)
    return float(np.max(np.max(np.abs(a - b), axis=axes) / scale))
