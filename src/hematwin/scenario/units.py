"""Doses and durations as clinicians write them in scenario files, converted with pint.

``"100 mg/m2"``, ``"3 g/m²"``, ``"5 ug/kg"``, ``"5e6 cells/kg"``, ``"2 Gy"``, ``"2 years"``:
the text must carry a unit of the expected dimension (DESIGN.md, "Units": checked at the
boundaries). Two spellings pint lacks are accepted: ``m2``/``m²`` for square metres (body
surface area) and the word ``cells`` in cell doses (a count, so ``5e6 cells/kg`` is 5×10⁶
per kg). A dose per day (``100 mg/m2/day``) is accepted where the catalogue's argument is a
daily dose.
"""

from __future__ import annotations

import math
import re

import pint

from hematwin.errors import UnitError
from hematwin.quantities import _registry, parse_quantity

__all__ = ["convert", "pretty"]

_SQUARE = re.compile(r"(?<![A-Za-z])(m|cm)(?:2|²)(?![0-9])")
_CELLS = re.compile(r"(?i)\b(cells?|CD34\+?|CD3\+?)(?=\s*/)")


def _normalise(text: str) -> str:
    out = _SQUARE.sub(r"\1**2", text.replace("µ", "u").replace("μ", "u"))
    return _CELLS.sub("", out)


def _ratio(text: str, unit: str, field: str) -> float:
    """``text`` in a unit whose dimensions cancel (mg/kg): a unit must still be written."""
    try:
        quantity = _registry().Quantity(text)
    except Exception:
        raise UnitError(f"{text!r} is not a number with a unit", field=field) from None
    if not isinstance(quantity, pint.Quantity) or not dict(quantity.unit_items()):
        raise UnitError(f"{text!r} has no unit", field=field)
    if not quantity.dimensionless:
        raise UnitError(f"{text!r} is a {quantity.dimensionality}, not {pretty(unit)}",
                        field=field)
    value = float(quantity.to(unit).magnitude)
    if not math.isfinite(value):
        raise UnitError(f"{text!r} is not a finite number", field=field)
    return value


def pretty(unit: str) -> str:
    """A pint unit string as people write it (``mg/m**2`` → ``mg/m²``)."""
    return unit.replace("**2", "²").replace("1/kg", "cells/kg").replace("ug", "µg")


def convert(value: object, unit: str, *, field: str, per_day: bool = False,
            example: str | None = None) -> float:
    """``value`` (text with a unit, or a plain number already in ``unit``) as a float in
    ``unit``. With ``per_day``, a rate such as ``100 mg/m2/day`` is read as the daily dose.

    Raises :class:`~hematwin.errors.UnitError` naming ``field``, the unit expected and an
    example.
    """
    hint = example or f"e.g. '{pretty(unit)}' after a number"
    if isinstance(value, bool):
        raise UnitError(f"expected a quantity in {pretty(unit)} ({hint}), got {value!r}",
                        field=field)
    if isinstance(value, int | float):
        return float(value)
    if not isinstance(value, str):
        raise UnitError(f"expected a quantity in {pretty(unit)} ({hint}), got {value!r}",
                        field=field)
    text = _normalise(value)
    try:
        if _registry().Unit(unit).dimensionless:  # mg/kg, ug/kg: pint sees no dimension
            return _ratio(text, unit, field)
        return parse_quantity(text, unit, field=field)
    except UnitError as first:
        if per_day:
            try:
                return parse_quantity(text, f"({unit})/day", field=field)
            except UnitError:
                pass
        reason = first.message.split(";")[0].replace(repr(text), repr(value))
        raise UnitError(f"{reason}; expected a quantity in {pretty(unit)}"
                        f"{' (or per day)' if per_day else ''}, {hint}", field=field) from None
