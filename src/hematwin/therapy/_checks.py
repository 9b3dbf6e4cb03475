"""Input checks shared by the therapy catalogue: each failure is a ``RegimenError`` that
names the argument at fault and the function it was given to."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from hematwin.errors import RegimenError


def number(value: object, name: str, where: str) -> float:
    if isinstance(value, bool):
        raise RegimenError(f"{where}: {name} must be a number, got {value!r}", field=name)
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise RegimenError(f"{where}: {name} must be a number, got {value!r}",
                           field=name) from None
    if not math.isfinite(v):
        raise RegimenError(f"{where}: {name} must be finite, got {v}", field=name)
    return v


def positive(value: object, name: str, where: str) -> float:
    v = number(value, name, where)
    if v <= 0:
        raise RegimenError(f"{where}: {name} must be > 0, got {v}", field=name)
    return v


def non_negative(value: object, name: str, where: str) -> float:
    v = number(value, name, where)
    if v < 0:
        raise RegimenError(f"{where}: {name} must be ≥ 0, got {v}", field=name)
    return v


def fraction(value: object, name: str, where: str, *, open_low: bool = False) -> float:
    v = number(value, name, where)
    if v > 1 or v < 0 or (open_low and v == 0):
        interval = "(0, 1]" if open_low else "[0, 1]"
        raise RegimenError(f"{where}: {name} must be in {interval}, got {v}", field=name)
    return v


def count(value: object, name: str, where: str, *, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise RegimenError(f"{where}: {name} must be a whole number, got {value!r}", field=name)
    if int(value) < minimum:
        raise RegimenError(f"{where}: {name} must be ≥ {minimum}, got {value}", field=name)
    return int(value)


def choice(value: object, name: str, where: str, options: Iterable[str]) -> str:
    options = tuple(options)
    if value not in options:
        raise RegimenError(f"{where}: {name} must be one of {list(options)}, got {value!r}",
                           field=name)
    return str(value)


def days(values: object, name: str, where: str) -> list[float]:
    """A non-empty sequence of finite day numbers (a single number is accepted)."""
    if isinstance(values, int | float) and not isinstance(values, bool):
        values = [values]
    if not isinstance(values, Sequence) or isinstance(values, str) or len(values) == 0:
        raise RegimenError(f"{where}: {name} must be a non-empty list of days, got {values!r}",
                           field=name)
    return [number(v, name, where) for v in values]
