"""Models in a plain YAML file, equations written as text in the paper's notation.

Layout::

    name: friberg2002
    description: Semi-mechanistic myelosuppression model
    citation: Friberg LE et al., J Clin Oncol 2002;20:4713
    time_unit: day
    method: dp5                       # or ros23 (stiff)
    # min_lag: 0.5, max_lag: 2*tau    # optional, state-dependent delays X(t - lag(y)) only:
                                      # bounds of every such lag (numbers or parameter
                                      # expressions)
    # history: {N: "N0*(1 + 0.1*sin(2*pi*t/20))"}   # optional, delay equations only: a
                                      # delayed state's value for t < t0 (t, parameters)
    parameters:
      Circ0: {value: 5.05, unit: 1e9/L, lower: 0, description: baseline ANC,
              citation: "Friberg 2002, Table 3"}
      gamma: 0.161                    # short form: the value alone
    states:
      Prol: {initial: Circ0, unit: 1e9/L}
      A1: 0                           # short form: the initial value alone
    equations: |
      ktr = 4/MTT                     # a definition (intermediate quantity)
      d/dt(Prol) = ktr*Prol*(1-E)*(Circ0/Circ)^gamma - ktr*Prol
    outputs: |
      anc = Circ

Every error names the file and the line. Duplicate keys are errors (PyYAML would silently
keep the last one).
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import yaml

from hematwin.errors import DuplicateNameError, EquationSyntaxError, ModelError, ParameterError
from hematwin.model.spec import Definition, Equation, ModelSpec, Output, Parameter, State

_ODE = re.compile(r"^d\s*/\s*dt\s*\(\s*([A-Za-z_]\w*)\s*\)\s*=\s*(.+)$")
_ASSIGN = re.compile(r"^([A-Za-z_]\w*)\s*=\s*(.+)$")


def _plain(node: yaml.Node, file: str | None) -> Any:
    """Node → Python value, rejecting duplicate mapping keys."""
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key in out:
                raise DuplicateNameError(
                    f"key {key!r} appears twice", file=file, line=key_node.start_mark.line + 1
                )
            out[key] = _plain(value_node, file)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_plain(n, file) for n in node.value]
    return yaml.safe_load(yaml.serialize(node)) if node.tag != "tag:yaml.org,2002:str" else (
        node.value
    )


def _key_lines(node: yaml.MappingNode) -> dict[str, tuple[int, yaml.Node]]:
    return {k.value: (k.start_mark.line + 1, v) for k, v in node.value}


def _number(value: Any, *, file: str | None, line: int, field: str) -> float:
    if isinstance(value, str) and value.strip().lower() in {"inf", "+inf", "-inf"}:
        return -math.inf if value.strip().startswith("-") else math.inf
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ModelError(f"expected a number, got {value!r}", file=file, line=line,
                         field=field) from None


def _block_lines(node: yaml.Node, file: str | None, field: str) -> list[tuple[int, str]]:
    """The non-empty lines of a text block with their 1-based line numbers in the file."""
    if not isinstance(node, yaml.ScalarNode):
        raise ModelError(f"{field!r} must be a text block (use '|')", file=file,
                         line=node.start_mark.line + 1, field=field)
    if node.style == ">":
        raise ModelError(f"{field!r} is a folded block ('>'), which joins the lines; use '|'",
                         file=file, line=node.start_mark.line + 1, field=field)
    literal = node.style == "|"
    first = node.start_mark.line + (2 if literal else 1)
    out = []
    for i, raw in enumerate(str(node.value).splitlines()):
        text = raw.split("#", 1)[0].strip()
        if text:
            out.append((first + i, text))
    return out


def parse_model_yaml(text: str, *, file: str | None = None) -> ModelSpec:
    """Read a model from YAML text (see the module docstring for the layout)."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ModelError(f"not valid YAML: {getattr(exc, 'problem', exc)}", file=file,
                         line=None if mark is None else mark.line + 1) from None
    if not isinstance(root, yaml.MappingNode):
        raise ModelError("a model file must be a YAML mapping", file=file)
    top = _key_lines(root)
    _plain(root, file)  # duplicate-key check over the whole document
    allowed = {"name", "description", "citation", "time_unit", "method", "parameters",
               "states", "equations", "outputs", "min_lag", "max_lag", "history"}
    for key, (line, _) in top.items():
        if key not in allowed:
            raise ModelError(f"unknown section {key!r}; expected one of {sorted(allowed)}",
                             file=file, line=line, field=key)
    for key in ("name", "parameters", "states", "equations"):
        if key not in top:
            raise ModelError(f"missing section {key!r}", file=file, field=key)

    def scalar(key: str, default: str = "") -> str:
        return str(_plain(top[key][1], file)) if key in top else default

    parameters = []
    pnode = top["parameters"][1]
    if not isinstance(pnode, yaml.MappingNode):
        raise ModelError("'parameters' must be a mapping", file=file, line=top["parameters"][0])
    for name, (line, vnode) in _key_lines(pnode).items():
        value = _plain(vnode, file)
        fields = value if isinstance(value, dict) else {"value": value}
        unknown = set(fields) - {"value", "unit", "lower", "upper", "description", "citation"}
        if unknown:
            raise ModelError(f"parameter {name!r}: unknown field(s) {sorted(unknown)}",
                             file=file, line=line, field=name)
        if "value" not in fields:
            raise ModelError(f"parameter {name!r} has no value", file=file, line=line,
                             field=name)
        try:
            parameter = Parameter(
                name=name,
                default=_number(fields["value"], file=file, line=line, field=name),
                unit=str(fields.get("unit", "1")),
                lower=_number(fields.get("lower", "-inf"), file=file, line=line, field=name),
                upper=_number(fields.get("upper", "inf"), file=file, line=line, field=name),
                description=str(fields.get("description", "")),
                citation=str(fields.get("citation", "")),
                line=line,
            )
        except ParameterError as exc:
            raise ParameterError(exc.message, file=file, line=line, field=name) from None
        parameters.append(parameter)

    states = []
    snode = top["states"][1]
    if not isinstance(snode, yaml.MappingNode):
        raise ModelError("'states' must be a mapping", file=file, line=top["states"][0])
    for name, (line, vnode) in _key_lines(snode).items():
        value = _plain(vnode, file)
        fields = value if isinstance(value, dict) else {"initial": value}
        unknown = set(fields) - {"initial", "unit", "description"}
        if unknown:
            raise ModelError(f"state {name!r}: unknown field(s) {sorted(unknown)}",
                             file=file, line=line, field=name)
        states.append(State(name=name, initial=fields.get("initial", 0.0),
                            unit=str(fields.get("unit", "1")),
                            description=str(fields.get("description", "")), line=line))

    equations, definitions = [], []
    for line, text in _block_lines(top["equations"][1], file, "equations"):
        if m := _ODE.match(text):
            equations.append(Equation(state=m.group(1), expression=m.group(2).strip(), line=line))
        elif m := _ASSIGN.match(text):
            definitions.append(Definition(name=m.group(1), expression=m.group(2).strip(),
                                          line=line))
        else:
            raise EquationSyntaxError(
                "expected 'd/dt(STATE) = expression' or 'name = expression'",
                file=file, line=line, equation=text)

    outputs = []
    if "outputs" in top:
        for line, text in _block_lines(top["outputs"][1], file, "outputs"):
            m = _ASSIGN.match(text)
            if not m:
                raise EquationSyntaxError("expected 'name = expression'", file=file,
                                          line=line, equation=text)
            outputs.append(Output(name=m.group(1), expression=m.group(2).strip(), line=line))

    history = _plain(top["history"][1], file) if "history" in top else {}
    if not isinstance(history, dict):
        raise ModelError("'history' must be a mapping {state: expression in t}", file=file,
                         line=top["history"][0], field="history")

    return ModelSpec(
        name=scalar("name"),
        description=scalar("description"),
        citation=scalar("citation"),
        time_unit=scalar("time_unit", "day"),
        method=scalar("method", "dp5"),
        parameters=tuple(parameters),
        states=tuple(states),
        equations=tuple(equations),
        definitions=tuple(definitions),
        outputs=tuple(outputs),
        file=file,
        min_lag=_plain(top["min_lag"][1], file) if "min_lag" in top else None,
        max_lag=_plain(top["max_lag"][1], file) if "max_lag" in top else None,
        history=history,
    )


def load_model(path: str | Path) -> ModelSpec:
    """Read a model file (YAML layout of this module)."""
    path = Path(path)
    return parse_model_yaml(path.read_text(encoding="utf-8"), file=str(path))
