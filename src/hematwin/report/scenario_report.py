"""``hematwin run`` / ``hematwin compare``: the report of what the twin predicts for a scenario.

:func:`run_scenario_file` is the whole ``run`` command as a function: load the scenario, run
it (:func:`hematwin.scenario.runner.run_scenario`) and write into ``out_dir`` a
self-contained HTML report (inline CSS, plots as embedded PNGs: it works offline) or a JSON
summary. The report shows the counts over time on log axes with the CTCAE grade bands
(cut-offs from :mod:`hematwin.clinic.ctcae`) and the treatment timeline; marrow blasts as
the MRD surrogate (AML) or BCR::ABL1 (CML); donor chimerism by lineage; T-cell subsets; the
endpoint table; for several virtual patients, medians with 90 % bands and the endpoint
distributions. :func:`compare_scenario_files` overlays several plans for the same patient.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.transforms import ScaledTranslation  # noqa: E402

from hematwin.clinic import response_cml  # noqa: E402
from hematwin.clinic.chimerism import FULL_DONOR_ABOVE_PCT, GRAFT_LOSS_BELOW_PCT  # noqa: E402
from hematwin.clinic.response_aml import MFC_MRD_THRESHOLD_PCT  # noqa: E402
from hematwin.report.assess_report import _kv_html, _page, _table_html  # noqa: E402
from hematwin.report.timeline_plot import (  # noqa: E402
    AML_COLORS,
    GRADE_COLORS,
    VERDICT_COLORS,
    _axes_in_inches,
    _grade_bands,
    figure_png,
)
from hematwin.scenario.runner import INTERVAL, ScenarioResult, endpoint_unit  # noqa: E402

__all__ = ["ScenarioRun", "compare_scenario_files", "run_scenario_file", "scenario_figure",
           "write_compare_files", "write_compare_report", "write_run_files",
           "write_scenario_report"]

NOT_REACHED = "not reached"
CATEGORY_COLORS = {"chemotherapy": "#555555", "conditioning": "#c0392b", "transplant": "#000000",
                   "dli": "#e67e22", "g_csf": "#2c7fb8", "tki": "#1b7837",
                   "transfusion": "#8e44ad", "sampling": "#b03a2e"}
LANE_NAMES = {"chemotherapy": "chemotherapy", "conditioning": "conditioning",
              "transplant": "graft", "dli": "DLI", "g_csf": "G-CSF", "tki": "TKI",
              "transfusion": "transfusion", "sampling": "blood sampling"}
LINE_COLORS = {"anc": "#1f4e9c", "wbc": "#6a8fc7", "lymphocytes": "#5aa6a6",
               "platelets": "#8e44ad", "hb": "#b03a2e", "cd4": "#1b9e77", "cd8": "#d95f02",
               "nk": "#7570b3", "b_cells": "#e7298a",
               "marrow_blasts_pct": "#a50026", "blasts_blood": "#f46d43",
               "bcr_abl_pct": "#1b7837", "mutant_vaf_pct": "#6a3d9a"}
LABELS = {"anc": "ANC", "wbc": "WBC", "lymphocytes": "lymphocytes", "platelets": "platelets",
          "hb": "hemoglobin", "cd4": "CD4 T", "cd8": "CD8 T", "nk": "NK", "b_cells": "B cells",
          "marrow_blasts_pct": "marrow blasts (MRD surrogate)",
          "blasts_blood": "blood blasts", "bcr_abl_pct": "BCR::ABL1",
          "mutant_vaf_pct": "CHIP VAF"}
MOLECULAR_LEVELS = (
    (response_cml.MR1_PCT, "10 % (MR1)", (0, (1, 2)), "#999999"),
    (response_cml.MR2_PCT, "1 % (MR2)", (0, (1, 2)), "#777777"),
    (response_cml.MMR_PCT, "MMR 0.1 %", "--", "#1b7837"),
    (response_cml.MR4_PCT, "MR4 0.01 %", "-.", "#555555"),
    (response_cml.MR45_PCT, "MR4.5 0.0032 %", (0, (4, 1, 1, 1, 1, 1)), "#333333"),
)
"""BCR::ABL1 IS levels drawn on the CML panel (values from hematwin.clinic.response_cml)."""
ELN_MONTHS = (3, 6, 12)
_FLOOR = {"anc": 0.01, "wbc": 0.01, "lymphocytes": 0.01, "platelets": 1.0, "cd4": 0.001,
          "cd8": 0.001, "nk": 0.001, "b_cells": 0.001, "marrow_blasts_pct": 1e-4,
          "bcr_abl_pct": 1e-4, "blasts_blood": 1e-4}


def _line(ax: Axes, r: ScenarioResult, name: str, *, color: str | None = None,
          label: str | None = None, floor: float | None = None, ls: Any = "-") -> None:
    color = color or LINE_COLORS.get(name, "#333333")
    label = label or LABELS.get(name, name)
    t = r.times
    if r.n == 1:
        y = r.values[name][0]
        ax.plot(t, y if floor is None else np.maximum(y, floor), color=color, lw=1.5,
                label=label, ls=ls)
        return
    b = r.band(name)
    lo, hi, med = b["lower"], b["upper"], b["median"]
    if floor is not None:
        lo, hi, med = (np.maximum(x, floor) for x in (lo, hi, med))
    ax.fill_between(t, lo, hi, color=color, alpha=0.2, lw=0)
    ax.plot(t, med, color=color, lw=1.5, label=f"{label} (median)", ls=ls)


def _log_panel(ax: Axes, r: ScenarioResult, names: Sequence[str], floor: float,
               ceiling: float) -> None:
    top = 0.0
    for name in names:
        _line(ax, r, name, floor=floor)
        v = r.values[name][r.ok] if r.n == 1 else r.band(name)["upper"]
        if np.isfinite(v).any():
            top = max(top, float(np.nanmax(v)))
    ax.set_yscale("log")
    # the ceiling rises to the next power of ten above the data (CML leukocytosis)
    ax.set_ylim(floor, max(ceiling, 10.0 ** np.ceil(np.log10(top))) if top > 0 else ceiling)


def _has_transplant(r: ScenarioResult) -> bool:
    return r.scenario.transplant_day is not None


CHIMERISM_LINEAGES = {"myeloid": ("myeloid", "#1f4e9c"), "t": ("T cells (CD3)", "#1b9e77"),
                      "b": ("B cells (CD19)", "#e7298a"), "nk": ("NK cells (CD56)", "#7570b3"),
                      "wb": ("whole blood", "#999999")}
"""Lineages of the chimerism panel: label and colour (output ``<kind>_<lineage>_pct``)."""
GRAFT_KIND_WORDS = {"donor": "donor", "autograft": "graft-derived"}
GRAFT_KIND_STYLES = {"donor": "-", "autograft": (0, (5, 2))}


def _chimerism_panel(ax: Axes, r: ScenarioResult) -> None:
    """Donor chimerism by lineage after an allograft (or donor lymphocytes), the share of
    graft-derived cells after an autologous, gene-corrected or iPSC graft; both, told apart
    by the line style, for a patient who has both."""
    kinds = r.scenario.graft_chimerism
    for kind in kinds:
        for lineage, (label, color) in CHIMERISM_LINEAGES.items():
            name = f"{kind}_{lineage}_pct"
            _line(ax, r, name, color=color, ls=GRAFT_KIND_STYLES[kind],
                  label=f"{GRAFT_KIND_WORDS[kind]}: {label}" if len(kinds) > 1 else label)
    ax.set_ylim(-3, 103)
    if "donor" in kinds:
        ax.axhline(FULL_DONOR_ABOVE_PCT, color="#1a9850", ls="--", lw=0.8,
                   label=f"full donor > {FULL_DONOR_ABOVE_PCT:g} %")
        ax.axhline(GRAFT_LOSS_BELOW_PCT, color="#d73027", ls="--", lw=0.8,
                   label=f"graft loss < {GRAFT_LOSS_BELOW_PCT:g} %")
    ax.set_ylabel({("donor",): "donor chimerism\n(% donor cells)",
                   ("autograft",): "graft-derived cells\n(% of cells)"}.get(
                       kinds, "donor and graft-derived\ncells (% of cells)"))


def _year_ticks(ax: Axes, start: float, end: float) -> None:
    """Long horizons: a tick every year, labelled with the day and the year."""
    if end - start <= 3 * 365.25:
        return
    years = np.arange(np.ceil(start / 365.25), np.floor(end / 365.25) + 1)
    ax.set_xticks(years * 365.25, [f"{y * 365.25:.0f} ({y:g} y)" if y else "0"
                                   for y in years])


def _disease(r: ScenarioResult) -> str | None:
    d = r.scenario.patient.disease
    return d if d in ("aml", "cml") else None


def _treatment_strip(ax: Axes, r: ScenarioResult) -> None:
    spans = r.treatments
    lanes = list(dict.fromkeys(spans["category"])) if not spans.empty else []
    tx_days = sorted({d for t in r.transfusions[:1] for k in t for d in t[k]})
    if tx_days and "transfusion" not in lanes:
        lanes.append("transfusion")
    renderer = ax.figure.canvas.get_renderer()
    # a one-day dose is a bar at least 0.4 % of the time axis wide, so it stays visible
    width = max(0.8, 0.004 * float(r.times[-1] - r.times[0]))
    # labels start 2 pt right of their first dose, clear of the axis line on day 0
    shifted = ax.transData + ScaledTranslation(2 / 72, 0, ax.figure.dpi_scale_trans)
    for i, lane in enumerate(lanes):
        y = len(lanes) - 1 - i
        color = CATEGORY_COLORS.get(lane, "#444444")
        # labels above the bars; one that would overlap the previous goes below them
        right = {"above": -np.inf, "below": -np.inf}
        for k in np.flatnonzero((spans["category"] == lane).to_numpy()):
            s = spans.iloc[k]
            doses = r.scenario.treatment[k].regimen(r.scenario.patient).dose_times()
            ax.plot([s.first_day, s.last_day], [y, y], color=color, lw=0.8, alpha=0.6)
            for d in sorted(set(doses)) or [s.first_day]:
                ax.broken_barh([(d, width)], (y - 0.2, 0.4), color=color)
            text = ax.text(s.first_day, y + 0.27, s.label, fontsize=7, va="bottom",
                           ha="left", color=color, clip_on=True, transform=shifted)
            box = text.get_window_extent(renderer)
            where = "above"
            if box.x0 < right["above"] + 3:
                where = "below"
                text.set_y(y - 0.27)
                text.set_va("top")
                box = text.get_window_extent(renderer)
            right[where] = box.x1
        if lane == "transfusion" and tx_days:
            ax.plot(tx_days, [y] * len(tx_days), "|", ms=9, mew=1.5, color=color)
    ax.set_yticks(range(len(lanes)), [LANE_NAMES.get(x, x) for x in reversed(lanes)],
                  fontsize=7)
    ax.set_ylim(-0.7, max(len(lanes), 1) - 0.1 + 0.4)
    ax.tick_params(axis="y", length=0)
    ax.set_ylabel("treatment", fontsize=8)


def _tki_start(r: ScenarioResult) -> float | None:
    days = [t.day for t in r.scenario.treatment if t.type == "imatinib"]
    return min(days) if days else None


def _cml_panel(ax: Axes, r: ScenarioResult) -> None:
    """BCR::ABL1 (log) with the molecular-response levels and the ELN 2020 milestones."""
    _log_panel(ax, r, ["bcr_abl_pct"], 1e-4, 100.0)
    for level, text, style, color in MOLECULAR_LEVELS:
        ax.axhline(level, color=color, ls=style, lw=0.9, label=text)
    start = _tki_start(r)
    if start is None:
        return
    verdicts: set[str] = set()
    for month in ELN_MONTHS:
        day = start + month * response_cml.DAYS_PER_MONTH
        if day > r.times[-1]:
            continue
        ax.axvline(day, color="#bbbbbb", lw=0.6, zorder=0)
        ax.text(day, 0.03, f"{month} mo ", transform=ax.get_xaxis_transform(), rotation=90,
                ha="right", va="bottom", fontsize=6.5, color="#555555")
        if r.n == 1:
            verdict = r.endpoints[f"eln2020_{month}mo"].iloc[0]
            value = float(r.endpoints[f"bcr_abl_pct_{month}mo"].iloc[0])
            if isinstance(verdict, str) and np.isfinite(value):
                ax.plot(day, max(value, 1e-4), "o", ms=10, mfc="none",
                        mec=VERDICT_COLORS[verdict], mew=2.0, zorder=5)
                verdicts.add(verdict)
    for verdict, color in VERDICT_COLORS.items():
        if verdict in verdicts:
            ax.plot([], [], "o", ms=7, mfc="none", mec=color, mew=2.0,
                    label=f"ELN 2020 milestone: {verdict}")


def _median_endpoint(r: ScenarioResult, name: str) -> float | None:
    if name not in r.endpoints:
        return None
    v = r.endpoints[name].to_numpy(float)
    v = v[np.isfinite(v)]
    return float(np.median(v)) if v.size else None


def _engraftment_line(ax: Axes, r: ScenarioResult, name: str, color: str, what: str) -> None:
    tx = r.scenario.transplant_day
    day = _median_endpoint(r, name)
    if tx is None or day is None:
        return
    median = "" if r.n == 1 else "median "
    ax.axvline(tx + day, color=color, ls="--", lw=1.1, zorder=2,
               label=f"{what} engraftment ({median}day +{day:g})")


def _aml_responses(ax: Axes, r: ScenarioResult) -> None:
    """The ELN 2022 response category at each marrow assessment (one patient)."""
    if r.n != 1 or r.aml_responses.empty:
        return
    seen: dict[str, str] = {}
    for row in r.aml_responses.itertuples():
        color = AML_COLORS.get(row.category, "#888888")
        ax.plot(row.day, min(max(row.marrow_blasts_pct, 2e-4), 60.0), "s", ms=7, color=color,
                mec="#333333", mew=0.5, zorder=5)
        seen.setdefault(row.category, color)
    for category, color in seen.items():
        ax.plot([], [], "s", ms=6, color=color, mec="#333333", mew=0.5,
                label=f"assessment: {category}")


def scenario_figure(r: ScenarioResult, *, width: float = 11.0) -> Figure:
    """Counts, disease, chimerism, T cells and the treatment timeline of one scenario."""
    disease = _disease(r)
    # CML: the molecular response is the report's subject; AML blasts follow the counts
    panels = (["cml"] if disease == "cml" else []) + ["leuko", "platelets", "hb"]
    if disease == "aml":
        panels.append("aml")
    if _has_transplant(r):
        panels.append("chimerism")
    panels.append("tcells")
    if (r.scenario.patient.modifiers.chip_fraction or 0) > 0:
        panels.append("chip")
    strip = not r.treatments.empty
    n_lanes = r.treatments["category"].nunique() if strip else 0
    heights = [2.3] * len(panels) + ([0.35 + 0.5 * max(n_lanes, 1)] if strip else [])
    axes, fig = _axes_in_inches(heights, width, top_axis=False)
    for name, ax in zip(panels, axes, strict=False):
        if name == "leuko":
            _log_panel(ax, r, ["anc", "wbc", "lymphocytes"], 0.01, 50.0)
            _grade_bands(ax, "anc", "5.0", None)
            _engraftment_line(ax, r, "neutrophil_engraftment_day", "#2e7d32", "neutrophil")
            ax.set_ylabel("leukocytes\n(×10⁹/L, log)")
        elif name == "platelets":
            _log_panel(ax, r, ["platelets"], 1.0, 1000.0)
            _grade_bands(ax, "platelets", "5.0", None)
            _engraftment_line(ax, r, "platelet_engraftment_day", "#8e44ad", "platelet")
            ax.set_ylabel("platelets\n(×10⁹/L, log)")
        elif name == "hb":
            _line(ax, r, "hb")
            ax.set_ylim(3.0, 18.0)
            _grade_bands(ax, "hemoglobin", "5.0", None, log=False)
            ax.set_ylabel("hemoglobin\n(g/dL)")
        elif name == "aml":
            _log_panel(ax, r, ["marrow_blasts_pct"], 1e-4, 100.0)
            ax.axhline(5.0, color="#a50026", ls="--", lw=0.8, label="5 % (CR / relapse)")
            ax.axhline(MFC_MRD_THRESHOLD_PCT, color="#555555", ls=":", lw=0.8,
                       label=f"MRD threshold {MFC_MRD_THRESHOLD_PCT:g} %")
            _aml_responses(ax, r)
            ax.set_ylabel("marrow blasts\n(%, log)")
        elif name == "cml":
            _cml_panel(ax, r)
            ax.set_ylabel("BCR::ABL1 IS\n(%, log)")
        elif name == "chimerism":
            _chimerism_panel(ax, r)
        elif name == "tcells":
            _log_panel(ax, r, ["cd4", "cd8", "nk", "b_cells"], 0.001, 5.0)
            ax.axhline(0.2, color="#555555", ls=":", lw=0.8, label="CD4 0.2 ×10⁹/L")
            ax.set_ylabel("lymphocyte subsets\n(×10⁹/L, log)")
        elif name == "chip":
            _line(ax, r, "mutant_vaf_pct")
            ax.axhline(2.0, color="#555555", ls=":", lw=0.8, label="CHIP VAF 2 %")
            ax.set_ylabel("CHIP clone\n(VAF %)")
        ax.legend(loc="upper left", bbox_to_anchor=(1.075, 1.0), fontsize=7, frameon=False)
        ax.grid(axis="x", color="#eeeeee", lw=0.6)
    if strip:
        _treatment_strip(axes[-1], r)
    tx = r.scenario.transplant_day
    for ax in axes:
        if tx is not None:
            ax.axvline(tx, color="#000000", lw=1.0, zorder=2)
        ax.set_xlim(r.times[0], r.times[-1])
    _year_ticks(axes[-1], float(r.times[0]), float(r.times[-1]))
    axes[-1].set_xlabel("day" + (f" (transplant on day {tx:g})" if tx is not None else ""))
    handles = [Patch(color=GRADE_COLORS[g], alpha=0.55, label=f"CTCAE v5.0 grade {g}")
               for g in (1, 2, 3, 4)]
    if r.n > 1:
        lo, hi = INTERVAL
        handles.append(Patch(color="#888888", alpha=0.3,
                             label=f"{hi - lo:g} % interval of {r.n} virtual patients"))
    fig.legend(handles=handles, loc="lower center", ncols=len(handles), fontsize=7,
               frameon=False, bbox_to_anchor=(0.5, 0.0))
    fig.text(0.01, 1.0 - 0.1 / fig.get_figheight(), r.scenario.name, fontsize=11, va="top")
    return fig


_NOT_HISTOGRAMMED = ("_worst_grade", "_nadir_day", "aml_in_remission")
_HISTOGRAM_FIRST = ["anc_nadir", "days_anc_below_0.5", "neutrophil_engraftment_day",
                    "platelet_engraftment_day", "platelets_nadir", "relapse_day",
                    "bcr_abl_pct_12mo", "mmr_day", "p_infection_end", "p_gvhd_end",
                    "survival_end", "d_index"]


def distribution_figure(r: ScenarioResult, *, max_panels: int = 8) -> Figure | None:
    """Histograms of the numeric endpoints that vary across virtual patients."""
    names = []
    for name in r.endpoints.columns:
        if (name == "id" or not pd.api.types.is_numeric_dtype(r.endpoints[name])
                or name.endswith(_NOT_HISTOGRAMMED)):
            continue
        v = r.endpoints[name].to_numpy(float)
        v = v[np.isfinite(v)]
        if v.size > 1 and np.ptp(v) > 1e-9 * max(1.0, abs(v).max()):
            names.append(name)
    # the clinically central endpoints first, then the table's order
    names.sort(key=lambda x: (_HISTOGRAM_FIRST.index(x) if x in _HISTOGRAM_FIRST
                              else len(_HISTOGRAM_FIRST)))
    names = names[:max_panels]
    if not names:
        return None
    cols = 4
    rows = (len(names) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(11, 2.4 * rows + 0.3), squeeze=False,
                             layout="constrained")
    for ax, name in zip(axes.flat, names, strict=False):
        v = r.endpoints[name].to_numpy(float)
        good = v[np.isfinite(v)]
        ax.hist(good, bins=20, color="#6a8fc7", edgecolor="white")
        ax.axvline(np.median(good), color="#1f4e9c", lw=1.2)
        unit = endpoint_unit(name)
        ax.set_xlabel(f"{name} ({unit})" if unit else name, fontsize=8)
        ax.set_ylabel("patients", fontsize=8)
        ax.tick_params(labelsize=7)
        missing = v.size - good.size
        if missing:
            ax.set_title(f"{missing} of {v.size} not reached", fontsize=7)
    for ax in list(axes.flat)[len(names):]:
        ax.set_visible(False)
    return fig


# --- HTML ---------------------------------------------------------------------------------


def _img(fig: Figure, alt: str, dpi: int = 100) -> str:
    data = base64.b64encode(figure_png(fig, dpi=dpi)).decode("ascii")
    return f'<img class="plot" alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def _patient_pairs(r: ScenarioResult) -> list[tuple[str, str]]:
    p = r.scenario.patient
    pairs = [("patient", f"{p.age:g} years, {p.sex}, {p.weight:g} kg, {p.height:g} cm "
                         f"(BSA {p.body.bsa:.2f} m²)"),
             ("disease", p.disease + (f", risk {p.risk}" if p.risk else "")
              + (f", marrow blasts {p.marrow_blasts_pct:g} %" if p.marrow_blasts_pct else ""))]
    mods = p.modifiers.model_dump(exclude_none=True)
    if mods:
        pairs.append(("modifiers", ", ".join(f"{k} {v:g}" for k, v in mods.items())))
    if p.parameters:
        pairs.append(("parameters", ", ".join(f"{k} = {v:g}" for k, v in p.parameters.items())))
    s = r.scenario
    pairs.append(("simulated", f"day {s.start:g} to day {s.horizon:g}"))
    v = s.variability
    pairs.append(("patients", "1 (typical parameters)" if v.n == 1 else
                  f"{v.n} virtual patients (seed {v.seed}, ω "
                  f"{'default' if v.omega == 'default' else v.omega})"))
    return pairs


_COUNT_WORDS = {"anc": "ANC", "platelets": "platelet count", "wbc": "WBC",
                "lymphocytes": "lymphocyte count", "hb": "hemoglobin"}
_FIXED_MEANINGS = {
    "days_anc_below_0.5": "days with ANC < 0.5 ×10⁹/L (severe neutropenia)",
    "d_index": "D-index (Portugal 2009): area between ANC 0.5 ×10⁹/L and the ANC curve "
               "while below it",
    "neutrophil_engraftment_day": "first of 3 days with ANC ≥ 0.5 ×10⁹/L (ASTCT 2021), "
                                  "days after the graft",
    "platelet_engraftment_day": "first of 3 days with platelets ≥ 20 ×10⁹/L, untransfused "
                                "for 7 days (ASTCT 2021), days after the graft",
    "platelet_50_day": "as platelet engraftment, with 50 ×10⁹/L",
    "chimerism_end": "chimerism category at the horizon",
    "aml_best_response": "best AML response (ELN 2022) at the marrow assessments",
    "aml_in_remission": "reached CR, CRh or CRi at an assessment (1 yes, 0 no)",
    "first_remission_day": "day of the first assessment in remission",
    "relapse_day": "first day with marrow blasts ≥ 5 % after the first remission",
    "relapse_at_assessment_day": "first marrow assessment showing hematologic relapse",
    "mrd_relapse_day": "first assessment with MRD relapse (MRD surrogate above threshold)",
    "mmr_day": "first day with BCR::ABL1 ≤ 0.1 % (MMR)",
    "bcr_abl_pct_end": "BCR::ABL1 IS at the horizon",
    "molecular_response_end": "molecular response class at the horizon",
    "mutant_vaf_pct_end": "variant allele fraction of the CHIP clone at the horizon",
    "platelet_transfusions": "platelet transfusions given (count-triggered)",
    "red_cell_transfusions": "red cell transfusions given (count-triggered)",
    "p_infection_end": "twin's probability of at least one infection by the horizon",
    "p_bleeding_end": "twin's probability of a major bleed by the horizon",
    "p_gvhd_end": "twin's probability of clinically significant GVHD by the horizon",
    "p_sos_end": "twin's probability of hepatic sinusoidal obstruction syndrome (VOD) by the "
                 "horizon",
    "nrm_end": "twin's non-relapse mortality by the horizon (infection, GVHD, bleeding, SOS)",
    "survival_end": "twin's probability of being alive at the horizon",
}


def endpoint_meaning(name: str) -> str:
    """One line saying what an endpoint column measures (shown next to it in the report)."""
    if name in _FIXED_MEANINGS:
        return _FIXED_MEANINGS[name]
    count, _, rest = name.partition("_")
    if name.startswith("lymphocytes_"):
        count, rest = "lymphocytes", name[len("lymphocytes_"):]
    word = _COUNT_WORDS.get(count)
    if word is not None:
        meanings = {"nadir": f"lowest {word}", "nadir_day": f"day of the lowest {word}",
                    "worst_grade": f"worst CTCAE v5.0 grade of {word} decreased",
                    "days_grade4": f"days with {word} in CTCAE grade 4"}
        if rest in meanings:
            return meanings[rest]
    for prefix, what in (("donor_myeloid_pct_d", "donor share of myeloid cells"),
                         ("donor_t_pct_d", "donor share of T cells"),
                         ("autograft_myeloid_pct_d", "graft-derived share of myeloid cells"),
                         ("autograft_t_pct_d", "graft-derived share of T cells"),
                         ("cd4_d", "CD4 T-cell count")):
        if name.startswith(prefix):
            return f"{what} on day +{name[len(prefix):]} after the graft"
    for month in ELN_MONTHS:
        if name == f"bcr_abl_pct_{month}mo":
            return f"BCR::ABL1 IS {month} months after the start of the TKI"
        if name == f"eln2020_{month}mo":
            return f"ELN 2020 milestone verdict at {month} months"
    return ""


def endpoint_table(r: ScenarioResult) -> pd.DataFrame:
    """The endpoint table as shown in the report (one value, or median [5th-95th]) with
    what each endpoint means; an endpoint without a value (not engrafted, no relapse) reads
    "not reached"."""
    frame = r.summary.copy()
    col = "value" if r.n == 1 else "median"
    frame[col] = [NOT_REACHED if v is None or (isinstance(v, float) and np.isnan(v)) else v
                  for v in frame[col]]
    frame["meaning"] = [endpoint_meaning(name) for name in frame["endpoint"]]
    return frame


def eln_milestone_table(r: ScenarioResult) -> pd.DataFrame:
    """ELN 2020 milestones of a CML scenario: BCR::ABL1 at 3, 6 and 12 months on the TKI
    and the verdict (one patient), or the share of each verdict (several)."""
    start = _tki_start(r)
    if start is None or "eln2020_3mo" not in r.endpoints:
        return pd.DataFrame()
    rows = []
    for month in ELN_MONTHS:
        bcr = r.endpoints[f"bcr_abl_pct_{month}mo"].to_numpy(float)
        verdicts = r.endpoints[f"eln2020_{month}mo"].dropna().astype(str)
        row: dict[str, Any] = {"month": month,
                               "day": round(start + month * response_cml.DAYS_PER_MONTH, 1)}
        if r.n == 1:
            row["BCR::ABL1 IS (%)"] = bcr[0]
            row["verdict"] = verdicts.iloc[0] if len(verdicts) else "not assessable"
        else:
            good = bcr[np.isfinite(bcr)]
            row["BCR::ABL1 IS (%), median [5th-95th]"] = (
                f"{np.median(good):.3g} [{np.percentile(good, INTERVAL[0]):.3g}-"
                f"{np.percentile(good, INTERVAL[1]):.3g}]" if good.size else "")
            for verdict in ("optimal", "warning", "failure"):
                row[f"{verdict} (share)"] = round(float((verdicts == verdict).sum()) / r.n, 3)
        rows.append(row)
    return pd.DataFrame(rows)


def write_scenario_report(r: ScenarioResult, path: str | Path, *, source: str | None = None
                          ) -> Path:
    """The self-contained HTML report of one scenario run."""
    path = Path(path)
    s = r.scenario
    title = f"hematwin scenario · {s.name}"
    meta = [f"generated {dt.datetime.now().isoformat(timespec='seconds')}"]
    if source:
        meta.append(f"scenario file {html.escape(source)}")
    parts = [f"<h1>{html.escape(title)}</h1>", f'<p class="meta">{" · ".join(meta)}</p>']
    if s.description:
        parts.append(f"<p>{html.escape(s.description)}</p>")
    parts.append(_kv_html(_patient_pairs(r)))
    if r.notes:
        parts.append('<ul class="notes">' + "".join(f"<li>{html.escape(n)}</li>"
                                                    for n in r.notes) + "</ul>")
    parts.append("<h2>Treatment plan</h2>" + _table_html(r.treatments))
    parts.append("<h2>Counts, disease and immune reconstitution</h2>")
    parts.append(_img(scenario_figure(r), f"simulated course of {s.name}"))
    parts.append('<h2 id="endpoints">Endpoints</h2>')
    parts.append('<p class="meta">'
                 + ("Values of the single simulated patient." if r.n == 1 else
                    f"Median and 5th-95th percentile over {int(r.ok.sum())} virtual patients; "
                    "'reached': share of patients with a value (e.g. engrafted).")
                 + " Days are model days (transplant endpoints: days after the graft). "
                 "Worst CTCAE grade 1 means grade ≤ 1 (grade 1 needs the lower limit of "
                 "normal).</p>")
    parts.append(f'<div id="endpoint-table">{_table_html(endpoint_table(r))}</div>')
    milestones = eln_milestone_table(r)
    if not milestones.empty:
        parts.append("<h2>CML: ELN 2020 milestones</h2>" + _table_html(milestones))
    if not r.aml_responses.empty:
        parts.append("<h2>AML response at each marrow assessment (ELN 2022)</h2>")
        if r.n == 1:
            parts.append(_table_html(r.aml_responses.drop(columns="id")))
        else:
            share = (r.aml_responses.groupby(["day", "label"]).size().unstack(fill_value=0)
                     / int(r.ok.sum()))
            parts.append(_table_html(share.reset_index()))
    if r.n > 1:
        fig = distribution_figure(r)
        if fig is not None:
            parts.append("<h2>Endpoint distributions</h2>" + _img(fig, "endpoint histograms"))
    path.write_text(_page(title, "\n".join(parts)), encoding="utf-8")
    return path


# --- compare --------------------------------------------------------------------------------


COMPARE_STYLES = ("-", (0, (5, 2)), (0, (1, 1.5)), "-.")


def _compare_series(r: ScenarioResult, panel: str) -> str:
    """The output a compare panel draws for one plan: the myeloid share of its main graft
    (donor chimerism after an allograft, graft-derived cells after an autologous one)."""
    if panel != "graft_myeloid":
        return panel
    kinds = r.scenario.graft_chimerism
    return f"{kinds[0] if kinds else 'donor'}_myeloid_pct"


def compare_figure(results: Sequence[ScenarioResult], *, width: float = 11.0) -> Figure:
    """ANC, platelets, lymphocytes and (when any plan has one) chimerism of several plans."""
    panels = [("anc", "ANC\n(×10⁹/L, log)", 0.01, 50.0), ("platelets",
              "platelets\n(×10⁹/L, log)", 1.0, 1000.0),
              ("lymphocytes", "lymphocytes\n(×10⁹/L, log)", 0.01, 10.0)]
    if any(_has_transplant(r) for r in results):
        kinds = {k for r in results for k in r.scenario.graft_chimerism[:1]}
        ylabel = ("donor myeloid\nchimerism (%)" if kinds <= {"donor"}
                  else "graft-derived\nmyeloid (%)")
        panels.append(("graft_myeloid", ylabel, 0.0, 100.0))
    if any(r.scenario.patient.disease == "aml" for r in results):
        panels.append(("marrow_blasts_pct", "marrow blasts\n(%, log)", 1e-4, 100.0))
    axes, fig = _axes_in_inches([2.2] * len(panels), width, top_axis=True)
    cmap = plt.get_cmap("tab10")
    for (name, ylabel, lo, hi), ax in zip(panels, axes, strict=True):
        for k, r in enumerate(results):
            # dashes keep a plan visible where it runs on top of another
            _line(ax, r, _compare_series(r, name), color=cmap(k), label=r.scenario.name,
                  floor=lo if lo > 0 else None, ls=COMPARE_STYLES[k % len(COMPARE_STYLES)])
        if lo > 0:
            ax.set_yscale("log")
        ax.set_ylim(lo, hi)
        if name in ("anc", "platelets"):
            _grade_bands(ax, name, "5.0", None)
        ax.set_ylabel(ylabel)
        ax.grid(axis="x", color="#eeeeee", lw=0.6)
    # above the panels: long scenario names do not fit in the right margin
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncols=min(len(labels), 3), fontsize=9,
               frameon=False, bbox_to_anchor=(0.5, 1.0 - 0.3 / fig.get_figheight()))
    start = min(r.times[0] for r in results)
    end = max(r.times[-1] for r in results)
    days = {r.scenario.transplant_day for r in results} - {None}
    for ax in axes:
        ax.set_xlim(start, end)
        for day in days:
            ax.axvline(day, color="#000000", lw=1.0, zorder=2)
    _year_ticks(axes[-1], float(start), float(end))
    axes[-1].set_xlabel("day" + (f" (transplant on day {days.pop():g})" if len(days) == 1
                                 else ""))
    handles = [Patch(color=GRADE_COLORS[g], alpha=0.55, label=f"CTCAE v5.0 grade {g}")
               for g in (1, 2, 3, 4)]
    if any(r.n > 1 for r in results):
        handles.append(Patch(color="#888888", alpha=0.3, label="90 % interval (medians as "
                             "lines)"))
    fig.legend(handles=handles, loc="lower center", ncols=len(handles), fontsize=7,
               frameon=False, bbox_to_anchor=(0.5, 0.0))
    return fig


def compare_table(results: Sequence[ScenarioResult]) -> pd.DataFrame:
    """Endpoints side by side: one row per endpoint, one column per scenario."""
    frames = []
    for r in results:
        s = r.summary.set_index(["endpoint", "unit"])
        col = s["value"] if r.n == 1 else s["median"]
        frames.append(col.rename(r.scenario.name))
    return pd.concat(frames, axis=1).reset_index()


def write_compare_report(results: Sequence[ScenarioResult], path: str | Path,
                         sources: Sequence[str] = ()) -> Path:
    path = Path(path)
    title = "hematwin compare · " + " vs ".join(r.scenario.name for r in results)
    parts = [f"<h1>{html.escape(title)}</h1>",
             f'<p class="meta">generated {dt.datetime.now().isoformat(timespec="seconds")}'
             + (" · " + ", ".join(html.escape(s) for s in sources) if sources else "") + "</p>"]
    patients = {r.scenario.patient.model_dump_json() for r in results}
    if len(patients) > 1:
        parts.append('<ul class="notes"><li>the scenarios describe different patients; the '
                     "comparison mixes patient and plan effects</li></ul>")
    parts.append(_kv_html(_patient_pairs(results[0])))
    for r in results:
        plan = ", ".join(f"{t.label} (day {t.day:g})" for t in r.treatments.itertuples())
        parts.append(f"<p><b>{html.escape(r.scenario.name)}</b>: {html.escape(plan)}</p>")
    parts.append("<h2>Counts</h2>" + _img(compare_figure(results), "counts of each plan"))
    table = compare_table(results)
    table["meaning"] = [endpoint_meaning(name) for name in table["endpoint"]]
    median = " (medians over the virtual patients)" if any(r.n > 1 for r in results) else ""
    parts.append(f"<h2>Endpoints{median}</h2>" + _table_html(table))
    path.write_text(_page(title, "\n".join(parts)), encoding="utf-8")
    return path


# --- the commands as functions ------------------------------------------------------------


@dataclass
class ScenarioRun:
    results: list[ScenarioResult]
    files: dict[str, Path] = field(default_factory=dict)


def _run(path: Path, progress: Callable[[int, int], None] | None) -> ScenarioResult:
    from hematwin.scenario import load_scenario, run_scenario

    return run_scenario(load_scenario(path), progress=progress)


def run_scenario_file(path: str | Path, *, out_dir: str | Path = "out", format: str = "html",
                      progress: Callable[[int, int], None] | None = None) -> ScenarioRun:
    """Load, run and report one scenario file; ``format`` ``html`` or ``json``."""
    path = Path(path)
    return write_run_files(_run(path, progress), out_dir, source=str(path), format=format)


def write_run_files(result: ScenarioResult, out_dir: str | Path, *, source: str | None = None,
                    format: str = "html") -> ScenarioRun:
    """Write the report (HTML or JSON) and the endpoint CSV of a finished run."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    run = ScenarioRun([result])
    name = result.scenario.name
    if format == "json":
        run.files["JSON summary"] = out / f"{name}.json"
        run.files["JSON summary"].write_text(json.dumps(result.to_dict(), indent=1,
                                                        default=str), encoding="utf-8")
    else:
        run.files["HTML report"] = write_scenario_report(result, out / f"{name}.html",
                                                         source=source)
    run.files["endpoints (CSV)"] = out / f"{name}_endpoints.csv"
    result.endpoints.to_csv(run.files["endpoints (CSV)"], index=False)
    return run


