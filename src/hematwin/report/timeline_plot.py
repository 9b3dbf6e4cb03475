"""The timeline plot of one assessed patient: counts, grade bands, treatments and response.

Panels (only those with data), sharing the day axis:

* leukocytes (ANC, WBC, lymphocytes) and platelets on log axes in 10^9/L, each shaded with
  the CTCAE grade bands of its "decreased" term (ANC, platelets); hemoglobin (g/dL, linear)
  with the anemia bands; BCR::ABL1 IS % (log) with the molecular-response levels and the
  ELN 2020 milestone verdicts; donor chimerism % with the full-donor / graft-loss limits;
* a strip of treatments and procedures (chemotherapy, G-CSF, transfusions, HSCT, DLI);
* a response strip: molecular response class over time (CML), ELN 2022 AML response at each
  marrow assessment.

The transplant day and the engraftment days are vertical lines through every panel. All
cut-offs are read from the clinic modules (never restated here). Censored values are drawn
as open triangles pointing to where the true value lies ("<x" down, ">x" up).
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from hematwin.clinic import response_cml  # noqa: E402
from hematwin.clinic.assess import PatientAssessment  # noqa: E402
from hematwin.clinic.chimerism import FULL_DONOR_ABOVE_PCT, GRAFT_LOSS_BELOW_PCT  # noqa: E402
from hematwin.clinic.ctcae import criterion, decreased_term  # noqa: E402
from hematwin.clinic.engraftment import ANC_RECOVERY, PLATELET_RECOVERY  # noqa: E402

__all__ = ["timeline_figure", "figure_png"]

GRADE_COLORS = {1: "#fff3b0", 2: "#ffd98a", 3: "#fdae6b", 4: "#f4877a"}
SERIES_STYLE = {
    "anc": ("ANC", "#1f4e9c", "o"),
    "wbc": ("WBC", "#6a8fc7", "s"),
    "lymphocytes": ("lymphocytes", "#5aa6a6", "D"),
    "platelets": ("platelets", "#8e44ad", "o"),
    "hemoglobin": ("hemoglobin", "#b03a2e", "o"),
    "bcr_abl1_is_pct": ("BCR::ABL1 (IS)", "#1b7837", "o"),
}
VERDICT_COLORS = {"optimal": "#1a9850", "warning": "#f39c12", "failure": "#d73027",
                  "not assessable": "#999999"}
MR_COLORS = ["#d73027", "#fc8d59", "#fee08b", "#d9ef8b", "#91cf60", "#1a9850", "#006837"]
AML_COLORS = {"CR": "#1a9850", "CRh": "#66bd63", "CRi": "#a6d96a", "MLFS": "#d9ef8b",
              "PR": "#fee08b", "no response": "#fdae61", "refractory disease": "#d73027",
              "hematologic relapse": "#a50026", "MRD relapse": "#f46d43",
              "not evaluable": "#bbbbbb"}
EVENT_LANES = [("chemotherapy", "chemo / TKI", "#555555"), ("g_csf", "G-CSF", "#2c7fb8"),
               ("platelet_transfusion", "platelet tx", "#8e44ad"),
               ("red_cell_transfusion", "red cell tx", "#b03a2e"), ("hsct", "HSCT", "#000000"),
               ("dli", "DLI", "#e67e22")]


def _draw_series(ax: Axes, s: pd.DataFrame, analyte: str) -> None:
    label, color, marker = SERIES_STYLE[analyte]
    ax.plot(s["day"], s["value"], "-", color=color, lw=1.3, alpha=0.8, label=label,
            marker=marker, ms=3.5, zorder=3)
    for censor, m in (("<", "v"), (">", "^")):
        c = s[s["censor"] == censor]
        if not c.empty:
            ax.plot(c["day"], c["value"], linestyle="none", marker=m, ms=8, mfc="white",
                    mec=color, mew=1.5, zorder=4, label=f"{label} {censor} limit")


def _log_limits(values: Sequence[float], floor: float, ceiling: float) -> tuple[float, float]:
    v = np.asarray([x for x in values if x > 0 and math.isfinite(x)], float)
    lo = min(floor, v.min() / 2.0) if v.size else floor
    hi = max(ceiling, v.max() * 2.0) if v.size else ceiling
    return lo, hi


def _grade_bands(ax: Axes, analyte: str, version: str, lln: float | None,
                 log: bool = True) -> None:
    """Shade the grade bands of the analyte's 'decreased' term (cut-offs from ctcae)."""
    crit = criterion(decreased_term(analyte, version), version)  # type: ignore[arg-type]
    cuts = dict(crit.cutoffs)
    if 1 not in cuts and lln is not None and lln > cuts[2]:
        cuts[1] = lln
    lo, hi = ax.get_ylim()
    for g in sorted(cuts):
        top = cuts[g]
        bottom = cuts.get(g + 1, lo)
        if top <= lo or bottom >= hi:
            continue
        ax.axhspan(bottom, top, color=GRADE_COLORS[g], alpha=0.55, lw=0, zorder=0)
        b, t = max(bottom, lo), min(top, hi)
        if (math.log10(t / b) if log and b > 0 else (t - b) / (hi - lo) * 2.0) < 0.1:
            continue  # too thin to label without overlapping its neighbour
        mid = math.sqrt(b * t) if log and b > 0 else (b + t) / 2.0
        ax.text(1.0, mid, f" G{g}", transform=ax.get_yaxis_transform(), va="center",
                ha="left", fontsize=7, color="#7a4b00", clip_on=False)
    ax.set_ylim(lo, hi)


