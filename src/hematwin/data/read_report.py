"""What a reader returns: the timelines it accepted and every row it rejected, with reasons.

All readers share one rule for bad input. In strict mode (the default) the first bad row
raises a :class:`hematwin.errors.DataError` naming file, row and field. In lenient mode the
reader keeps going; each bad row lands in :attr:`ReadReport.rejected` with the reason and
its raw values, and the counts always reconcile::

    rows_read == rows_accepted + rows_rejected

Nothing is dropped or altered silently: a row is either accepted as it is (values converted
to canonical units) or listed as rejected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pydantic

from hematwin.data.timeline import Chimerism, MarrowAssessment, Observation, Record, Timeline
from hematwin.errors import DataError

REJECTED_COLUMNS = ["file", "row", "field", "reason", "raw"]


@dataclass(frozen=True)
class ReadReport:
    """Accepted timelines, rejected rows and the counts that tie them together.

    Attributes
    ----------
    timelines: one :class:`Timeline` per patient, in order of first appearance.
    rejected: DataFrame with columns file, row, field, reason, raw (the row's text values).
    rows_read: data rows (or bundle entries) read from the source.
    rows_accepted: rows that became part of a timeline.
    source: the file read.
    """

    timelines: list[Timeline]
    rejected: pd.DataFrame
    rows_read: int
    rows_accepted: int
    source: str | None = None

    def __post_init__(self) -> None:
        if self.rows_read != self.rows_accepted + len(self.rejected):
            raise AssertionError(
                f"row counts do not reconcile: {self.rows_read} read != {self.rows_accepted} "
                f"accepted + {len(self.rejected)} rejected"
            )

    @property
    def rows_rejected(self) -> int:
        return len(self.rejected)

    def __iter__(self) -> Iterator[Timeline]:
        return iter(self.timelines)

    def __len__(self) -> int:
        return len(self.timelines)

    def timeline(self, patient_id: str) -> Timeline:
        """The timeline of ``patient_id``."""
        for t in self.timelines:
            if t.patient_id == patient_id:
                return t
        raise KeyError(f"no patient {patient_id!r} in {self.source or 'this report'}")

    def write_rejected(self, path: str | Path) -> Path:
        """Write the rejected rows (with their reasons) as CSV; returns the path."""
        path = Path(path)
        self.rejected.to_csv(path, index=False)
        return path


def data_error_from_validation(
    exc: pydantic.ValidationError, *, file: str | None, row: int | None,
    field_names: Mapping[str, str] | None = None,
) -> DataError:
    """A :class:`DataError` for the first problem pydantic found, naming the source field."""
    first = exc.errors()[0]
    loc = [str(p) for p in first.get("loc", ()) if not isinstance(p, int)]
    msg = str(first.get("msg", exc)).removeprefix("Value error, ")
    name = loc[-1] if loc else _field_in_message(msg)
    if field_names and name in field_names:
        name = field_names[name]
    return DataError(msg, file=file, row=row, field=name)


_RECORD_FIELDS = frozenset({
    "value", "lln", "uln", "day", "end_day", "date", "end_date", "dose", "cd34_per_kg",
    "cd3_per_kg", "blasts_pct", "blasts_censor", "cellularity_pct", "donor_pct", "analyte",
    "unit", "lineage", "graft_source", "donor",
})
_PHRASES = {"a record needs a day": "day", "unknown analyte": "analyte",
            "a cord donor": "donor", "a marrow assessment needs": "blasts_pct"}


def _field_in_message(msg: str) -> str | None:
    """The record field a model-level validation message is about (its first word)."""
    first = msg.split(" ", 1)[0]
    if first in _RECORD_FIELDS:
        return first
    for phrase, name in _PHRASES.items():
        if msg.startswith(phrase):
            return name
    return None


@dataclass
class RowGate:
    """Counts rows, and either raises (strict) or records (lenient) each rejection."""

    file: str | None
    lenient: bool
    rows_read: int = 0
    rows_accepted: int = 0
    rejections: list[dict[str, Any]] = field(default_factory=list)

    def reject(self, error: DataError, raw: Mapping[str, Any] | None) -> None:
        if not self.lenient:
            raise error
        self.rejections.append(
            {
                "file": error.file if error.file is not None else self.file,
                "row": error.row,
                "field": error.field,
                "reason": error.message,
                "raw": _raw_text(raw),
            }
        )

    def rejected_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rejections, columns=REJECTED_COLUMNS)

    def report(self, timelines: list[Timeline]) -> ReadReport:
        return ReadReport(
            timelines=timelines,
            rejected=self.rejected_frame(),
            rows_read=self.rows_read,
            rows_accepted=self.rows_accepted,
            source=self.file,
        )


def _raw_text(raw: Mapping[str, Any] | None) -> str:
    if raw is None:
        return ""
    parts = []
    for k, v in raw.items():
        if v is None or (isinstance(v, float) and v != v):
            continue
        parts.append(f"{k}={v}")
    return "; ".join(parts)


@dataclass
class _Patient:
    reference_event: str | None = None
    reference_date: dt.date | None = None
    meta_row: int | None = None
    records: list[tuple[int, Record, Mapping[str, Any] | None]] = field(default_factory=list)


class TimelineBuilder:
    """Collects parsed records per patient and builds the timelines at the end.

    Duplicate observations (same patient, analyte, specimen and time) are found here, once
    every patient's reference date is known: the later row is rejected, naming the earlier.
    """

    def __init__(self, gate: RowGate) -> None:
        self.gate = gate
        self._patients: dict[str, _Patient] = {}

    def _patient(self, patient_id: str) -> _Patient:
        return self._patients.setdefault(patient_id, _Patient())

    def add_patient(
        self, patient_id: str, *, row: int, reference_event: str | None,
        reference_date: dt.date | None, raw: Mapping[str, Any] | None = None,
        counts_as_row: bool = True,
    ) -> None:
        """Record the reference event/date of a patient; a second description is rejected.

        ``counts_as_row`` is False when the description does not come from a row of its own
        (a mapping's fixed reference event), so that the row counts stay exact.
        """
        p = self._patient(patient_id)
        if p.meta_row is not None:
            self.gate.reject(
                DataError(
                    f"patient {patient_id!r} already described at row {p.meta_row}",
                    file=self.gate.file, row=row, field="patient_id",
                ),
                raw,
            )
            return
        p.meta_row = row
        p.reference_event = reference_event
        p.reference_date = reference_date
        if counts_as_row:
            self.gate.rows_accepted += 1

    def add(self, patient_id: str, row: int, record: Record,
            raw: Mapping[str, Any] | None = None) -> None:
        """Queue one parsed record; it is counted as accepted or rejected in :meth:`build`."""
        self._patient(patient_id).records.append((row, record, raw))

    def build(self) -> list[Timeline]:
        timelines = []
        for patient_id, p in self._patients.items():
            shell = Timeline(
                patient_id=patient_id, reference_event=p.reference_event,
                reference_date=p.reference_date,
            )
            seen: dict[tuple[Any, ...], int] = {}
            kept: list[Record] = []
            for row, record, raw in sorted(p.records, key=lambda item: item[0]):
                if isinstance(record, Observation):
                    key = shell.observation_key(record)
                    if key in seen:
                        self.gate.reject(
                            DataError(
                                f"duplicate observation: patient {patient_id!r}, "
                                f"{record.analyte} at {shell._when(record)} already given at "
                                f"row {seen[key]}",
                                file=self.gate.file, row=row, field="analyte",
                            ),
                            raw,
                        )
                        continue
                    seen[key] = row
                kept.append(record)
                self.gate.rows_accepted += 1
            timelines.append(_timeline_with(shell, kept))
        return timelines


def _timeline_with(shell: Timeline, records: list[Record]) -> Timeline:
    return Timeline(
        patient_id=shell.patient_id,
        reference_event=shell.reference_event,
        reference_date=shell.reference_date,
        observations=[r for r in records if isinstance(r, Observation)],
        marrow=[r for r in records if isinstance(r, MarrowAssessment)],
        chimerism=[r for r in records if isinstance(r, Chimerism)],
        events=[
            r for r in records
            if not isinstance(r, Observation | MarrowAssessment | Chimerism)
        ],
    )
