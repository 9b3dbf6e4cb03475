"""Tidy CSV patient records: one row per record, read and written without loss.

Columns (all optional except ``patient_id`` and ``record_type``; blank = not given;
every row is one record)

=================  ========================================================================
column             meaning
=================  ========================================================================
patient_id         patient identifier (text, kept exactly)
record_type        ``patient`` (reference event/date), ``observation``, ``chemotherapy``,
                   ``g_csf``, ``platelet_transfusion``, ``red_cell_transfusion``, ``hsct``,
                   ``dli``, ``marrow``, ``chimerism``
analyte            observation analyte (:data:`hematwin.data.analytes.ANALYTES`)
value              observation value or chimerism donor %, as text: ``0.3``, ``<0.1``,
                   ``>1000`` (below / above a reporting limit)
unit               unit of ``value``, ``lln``, ``uln`` (converted on reading, see
                   :mod:`hematwin.data.units`); chimerism: ``%``
day, end_day       days relative to the reference event (decimals allowed)
date, end_date     ISO 8601 date or date-time
lln, uln           lower / upper limit of normal (same unit as ``value``)
specimen           ``blood`` or ``bone_marrow`` (observations; blank = blood)
drug, dose,        chemotherapy and G-CSF: drug name, dose and its unit (``mg/m2`` ...);
dose_unit          transfusions: number of products and their unit
graft_source       hsct: ``bone_marrow``, ``peripheral_blood``, ``cord_blood``
donor              hsct: ``autologous``, ``matched_sibling``, ``matched_unrelated``,
                   ``mismatched``, ``haploidentical``, ``cord``
cd34_per_kg        hsct: CD34+ cells per kg body weight
cd3_per_kg         dli: CD3+ cells per kg body weight
lineage            chimerism: ``whole_blood``, ``cd3``, ``cd33``, ``cd15``, ``cd19``,
                   ``cd56``, ``cd34`` (``T``, ``myeloid``, ``B``, ``NK`` are read as aliases)
blasts_pct,        marrow: blast % (may be ``<5``) and cellularity %
cellularity_pct
reference_event,   patient rows: what day 0 is (``HSCT``, ``chemotherapy day 1`` ...) and
reference_date     its calendar date
=================  ========================================================================

Rows are numbered from 1 = the first line after the header. A non-blank field that the
row's record type does not use is an error: nothing in a file is ignored silently.

Wide files of one analyte per patient (``Days, Prct, Pt`` in the CML data of Michor et al.
2005) are read with :func:`read_mapped_csv` and a :class:`ColumnMapping`, or
:func:`read_michor_like`.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import pydantic

from hematwin.data.analytes import ANALYTES
from hematwin.data.parsing import (
    format_censored,
    format_date,
    format_float,
    is_missing,
    parse_censored,
    parse_date,
    parse_float,
)
from hematwin.data.read_report import (
    ReadReport,
    RowGate,
    TimelineBuilder,
    data_error_from_validation,
)
from hematwin.data.timeline import (
    EVENT_TYPES,
    Chimerism,
    MarrowAssessment,
    Observation,
    Record,
    Timeline,
)
from hematwin.data.units import conversion
from hematwin.errors import DataError

CSV_COLUMNS: list[str] = [
    "patient_id", "record_type", "analyte", "value", "unit", "day", "date", "end_day",
    "end_date", "lln", "uln", "specimen", "drug", "dose", "dose_unit", "graft_source",
    "donor", "cd34_per_kg", "cd3_per_kg", "lineage", "blasts_pct", "cellularity_pct",
    "reference_event", "reference_date",
]

_TIME = ("day", "date")
_EVENT_TIME = ("day", "date", "end_day", "end_date")
# the columns each record type uses (besides patient_id and record_type)
_USES: dict[str, tuple[str, ...]] = {
    "patient": ("reference_event", "reference_date"),
    "observation": ("analyte", "value", "unit", "lln", "uln", "specimen", *_TIME),
    "chemotherapy": ("drug", "dose", "dose_unit", *_EVENT_TIME),
    "g_csf": ("drug", "dose", "dose_unit", *_EVENT_TIME),
    "platelet_transfusion": ("dose", "dose_unit", *_EVENT_TIME),
    "red_cell_transfusion": ("dose", "dose_unit", *_EVENT_TIME),
    "hsct": ("graft_source", "donor", "cd34_per_kg", *_EVENT_TIME),
    "dli": ("cd3_per_kg", *_EVENT_TIME),
    "marrow": ("blasts_pct", "cellularity_pct", *_TIME),
    "chimerism": ("lineage", "value", "unit", *_TIME),
}
_FLOAT_FIELDS = ("day", "end_day", "dose", "cd34_per_kg", "cd3_per_kg", "cellularity_pct")
_DATE_FIELDS = ("date", "end_date")
# pydantic field -> CSV column, for error messages
_FIELD_NAMES = {"donor_pct": "value", "censor": "value", "blasts_censor": "blasts_pct"}


# --- reading --------------------------------------------------------------------------


def _read_table(path: str | Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    except pd.errors.EmptyDataError:
        raise DataError("the file is empty (no header)", file=str(path)) from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(f"not a readable CSV file: {exc}", file=str(path)) from None


def read_csv(path: str | Path, *, lenient: bool = False) -> ReadReport:
    """Read a tidy CSV (columns in the module docstring) into timelines.

    Strict (default): the first bad row raises :class:`DataError`/:class:`UnitError`.
    Lenient: bad rows are listed in ``report.rejected``; the rest is read.
    """
    file = str(path)
    table = _read_table(path)
    unknown = [c for c in table.columns if c not in CSV_COLUMNS]
    if unknown:
        raise DataError(
            f"unknown column(s) {unknown}; expected columns among {CSV_COLUMNS}",
            file=file, field=unknown[0],
        )
    for required in ("patient_id", "record_type"):
        if required not in table.columns:
            raise DataError("required column is missing", file=file, field=required)
    gate = RowGate(file=file, lenient=lenient)
    builder = TimelineBuilder(gate)
    for i, raw in enumerate(table.to_dict(orient="records"), start=1):
        gate.rows_read += 1
        try:
            _read_row(raw, file, i, builder)
        except DataError as exc:
            gate.reject(exc, raw)
    return gate.report(builder.build())


def _read_row(raw: Mapping[str, str], file: str, row: int, builder: TimelineBuilder) -> None:
    patient_id = raw.get("patient_id", "")
    if is_missing(patient_id):
        raise DataError("patient_id is blank", file=file, row=row, field="patient_id")
    record_type = raw.get("record_type", "")
    if record_type not in _USES:
        raise DataError(
            f"unknown record_type {record_type!r}; expected one of {', '.join(_USES)}",
            file=file, row=row, field="record_type",
        )
    used = set(_USES[record_type]) | {"patient_id", "record_type"}
    for column, text in raw.items():
        if column not in used and not is_missing(text):
            raise DataError(
                f"{column} is not used by a {record_type} record (value {text!r})",
                file=file, row=row, field=column,
            )
    if record_type == "patient":
        ref_date = parse_date(raw.get("reference_date"), file=file, row=row,
                              field="reference_date")
        if ref_date is not None and type(ref_date) is not dt.date:
            raise DataError("reference_date must be a calendar date without a time",
                            file=file, row=row, field="reference_date")
        event = raw.get("reference_event")
        builder.add_patient(
            patient_id, row=row, reference_event=None if is_missing(event) else event,
            reference_date=ref_date, raw=raw,  # type: ignore[arg-type]
        )
        return
    record = parse_record(record_type, raw, file=file, row=row)
    builder.add(patient_id, row, record, raw)


def parse_record(
    record_type: str, raw: Mapping[str, Any], *, file: str | None, row: int | None
) -> Record:
    """One record from text fields named as the tidy CSV columns (shared with SDTM)."""
    fields: dict[str, Any] = {}
    for name in _USES[record_type]:
        text = raw.get(name)
        if is_missing(text):
            continue
        if name in _FLOAT_FIELDS:
            fields[name] = parse_float(text, file=file, row=row, field=name)
        elif name in _DATE_FIELDS:
            fields[name] = parse_date(text, file=file, row=row, field=name)
        elif name not in ("value", "unit", "lln", "uln", "blasts_pct"):
            fields[name] = text
    source = {"file": file, "row": row} if file is not None and row is not None else None
    if record_type == "observation":
        fields.update(_observation_values(raw, file=file, row=row))
        cls: type[Record] = Observation
    elif record_type == "chimerism":
        if is_missing(raw.get("value")):
            raise DataError("donor % is required", file=file, row=row, field="value")
        unit = raw.get("unit")
        if not is_missing(unit) and str(unit).strip() not in ("%", "percent"):
            raise DataError(f"chimerism is in %, got unit {unit!r}", file=file, row=row,
                            field="unit")
        fields["donor_pct"], fields["censor"] = parse_censored(
            raw["value"], file=file, row=row, field="value")
        cls = Chimerism
    elif record_type == "marrow":
        if not is_missing(raw.get("blasts_pct")):
            fields["blasts_pct"], fields["blasts_censor"] = parse_censored(
                raw["blasts_pct"], file=file, row=row, field="blasts_pct")
        cls = MarrowAssessment
    else:
        cls = EVENT_TYPES[record_type]
        if record_type in ("platelet_transfusion", "red_cell_transfusion"):
            fields["record_type"] = record_type
    try:
        return cls(**fields, source=source)
    except pydantic.ValidationError as exc:
        raise data_error_from_validation(exc, file=file, row=row,
                                         field_names=_FIELD_NAMES) from None


def _observation_values(raw: Mapping[str, Any], *, file: str | None,
                        row: int | None) -> dict[str, Any]:
    analyte = raw.get("analyte")
    if is_missing(analyte) or analyte not in ANALYTES:
        raise DataError(
            f"unknown analyte {analyte!r}; expected one of {', '.join(sorted(ANALYTES))}",
            file=file, row=row, field="analyte",
        )
    value, censor = parse_censored(raw.get("value"), file=file, row=row, field="value")
    convert = conversion(str(raw.get("unit") or ""), analyte, file=file, row=row, field="unit")
    out: dict[str, Any] = {"analyte": analyte, "value": convert(value), "censor": censor}
    for limit in ("lln", "uln"):
        v = parse_float(raw.get(limit), file=file, row=row, field=limit, allow_missing=True)
        if v is not None:
            out[limit] = convert(v)
    return out


# --- writing --------------------------------------------------------------------------


def timeline_rows(timeline: Timeline) -> list[dict[str, str]]:
    """The tidy CSV rows of one timeline: a ``patient`` row, then one row per record."""
    rows = [_blank_row(timeline.patient_id, "patient")]
    rows[0]["reference_event"] = timeline.reference_event or ""
    rows[0]["reference_date"] = format_date(timeline.reference_date)
    for record in timeline.records():
        rows.append(_record_to_row(timeline.patient_id, record))
    return rows


def _blank_row(patient_id: str, record_type: str) -> dict[str, str]:
    row = dict.fromkeys(CSV_COLUMNS, "")
    row["patient_id"] = patient_id
    row["record_type"] = record_type
    return row


def _record_to_row(patient_id: str, record: Record) -> dict[str, str]:
    row = _blank_row(patient_id, record.record_type)  # type: ignore[attr-defined]
    for name, value in record:
        if name in ("source", "record_type") or value is None:
            continue
        if name in ("censor", "blasts_censor"):
            continue
        if name == "value":
            row["value"] = format_censored(value, record.censor)  # type: ignore[attr-defined]
        elif name == "donor_pct":
            row["value"] = format_censored(value, record.censor)  # type: ignore[attr-defined]
            row["unit"] = "%"
        elif name == "blasts_pct":
            row["blasts_pct"] = format_censored(
                value, record.blasts_censor)  # type: ignore[attr-defined]
        elif isinstance(value, float):
            row[name] = format_float(value)
        elif name in _DATE_FIELDS:
            row[name] = format_date(value)
        else:
            row[name] = str(value)
    return row


def write_csv(timelines: Iterable[Timeline] | Timeline, path: str | Path) -> Path:
    """Write timelines as tidy CSV (values in canonical units); returns the path."""
    if isinstance(timelines, Timeline):
        timelines = [timelines]
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for timeline in timelines:
            writer.writerows(timeline_rows(timeline))
    return path


# --- wide files through a column mapping ----------------------------------------------

# days per time unit: a week is 7 days, a month a twelfth of the Julian year (365.25 d)
_DAYS_PER = {"day": 1.0, "week": 7.0, "month": 365.25 / 12.0, "year": 365.25}


@dataclass(frozen=True)
class ColumnMapping:
    """How to read a file with one analyte per row and its own column names.

    Parameters
    ----------
    patient, time, value:
        column names of the patient identifier, the time and the value.
    analyte, unit:
        what the values are and their unit (converted to canonical).
    time_unit:
        unit of the time column; converted to days (month = 365.25/12 days).
    censor:
        optional column that is 1 when the value is a detection limit ("<value").
    reference_event:
        what time 0 is, stored in each timeline.
    ignore:
        further columns that exist in the file and are deliberately not read; any other
        column is an error, so that nothing is skipped without saying so.
    """

    patient: str
    time: str
    value: str
    analyte: str
    unit: str
    time_unit: Literal["day", "week", "month", "year"] = "day"
    censor: str | None = None
    reference_event: str | None = None
    ignore: tuple[str, ...] = field(default_factory=tuple)


# Michor F et al., Nature 2005;435:1267 (data as distributed by radivot/myelo): BCR-ABL/BCR
# ratio in %, by day since the start of imatinib. The ratio is the paper's, measured before
# the International Scale existed; it is stored as bcr_abl1_is_pct without IS conversion
# factor (none is published for these data), so MMR etc. on it are approximations.
MICHOR = ColumnMapping(
    patient="Pt", time="Days", value="Prct", analyte="bcr_abl1_is_pct", unit="%",
    reference_event="start of imatinib",
)


def _patient_text(text: str) -> str:
    """``"1.0"`` -> ``"1"`` (numeric ids written as floats by R); other text as is."""
    try:
        number = float(text)
    except ValueError:
        return text
    if math.isfinite(number) and number.is_integer():
        return str(int(number))
    return text


def read_mapped_csv(path: str | Path, mapping: ColumnMapping, *,
                    lenient: bool = False) -> ReadReport:
    """Read a one-analyte file through ``mapping``: one timeline per patient."""
    file = str(path)
    table = _read_table(path)
    known = {mapping.patient, mapping.time, mapping.value, *mapping.ignore}
    if mapping.censor:
        known.add(mapping.censor)
    for column in (mapping.patient, mapping.time, mapping.value, mapping.censor):
        if column is not None and column not in table.columns:
            raise DataError("column named in the mapping is missing", file=file, field=column)
    unknown = [c for c in table.columns if c not in known]
    if unknown:
        raise DataError(
            f"column(s) {unknown} are not in the mapping; add them to ColumnMapping.ignore "
            "to skip them on purpose", file=file, field=unknown[0],
        )
    if mapping.analyte not in ANALYTES:
        raise DataError(f"unknown analyte {mapping.analyte!r}", file=file, field="analyte")
    convert = conversion(mapping.unit, mapping.analyte, file=file, field="unit")
    days_per = _DAYS_PER[mapping.time_unit]
    gate = RowGate(file=file, lenient=lenient)
    builder = TimelineBuilder(gate)
    seen_patients: set[str] = set()
    for i, raw in enumerate(table.to_dict(orient="records"), start=1):
        gate.rows_read += 1
        try:
            pid_text = raw[mapping.patient]
            if is_missing(pid_text):
                raise DataError("patient is blank", file=file, row=i, field=mapping.patient)
            pid = _patient_text(pid_text)
            time = parse_float(raw[mapping.time], file=file, row=i, field=mapping.time)
            value, censor = parse_censored(raw[mapping.value], file=file, row=i,
                                           field=mapping.value)
            if mapping.censor is not None:
                flag = parse_float(raw[mapping.censor], file=file, row=i, field=mapping.censor)
                if flag not in (0.0, 1.0):
                    raise DataError(f"censor flag must be 0 or 1, got {flag!r}", file=file,
                                    row=i, field=mapping.censor)
                if flag == 1.0:
                    if censor is not None:
                        raise DataError("value is censored twice", file=file, row=i,
                                        field=mapping.value)
                    censor = "<"
            assert time is not None
            try:
                obs = Observation(
                    analyte=mapping.analyte, value=convert(value), censor=censor,
                    day=time * days_per if days_per != 1.0 else time,
                    source={"file": file, "row": i},
                )
            except pydantic.ValidationError as exc:
                raise data_error_from_validation(
                    exc, file=file, row=i,
                    field_names={"value": mapping.value, "day": mapping.time},
                ) from None
        except DataError as exc:
            gate.reject(exc, raw)
            continue
        if pid not in seen_patients:
            seen_patients.add(pid)
            builder.add_patient(pid, row=i, reference_event=mapping.reference_event,
                                reference_date=None, counts_as_row=False)
        builder.add(pid, i, obs, raw)
    return gate.report(builder.build())


def read_michor_like(path: str | Path, *, lenient: bool = False,
                     **overrides: Any) -> ReadReport:
    """Read a ``Days, Prct, Pt`` file (Michor et al. 2005 layout) into BCR::ABL1 timelines.

    ``overrides`` replace fields of :data:`MICHOR` (e.g. ``analyte=...``, ``ignore=(...)``).
    """
    mapping = MICHOR if not overrides else ColumnMapping(**{**MICHOR.__dict__, **overrides})
    return read_mapped_csv(path, mapping, lenient=lenient)
