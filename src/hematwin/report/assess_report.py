"""``hematwin assess``: read a patient record, assess every patient, write the reports.

:func:`assess_record` is the whole command as a function (the CLI only parses options and
prints): it reads the record (:func:`hematwin.data.detect.read_record`), applies
:func:`hematwin.clinic.assess.assess` to each timeline and writes into ``out_dir``:

* one self-contained HTML report: per patient for a single patient, or one file with an
  index, a summary table and a section per patient for several. No external resources: the
  CSS is inline and each plot an embedded base64 PNG, so the file can be mailed or archived;
* ``assessment.json``: every assessment's :meth:`~PatientAssessment.to_dict`;
* ``summary.csv``: one row per patient; for BCR::ABL1 records ``cml_response_over_time.csv``
  (molecular response class of every measurement), ``cml_milestones.csv`` (ELN 2020 verdicts
  at 3, 6, 12 months per patient) and ``cml_milestone_counts.csv``;
* in lenient mode ``rejected.csv``: the rejected rows with file, row, field and reason.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from rich.table import Table

from hematwin.clinic.assess import PatientAssessment, assess, cml_cohort_tables
from hematwin.data.detect import detect_format, read_record
from hematwin.data.read_report import ReadReport
from hematwin.report.timeline_plot import figure_png, timeline_figure

__all__ = [
    "AssessRun",
    "assess_record",
    "summary_frame",
    "patient_html",
    "write_report",
    "headline_table",
    "summary_table",
    "cml_table",
    "counts_table",
]


# --- tables -----------------------------------------------------------------------------


def summary_frame(assessments: Sequence[PatientAssessment]) -> pd.DataFrame:
    """One row per patient: worst grades, transplant endpoints, exposure and response."""
    rows = []
    for a in assessments:
        row: dict[str, Any] = {"patient_id": a.patient_id, "first_day": a.first_day,
                               "last_day": a.last_day}
        for analyte in ("anc", "platelets", "hemoglobin"):
            if analyte in a.worst_grades["analyte"].values:
                row[f"worst_grade_{analyte}"] = a.worst_grade(analyte)
        t = a.transplant
        if t is not None:
            row.update(hsct_day=t.hsct_timeline_day, graft_source=t.graft_source,
                       neutrophil_engraftment_day=t.neutrophil_engraftment_day,
                       platelet_engraftment_day=t.platelet_engraftment_day,
                       primary_graft_failure=t.primary_graft_failure)
        if a.infection is not None:
            row.update(days_anc_below_0_5=a.infection.days_anc_below_0_5,
                       days_anc_below_0_1=a.infection.days_anc_below_0_1)
        if a.cml is not None:
            row["latest_molecular_response"] = a.cml.latest_response
            for month in (3, 6, 12):
                row[f"eln2020_{month}mo"] = a.cml.verdict(month)
            row["mmr_day"] = a.cml.mmr_day
        if a.aml is not None:
            row["aml_best_response"] = a.aml.best_response
        if a.chimerism is not None:
            row["chimerism"] = a.chimerism.overall
        rows.append(row)
    frame = pd.DataFrame(rows)
    for col in [c for c in frame.columns if c.startswith("worst_grade_")]:
        frame[col] = frame[col].astype("Int64")
    return frame


# --- Rich (terminal) --------------------------------------------------------------------


def headline_table(a: PatientAssessment) -> Table:
    """A patient's headline as a two-column Rich table."""
    table = Table(title=f"patient {a.patient_id} · CTCAE v{a.ctcae_version}",
                  show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    for label, text in a.headline():
        table.add_row(label, text)
    for note in a.notes:
        table.add_row("note", f"[dim]{note}[/]")
    return table


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def summary_table(frame: pd.DataFrame, *, title: str, max_rows: int | None = None) -> Table:
    """Any DataFrame as a Rich table (floats to 4 significant digits)."""
    table = Table(title=title, title_justify="left")
    for col in frame.columns:
        table.add_column(str(col).replace("_", " "), overflow="fold")
    shown = frame if max_rows is None else frame.head(max_rows)
    for row in shown.itertuples(index=False):
        table.add_row(*[_cell(v) for v in row])
    if max_rows is not None and len(frame) > max_rows:
        table.caption = f"first {max_rows} of {len(frame)} rows (all in the CSV and HTML)"
    return table


def cml_table(milestones: pd.DataFrame) -> Table:
    """Per patient: the course of molecular response and the ELN 2020 verdicts."""
    cols = ["patient_id", "response_course", "verdict_3mo", "verdict_6mo", "verdict_12mo"]
    frame = milestones[[c for c in cols if c in milestones.columns]].rename(columns={
        "patient_id": "patient", "response_course": "molecular response [months on TKI]",
        "verdict_3mo": "3 mo", "verdict_6mo": "6 mo", "verdict_12mo": "12 mo"})
    return summary_table(frame, title="CML: molecular response over time and ELN 2020 "
                                      "milestone verdicts")


def counts_table(counts: pd.DataFrame) -> Table:
    return summary_table(counts, title="ELN 2020 milestone verdicts (patients)")


# --- HTML -------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:1.5em auto;
max-width:1250px;color:#222;line-height:1.4;padding:0 1em}
h1{font-size:1.5em;margin-bottom:.2em}h2{margin-top:2em;border-bottom:2px solid #ddd;
padding-bottom:.2em}h3{font-size:1.05em;margin:1.2em 0 .4em}
table{border-collapse:collapse;font-size:.82em;margin:.3em 0 1em}
th,td{border:1px solid #d6d6d6;padding:.2em .5em;text-align:right;vertical-align:top;
white-space:nowrap}
th{background:#f2f4f7;text-align:center}td:first-child{text-align:left}
table.kv td:first-child{font-weight:600;background:#fafafa}table.kv td{text-align:left}
.meta{color:#666;font-size:.85em}.notes{color:#6b5200;font-size:.85em}
img.plot{max-width:100%;height:auto;border:1px solid #eee}
nav ul{columns:8 5em;font-size:.85em;padding-left:1em}
.scroll{overflow-x:auto}details summary{cursor:pointer;color:#1f4e9c;font-size:.9em}
td.optimal{background:#d9f0d3}td.warning{background:#fde9c4}td.failure{background:#f7c6c2}
td.t,td.wrap{text-align:left}td.wrap{white-space:normal;min-width:24em}
"""
_VERDICT_CLASS = re.compile(r"<td>(optimal|warning|failure)</td>")
_PLAIN_CELL = re.compile(r"<td>([^<]*)</td>")


def _cell_class(match: re.Match[str]) -> str:
    """Numbers stay right-aligned; words are left-aligned, long text wraps."""
    text = match.group(1)
    try:
        float(text.replace("×", "").strip() or "0")
        return match.group(0)
    except ValueError:
        return f'<td class="{"wrap" if len(text) > 40 else "t"}">{text}</td>'


def _fmt(x: Any) -> str:
    return f"{x + 0.0:.4g}"  # + 0.0 turns -0.0 into 0.0


def _table_html(frame: pd.DataFrame) -> str:
    text = frame.to_html(index=False, na_rep="", float_format=_fmt, border=0, escape=True)
    text = _VERDICT_CLASS.sub(r'<td class="\1">\1</td>', text)
    text = _PLAIN_CELL.sub(_cell_class, text)
    return f'<div class="scroll">{text}</div>'


def _kv_html(pairs: Sequence[tuple[str, str]]) -> str:
    rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>"
                   for k, v in pairs)
    return f'<table class="kv">{rows}</table>'


_SECTION_TITLES = {
    "worst_grades": "Worst CTCAE grade per analyte",
    "cytopenia_episodes": "Cytopenia episodes (grade ≥ 2; days in each grade, recovery)",
    "transplant": "Transplant endpoints (days after HSCT; ASTCT 2021 / EBMT–ASTCT–CIBMTR 2024)",
    "infection": "Infection exposure (days relative to the record's day 0)",
    "febrile_episodes": "Febrile neutropenia episodes",
    "cml_milestones": "ELN 2020 milestones (Hochhaus 2020, Table 5)",
    "cml_measurements": "BCR::ABL1 measurements and molecular response",
    "aml_response": "AML response at each marrow assessment (ELN 2022)",
    "chimerism": "Donor chimerism (ASTCT 2021)",
    "events": "Treatments and procedures",
    "grades": "CTCAE grade of every observation",
}
_COLLAPSED = {"grades", "cml_measurements", "events"}


def _anchor(patient_id: str) -> str:
    return "pt-" + re.sub(r"[^A-Za-z0-9_-]", "_", patient_id)


def patient_html(a: PatientAssessment, *, png: bytes | None = None, dpi: int = 100) -> str:
    """The HTML section of one patient (headline, plot, tables)."""
    if png is None:
        png = figure_png(timeline_figure(a), dpi=dpi)
    img = base64.b64encode(png).decode("ascii")
    parts = [f'<section id="{_anchor(a.patient_id)}">',
             f"<h2>Patient {html.escape(a.patient_id)}</h2>",
             _kv_html(a.headline())]
    if a.notes:
        items = "".join(f"<li>{html.escape(n)}</li>" for n in a.notes)
        parts.append(f'<ul class="notes">{items}</ul>')
    parts.append(f'<img class="plot" alt="timeline of patient {html.escape(a.patient_id)}" '
                 f'src="data:image/png;base64,{img}">')
    tables = a.tables()
    for name in _SECTION_TITLES:
        if name not in tables:
            continue
        frame = tables[name]
        if name == "transplant" or name == "infection":
            frame = frame.T.reset_index().set_axis(["endpoint", "value"], axis=1)
            body = _kv_html([(str(k), _cell(v)) for k, v in frame.itertuples(index=False)])
        else:
            body = _table_html(frame)
        title = html.escape(_SECTION_TITLES[name])
        if name in _COLLAPSED:
            parts.append(f"<details><summary>{title} ({len(frame)} rows)</summary>{body}"
                         "</details>")
        else:
            parts.append(f"<h3>{title}</h3>{body}")
    parts.append("</section>")
    return "\n".join(parts)


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>\n"
            f"{body}\n</body></html>\n")


def write_report(
    assessments: Sequence[PatientAssessment],
    path: str | Path,
    *,
    source: str | None = None,
    read_report: ReadReport | None = None,
    cml_tables: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Write the HTML report of one or several patients to ``path``."""
    path = Path(path)
    n = len(assessments)
    dpi = 100 if n <= 5 else 80
    title = (f"hematwin assessment · patient {assessments[0].patient_id}" if n == 1
             else f"hematwin assessment · {n} patients")
    head = [f"<h1>{html.escape(title)}</h1>"]
    meta = [f"generated {dt.datetime.now().isoformat(timespec='seconds')}"]
    if source:
        meta.append(f"record {html.escape(source)}")
    if assessments:
        meta.append(f"CTCAE v{assessments[0].ctcae_version}")
    if read_report is not None:
        meta.append(f"rows read {read_report.rows_read} = accepted {read_report.rows_accepted}"
                    f" + rejected {read_report.rows_rejected}")
    head.append(f'<p class="meta">{" · ".join(meta)}</p>')
    if n > 1:
        links = "".join(f'<li><a href="#{_anchor(a.patient_id)}">{html.escape(a.patient_id)}'
                        "</a></li>" for a in assessments)
        head.append(f"<nav><h2>Patients</h2><ul>{links}</ul></nav>")
    if cml_tables is not None and not cml_tables[1].empty:
        _, miles, counts = cml_tables
        first = ["patient_id", "response_course", "verdict_3mo", "verdict_6mo", "verdict_12mo"]
        miles = miles[[c for c in first if c in miles] + [c for c in miles if c not in first]]
        miles = miles.rename(columns={"response_course": "molecular response [months on TKI]"})
        head.append("<h2>CML: molecular response and ELN 2020 milestones</h2>"
                    + _table_html(counts) + "<h3>Per patient</h3>" + _table_html(miles))
    if n > 1:
        head.append("<h2>Summary</h2>" + _table_html(summary_frame(assessments)))
    if read_report is not None and read_report.rows_rejected:
        head.append("<h2>Rejected rows</h2>" + _table_html(read_report.rejected))
    sections = []
    for i, a in enumerate(assessments):
        sections.append(patient_html(a, dpi=dpi))
        if progress is not None:
            progress(i + 1, n)
    path.write_text(_page(title, "\n".join(head + sections)), encoding="utf-8")
    return path


# --- the command as a function ----------------------------------------------------------


@dataclass(frozen=True)
class AssessRun:
    """What :func:`assess_record` read, found and wrote."""

    source: str
    format: str
    read_report: ReadReport
    assessments: list[PatientAssessment]
    summary: pd.DataFrame
    cml_over_time: pd.DataFrame
    cml_milestones: pd.DataFrame
    cml_counts: pd.DataFrame
    files: dict[str, Path] = field(default_factory=dict)


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text)


def assess_record(
    record: str | Path,
    *,
    out_dir: str | Path = "out",
    format: str = "auto",
    lenient: bool = False,
    ctcae_version: str = "5.0",
    dv_map: Mapping[int, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> AssessRun:
    """Read ``record``, assess every patient and write the report files into ``out_dir``."""
    record = Path(record)
    fmt = detect_format(record) if format == "auto" else format
    report = read_record(record, format=fmt, lenient=lenient, dv_map=dv_map)
    assessments = [assess(t, ctcae_version=ctcae_version) for t in report.timelines]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    if lenient:
        files["rejected rows"] = report.write_rejected(out / "rejected.csv")
    over_time, miles, counts = cml_cohort_tables(assessments)
    summary = summary_frame(assessments)
    if assessments:
        stem = _safe(record.stem)
        name = (f"{stem}_{_safe(assessments[0].patient_id)}.html" if len(assessments) == 1
                else f"{stem}_report.html")
        files["HTML report"] = write_report(
            assessments, out / name, source=str(record), read_report=report,
            cml_tables=(over_time, miles, counts) if not miles.empty else None,
            progress=progress,
        )
        files["assessments (JSON)"] = out / "assessment.json"
        files["assessments (JSON)"].write_text(
            json.dumps([a.to_dict() for a in assessments], indent=1, default=str),
            encoding="utf-8")
        files["summary table"] = out / "summary.csv"
        summary.to_csv(files["summary table"], index=False)
    if not miles.empty:
        files["CML response over time"] = out / "cml_response_over_time.csv"
        over_time.to_csv(files["CML response over time"], index=False)
        files["CML milestones"] = out / "cml_milestones.csv"
        miles.to_csv(files["CML milestones"], index=False)
        files["CML milestone counts"] = out / "cml_milestone_counts.csv"
        counts.to_csv(files["CML milestone counts"], index=False)
    return AssessRun(str(record), fmt, report, assessments, summary, over_time, miles, counts,
                     files)
