"""Input records for the clinical standards: pydantic models that fail with `DataError`.

A clinical score is only as good as its inputs, so every record validates at the edge and a
bad value is reported as a :class:`hematwin.errors.DataError` naming the field at fault,
the same exception the data readers raise, instead of pydantic's own ``ValidationError``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from hematwin.errors import DataError


class ClinicalRecord(BaseModel):
    """Base of the small, frozen input records of `hematwin.clinic`.

    Unknown fields are rejected (a misspelt comorbidity must not silently count as absent).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise _as_data_error(type(self).__name__, exc) from None


def _as_data_error(record: str, exc: ValidationError) -> DataError:
    first = exc.errors()[0]
    field = ".".join(str(part) for part in first.get("loc", ())) or None
    message = first.get("msg", "invalid value")
    if first.get("type") == "extra_forbidden":
        message = "unknown field"
    value = first.get("input")
    more = exc.error_count() - 1
    text = f"{record}: {message} (got {value!r})"
    if more:
        text += f"; and {more} more problem(s)"
    return DataError(text, field=field)


def require_fraction(value: float | None, field: str, *, upper: float = 100.0) -> None:
    """Raise `DataError` unless ``value`` is None or a percentage in [0, upper]."""
    if value is None:
        return
    if not 0.0 <= value <= upper:
        raise DataError(f"expected a percentage between 0 and {upper:g}, got {value!r}",
                        field=field)
