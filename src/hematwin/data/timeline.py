"""A patient's timeline: observations, treatments, procedures and marrow findings.

Time is the ``day`` relative to a reference event (transplant day 0, first chemotherapy
day 1 ... as ``Timeline.reference_event`` says) and/or a calendar ``date`` (date or
date-time). A record needs at least one of the two; when only the date is known and the
timeline has a ``reference_date``, the day is derived from it (``Timeline.day_of``).

Every value is stored in its analyte's canonical unit (:mod:`hematwin.data.analytes`);
readers convert on the way in. Values reported as ``"<0.1"`` keep the limit as ``value``
and ``censor="<"``.

Equality of records ignores ``source`` (the file and row a record was read from): two
timelines are equal when their clinical content is, wherever it was read from. Records are
kept sorted by time, so the order of rows in a file does not change a timeline either.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hematwin.data.analytes import ANALYTES
from hematwin.data.parsing import parse_date
from hematwin.errors import DataError

Censor = Literal["<", ">"]
Specimen = Literal["blood", "bone_marrow"]
GraftSource = Literal["bone_marrow", "peripheral_blood", "cord_blood"]
Donor = Literal[
    "autologous", "matched_sibling", "matched_unrelated", "mismatched", "haploidentical", "cord"
]
# Chimerism lineages by the marker used to sort them (CD3 = T cells, CD33 = myeloid ...).
Lineage = Literal["whole_blood", "cd3", "cd33", "cd15", "cd19", "cd56", "cd34"]
_LINEAGE_ALIASES = {
    "t": "cd3", "t_cells": "cd3", "tcells": "cd3", "cd3": "cd3",
    "myeloid": "cd33", "cd33": "cd33", "granulocytes": "cd15", "cd15": "cd15",
    "b": "cd19", "b_cells": "cd19", "cd19": "cd19", "nk": "cd56", "nk_cells": "cd56",
    "cd56": "cd56", "cd34": "cd34", "whole_blood": "whole_blood", "wb": "whole_blood",
    "pb": "whole_blood", "unsorted": "whole_blood",
}
TransfusionKind = Literal["platelet_transfusion", "red_cell_transfusion"]


class SourceLocation(BaseModel):
    """Where a record was read from: a file and its 1-based data row (or bundle entry)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    file: str
    row: int


def _coerce_date(value: Any, field: str) -> Any:
    if isinstance(value, str):
        try:
            return parse_date(value, file=None, row=None, field=field)
        except DataError as exc:
            raise ValueError(exc.message) from None
    return value


def _finite(value: float | None, name: str) -> None:
    if value is not None and not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")


