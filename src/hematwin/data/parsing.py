"""Parsing of the text a record arrives as: numbers, censored values, dates.

Each parser raises :class:`hematwin.errors.DataError` naming file, row and field, so that
every reader reports bad input the same way.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from hematwin.errors import DataError

_CENSORED = re.compile(r"^\s*([<>])\s*([^<>=]+?)\s*$")


def is_missing(text: object) -> bool:
    """True for None, NaN and blank strings."""
    if text is None:
        return True
    if isinstance(text, float) and math.isnan(text):
        return True
    return isinstance(text, str) and not text.strip()


def parse_float(
    text: object, *, file: str | None, row: int | None, field: str, allow_missing: bool = False
) -> float | None:
    """A finite float from ``text``; blank is None when ``allow_missing``, else an error."""
    if is_missing(text):
        if allow_missing:
            return None
        raise DataError("a value is required here", file=file, row=row, field=field)
    if isinstance(text, bool):
        raise DataError(f"{text!r} is not a number", file=file, row=row, field=field)
    try:
        value = float(text.strip() if isinstance(text, str) else text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise DataError(f"{text!r} is not a number", file=file, row=row, field=field) from None
    if not math.isfinite(value):
        raise DataError(f"{text!r} is not a finite number", file=file, row=row, field=field)
    return value


def parse_censored(
    text: object, *, file: str | None, row: int | None, field: str
) -> tuple[float, str | None]:
    """``"<0.1"`` -> ``(0.1, "<")``, ``">1000"`` -> ``(1000.0, ">")``, ``"2.5"`` -> ``(2.5, None)``.

    ``<=`` and ``>=`` are refused: they do not mean the same as a detection limit and we do
    not silently turn one into the other.
    """
    if isinstance(text, str):
        m = _CENSORED.match(text)
        if m is not None:
            value = parse_float(m.group(2), file=file, row=row, field=field)
            assert value is not None
            return value, m.group(1)
        if re.match(r"^\s*[<>]=", text) or "≤" in text or "≥" in text:
            raise DataError(
                f"{text!r}: only '<x' and '>x' censoring is understood", file=file, row=row,
                field=field,
            )
    value = parse_float(text, file=file, row=row, field=field)
    assert value is not None
    return value, None


def format_censored(value: float, censor: str | None) -> str:
    """The inverse of :func:`parse_censored`; ``repr`` keeps every bit of the float."""
    return f"{censor or ''}{format_float(value)}"


def format_float(value: float | None) -> str:
    """Shortest text that reads back to exactly ``value`` (blank for None)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return repr(float(value))


def parse_date(
    text: object, *, file: str | None, row: int | None, field: str, allow_missing: bool = True
) -> dt.date | dt.datetime | None:
    """ISO 8601 date (``2024-03-01``) or date-time (``2024-03-01T08:30``, offset allowed).

    An impossible date (``2024-02-30``) is an error naming the field.
    """
    if is_missing(text):
        if allow_missing:
            return None
        raise DataError("a date is required here", file=file, row=row, field=field)
    if isinstance(text, dt.datetime | dt.date):
        return text
    s = str(text).strip()
    try:
        if len(s) == 10:
            return dt.date.fromisoformat(s)
        return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError as exc:
        raise DataError(
            f"{s!r} is not a valid ISO 8601 date or date-time ({exc})",
            file=file, row=row, field=field,
        ) from None


def format_date(value: dt.date | dt.datetime | None) -> str:
    """ISO 8601 text for a date or date-time (blank for None)."""
    return "" if value is None else value.isoformat()