def _counts_panel(ax: Axes, a: PatientAssessment, analytes: list[str], band: str,
                  title: str) -> None:
    values: list[float] = []
    for analyte in analytes:
        s = a.series.get(analyte)
        if s is not None and not s.empty:
            _draw_series(ax, s, analyte)
            values.extend(s["value"])
    ax.set_yscale("log")
    floor, ceiling = (0.05, 20.0) if band == "anc" else (5.0, 500.0)
    ax.set_ylim(*_log_limits(values, floor, ceiling))
    s = a.series.get(band)
    lln = None
    if s is not None and not s.empty:
        given = s["lln"].dropna().unique()
        lln = float(given[0]) if len(given) == 1 else None
    _grade_bands(ax, band, a.ctcae_version, lln)
    threshold = ANC_RECOVERY if band == "anc" else PLATELET_RECOVERY
    if a.transplant is not None:
        ax.axhline(threshold, color="#2e7d32", lw=0.8, ls=":", zorder=1,
                   label=f"engraftment threshold {threshold:g}")
    ax.set_ylabel(f"{title}\n(10⁹/L, log)")


def _hb_panel(ax: Axes, a: PatientAssessment) -> None:
    s = a.series["hemoglobin"]
    _draw_series(ax, s, "hemoglobin")
    top = max(16.0, float(s["value"].max()) + 1.0)
    ax.set_ylim(max(0.0, min(4.0, float(s["value"].min()) - 1.0)), top)
    given = s["lln"].dropna().unique()
    _grade_bands(ax, "hemoglobin", a.ctcae_version,
                 float(given[0]) if len(given) == 1 else None, log=False)
    ax.set_ylabel("hemoglobin\n(g/dL)")


