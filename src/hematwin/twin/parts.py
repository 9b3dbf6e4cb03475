"""Building blocks of the integrated twin: each component contributes model parts.

A component is a function returning :class:`Parts` — states, parameters, definitions,
equations and outputs written as text in the model notation of :mod:`hematwin.model`. The
twin (``hematwin.twin.model``) concatenates the parts of every component into one
``ModelSpec``. Components refer to each other only through documented names (for example
``Gt``, the total G-CSF concentration, or ``kill_prolif``, the chemotherapy kill rate of
proliferating cells), listed in each component's docstring.

Every parameter carries a unit, a default, a range for virtual populations (``lower``,
``upper``; log-normal variability is drawn inside it) and its source: a citation (author and
year), ``"calibrated [key, ...]: how"`` when the value was chosen to reproduce calibration
targets (keys of ``validation/twin_cases.TARGETS`` or behavioural tests of
``tests/twin/test_twin_behaviour.py``), ``"assumption: why"``, ``"definition: what"``, or for
a patient/therapy covariate what sets it (``"... set by hematwin.<module>..."``);
``tests/twin/test_twin_structure.py`` enforces this.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hematwin.model.spec import Definition, Equation, Output, Parameter, State

CLONES = ("h", "g", "m")
"""Normal (non-leukemic) stem-cell clones: host, graft (donor, autologous, gene-corrected or
iPSC-derived), and a clonal-hematopoiesis mutant of the host. The leukemic line is its own
component."""

CLONE_NAMES = {"h": "host", "g": "graft", "m": "clonal-hematopoiesis mutant"}


@dataclass
class Parts:
    states: list[State] = field(default_factory=list)
    parameters: list[Parameter] = field(default_factory=list)
    definitions: list[Definition] = field(default_factory=list)
    equations: list[Equation] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)

    def state(self, name: str, initial: str | float, unit: str, description: str) -> None:
        self.states.append(State(name, initial, unit, description))

    def param(self, name: str, value: float, unit: str, lower: float, upper: float,
              description: str, source: str) -> None:
        self.parameters.append(Parameter(name, value, unit, lower, upper, description, source))

    def define(self, name: str, expression: str, unit: str = "", description: str = "") -> None:
        self.definitions.append(Definition(name, expression, unit, description))

    def ode(self, state: str, expression: str) -> None:
        self.equations.append(Equation(state, expression))

    def output(self, name: str, expression: str, unit: str, description: str) -> None:
        self.outputs.append(Output(name, expression, unit, description))

    def extend(self, other: Parts) -> Parts:
        self.states += other.states
        self.parameters += other.parameters
        self.definitions += other.definitions
        self.equations += other.equations
        self.outputs += other.outputs
        return self


def total(names: list[str] | tuple[str, ...]) -> str:
    """``(a + b + c)`` — a sum written as model text."""
    return "(" + " + ".join(names) + ")"
