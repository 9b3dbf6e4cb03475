"""Rich tables for the terminal: cohort summaries and solver failures."""

from __future__ import annotations

import pandas as pd
from rich import box
from rich.table import Table

from hematwin.report.plots import pretty_unit
from hematwin.report.summaries import OVERALL

__all__ = ["failure_table", "summary_table"]


def _header(metric: str, unit: str) -> str:
    if metric == "nadir":
        return f"Nadir\n{unit}"
    if metric == "time_to_nadir":
        return "Time to nadir\ndays after dose"
    if metric.startswith("days_below_"):
        return f"Days < {metric.removeprefix('days_below_')}\n{unit}"
    return metric


def _cell(median: float, lower: float, upper: float, digits: int) -> str:
    if pd.isna(median):
        return "–"
    return f"{median:.{digits}f} ({lower:.{digits}f}–{upper:.{digits}f})"


def summary_table(summary: pd.DataFrame, *, unit: str = "1e9/L", title: str = "") -> Table:
    """One row per cycle (and overall), one column per metric: "median (lower–upper)".

    ``summary`` is the table of :func:`hematwin.report.summaries.summarize_metrics`.
    """
    interval = summary.attrs.get("interval", 0.90)
    lo, hi = 100 * (1 - interval) / 2, 100 * (1 + interval) / 2
    n = summary[("n", "")].max() if len(summary) else 0
    table = Table(
        title=title or None,
        caption=f"median ({lo:g}th–{hi:g}th percentile) across {int(n)} patients",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    metrics = list(dict.fromkeys(m for m, _ in summary.columns if m != "n"))
    table.add_column("Cycle", justify="left")
    for m in metrics:
        table.add_column(_header(m, pretty_unit(unit)), justify="right", no_wrap=True)
    for cycle, row in summary.iterrows():
        label = "Overall" if cycle == OVERALL else str(cycle)
        cells = [_cell(row[(m, "median")], row[(m, "lower")], row[(m, "upper")],
                       2 if m == "nadir" else 1) for m in metrics]
        table.add_row(label, *cells, end_section=cycle != OVERALL and _is_last(summary, cycle))
    return table


def _is_last(summary: pd.DataFrame, cycle: object) -> bool:
    """True for the last cycle row before the overall row (a rule separates them)."""
    labels = list(summary.index)
    i = labels.index(cycle)
    return i + 1 < len(labels) and labels[i + 1] == OVERALL


def failure_table(failures: pd.DataFrame) -> Table:
    """Number of failed patients per solver reason, with a few example ids."""
    table = Table(title="Failed patients", box=box.SIMPLE_HEAD)
    table.add_column("Reason")
    table.add_column("Patients", justify="right")
    table.add_column("Example ids")
    for reason, group in failures.groupby("reason", sort=True):
        ids = ", ".join(str(i) for i in group["id"].head(5))
        table.add_row(str(reason), str(len(group)), ids + (", …" if len(group) > 5 else ""))
    return table
