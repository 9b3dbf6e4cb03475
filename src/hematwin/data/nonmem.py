"""NONMEM-style datasets: the record table shared by the data layer and the engine.

Columns (NM-TRAN data items, upper case; case-insensitive on reading)

=====  ========  ====================================================================
item   needed    meaning and rule checked on reading
=====  ========  ====================================================================
ID     required  individual, an integer; an individual's records are contiguous
TIME   required  time (the model's unit, days in hematwin); non-decreasing within an
                 individual, except that a reset record (EVID 3 or 4) may go back in time
                 and starts a new sequence (NM-TRAN's rule for resets)
AMT    required  dose amount; >= 0, and > 0 on dose records (EVID 1, 4)
RATE   optional  infusion rate (default 0 = bolus); >= 0, or -2 = the duration is the DUR
                 item. -1 (modelled rate) is refused unless the model declares a modelled
                 rate for the compartment (``modeled_rate_cmts``)
DUR    optional  infusion duration, > 0 when RATE = -2, and only then.
                 Note: in NONMEM proper RATE = -2 means a *modelled* duration (D1 in $PK)
                 and there is no DUR item; a dataset written with that meaning has no DUR
                 and is refused here with a message saying so
EVID   required  0 observation, 1 dose, 2 other (no observation), 3 reset, 4 reset and dose
CMT    required  compartment: 1..len(compartments), or a compartment name when
                 ``compartments`` is given (stored as its 1-based number); 0 is allowed on
                 EVID 2 and 3 records only; negative CMT (compartment off) is not supported
II     optional  interdose interval (default 0); > 0 when ADDL > 0, and only then
ADDL   optional  additional doses (default 0), a non-negative integer
SS     optional  steady state: only 0 is accepted (steady-state dosing is not supported)
DV     required  dependent variable; may be missing (``.``) only when MDV = 1
MDV    required  1 = no observation; must be 1 on every record with EVID != 0
DVID   optional  observation type, used by :func:`nonmem_to_timelines` instead of CMT
=====  ========  ====================================================================

Every other column is a covariate (numeric; ``.`` or blank is missing). Dose-related items
(AMT, RATE, DUR, II, ADDL, SS) must be 0 on records that are not doses (EVID 0, 2, 3), as
NM-TRAN requires. ``.`` means 0 in AMT, RATE, DUR, II, ADDL, SS and CMT (NM-TRAN's reading
of a null field) and "missing" in DV and covariates. Rows whose first field starts with
``#`` are comments (NM-TRAN ``IGNORE=#``), neither read nor counted. Rows are numbered from
1 = the first data line after the header.

Errors are :class:`hematwin.errors.DataError` naming file, row and data item. In lenient
mode bad rows go to ``NonmemDataset.rejected`` and the counts reconcile.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import pydantic

from hematwin.data.analytes import ANALYTES
from hematwin.data.parsing import format_float
from hematwin.data.read_report import (
    REJECTED_COLUMNS,
    ReadReport,
    RowGate,
    TimelineBuilder,
    data_error_from_validation,
)
from hematwin.data.timeline import Observation
from hematwin.data.units import conversion
from hematwin.errors import DataError

NONMEM_COLUMNS: list[str] = [
    "ID", "TIME", "AMT", "RATE", "DUR", "EVID", "CMT", "II", "ADDL", "SS", "DV", "MDV", "DVID",
]
REQUIRED_COLUMNS: tuple[str, ...] = ("ID", "TIME", "AMT", "EVID", "CMT", "DV", "MDV")
# absent optional items read as NM-TRAN's default 0 and are then part of the dataset
DEFAULT_ZERO_COLUMNS: tuple[str, ...] = ("RATE", "II", "ADDL")
INTEGER_COLUMNS: frozenset[str] = frozenset({"ID", "EVID", "CMT", "ADDL", "SS", "MDV", "DVID"})
_DOT_IS_ZERO = frozenset({"AMT", "RATE", "DUR", "II", "ADDL", "SS", "CMT"})
_DOSE_ITEMS = ("AMT", "RATE", "DUR", "II", "ADDL", "SS")


@dataclass(frozen=True)
class NonmemDataset:
    """A validated NONMEM-style record table.

    Attributes
    ----------
    records: the accepted records, columns in canonical order (:data:`NONMEM_COLUMNS` that
        are present, then covariates in file order); integer items as int64.
    covariates: names of the covariate columns.
    source: the file read (None for a DataFrame).
    compartments: the compartment names given to the reader, if any (CMT is their 1-based
        number).
    rejected: rows refused in lenient mode (file, row, field, reason, raw).
    rows_read: data rows read; always ``len(records) + len(rejected)``.
    """

    records: pd.DataFrame
    covariates: list[str]
    source: str | None = None
    compartments: tuple[str, ...] | None = None
    rejected: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=REJECTED_COLUMNS))
    rows_read: int | None = None

    def __post_init__(self) -> None:
        if self.rows_read is None:
            object.__setattr__(self, "rows_read", len(self.records))
        if self.rows_read != len(self.records) + len(self.rejected):
            raise AssertionError(
                f"row counts do not reconcile: {self.rows_read} read != {len(self.records)} "
                f"accepted + {len(self.rejected)} rejected"
            )

    @property
    def rows_accepted(self) -> int:
        return len(self.records)

    @property
    def ids(self) -> list[int]:
        """Individuals in file order."""
        return list(dict.fromkeys(self.records["ID"].tolist()))

    def equals(self, other: NonmemDataset) -> bool:
        """Same records (NaN equal to NaN), same covariates."""
        return self.covariates == other.covariates and self.records.equals(other.records)


# --- reading --------------------------------------------------------------------------


def _read_table(path: str | Path) -> pd.DataFrame:
    file = str(path)
    try:
        with open(path, encoding="utf-8") as fh:
            header = fh.readline()
    except OSError as exc:
        raise DataError(f"cannot open: {exc}", file=file) from None
    sep = "," if "," in header else r"\s+"
    try:
        return pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, na_filter=False,
                           skipinitialspace=True)
    except pd.errors.EmptyDataError:
        raise DataError("the file is empty (no header)", file=file) from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(f"not a readable data file: {exc}", file=file) from None


def _number(value: Any, *, item: str, file: str | None, row: int, dot_is_zero: bool) -> float:
    """A cell as float: '.' / blank -> 0 or NaN by the item's rule; text -> error."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        if math.isnan(number):
            return 0.0 if dot_is_zero else math.nan
    else:
        text = "" if value is None else str(value).strip()
        if text in ("", "."):
            return 0.0 if dot_is_zero else math.nan
        try:
            number = float(text)
        except ValueError:
            raise DataError(f"{text!r} is not a number", file=file, row=row,
                            field=item) from None
    if math.isinf(number):
        raise DataError(f"{number!r} is not a finite number", file=file, row=row, field=item)
    return number