def compare_scenario_files(paths: Sequence[str | Path], *, out_dir: str | Path = "out",
                           progress: Callable[[int, int], None] | None = None) -> ScenarioRun:
    """Run several scenarios and write one comparison report."""
    results = []
    for k, p in enumerate(paths):
        results.append(_run(Path(p), None))
        if progress is not None:
            progress(k + 1, len(paths))
    return write_compare_files(results, out_dir, [str(p) for p in paths])


def write_compare_files(results: Sequence[ScenarioResult], out_dir: str | Path,
                        sources: Sequence[str] = ()) -> ScenarioRun:
    """Write the comparison report and its endpoint CSV for finished runs."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = "_vs_".join(r.scenario.name for r in results)[:120]
    run = ScenarioRun(results)
    run.files["HTML report"] = write_compare_report(results, out / f"compare_{stem}.html",
                                                    sources)
    run.files["endpoints (CSV)"] = out / f"compare_{stem}.csv"
    compare_table(results).to_csv(run.files["endpoints (CSV)"], index=False)
    return run


def summary_rows(result: ScenarioResult) -> list[tuple[str, str]]:
    """(endpoint, text) pairs for the terminal: the value, or median [5th-95th]."""
    rows = []
    for row in result.summary.itertuples(index=False):
        d: dict[str, Any] = row._asdict()
        unit = f" {d['unit']}" if d.get("unit") else ""
        if result.n == 1:
            v = d.get("value")
            text = "—" if v is None or (isinstance(v, float) and np.isnan(v)) else \
                (f"{v:.4g}{unit}" if isinstance(v, float) else str(v))
        else:
            m = d.get("median")
            if isinstance(m, float):
                text = ("—" if np.isnan(m) else
                        f"{m:.4g}{unit} [{d['p5']:.4g}–{d['p95']:.4g}], reached "
                        f"{100 * d['reached']:.0f} %")
            else:
                text = f"{m} ({100 * d['reached']:.0f} %)"
        rows.append((str(d["endpoint"]), text))
    return rows
