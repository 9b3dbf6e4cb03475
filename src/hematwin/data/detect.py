"""Read a patient record of any supported format, telling the format from the file.

:func:`detect_format` looks at the extension and the header: a ``.json`` file holding a FHIR
``Bundle`` is FHIR; a CSV whose header has ``patient_id`` and ``record_type`` is the tidy CSV
(:mod:`.csv_io`); ``USUBJID`` and ``LBTESTCD`` make SDTM LB; ``ID``, ``TIME``, ``EVID``,
``DV`` (any case) a NONMEM-style dataset; the layouts of the CML files distributed with
radivot/myelo (``Days, Prct, Pt`` of Michor et al. 2005; ``Months, Prct, Pt, UL`` of Hähnel
et al. 2020; ``Years, Prct, Grp, Pt`` of Stein et al. 2011) are read as BCR::ABL1 series.
Anything else is refused with the header it found.

:func:`read_record` returns a :class:`ReadReport` in every case. A NONMEM dataset does not
say which analyte its DV is: ``dv_map`` (DVID, or CMT, -> analyte) must be given.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from hematwin.data.csv_io import read_csv, read_michor_like
from hematwin.data.fhir import read_fhir
from hematwin.data.nonmem import nonmem_to_timelines, read_nonmem
from hematwin.data.read_report import ReadReport
from hematwin.data.sdtm import read_sdtm_lb
from hematwin.errors import DataError

__all__ = ["FORMATS", "RecordFormat", "detect_format", "read_record", "parse_dv_map"]

RecordFormat = Literal["csv", "nonmem", "fhir", "sdtm", "michor"]
FORMATS: tuple[str, ...] = ("auto", "csv", "nonmem", "fhir", "sdtm", "michor")

# Wide one-analyte CML layouts (radivot/myelo data): header -> read_michor_like overrides.
_CML_LAYOUTS: dict[frozenset[str], dict[str, Any]] = {
    frozenset({"Days", "Prct", "Pt"}): {},
    frozenset({"Months", "Prct", "Pt", "UL"}): {"time": "Months", "time_unit": "month",
                                                "censor": "UL"},
    frozenset({"Months", "Prct", "Pt"}): {"time": "Months", "time_unit": "month"},
    frozenset({"Years", "Prct", "Grp", "Pt"}): {"time": "Years", "time_unit": "year",
                                                "ignore": ("Grp",)},
}


def _header(path: Path) -> list[str]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            first = next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"cannot read the file: {exc}", file=str(path)) from None
    if len(first) == 1 and len(first[0].split()) > 1:  # whitespace-separated NONMEM file
        first = first[0].split()
    return [c.strip() for c in first]


def detect_format(path: str | Path) -> RecordFormat:
    """The format of the record at ``path`` (rules in the module docstring)."""
    path = Path(path)
    if not path.is_file():
        raise DataError("no such file", file=str(path))
    if path.suffix.lower() == ".json":
        try:
            head = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise DataError(f"not a readable JSON file: {exc}", file=str(path)) from None
        if isinstance(head, dict) and head.get("resourceType") == "Bundle":
            return "fhir"
        raise DataError("a JSON record must be a FHIR Bundle", file=str(path),
                        field="resourceType")
    columns = _header(path)
    names = set(columns)
    upper = {c.upper() for c in columns}
    if {"patient_id", "record_type"} <= names:
        return "csv"
    if {"USUBJID", "LBTESTCD"} <= names:
        return "sdtm"
    if frozenset(names) in _CML_LAYOUTS:
        return "michor"
    if {"ID", "TIME", "EVID", "DV"} <= upper:
        return "nonmem"
    raise DataError(
        f"cannot tell the format from the header {columns}; expected tidy CSV "
        "(patient_id, record_type ...), SDTM LB (USUBJID, LBTESTCD ...), NONMEM (ID, TIME, "
        "EVID, DV ...), a CML layout (Days, Prct, Pt) or a FHIR Bundle (.json); or name the "
        "format", file=str(path))


def parse_dv_map(text: str) -> dict[int, str]:
    """``"1=anc,2=platelets"`` -> ``{1: "anc", 2: "platelets"}`` (DVID or CMT -> analyte)."""
    out: dict[int, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, name = part.partition("=")
        try:
            out[int(key)] = name.strip()
        except ValueError:
            raise DataError(f"expected KEY=analyte with an integer KEY, got {part!r}",
                            field="dv_map") from None
        if not sep or not name.strip():
            raise DataError(f"expected KEY=analyte, got {part!r}", field="dv_map")
    if not out:
        raise DataError("empty mapping; expected e.g. '1=anc,2=platelets'", field="dv_map")
    return out


def read_record(
    path: str | Path,
    *,
    format: str = "auto",
    lenient: bool = False,
    dv_map: Mapping[int, str] | None = None,
) -> ReadReport:
    """Read ``path`` into timelines; ``format`` is one of :data:`FORMATS`."""
    path = Path(path)
    if format not in FORMATS:
        raise DataError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}",
                        field="format")
    fmt = detect_format(path) if format == "auto" else format
    if fmt == "csv":
        return read_csv(path, lenient=lenient)
    if fmt == "fhir":
        return read_fhir(path, lenient=lenient)
    if fmt == "sdtm":
        return read_sdtm_lb(path, lenient=lenient)
    if fmt == "michor":
        layout = _CML_LAYOUTS.get(frozenset(_header(path)), {})
        return read_michor_like(path, lenient=lenient, **layout)
    if dv_map is None:
        raise DataError("a NONMEM dataset does not say which analyte DV is; give a DV map "
                        "(DVID or CMT -> analyte), e.g. '2=anc'", file=str(path),
                        field="dv_map")
    dataset = read_nonmem(path, lenient=lenient)
    report = nonmem_to_timelines(dataset, dv_map, lenient=lenient)
    if dataset.rejected.empty:
        return report
    # Rows refused by the dataset reader are rows of the file too: keep the counts whole.
    return ReadReport(
        timelines=report.timelines,
        rejected=pd.concat([dataset.rejected, report.rejected], ignore_index=True),
        rows_read=report.rows_read + len(dataset.rejected),
        rows_accepted=report.rows_accepted,
        source=str(path),
    )