def _integer(value: float, *, item: str, file: str | None, row: int) -> int:
    if math.isnan(value):
        raise DataError("a value is required here", file=file, row=row, field=item)
    if not value.is_integer():
        raise DataError(f"{value!r} must be an integer", file=file, row=row, field=item)
    return int(value)


def read_nonmem(
    path_or_df: str | Path | pd.DataFrame,
    *,
    compartments: Sequence[str] | None = None,
    lenient: bool = False,
    modeled_rate_cmts: Collection[int | str] = (),
) -> NonmemDataset:
    """Read and check a NONMEM-style dataset (rules in the module docstring).

    Parameters
    ----------
    path_or_df:
        a CSV (or whitespace-separated) file with a header line, or a DataFrame.
    compartments:
        the model's compartment names in order; CMT must then be 1..n or one of the names.
    lenient:
        keep going past bad rows; they are returned in ``rejected``.
    modeled_rate_cmts:
        compartments (numbers or names) for which the model declares a modelled infusion
        rate, where RATE = -1 is allowed.
    """
    if isinstance(path_or_df, pd.DataFrame):
        file: str | None = None
        table = path_or_df.copy()
    else:
        file = str(path_or_df)
        table = _read_table(path_or_df)
    table.columns = [str(c).strip() for c in table.columns]
    rename = {c: c.upper() for c in table.columns if c.upper() in NONMEM_COLUMNS}
    duplicates = [c for c in set(rename.values()) if list(rename.values()).count(c) > 1]
    if duplicates or len(set(table.columns)) != len(table.columns):
        raise DataError("a column appears twice", file=file,
                        field=(duplicates or [c for c in table.columns])[0])
    table = table.rename(columns=rename)
    for item in REQUIRED_COLUMNS:
        if item not in table.columns:
            raise DataError("required data item (column) is missing", file=file, field=item)
    covariates = [c for c in table.columns if c not in NONMEM_COLUMNS]
    present = [c for c in NONMEM_COLUMNS if c in table.columns or c in DEFAULT_ZERO_COLUMNS]
    names = tuple(compartments) if compartments is not None else None
    modeled = {_cmt_number(c, names) for c in modeled_rate_cmts}

    gate = RowGate(file=file, lenient=lenient)
    accepted: list[dict[str, Any]] = []
    last: dict[str, Any] | None = None
    seen_ids: set[int] = set()
    row = 0
    for raw in table.to_dict(orient="records"):
        first = raw.get(table.columns[0]) if len(table.columns) else None
        if isinstance(first, str) and first.strip().startswith("#"):
            continue
        row += 1
        gate.rows_read += 1
        try:
            rec = _parse_row(raw, present, covariates, names, modeled, file, row)
            _check_order(rec, last, seen_ids, file, row)
        except DataError as exc:
            gate.reject(exc, raw)
            continue
        accepted.append(rec)
        gate.rows_accepted += 1
        if last is None or rec["ID"] != last["ID"]:
            seen_ids.add(rec["ID"])
        last = rec
    columns = present + covariates
    records = pd.DataFrame(accepted, columns=columns)
    for c in columns:
        records[c] = records[c].astype("int64" if c in INTEGER_COLUMNS else "float64")
    return NonmemDataset(
        records=records.reset_index(drop=True), covariates=covariates, source=file,
        compartments=names, rejected=gate.rejected_frame(), rows_read=gate.rows_read,
    )


