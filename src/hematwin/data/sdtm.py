"""CDISC SDTM LB (laboratory) datasets as CSV: read and written without loss.

One row per result. Columns read: ``USUBJID``, ``LBTESTCD``, ``LBSTRESC`` (character
result, carries censoring: ``<0.1``), ``LBSTRESN`` (numeric result, blank when censored),
``LBSTRESU``, ``LBSTNRLO``/``LBSTNRHI`` (or, when those are absent, ``LBORNRLO``/
``LBORNRHI`` in ``LBORRESU``), ``LBSPEC``, ``LBDTC`` (ISO 8601), ``LBDY``. Other SDTM
columns (``STUDYID``, ``DOMAIN``, ``LBSEQ``, ``LBTEST``, ``LBORRES``, ``LBORRESU``,
``LBCAT``, ...) are accepted and not interpreted; an unknown non-SDTM column is an error.

Test codes (:data:`LBTESTCD`): WBC, NEUT, LYM, MONO, PLAT, HGB follow CDISC Controlled
Terminology; blasts are ``BLASTLE`` (blasts/leukocytes, %) and ``BLAST`` (absolute count),
after CDISC's convention that ``...LE`` is a fraction of leukocytes (as NEUTLE, LYMLE).
The two blast codes were not checked against a CT release here: verify before submission.

Study day: SDTM has no day 0 (day 1 is the reference start date RFSTDTC, the day before
is -1; SDTMIG v3.4 section 4.4.4). hematwin's day 0 is the reference event, so
``LBDY = day + 1`` for day >= 0 and ``LBDY = day`` for day < 0; only whole days fit LBDY.
LB has no place for treatments, marrow assessments, chimerism or the reference event (they
live in other domains and DM); the writer refuses timelines that hold them rather than drop
them. The reader takes reference dates (RFSTDTC) as an argument.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping
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
from hematwin.data.timeline import Observation, Timeline
from hematwin.data.units import conversion
from hematwin.errors import DataError

LBTESTCD: dict[str, str] = {
    "WBC": "wbc", "NEUT": "anc", "LYM": "lymphocytes", "MONO": "monocytes",
    "PLAT": "platelets", "HGB": "hemoglobin", "BLASTLE": "blasts_blood_pct",
    "BLAST": "blasts_blood",
}
TESTCD_FOR: dict[str, str] = {v: k for k, v in LBTESTCD.items()}
LBTEST: dict[str, str] = {
    "WBC": "Leukocytes", "NEUT": "Neutrophils", "LYM": "Lymphocytes", "MONO": "Monocytes",
    "PLAT": "Platelets", "HGB": "Hemoglobin", "BLASTLE": "Blasts/Leukocytes",
    "BLAST": "Blasts",
}
_SPECIMEN = {"BLOOD": "blood", "BONE MARROW": "bone_marrow"}
LB_COLUMNS: list[str] = [
    "STUDYID", "DOMAIN", "USUBJID", "LBSEQ", "LBTESTCD", "LBTEST", "LBORRES", "LBORRESU",
    "LBORNRLO", "LBORNRHI", "LBSTRESC", "LBSTRESN", "LBSTRESU", "LBSTNRLO", "LBSTNRHI",
    "LBSPEC", "LBDTC", "LBDY",
]
_ALSO_ALLOWED = {"SUBJID", "LBCAT", "LBSCAT", "LBSTAT", "LBREASND", "LBNAM", "LBMETHOD",
                 "LBBLFL", "LBFAST", "VISITNUM", "VISIT", "VISITDY", "EPOCH", "LBTPT",
                 "LBTPTNUM", "LBELTM", "LBTPTREF", "LBRFTDTC", "LBNRIND", "LBSTREFC",
                 "LBGRPID", "LBREFID", "LBSPID", "LBLOINC", "LBSPCCND", "LBLOBXFL",
                 "LBENDTC", "LBENDY", "LBTOX", "LBTOXGR"}


def lbdy_from_day(day: float) -> int:
    """SDTM study day of a hematwin day (no day 0 in SDTM)."""
    if not float(day).is_integer():
        raise ValueError(f"day {day!r} is not a whole day")
    d = int(day)
    return d + 1 if d >= 0 else d


def day_from_lbdy(lbdy: int) -> int:
    """hematwin day of an SDTM study day."""
    if lbdy == 0:
        raise ValueError("SDTM has no study day 0")
    return lbdy - 1 if lbdy > 0 else lbdy


def read_sdtm_lb(
    path: str | Path,
    *,
    reference_dates: Mapping[str, dt.date] | None = None,
    reference_event: str | None = None,
    lenient: bool = False,
) -> ReadReport:
    """Read an SDTM LB CSV into timelines (one per USUBJID).

    ``reference_dates`` (USUBJID -> RFSTDTC from DM) and ``reference_event`` (what day 0
    is) fill the timeline's reference, which LB itself does not hold.
    """
    file = str(path)
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    except pd.errors.EmptyDataError:
        raise DataError("the file is empty (no header)", file=file) from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(f"not a readable CSV file: {exc}", file=file) from None
    unknown = [c for c in table.columns if c not in LB_COLUMNS and c not in _ALSO_ALLOWED]
    if unknown:
        raise DataError(f"unknown column(s) {unknown} for an SDTM LB dataset", file=file,
                        field=unknown[0])
    for required in ("USUBJID", "LBTESTCD", "LBSTRESC", "LBSTRESU"):
        if required not in table.columns:
            raise DataError("required column is missing", file=file, field=required)
    gate = RowGate(file=file, lenient=lenient)
    builder = TimelineBuilder(gate)
    described: set[str] = set()
    for i, raw in enumerate(table.to_dict(orient="records"), start=1):
        gate.rows_read += 1
        try:
            pid, obs = _read_row(raw, file, i)
        except DataError as exc:
            gate.reject(exc, raw)
            continue
        if pid not in described and (reference_dates or reference_event):
            described.add(pid)
            builder.add_patient(pid, row=i, reference_event=reference_event,
                                reference_date=(reference_dates or {}).get(pid),
                                counts_as_row=False)
        builder.add(pid, i, obs, raw)
    return gate.report(builder.build())


def _read_row(raw: Mapping[str, Any], file: str, row: int) -> tuple[str, Observation]:
    def fail(field: str, message: str) -> DataError:
        return DataError(message, file=file, row=row, field=field)

    pid = raw.get("USUBJID")
    if is_missing(pid):
        raise fail("USUBJID", "USUBJID is blank")
    testcd = raw.get("LBTESTCD")
    if testcd not in LBTESTCD:
        raise fail("LBTESTCD", f"unknown LBTESTCD {testcd!r}; expected one of "
                               f"{', '.join(LBTESTCD)}")
    analyte = LBTESTCD[testcd]
    value, censor = parse_censored(raw.get("LBSTRESC"), file=file, row=row, field="LBSTRESC")
    numeric = parse_float(raw.get("LBSTRESN"), file=file, row=row, field="LBSTRESN",
                          allow_missing=True)
    if censor is not None and numeric is not None:
        raise fail("LBSTRESN", "LBSTRESN must be blank for a censored result "
                               f"({raw.get('LBSTRESC')!r})")
    if censor is None and numeric is not None and numeric != value:
        raise fail("LBSTRESN", f"LBSTRESN {numeric!r} disagrees with LBSTRESC {value!r}")
    convert = conversion(str(raw.get("LBSTRESU") or ""), analyte, file=file, row=row,
                         field="LBSTRESU")
    fields: dict[str, Any] = {"analyte": analyte, "value": convert(value), "censor": censor}
    if "LBSTNRLO" in raw or "LBSTNRHI" in raw:
        limits = (("lln", "LBSTNRLO"), ("uln", "LBSTNRHI"))
        range_convert = convert
    else:
        limits = (("lln", "LBORNRLO"), ("uln", "LBORNRHI"))
        has_range = any(not is_missing(raw.get(c)) for _, c in limits)
        range_convert = conversion(str(raw.get("LBORRESU") or ""), analyte, file=file, row=row,
                                   field="LBORRESU") if has_range else convert
    for name, column in limits:
        v = parse_float(raw.get(column), file=file, row=row, field=column, allow_missing=True)
        if v is not None:
            fields[name] = range_convert(v)
    spec = raw.get("LBSPEC")
    if not is_missing(spec):
        if spec not in _SPECIMEN:
            raise fail("LBSPEC", f"LBSPEC {spec!r}: expected one of {', '.join(_SPECIMEN)}")
        fields["specimen"] = _SPECIMEN[spec]
    date = parse_date(raw.get("LBDTC"), file=file, row=row, field="LBDTC")
    if date is not None:
        fields["date"] = date
    lbdy = parse_float(raw.get("LBDY"), file=file, row=row, field="LBDY", allow_missing=True)
    if lbdy is not None:
        try:
            if not lbdy.is_integer():
                raise ValueError(f"LBDY {lbdy!r} is not an integer")
            fields["day"] = float(day_from_lbdy(int(lbdy)))
        except ValueError as exc:
            raise fail("LBDY", str(exc)) from None
    try:
        return pid, Observation(**fields, source={"file": file, "row": row})
    except pydantic.ValidationError as exc:
        raise data_error_from_validation(
            exc, file=file, row=row,
            field_names={"value": "LBSTRESC", "day": "LBDY", "date": "LBDTC",
                         "lln": "LBSTNRLO", "uln": "LBSTNRHI"},
        ) from None


def write_sdtm_lb(
    timelines: Iterable[Timeline] | Timeline,
    path: str | Path,
    *,
    studyid: str = "HEMATWIN",
    reference: Literal["error", "omit"] = "error",
) -> Path:
    """Write the observations of the timelines as an SDTM LB CSV.

    Raises :class:`DataError` for what LB cannot hold: treatments, marrow assessments,
    chimerism, analytes without an LBTESTCD, fractional days, and (unless
    ``reference="omit"``) the reference event and date, which belong to DM.
    """
    if isinstance(timelines, Timeline):
        timelines = [timelines]
    rows = []
    for t in timelines:
        if t.events or t.marrow or t.chimerism:
            raise DataError(
                f"patient {t.patient_id!r} has treatments, marrow or chimerism records, which "
                "SDTM LB cannot hold; write them with the CSV or FHIR writer",
                field="record_type",
            )
        if reference == "error" and (t.reference_event or t.reference_date):
            raise DataError(
                f"patient {t.patient_id!r} has a reference event/date, which belongs to the DM "
                "domain (RFSTDTC); pass reference='omit' to write LB alone",
                field="reference_date",
            )
        for seq, obs in enumerate(t.observations, start=1):
            rows.append(_row(t.patient_id, seq, obs, studyid))
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=LB_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _row(pid: str, seq: int, obs: Observation, studyid: str) -> dict[str, str]:
    testcd = TESTCD_FOR.get(obs.analyte)
    if testcd is None:
        raise DataError(f"analyte {obs.analyte!r} has no LBTESTCD here; known: "
                        f"{', '.join(a for a in TESTCD_FOR)}", field="LBTESTCD")
    lbdy = ""
    if obs.day is not None:
        try:
            lbdy = str(lbdy_from_day(obs.day))
        except ValueError as exc:
            raise DataError(f"patient {pid!r}, {obs.analyte}: {exc}; LBDY holds whole days",
                            field="LBDY") from None
    unit = ANALYTES[obs.analyte].unit
    result = format_censored(obs.value, obs.censor)
    specimen = {v: k for k, v in _SPECIMEN.items()}.get(obs.specimen or "", "")
    return {
        "STUDYID": studyid, "DOMAIN": "LB", "USUBJID": pid, "LBSEQ": str(seq),
        "LBTESTCD": testcd, "LBTEST": LBTEST[testcd], "LBORRES": result, "LBORRESU": unit,
        "LBORNRLO": format_float(obs.lln), "LBORNRHI": format_float(obs.uln),
        "LBSTRESC": result, "LBSTRESN": "" if obs.censor else format_float(obs.value),
        "LBSTRESU": unit, "LBSTNRLO": format_float(obs.lln), "LBSTNRHI": format_float(obs.uln),
        "LBSPEC": specimen, "LBDTC": format_date(obs.date), "LBDY": lbdy,
    }
