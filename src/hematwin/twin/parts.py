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

CLONES = ("h", "d", "a", "m")
"""Normal (non-leukemic) stem-cell clones, each with its own HSC, progenitors and committed
progenitors of every lineage (neutrophil, megakaryocyte, erythroid, B and NK):

- ``h`` host: the patient's own hematopoiesis;
- ``d`` donor: an allogeneic graft (and donor lymphocytes); foreign HLA, so the host's
  alloreactive T cells reject it (``imm_d = rej``);
- ``a`` autologous graft: gene-corrected (ex-vivo gene therapy) or iPSC-derived cells made
  from the patient, or an unmanipulated autologous graft. Host HLA, so it is not rejected,
  and donor alloreactive T cells attack it as they attack host cells
  (``imm_a = gvh_marrow``). An unmanipulated autologous graft is host-identical in every
  parameter; it is kept in its own clone so that the graft-derived share stays readable, as
  gene marking made it readable in patients (marked autologous marrow in all lineages for
  up to 18 months: Brenner et al., Lancet 1993;342:1134);
- ``m`` a clonal-hematopoiesis mutant of the host (host HLA).

The leukemic line is its own component. Because every clone's compartments obey linear
equations with identical parameters (unless a clone's own covariate differs), summing a
compartment over clones gives exactly the equations of one shared pool."""

CLONE_NAMES = {"h": "host", "d": "donor (allogeneic)",
               "a": "autologous graft (gene-corrected, iPSC-derived or unmanipulated)",
               "m": "clonal-hematopoiesis mutant"}

INITIAL_SHARE = {"h": "(1 - chip_fraction)", "d": "0", "a": "0", "m": "chip_fraction"}
"""Share of each clone in every stem/progenitor compartment at t0 (model text)."""

T_ORIGINS = {"h": ("h", "m"), "d": ("d",), "a": ("a",)}
"""T cells by HLA origin and the clones whose lymphoid progenitors make them: host HLA (host
and mutant clones share the HLA, and T cells are not followed per mutation), donor, and the
autologous graft (host HLA too, but counted apart, as its myeloid cells are)."""

T_ORIGIN_NAMES = {"h": "host", "d": "donor", "a": "autologous graft"}


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