def _cmt_number(value: int | str, names: tuple[str, ...] | None) -> int:
    if isinstance(value, str) and names is not None and value in names:
        return names.index(value) + 1
    return int(value)


def _parse_row(
    raw: Mapping[str, Any], present: list[str], covariates: list[str],
    names: tuple[str, ...] | None, modeled: set[int], file: str | None, row: int,
) -> dict[str, Any]:
    rec: dict[str, Any] = {}
    for item in present:
        value = raw.get(item, 0.0)
        if item == "CMT" and names is not None and isinstance(value, str) and (
            value.strip() in names
        ):
            rec[item] = names.index(value.strip()) + 1
            continue
        number = _number(value, item=item, file=file, row=row, dot_is_zero=item in _DOT_IS_ZERO)
        if item in INTEGER_COLUMNS:
            if item == "DVID" and math.isnan(number):
                raise DataError("DVID is missing", file=file, row=row, field=item)
            rec[item] = _integer(number, item=item, file=file, row=row)
        else:
            if item == "TIME" and math.isnan(number):
                raise DataError("TIME is missing", file=file, row=row, field=item)
            rec[item] = number
    for cov in covariates:
        rec[cov] = _number(raw.get(cov), item=cov, file=file, row=row, dot_is_zero=False)
    _check_record(rec, names, modeled, file, row)
    return rec


def _check_record(rec: dict[str, Any], names: tuple[str, ...] | None, modeled: set[int],
                  file: str | None, row: int) -> None:
    def fail(item: str, message: str) -> DataError:
        return DataError(message, file=file, row=row, field=item)

    evid, mdv, cmt = rec["EVID"], rec["MDV"], rec["CMT"]
    if evid not in (0, 1, 2, 3, 4):
        raise fail("EVID", f"EVID {evid} is not one of 0, 1, 2, 3, 4")
    if mdv not in (0, 1):
        raise fail("MDV", f"MDV {mdv} must be 0 or 1")
    if evid != 0 and mdv != 1:
        raise fail("MDV", f"MDV must be 1 on a record with EVID {evid} (it has no observation)")
    if evid == 0 and mdv == 0 and math.isnan(rec["DV"]):
        raise fail("DV", "DV is missing on an observation record (EVID 0, MDV 0)")
    n = len(names) if names is not None else None
    if cmt < 0:
        raise fail("CMT", f"CMT {cmt}: negative compartments (switching off) are not supported")
    if cmt == 0 and evid in (0, 1, 4):
        raise fail("CMT", f"CMT 0 is allowed on EVID 2 and 3 records only (EVID {evid})")
    if n is not None and cmt > n:
        raise fail("CMT", f"CMT {cmt} is not a compartment of the model (1..{n}: "
                          f"{', '.join(names or ())})")
    if rec["AMT"] < 0:
        raise fail("AMT", f"AMT {rec['AMT']!r} is negative")
    if evid in (1, 4):
        if rec["AMT"] <= 0:
            raise fail("AMT", f"a dose record (EVID {evid}) needs AMT > 0")
        rate = rec["RATE"]
        if rate == -1 and cmt not in modeled:
            raise fail("RATE", "RATE -1 (modelled rate) needs a model that declares a "
                               f"modelled rate for compartment {cmt}")
        if rate < 0 and rate not in (-1.0, -2.0):
            raise fail("RATE", f"RATE {rate!r} must be >= 0, -2 (duration in DUR) or -1 "
                               "(modelled rate)")
        dur = rec.get("DUR")
        if rate == -2 and (dur is None or not dur > 0):
            raise fail("DUR", "RATE -2 needs DUR > 0 (in NONMEM -2 means a modelled "
                              "duration; hematwin reads the duration from DUR)")
        if rate != -2 and dur not in (None, 0.0):
            raise fail("DUR", f"DUR {dur!r} is used only with RATE -2")
        if rec["ADDL"] < 0:
            raise fail("ADDL", f"ADDL {rec['ADDL']} must be a non-negative integer")
        if rec["II"] < 0:
            raise fail("II", f"II {rec['II']!r} is negative")
        if rec["ADDL"] > 0 and not rec["II"] > 0:
            raise fail("II", "ADDL > 0 needs II > 0")
        if rec["ADDL"] == 0 and rec["II"] > 0:
            raise fail("II", "II is given without ADDL (steady state is not supported)")
    else:
        for item in _DOSE_ITEMS:
            value = rec.get(item)
            if value not in (None, 0, 0.0):
                raise fail(item, f"{item} {value!r} on a non-dose record (EVID {evid}); "
                                 "dose items must be 0 unless EVID is 1 or 4")
    if rec.get("SS") not in (None, 0):
        raise fail("SS", f"SS {rec['SS']}: steady-state dosing is not supported (only SS 0)")


