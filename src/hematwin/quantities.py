"""Quantities typed by a user (``180mg``, ``0.18 g``, ``21d``, ``3w``, ``504h``) read with pint.

Used at the boundaries where people write amounts and durations (command-line options,
scenario files): the text must carry a unit of the expected dimension, and the value comes
back as a float in the project's unit for it (DESIGN.md, "Units": drug amounts in mg, time in
days). Inside the package every number is already in those units.
"""

from __future__ import annotations

import math
from functools import lru_cache

import pint

from hematwin.errors import UnitError

__all__ = ["parse_quantity"]


_EXAMPLES = {"[mass]": "e.g. 180mg or 0.18g", "[time]": "e.g. 21d, 3w or 504h"}


@lru_cache(maxsize=1)
def _registry() -> pint.UnitRegistry:
    ureg = pint.UnitRegistry()
    # Short spellings pint lacks; "d" (day) and "h" (hour) it already knows.
    ureg.define("@alias week = w = wk")
    return ureg


def _kind(dimensionality: object) -> str:
    return str(dimensionality).replace("[", "").replace("]", "")


def parse_quantity(text: str, unit: str, *, field: str | None = None) -> float:
    """The number in ``text`` converted to ``unit``, e.g. ``parse_quantity("3w", "day") == 21``.

    A missing unit, an unknown unit, a unit of another dimension or a non-finite number raises
    :class:`~hematwin.errors.UnitError` naming ``field`` and giving an example of what is
    expected.
    """
    ureg = _registry()
    target = ureg.Unit(unit)
    example = _EXAMPLES.get(str(target.dimensionality), f"in units of {unit}")
    raw = str(text).strip()
    try:
        quantity = ureg.Quantity(raw)
    except pint.errors.UndefinedUnitError as exc:
        names = ", ".join(repr(n) for n in exc.unit_names)
        raise UnitError(f"unknown unit {names} in {raw!r}; {example}", field=field) from None
    except Exception:  # pint's tokenizer raises assorted errors on malformed text
        raise UnitError(f"{raw!r} is not a number with a unit; {example}", field=field) from None
    if not isinstance(quantity, pint.Quantity) or quantity.dimensionless:
        raise UnitError(f"{raw!r} has no unit; {example}", field=field)
    if quantity.dimensionality != target.dimensionality:
        raise UnitError(f"{raw!r} is a {_kind(quantity.dimensionality)}, not a "
                        f"{_kind(target.dimensionality)}; {example}", field=field)
    value = float(quantity.to(target).magnitude)
    if not math.isfinite(value):
        raise UnitError(f"{raw!r} is not a finite number", field=field)
    return value