class Record(BaseModel):
    """Base of every timed record: ``day`` and/or ``date``, and where it came from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    day: float | None = None
    date: dt.datetime | dt.date | None = None
    source: SourceLocation | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _parse_date(cls, value: Any) -> Any:
        return _coerce_date(value, "date")

    @model_validator(mode="after")
    def _needs_time(self) -> Record:
        if self.day is None and self.date is None:
            raise ValueError("a record needs a day, a date, or both")
        _finite(self.day, "day")
        return self

    def _content(self) -> tuple[Any, ...]:
        return (type(self).__name__,) + tuple(
            getattr(self, k) for k in type(self).model_fields if k != "source"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Record):
            return NotImplemented
        return self._content() == other._content()

    def __hash__(self) -> int:
        return hash(self._content())

    def sort_key(self) -> tuple[Any, ...]:
        day = self.day if self.day is not None else math.inf
        date = self.date.isoformat() if self.date is not None else ""
        return (day, date, self.model_dump_json(exclude={"source"}))


class Observation(Record):
    """One measured value of an analyte, in the analyte's canonical unit."""

    record_type: Literal["observation"] = "observation"
    analyte: str
    value: float
    unit: str = ""
    censor: Censor | None = None
    lln: float | None = None
    uln: float | None = None
    specimen: Specimen | None = None

    @model_validator(mode="before")
    @classmethod
    def _default_unit(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("unit") and data.get("analyte") in ANALYTES:
            data = {**data, "unit": ANALYTES[data["analyte"]].unit}
        return data

    @model_validator(mode="after")
    def _check(self) -> Observation:
        if self.analyte not in ANALYTES:
            raise ValueError(
                f"unknown analyte {self.analyte!r}; expected one of {', '.join(sorted(ANALYTES))}"
            )
        info = ANALYTES[self.analyte]
        if self.unit != info.unit:
            raise ValueError(
                f"{self.analyte} is stored in {info.unit}, got unit {self.unit!r}; convert with "
                "hematwin.data.units.to_canonical first"
            )
        for name in ("value", "lln", "uln"):
            v = getattr(self, name)
            _finite(v, name)
            if v is None:
                continue
            if info.lower is not None and v < info.lower:
                what = "a count" if info.kind == "count" else info.name
                raise ValueError(f"{name} {v!r} is impossible: {what} cannot be below {info.lower}")
            if info.upper is not None and v > info.upper:
                raise ValueError(f"{name} {v!r} is impossible for {info.name} (> {info.upper})")
        if self.lln is not None and self.uln is not None and self.lln > self.uln:
            raise ValueError(f"lln {self.lln!r} is above uln {self.uln!r}")
        return self

    def sort_key(self) -> tuple[Any, ...]:
        return (self.analyte,) + super().sort_key()


class _Event(Record):
    """A treatment or procedure, given on ``day`` (and until ``end_day`` when it lasts)."""

    end_day: float | None = None
    end_date: dt.datetime | dt.date | None = None

    @field_validator("end_date", mode="before")
    @classmethod
    def _parse_end_date(cls, value: Any) -> Any:
        return _coerce_date(value, "end_date")

    @model_validator(mode="after")
    def _check_end(self) -> _Event:
        _finite(self.end_day, "end_day")
        if self.end_day is not None and self.day is not None and self.end_day < self.day:
            raise ValueError(f"end_day {self.end_day!r} is before day {self.day!r}")
        if (
            self.end_date is not None
            and self.date is not None
            and type(self.end_date) is type(self.date)
            and self.end_date < self.date  # type: ignore[operator]
        ):
            raise ValueError(f"end_date {self.end_date} is before date {self.date}")
        return self


def _non_negative(value: float | None, name: str) -> None:
    _finite(value, name)
    if value is not None and value < 0:
        raise ValueError(f"{name} cannot be negative, got {value!r}")


class Chemotherapy(_Event):
    """An anticancer drug (cytotoxic, TKI, hypomethylating ...): dose in ``dose_unit``."""

    record_type: Literal["chemotherapy"] = "chemotherapy"
    drug: str = Field(min_length=1)
    dose: float | None = None
    dose_unit: str | None = None

    @model_validator(mode="after")
    def _check_dose(self) -> Chemotherapy:
        _non_negative(self.dose, "dose")
        return self


class GCSF(_Event):
    """Granulocyte colony-stimulating factor (filgrastim, pegfilgrastim, lenograstim)."""

    record_type: Literal["g_csf"] = "g_csf"
    drug: str = Field(default="filgrastim", min_length=1)
    dose: float | None = None
    dose_unit: str | None = None

    @model_validator(mode="after")
    def _check_dose(self) -> GCSF:
        _non_negative(self.dose, "dose")
        return self


class Transfusion(_Event):
    """A platelet or red-cell transfusion; ``dose`` counts products (``dose_unit``)."""

    record_type: TransfusionKind
    dose: float | None = None
    dose_unit: str | None = None

    @model_validator(mode="after")
    def _check_dose(self) -> Transfusion:
        _non_negative(self.dose, "dose")
        return self


class HSCT(_Event):
    """Hematopoietic stem-cell transplantation: graft source, donor, CD34+ cells per kg."""

    record_type: Literal["hsct"] = "hsct"
    graft_source: GraftSource
    donor: Donor
    cd34_per_kg: float | None = None

    @model_validator(mode="after")
    def _check_dose(self) -> HSCT:
        _non_negative(self.cd34_per_kg, "cd34_per_kg")
        if self.donor == "cord" and self.graft_source != "cord_blood":
            raise ValueError("a cord donor implies graft_source 'cord_blood'")
        return self


class DLI(_Event):
    """Donor lymphocyte infusion; ``cd3_per_kg`` CD3+ cells per kg body weight."""

    record_type: Literal["dli"] = "dli"
    cd3_per_kg: float | None = None

    @model_validator(mode="after")
    def _check_dose(self) -> DLI:
        _non_negative(self.cd3_per_kg, "cd3_per_kg")
        return self


Event = Annotated[
    Chemotherapy | GCSF | Transfusion | HSCT | DLI, Field(discriminator="record_type")
]
EVENT_TYPES: dict[str, type[_Event]] = {
    "chemotherapy": Chemotherapy,
    "g_csf": GCSF,
    "platelet_transfusion": Transfusion,
    "red_cell_transfusion": Transfusion,
    "hsct": HSCT,
    "dli": DLI,
}


def _percent(value: float | None, name: str) -> None:
    _finite(value, name)
    if value is not None and not 0.0 <= value <= 100.0:
        raise ValueError(f"{name} must be within 0-100 %, got {value!r}")


class MarrowAssessment(Record):
    """A bone-marrow aspirate or biopsy: blast % and cellularity %."""

    record_type: Literal["marrow"] = "marrow"
    blasts_pct: float | None = None
    blasts_censor: Censor | None = None
    cellularity_pct: float | None = None

    @model_validator(mode="after")
    def _check(self) -> MarrowAssessment:
        if self.blasts_pct is None and self.cellularity_pct is None:
            raise ValueError("a marrow assessment needs blasts_pct, cellularity_pct or both")
        _percent(self.blasts_pct, "blasts_pct")
        _percent(self.cellularity_pct, "cellularity_pct")
        if self.blasts_censor is not None and self.blasts_pct is None:
            raise ValueError("blasts_censor given without blasts_pct")
        return self


class Chimerism(Record):
    """Donor chimerism (% of donor cells) in one lineage after allogeneic transplantation."""

    record_type: Literal["chimerism"] = "chimerism"
    lineage: Lineage
    donor_pct: float
    censor: Censor | None = None

    @field_validator("lineage", mode="before")
    @classmethod
    def _alias(cls, value: Any) -> Any:
        if isinstance(value, str):
            return _LINEAGE_ALIASES.get(value.strip().lower(), value)
        return value

    @model_validator(mode="after")
    def _check(self) -> Chimerism:
        _percent(self.donor_pct, "donor_pct")
        return self

    def sort_key(self) -> tuple[Any, ...]:
        return (self.lineage,) + super().sort_key()


def _sorted(records: Any) -> tuple[Any, ...]:
    return tuple(sorted(records, key=lambda r: r.sort_key()))


class Timeline(BaseModel):
    """Everything recorded about one patient, in canonical units and sorted by time."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    patient_id: str = Field(min_length=1)
    reference_event: str | None = None
    reference_date: dt.date | None = None
    observations: tuple[Observation, ...] = ()
    events: tuple[Event, ...] = ()
    marrow: tuple[MarrowAssessment, ...] = ()
    chimerism: tuple[Chimerism, ...] = ()

    @field_validator("reference_date", mode="before")
    @classmethod
    def _parse_reference_date(cls, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            raise ValueError("reference_date is a calendar date, not a date-time")
        if isinstance(value, str):
            try:
                value = parse_date(value, file=None, row=None, field="reference_date")
            except DataError as exc:
                raise ValueError(exc.message) from None
            if isinstance(value, dt.datetime):
                raise ValueError("reference_date is a calendar date, not a date-time")
        return value

    @field_validator("observations", "events", "marrow", "chimerism", mode="after")
    @classmethod
    def _sort(cls, value: tuple[Any, ...]) -> tuple[Any, ...]:
        return _sorted(value)

    @model_validator(mode="after")
    def _no_duplicates(self) -> Timeline:
        seen: dict[tuple[Any, ...], Observation] = {}
        for obs in self.observations:
            key = self.observation_key(obs)
            if key in seen:
                where = f" (first at {seen[key].source.file} row {seen[key].source.row})" if (
                    seen[key].source is not None) else ""
                raise ValueError(
                    f"duplicate observation: patient {self.patient_id!r}, {obs.analyte} at "
                    f"{self._when(obs)} appears twice{where}"
                )
            seen[key] = obs
        return self

    # --- time --------------------------------------------------------------------------

    def day_of(self, record: Record) -> float | None:
        """The record's day; derived from its date and ``reference_date`` when missing."""
        if record.day is not None:
            return record.day
        if record.date is None or self.reference_date is None:
            return None
        d = record.date
        if isinstance(d, dt.datetime):
            ref = dt.datetime.combine(self.reference_date, dt.time(), tzinfo=d.tzinfo)
            return (d - ref).total_seconds() / 86400.0
        return float((d - self.reference_date).days)

    def observation_key(self, obs: Observation) -> tuple[Any, ...]:
        """(analyte, specimen, time) identifying an observation; a second one is a duplicate."""
        day = self.day_of(obs)
        when: tuple[Any, ...] = ("day", day) if day is not None else ("date", obs.date)
        return (obs.analyte, obs.specimen or "blood", when)

    def _when(self, record: Record) -> str:
        day = self.day_of(record)
        return f"day {day:g}" if day is not None else f"date {record.date}"

    # --- views -------------------------------------------------------------------------

    def series(
        self, analyte: str, *, censored: Literal["limit", "drop", "nan"] = "limit",
        specimen: Specimen | None = None,
    ) -> pd.Series:
        """The values of ``analyte`` (canonical unit) indexed by day, sorted by day.

        ``censored`` says what a value reported as ``"<x"``/``">x"`` becomes: the limit
        ``x`` itself (default), dropped, or NaN.
        """
        if analyte not in ANALYTES:
            raise KeyError(f"unknown analyte {analyte!r}")
        days: list[float] = []
        values: list[float] = []
        for obs in self.observations:
            if obs.analyte != analyte or (specimen is not None and obs.specimen != specimen):
                continue
            if obs.censor is not None and censored == "drop":
                continue
            day = self.day_of(obs)
            if day is None:
                raise DataError(
                    f"{analyte} observation dated {obs.date} has no day and the timeline has "
                    "no reference_date to derive it",
                    file=obs.source.file if obs.source else None,
                    row=obs.source.row if obs.source else None, field="day",
                )
            days.append(day)
            values.append(math.nan if obs.censor is not None and censored == "nan" else obs.value)
        s = pd.Series(values, index=pd.Index(days, name="day", dtype=float), name=analyte,
                      dtype=float)
        return s.sort_index(kind="stable")

    @property
    def transplants(self) -> tuple[HSCT, ...]:
        """Every transplantation in the timeline, in time order."""
        return tuple(e for e in self.events if isinstance(e, HSCT))

    @property
    def hsct(self) -> HSCT | None:
        """The (first) transplantation, if any."""
        found = self.transplants
        return found[0] if found else None

    def transfusion_days(self, kind: Literal["platelets", "red_cells"] | TransfusionKind) -> list[
        float
    ]:
        """Days of platelet (``"platelets"``) or red-cell (``"red_cells"``) transfusions."""
        wanted = {"platelets": "platelet_transfusion", "red_cells": "red_cell_transfusion"}.get(
            kind, kind
        )
        if wanted not in ("platelet_transfusion", "red_cell_transfusion"):
            raise ValueError(f"unknown transfusion kind {kind!r}; use 'platelets' or 'red_cells'")
        days = [self.day_of(e) for e in self.events if e.record_type == wanted]
        return sorted(d for d in days if d is not None)

    def records(self) -> list[Record]:
        """All records: observations, events, marrow assessments, chimerism."""
        return [*self.observations, *self.events, *self.marrow, *self.chimerism]

    def to_frame(self) -> pd.DataFrame:
        """A long table, one row per record, columns :data:`FRAME_COLUMNS`."""
        rows = [_record_row(self.patient_id, r) for r in self.records()]
        return pd.DataFrame(rows, columns=FRAME_COLUMNS)


FRAME_COLUMNS: list[str] = [
    "patient_id", "record_type", "analyte", "value", "censor", "unit", "day", "date",
    "end_day", "end_date", "lln", "uln", "specimen", "drug", "dose", "dose_unit",
    "graft_source", "donor", "cd34_per_kg", "cd3_per_kg", "lineage", "blasts_pct",
    "blasts_censor", "cellularity_pct", "source_file", "source_row",
]


def _record_row(patient_id: str, record: Record) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(FRAME_COLUMNS)
    row["patient_id"] = patient_id
    for key, value in record:
        if key == "source":
            continue
        if key == "donor_pct":
            row["value"] = value
        elif key in row:
            row[key] = value
    if isinstance(record, Chimerism):
        row["unit"] = "%"
    if record.source is not None:
        row["source_file"] = record.source.file
        row["source_row"] = record.source.row
    return row