def _check_order(rec: dict[str, Any], last: dict[str, Any] | None, seen_ids: set[int],
                 file: str | None, row: int) -> None:
    if last is not None and rec["ID"] == last["ID"]:
        if rec["TIME"] < last["TIME"] and rec["EVID"] not in (3, 4):
            raise DataError(
                f"TIME {rec['TIME']!r} is before the previous record's {last['TIME']!r} of ID "
                f"{rec['ID']}; time may only go back at a reset record (EVID 3 or 4)",
                file=file, row=row, field="TIME",
            )
    elif rec["ID"] in seen_ids:
        raise DataError(
            f"ID {rec['ID']} appears again after other individuals; an individual's records "
            "must be contiguous", file=file, row=row, field="ID",
        )


# --- writing --------------------------------------------------------------------------


def write_nonmem(dataset: NonmemDataset, path: str | Path) -> Path:
    """Write the records as CSV (``.`` for missing); reading it back gives equal records."""
    path = Path(path)
    frame = dataset.records
    lines = [",".join(frame.columns)]
    integer = [c in INTEGER_COLUMNS for c in frame.columns]
    for values in frame.itertuples(index=False, name=None):
        cells = []
        for is_int, v in zip(integer, values, strict=True):
            if is_int:
                cells.append(str(int(v)))
            else:
                cells.append("." if math.isnan(v) else format_float(v))
        lines.append(",".join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- observations to timelines --------------------------------------------------------

_DAYS_PER = {"day": 1.0, "hour": 1.0 / 24.0}


def nonmem_to_timelines(
    dataset: NonmemDataset,
    dv_map: Mapping[int, str],
    *,
    units: Mapping[int, str] | None = None,
    time_unit: Literal["day", "hour"] = "day",
    lenient: bool = False,
) -> ReadReport:
    """Observation records (EVID 0, MDV 0) as timelines, one per ID.

    ``dv_map`` maps the DVID (when the dataset has one) or else the CMT of an observation
    to an analyte. DV is taken to be in the analyte's canonical unit unless ``units`` gives
    its unit for that key. Rows counted here are the observation records; dose and other
    records are for the engine and are not part of the count. An observation whose key
    has no analyte is an error (or a rejected row), never skipped.
    """
    key_item = "DVID" if "DVID" in dataset.records.columns else "CMT"
    for key, name in dv_map.items():
        if name not in ANALYTES:
            raise DataError(f"unknown analyte {name!r} for {key_item} {key}", field=key_item)
    file = dataset.source
    gate = RowGate(file=file, lenient=lenient)
    builder = TimelineBuilder(gate)
    scale = _DAYS_PER[time_unit]
    frame = dataset.records
    observed = frame[(frame["EVID"] == 0) & (frame["MDV"] == 0)]
    for index, rec in observed.iterrows():
        gate.rows_read += 1
        row = int(index) + 1  # type: ignore[call-overload]
        raw = rec.to_dict()
        try:
            key = int(rec[key_item])
            if key not in dv_map:
                raise DataError(f"no analyte is mapped to {key_item} {key}", file=file,
                                row=row, field=key_item)
            analyte = dv_map[key]
            value = float(rec["DV"])
            if units is not None and key in units:
                value = conversion(units[key], analyte, file=file, row=row, field="DV")(value)
            try:
                obs = Observation(analyte=analyte, value=value, day=float(rec["TIME"]) * scale,
                                  source={"file": file or "<DataFrame>", "row": row})
            except pydantic.ValidationError as exc:
                raise data_error_from_validation(
                    exc, file=file, row=row, field_names={"value": "DV", "day": "TIME"}
                ) from None
        except DataError as exc:
            gate.reject(exc, raw)
            continue
        builder.add(str(int(rec["ID"])), row, obs, raw)
    return gate.report(builder.build())