def _bcr_panel(ax: Axes, a: PatientAssessment) -> None:
    s = a.series["bcr_abl1_is_pct"]
    _draw_series(ax, s, "bcr_abl1_is_pct")
    ax.set_yscale("log")
    ax.set_ylim(*_log_limits(list(s["value"]), 0.001, 100.0))
    levels = [(response_cml.MR1_PCT, "10 %"), (response_cml.MR2_PCT, "1 %"),
              (response_cml.MMR_PCT, "MMR 0.1 %"), (response_cml.MR4_PCT, "MR4 0.01 %"),
              (response_cml.MR45_PCT, "MR4.5")]
    lo, hi = ax.get_ylim()
    for y, text in levels:
        if lo < y < hi:
            ax.axhline(y, color="#777777", lw=0.7, ls="--", zorder=1)
            ax.text(1.0, y, f" {text}", transform=ax.get_yaxis_transform(), va="center",
                    ha="left", fontsize=7, color="#555555", clip_on=False)
    c = a.cml
    assert c is not None
    for ms in c.milestones.itertuples():
        target = c.tki_start_day + ms.target_day
        ax.axvline(target, color="#bbbbbb", lw=0.6, zorder=0)
        ax.text(target, 0.02, f"{int(ms.milestone_month)} mo ", transform=ax.get_xaxis_transform(),
                ha="right", va="bottom", fontsize=7, color="#555555", clip_on=True)
        if ms.day is not None and not pd.isna(ms.day):
            ax.plot(c.tki_start_day + ms.day, ms.value_pct, marker="o", ms=11, mfc="none",
                    mec=VERDICT_COLORS[ms.verdict], mew=2.2, zorder=5)
    handles = [Line2D([], [], marker="o", ls="none", mfc="none", mec=col, mew=2, ms=8,
                      label=f"ELN 2020: {v}") for v, col in VERDICT_COLORS.items()
               if v in set(c.milestones["verdict"]) and v != "not assessable"]
    ax.set_ylabel("BCR::ABL1 IS\n(%, log)")
    h, lab = ax.get_legend_handles_labels()
    ax.legend(h + handles, lab + [x.get_label() for x in handles], loc="upper left",
              bbox_to_anchor=(1.075, 1.0), fontsize=7, frameon=False)


def _chimerism_panel(ax: Axes, a: PatientAssessment) -> None:
    ch = a.chimerism
    assert ch is not None
    for i, (lineage, g) in enumerate(ch.table.groupby("lineage", sort=True)):
        color = plt.get_cmap("tab10")(i)
        ax.plot(g["day"], g["donor_pct"], "-o", ms=4, color=color, label=str(lineage).upper())
        for censor, m in (("<", "v"), (">", "^")):
            c = g[g["censor"] == censor]
            if not c.empty:
                ax.plot(c["day"], c["donor_pct"], ls="none", marker=m, ms=8, mfc="white",
                        mec=color, mew=1.5)
    ax.axhline(FULL_DONOR_ABOVE_PCT, color="#1a9850", ls="--", lw=0.8)
    ax.axhline(GRAFT_LOSS_BELOW_PCT, color="#d73027", ls="--", lw=0.8)
    ax.text(1.0, FULL_DONOR_ABOVE_PCT, " full donor", transform=ax.get_yaxis_transform(),
            fontsize=7, va="center", clip_on=False)
    ax.text(1.0, GRAFT_LOSS_BELOW_PCT, " graft loss", transform=ax.get_yaxis_transform(),
            fontsize=7, va="center", clip_on=False)
    ax.set_ylim(-3, 103)
    ax.set_ylabel("donor chimerism\n(% donor cells)")


def _events_strip(ax: Axes, a: PatientAssessment, x_max: float) -> None:
    lanes = [lane for lane in EVENT_LANES if lane[0] in set(a.events["record_type"])]
    for i, (kind, _label, color) in enumerate(lanes):
        y = len(lanes) - 1 - i
        ev = a.events[a.events["record_type"] == kind]
        for e in ev.itertuples():
            if e.day is None or pd.isna(e.day):
                continue
            end = e.end_day if e.end_day is not None and not pd.isna(e.end_day) else None
            if end is not None and end > e.day:
                ax.broken_barh([(e.day, end - e.day)], (y - 0.3, 0.6), color=color, alpha=0.8)
            else:
                ax.plot(e.day, y, marker="|" if kind != "hsct" else "*", ms=12, mew=2,
                        color=color)
            if kind == "chemotherapy" and isinstance(e.drug, str):
                ax.text(e.day, y + 0.36, e.drug, fontsize=6.5, va="bottom", ha="left",
                        color=color, clip_on=True)
    ax.set_yticks(range(len(lanes)), [lane[1] for lane in reversed(lanes)], fontsize=7)
    ax.set_ylim(-0.7, len(lanes) - 0.1 + 0.4)
    ax.tick_params(axis="y", length=0)
    ax.set_ylabel("treatment", fontsize=8)


