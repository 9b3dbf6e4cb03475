"""A model is data: states, parameters, definitions, equations and outputs as text.

The text of every expression is in the paper's notation (``^`` for powers allowed) and is
parsed with SymPy by :mod:`hematwin.model.symbolic`, which checks it. A spec can be written
in Python (this module) or in a text/YAML file (:mod:`hematwin.model.text_format`); both
give the same :class:`ModelSpec`.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field, replace

from hematwin.errors import DuplicateNameError, ParameterError


@dataclass(frozen=True)
class Parameter:
    """A model parameter.

    ``default`` is in ``unit``; ``lower``/``upper`` bound the values a fit or a virtual
    population may take (inclusive). ``citation`` says where the default comes from
    (author, year, table or figure).
    """

    name: str
    default: float
    unit: str = "1"
    lower: float = -math.inf
    upper: float = math.inf
    description: str = ""
    citation: str = ""
    line: int | None = None

    def __post_init__(self) -> None:
        where = {"field": self.name, "line": self.line}
        try:
            value = float(self.default)
        except (TypeError, ValueError):
            raise ParameterError(
                f"default value {self.default!r} is not a number", **where
            ) from None
        if not math.isfinite(value):
            raise ParameterError(f"default value {value} is not finite", **where)
        if self.lower > self.upper:
            raise ParameterError(f"lower bound {self.lower} > upper bound {self.upper}", **where)
        if not self.lower <= value <= self.upper:
            raise ParameterError(
                f"default {value} is outside its bounds [{self.lower}, {self.upper}]", **where
            )
        object.__setattr__(self, "default", value)


@dataclass(frozen=True)
class State:
    """A state variable; ``initial`` is a number or an expression of parameters."""

    name: str
    initial: str | float = 0.0
    unit: str = "1"
    description: str = ""
    line: int | None = None


@dataclass(frozen=True)
class Definition:
    """A named intermediate quantity, ``name = expression`` (e.g. ``ktr = 4/MTT``)."""

    name: str
    expression: str
    unit: str = ""
    description: str = ""
    line: int | None = None


@dataclass(frozen=True)
class Equation:
    """``d/dt(state) = expression``."""

    state: str
    expression: str
    line: int | None = None

    @property
    def text(self) -> str:
        return f"d/dt({self.state}) = {self.expression}"


@dataclass(frozen=True)
class Output:
    """A derived quantity reported by a simulation (e.g. ``anc = Circ``)."""

    name: str
    expression: str
    unit: str = "1"
    description: str = ""
    line: int | None = None


@dataclass(frozen=True)
class ModelSpec:
    """The whole declarative model.

    Attributes
    ----------
    name: identifier of the model (``friberg2002``).
    states, parameters, definitions, equations, outputs: the parts listed above.
    time_unit: unit of the independent variable ``t`` (days by project convention).
    method: default solver, ``"dp5"`` (explicit) or ``"ros23"`` (stiff, Rosenbrock).
    description, citation: what the model is and where it was published.
    file: the file the spec was read from, if any (for error messages).
    min_lag, max_lag: for state-dependent delays ``X(t - lag)`` (lag an expression of
        states), a lower bound of every such lag and the longest history any of them may
        reach back, as numbers or expressions of parameters. The lower bound caps the step
        size (without it the step is capped at the current lag); a lag outside
        [0, max_lag] at run time flags the patient.
    history: for delay equations, the value of a delayed state before the start time t0,
        ``{state: expression in t and parameters}`` (given as a mapping, stored as sorted
        (state, text) pairs); a state not listed keeps its initial value as its history.
        A history whose value at t0 differs from the initial value is a jump at t0
        (allowed, as in deSolve's ``dede``).
    """

    name: str
    states: tuple[State, ...]
    parameters: tuple[Parameter, ...]
    equations: tuple[Equation, ...]
    definitions: tuple[Definition, ...] = ()
    outputs: tuple[Output, ...] = ()
    time_unit: str = "day"
    method: str = "dp5"
    description: str = ""
    citation: str = ""
    file: str | None = None
    min_lag: str | float | None = None
    max_lag: str | float | None = None
    history: tuple[tuple[str, str], ...] = ()
    meta: dict = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        for name in ("states", "parameters", "equations", "definitions", "outputs"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        history = dict(self.history)  # a mapping or (state, expression) pairs
        object.__setattr__(
            self, "history", tuple(sorted((str(k), str(v)) for k, v in history.items()))
        )
        seen: dict[str, str] = {}
        for kind, items in (
            ("state", self.states),
            ("parameter", self.parameters),
            ("definition", self.definitions),
            ("output", self.outputs),
        ):
            for item in items:
                if item.name in seen:
                    raise DuplicateNameError(
                        f"{kind} {item.name!r} duplicates a {seen[item.name]} of the same name",
                        model=self.name,
                        file=self.file,
                        line=item.line,
                    )
                seen[item.name] = kind

    # --- lookups ----------------------------------------------------------------------
    @property
    def state_names(self) -> list[str]:
        return [s.name for s in self.states]

    @property
    def parameter_names(self) -> list[str]:
        return [p.name for p in self.parameters]

    @property
    def output_names(self) -> list[str]:
        return [o.name for o in self.outputs]

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise KeyError(f"model {self.name!r} has no parameter {name!r}")

    def state_index(self, name_or_cmt: str | int) -> int:
        """0-based index of a state given its name or its 1-based NONMEM CMT number."""
        if isinstance(name_or_cmt, numbers.Real) and not isinstance(name_or_cmt, bool):
            cmt = int(name_or_cmt)
            if cmt != name_or_cmt or not 1 <= cmt <= len(self.states):
                raise KeyError(
                    f"compartment {name_or_cmt!r} is not in 1..{len(self.states)} "
                    f"({', '.join(self.state_names)})"
                )
            return cmt - 1
        names = self.state_names
        if name_or_cmt not in names:
            raise KeyError(
                f"model {self.name!r} has no state {name_or_cmt!r}; states: {', '.join(names)}"
            )
        return names.index(name_or_cmt)

    def defaults(self) -> dict[str, float]:
        return {p.name: p.default for p in self.parameters}

    def with_defaults(self, **values: float) -> ModelSpec:
        """A copy whose parameter defaults are replaced (e.g. another drug's parameter set)."""
        unknown = set(values) - set(self.parameter_names)
        if unknown:
            raise ParameterError(
                f"unknown parameter(s) {sorted(unknown)}; known: {self.parameter_names}",
                model=self.name,
            )
        params = tuple(
            replace(p, default=values[p.name]) if p.name in values else p
            for p in self.parameters
        )
        return replace(self, parameters=params)
