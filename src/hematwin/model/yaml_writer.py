"""Write a :class:`~hematwin.model.spec.ModelSpec` in the YAML layout of
:mod:`hematwin.model.text_format`, so that ``parse_model_yaml(to_yaml(spec))`` gives the
model back.

The layout has no place for the units and descriptions of definitions and outputs: those
are written as comments after their line (the reader skips comments) and do not come back.
"""

from __future__ import annotations

import math

import yaml

from hematwin.model.spec import ModelSpec


def _dump(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000,
                          default_flow_style=False)


def _comment(unit: str, description: str) -> str:
    text = "; ".join(x for x in (f"[{unit}]" if unit else "", description) if x)
    text = " ".join(text.split()).replace("#", "")
    return f"  # {text}" if text else ""


def to_yaml(spec: ModelSpec) -> str:
    """The model as YAML text (see :func:`hematwin.model.text_format.parse_model_yaml`)."""
    head = {"name": spec.name}
    for key in ("description", "citation"):
        if getattr(spec, key):
            head[key] = getattr(spec, key)
    head["time_unit"] = spec.time_unit
    head["method"] = spec.method
    for key in ("min_lag", "max_lag"):  # bounds of state-dependent delays, when declared
        if getattr(spec, key) is not None:
            head[key] = getattr(spec, key)
    if spec.history:  # values of delayed states before t0, when not the initial value
        head["history"] = dict(spec.history)
    parameters: dict[str, dict] = {}
    for p in spec.parameters:
        fields: dict[str, object] = {"value": p.default, "unit": p.unit}
        if not math.isinf(p.lower):
            fields["lower"] = p.lower
        if not math.isinf(p.upper):
            fields["upper"] = p.upper
        if p.description:
            fields["description"] = p.description
        if p.citation:
            fields["citation"] = p.citation
        parameters[p.name] = fields
    states: dict[str, dict] = {}
    for s in spec.states:
        fields = {"initial": s.initial, "unit": s.unit}
        if s.description:
            fields["description"] = s.description
        states[s.name] = fields
    text = _dump(head)
    text += _dump({"parameters": parameters}) if parameters else "parameters: {}\n"
    text += _dump({"states": states}) if states else "states: {}\n"
    lines = [f"{d.name} = {d.expression}{_comment(d.unit, d.description)}"
             for d in spec.definitions]
    lines += [eq.text for eq in spec.equations]
    text += "equations: |\n" + "".join(f"  {line}\n" for line in lines)
    if spec.outputs:
        text += "outputs: |\n" + "".join(
            f"  {o.name} = {o.expression}{_comment(o.unit, o.description)}\n"
            for o in spec.outputs)
    return text