def _response_strip(ax: Axes, a: PatientAssessment, x_max: float) -> None:
    rows: list[str] = []
    handles: list[Patch] = []
    if a.cml is not None:
        m = a.cml.measurements
        y = len(rows)
        rows.append("molecular\nresponse")
        days = list(m["timeline_day"]) + [x_max]
        seen = {}
        for k in range(len(m)):
            depth = int(m["depth"].iloc[k])
            ax.broken_barh([(days[k], max(days[k + 1] - days[k], 0.0))], (y - 0.35, 0.7),
                           color=MR_COLORS[depth], lw=0)
            seen[depth] = m["response"].iloc[k]
        handles += [Patch(color=MR_COLORS[d], label=str(label))
                    for d, label in sorted(seen.items())]
    if a.aml is not None and not a.aml.table.empty:
        y = len(rows)
        rows.append("AML (ELN 2022)")
        for r in a.aml.table.itertuples():
            ax.plot(r.day, y, "s", ms=10, color=AML_COLORS.get(r.category, "#888888"))
            ax.text(r.day, y + 0.3, r.label, fontsize=7, ha="center", va="bottom")
    ax.set_yticks(range(len(rows)), rows, fontsize=7)
    ax.set_ylim(-0.6, len(rows) - 0.4 + 0.5)
    ax.tick_params(axis="y", length=0)
    if handles:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.075, 1.0), fontsize=7,
                  frameon=False, ncols=2, title="response class", title_fontsize=7)


def _vertical_markers(axes: list[Axes], a: PatientAssessment) -> list[Line2D]:
    t = a.transplant
    if t is None:
        return []
    marks = [(t.hsct_timeline_day, "#000000", "-", f"HSCT (day {t.hsct_timeline_day:g})")]
    if t.neutrophil_engraftment_day is not None:
        marks.append((t.hsct_timeline_day + t.neutrophil_engraftment_day, "#2e7d32", "--",
                      f"neutrophil engraftment (day +{t.neutrophil_engraftment_day:g})"))
    if t.platelet_engraftment_day is not None:
        marks.append((t.hsct_timeline_day + t.platelet_engraftment_day, "#8e44ad", "--",
                      f"platelet engraftment (day +{t.platelet_engraftment_day:g})"))
    handles = []
    for x, color, ls, label in marks:
        for ax in axes:
            ax.axvline(x, color=color, ls=ls, lw=1.2, zorder=2)
        handles.append(Line2D([], [], color=color, ls=ls, lw=1.2, label=label))
    return handles


# Fixed margins in inches (a fixed layout is twice as fast as constrained layout and, with
# legends in the right margin, cannot overlap): y labels left, legends and band labels right.
_LEFT, _RIGHT, _GAP, _BOTTOM, _BOTTOM_NO_LEGEND = 1.15, 2.6, 0.22, 0.85, 0.55
_TOP, _TOP_WITH_AXIS = 0.4, 0.95


def _axes_in_inches(heights: list[float], width: float, *, top_axis: bool,
                    bottom: float = _BOTTOM) -> tuple[list[Axes], Figure]:
    top = _TOP_WITH_AXIS if top_axis else _TOP
    total = top + sum(heights) + _GAP * (len(heights) - 1) + bottom
    fig = plt.figure(figsize=(width, total))
    axes: list[Axes] = []
    y = total - top
    for h in heights:
        y -= h
        rect = (_LEFT / width, y / total, (width - _LEFT - _RIGHT) / width, h / total)
        ax = fig.add_axes(rect, sharex=axes[0] if axes else None)
        axes.append(ax)
        y -= _GAP
    for ax in axes[:-1]:
        ax.tick_params(labelbottom=False)
    return axes, fig


