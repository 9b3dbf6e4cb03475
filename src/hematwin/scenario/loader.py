"""Read a scenario file: YAML → :class:`~hematwin.scenario.schema.Scenario`, with every
validation error pointing at its line and field.

Line numbers come from the YAML node tree (``yaml.compose``: each key and list item keeps its
start mark); a pydantic error's ``loc`` (or the ``at`` path our validators put in the error
context) is looked up in that map, falling back to the nearest enclosing key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from hematwin.errors import ScenarioError
from hematwin.scenario.schema import Scenario

__all__ = ["load_scenario", "parse_scenario"]

Loc = tuple[str | int, ...]


def _line_map(node: yaml.Node, path: Loc, lines: dict[Loc, int], file: str) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            name = key.value
            line = key.start_mark.line + 1
            if name in seen:
                raise ScenarioError(f"key {name!r} appears twice (first on line {seen[name]})",
                                    file=file, line=line, field=_dotted(path + (name,)))
            seen[name] = line
            lines[path + (name,)] = line
            _line_map(value, path + (name,), lines, file)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_map(item, path + (i,), lines, file)


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _error_loc(error: dict[str, Any]) -> Loc:
    loc: Loc = tuple(p for p in error["loc"] if isinstance(p, int) or "[" not in str(p))
    at = (error.get("ctx") or {}).get("at")
    if at:
        loc = loc + tuple(int(p) if p.isdigit() else p for p in str(at).split("."))
    return loc


def _message(error: dict[str, Any]) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "scenario":
        return str(ctx["message"])
    if kind == "missing":
        return "this required field is missing"
    if kind == "literal_error":
        return f"expected one of {ctx.get('expected', '')}; got {error['input']!r}"
    text = error["msg"].removeprefix("Value error, ")
    got = error.get("input")
    if isinstance(got, str | int | float) and not isinstance(got, bool):
        text += f"; got {got!r}"
    return text


def _nearest_line(loc: Loc, lines: dict[Loc, int]) -> int | None:
    for k in range(len(loc), -1, -1):
        if loc[:k] in lines:
            return lines[loc[:k]]
    return None


def _scenario_error(exc: ValidationError, lines: dict[Loc, int], file: str) -> ScenarioError:
    errors = exc.errors()
    # one error per place: pydantic reports each failed branch of a union separately
    unique: dict[Loc, dict[str, Any]] = {}
    for e in errors:
        unique.setdefault(_error_loc(e), e)
    items = list(unique.items())
    loc, first = items[0]
    message = _message(first)
    for other_loc, other in items[1:]:
        line = _nearest_line(other_loc, lines)
        message += (f"\n  also line {line}, field {_dotted(other_loc)!r}: "
                    f"{_message(other)}")
    return ScenarioError(message, file=file, line=_nearest_line(loc, lines),
                         field=_dotted(loc) or None)


def parse_scenario(text: str, *, file: str = "<scenario>") -> Scenario:
    """A scenario from YAML text (``file`` names it in error messages)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise ScenarioError(f"not valid YAML: {exc.problem}", file=file,
                            line=mark.line + 1 if mark else None) from None
    if not isinstance(data, dict):
        raise ScenarioError("a scenario file is a mapping with at least 'name' and 'horizon'",
                            file=file, line=1)
    lines: dict[Loc, int] = {}
    _line_map(node, (), lines, file)
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise _scenario_error(exc, lines, file) from None


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate the scenario file ``path``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"cannot read the scenario file: {exc.strerror}",
                            file=str(path)) from None
    return parse_scenario(text, file=str(path))
