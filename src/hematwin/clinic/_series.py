"""Count series at the edge of `hematwin.clinic`: coerce and validate, or raise `DataError`.

Every endpoint in this package reads the same shape of input: a count (or temperature)
sampled on days relative to a reference event, either one patient (1-D) or a simulated cohort
(patients x times, the last axis is time, the days shared by all patients). A pandas Series
is accepted in place of the pair: its index holds the days. Nothing is sorted, filled or
dropped silently (DESIGN.md, "Errors"): a bad series is rejected with the field named.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from hematwin.errors import DataError

__all__ = ["as_days", "as_series", "as_event_days"]


def as_days(days: object, field: str = "days") -> np.ndarray:
    """Return ``days`` as a 1-D float array, finite and strictly increasing."""
    try:
        array = np.asarray(days, dtype=float)
    except (TypeError, ValueError):
        raise DataError("expected numbers (days relative to the reference day)",
                        field=field) from None
    if array.ndim != 1:
        raise DataError(f"expected a 1-D sequence of days, got shape {array.shape}", field=field)
    if array.size == 0:
        raise DataError("expected at least one day", field=field)
    if not np.all(np.isfinite(array)):
        raise DataError("days must be finite (no NaN or infinity)", field=field)
    steps = np.diff(array)
    if np.any(steps <= 0):
        i = int(np.argmax(steps <= 0))
        kind = "repeated" if steps[i] == 0 else "out of order"
        raise DataError(
            f"days must be strictly increasing; day {array[i + 1]:g} at position {i + 1} "
            f"is {kind} after day {array[i]:g}",
            field=field,
        )
    return array


def as_series(
    values: object,
    days: object | None,
    field: str,
    *,
    allow_nan: bool = False,
    allow_negative: bool = False,
    days_field: str = "days",
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(days, values)`` as float arrays, checked for one patient or a cohort.

    ``values`` is a 1-D series or a 2-D (patients x times) array; a pandas Series supplies
    its own days through its index (``days`` must then be None or equal to the index).
    """
    if isinstance(values, pd.Series):
        if days is None:
            days = values.index.to_numpy()
        values = values.to_numpy()
    if isinstance(values, pd.DataFrame):
        raise DataError("expected a Series or an array, got a DataFrame", field=field)
    if days is None:
        raise DataError("days are required unless the values are a pandas Series indexed by "
                        "day", field=days_field)
    day_array = as_days(days, days_field)
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise DataError("expected numbers", field=field) from None
    if array.ndim not in (1, 2):
        raise DataError(
            f"expected a 1-D series or a 2-D (patients x times) array, got shape {array.shape}",
            field=field,
        )
    if array.shape[-1] != day_array.size:
        raise DataError(
            f"{array.shape[-1]} values but {day_array.size} days: the lengths must match",
            field=field,
        )
    nan = np.isnan(array)
    if not allow_nan and np.any(nan):
        raise DataError(f"{int(nan.sum())} missing (NaN) value(s); a missing measurement must "
                        "be left out together with its day", field=field)
    if np.any(np.isinf(array)):
        raise DataError("values must be finite", field=field)
    if not allow_negative and np.any(array[~nan] < 0):
        raise DataError("a count cannot be negative", field=field)
    return day_array, array


def as_event_days(events: Iterable[float] | None, field: str) -> np.ndarray:
    """Return a sorted float array of event days (transfusions, G-CSF doses)."""
    if events is None:
        return np.empty(0)
    try:
        array = np.asarray(list(events) if not isinstance(events, np.ndarray) else events,
                           dtype=float)
    except (TypeError, ValueError):
        raise DataError("expected a list of days", field=field) from None
    if array.ndim != 1:
        raise DataError("expected a flat list of days", field=field)
    if not np.all(np.isfinite(array)):
        raise DataError("event days must be finite", field=field)
    return np.sort(array)