def timeline_figure(a: PatientAssessment, *, width: float = 11.0) -> Figure:
    """The timeline plot of one assessed patient (see the module docstring)."""
    has = {k: (k in a.series and not a.series[k].empty) for k in SERIES_STYLE}
    panels: list[str] = []
    if has["bcr_abl1_is_pct"] and a.cml is not None:
        panels.append("bcr")
    if has["anc"] or has["wbc"] or has["lymphocytes"]:
        panels.append("leuko")
    if has["platelets"]:
        panels.append("platelets")
    if has["hemoglobin"]:
        panels.append("hb")
    if a.chimerism is not None:
        panels.append("chimerism")
    strips = []
    if not a.events.empty and a.events["day"].notna().any():
        strips.append("events")
    if a.cml is not None or (a.aml is not None and not a.aml.table.empty):
        strips.append("response")
    if not panels and not strips:
        fig = plt.figure(figsize=(width, 2.0))
        fig.text(0.5, 0.5, f"patient {a.patient_id}: nothing to plot", ha="center")
        return fig
    n_lanes = len(set(a.events["record_type"])) if "events" in strips else 0
    heights = [2.6] * len(panels)
    heights += [0.35 + 0.3 * max(n_lanes, 1) if s == "events" else 0.8 for s in strips]
    graded = any(p in panels for p in ("leuko", "platelets", "hb"))
    ax_list, fig = _axes_in_inches(heights, width, top_axis=bool(panels) and panels[0] == "bcr",
                                   bottom=_BOTTOM if graded else _BOTTOM_NO_LEGEND)
    days = [d for s in a.series.values() for d in s["day"]]
    days += [d for d in a.events["day"].dropna()] + [d for d in a.events["end_day"].dropna()]
    x_min, x_max = (min(days), max(days)) if days else (0.0, 1.0)
    pad = 0.03 * max(x_max - x_min, 1.0)
    for name, ax in zip(panels + strips, ax_list, strict=True):
        if name == "bcr":
            _bcr_panel(ax, a)
        elif name == "leuko":
            _counts_panel(ax, a, ["anc", "wbc", "lymphocytes"], "anc", "leukocytes")
        elif name == "platelets":
            _counts_panel(ax, a, ["platelets"], "platelets", "platelets")
        elif name == "hb":
            _hb_panel(ax, a)
        elif name == "chimerism":
            _chimerism_panel(ax, a)
        elif name == "events":
            _events_strip(ax, a, x_max + pad)
        elif name == "response":
            _response_strip(ax, a, x_max + pad)
        if name not in ("events", "response", "bcr"):
            ax.legend(loc="upper left", bbox_to_anchor=(1.075, 1.0), fontsize=7, frameon=False)
        ax.grid(axis="x", color="#eeeeee", lw=0.6)
    markers = _vertical_markers(ax_list, a)
    if markers:
        ax_list[0].legend(handles=ax_list[0].get_legend_handles_labels()[0] + markers,
                          loc="upper left", bbox_to_anchor=(1.075, 1.0), fontsize=7,
                          frameon=False)
    ax_list[0].set_xlim(x_min - pad, x_max + pad)
    ref = a.reference_event or "day 0 of the record"
    ax_list[-1].set_xlabel(f"day (relative to {ref})")
    if panels and panels[0] == "bcr" and a.cml is not None:
        start = a.cml.tki_start_day
        dpm = response_cml.DAYS_PER_MONTH
        top = ax_list[0].secondary_xaxis(
            "top", functions=(lambda d: (d - start) / dpm, lambda m: m * dpm + start))
        top.set_xlabel("months on TKI", fontsize=8)
        top.tick_params(labelsize=7, pad=10)
    if graded:
        handles = [Patch(color=GRADE_COLORS[g], alpha=0.55, label=f"CTCAE v{a.ctcae_version} "
                         f"grade {g}") for g in (1, 2, 3, 4)]
        fig.legend(handles=handles, loc="lower center", ncols=4, fontsize=7, frameon=False,
                   bbox_to_anchor=(0.5, 0.0))
    fig.text(0.01, 1.0 - 0.1 / fig.get_figheight(), f"patient {a.patient_id}", fontsize=11,
             va="top", ha="left")
    return fig


def figure_png(fig: Figure, *, dpi: int = 110) -> bytes:
    """The figure as PNG bytes (the figure is closed)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    plt.close(fig)
    return buf.getvalue()
