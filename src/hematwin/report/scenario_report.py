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

from hematwin.clinic.chimerism import FULL_DONOR_ABOVE_PCT, GRAFT_LOSS_BELOW_PCT  # noqa: E402
from hematwin.clinic.response_aml import MFC_MRD_THRESHOLD_PCT  # noqa: E402
from hematwin.clinic.response_cml import MMR_PCT  # noqa: E402
from hematwin.report.assess_report import _kv_html, _page, _table_html  # noqa: E402
from hematwin.report.timeline_plot import (  # noqa: E402
    GRADE_COLORS,
    _axes_in_inches,
    _grade_bands,
    figure_png,
)
from hematwin.scenario.runner import INTERVAL, ScenarioResult  # noqa: E402

__all__ = ["ScenarioRun", "compare_scenario_files", "run_scenario_file", "scenario_figure",
           "write_scenario_report", "write_compare_report"]

NOT_REACHED = "not reached"
CATEGORY_COLORS = {"chemotherapy": "#555555", "conditioning": "#c0392b", "transplant": "#000000",
                   "dli": "#e67e22", "g_csf": "#2c7fb8", "tki": "#1b7837",
                   "transfusion": "#8e44ad"}
LINE_COLORS = {"anc": "#1f4e9c", "wbc": "#6a8fc7", "lymphocytes": "#5aa6a6",
               "platelets": "#8e44ad", "hb": "#b03a2e", "cd4": "#1b9e77", "cd8": "#d95f02",
               "nk": "#7570b3", "b_cells": "#e7298a", "donor_myeloid_pct": "#1f4e9c",
               "donor_t_pct": "#1b9e77", "donor_wb_pct": "#999999",
               "marrow_blasts_pct": "#a50026", "blasts_blood": "#f46d43",
               "bcr_abl_pct": "#1b7837", "mutant_vaf_pct": "#6a3d9a"}
LABELS = {"anc": "ANC", "wbc": "WBC", "lymphocytes": "lymphocytes", "platelets": "platelets",
          "hb": "hemoglobin", "cd4": "CD4 T", "cd8": "CD8 T", "nk": "NK", "b_cells": "B cells",
          "donor_myeloid_pct": "myeloid", "donor_t_pct": "T cells (CD3)",
          "donor_wb_pct": "whole blood", "marrow_blasts_pct": "marrow blasts (MRD surrogate)",
          "blasts_blood": "blood blasts", "bcr_abl_pct": "BCR::ABL1",
          "mutant_vaf_pct": "CHIP VAF"}
_FLOOR = {"anc": 0.01, "wbc": 0.01, "lymphocytes": 0.01, "platelets": 1.0, "cd4": 0.001,
          "cd8": 0.001, "nk": 0.001, "b_cells": 0.001, "marrow_blasts_pct": 1e-4,
          "bcr_abl_pct": 1e-4, "blasts_blood": 1e-4}


def _line(ax: Axes, r: ScenarioResult, name: str, *, color: str | None = None,
          label: str | None = None, floor: float | None = None) -> None:
    color = color or LINE_COLORS.get(name, "#333333")
    label = label or LABELS.get(name, name)
    t = r.times
    if r.n == 1:
        y = r.values[name][0]
        ax.plot(t, y if floor is None else np.maximum(y, floor), color=color, lw=1.5,
                label=label)
        return
    b = r.band(name)
    lo, hi, med = b["lower"], b["upper"], b["median"]
    if floor is not None:
        lo, hi, med = (np.maximum(x, floor) for x in (lo, hi, med))
    ax.fill_between(t, lo, hi, color=color, alpha=0.2, lw=0)
    ax.plot(t, med, color=color, lw=1.5, label=f"{label} (median)")


def _log_panel(ax: Axes, r: ScenarioResult, names: Sequence[str], floor: float,
               ceiling: float) -> None:
    for name in names:
        _line(ax, r, name, floor=floor)
    ax.set_yscale("log")
    ax.set_ylim(floor, ceiling)


def _has_transplant(r: ScenarioResult) -> bool:
    return r.scenario.transplant_day is not None


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
                ax.broken_barh([(d, 0.8)], (y - 0.2, 0.4), color=color)
            text = ax.text(s.first_day, y + 0.24, s.label, fontsize=6.5, va="bottom",
                           ha="left", color=color, clip_on=True)
            box = text.get_window_extent(renderer)
            where = "above"
            if box.x0 < right["above"] + 3:
                where = "below"
                text.set_y(y - 0.24)
                text.set_va("top")
                box = text.get_window_extent(renderer)
            right[where] = box.x1
        if lane == "transfusion" and tx_days:
            ax.plot(tx_days, [y] * len(tx_days), "|", ms=9, mew=1.5, color=color)
    ax.set_yticks(range(len(lanes)), [x.replace("_", "-") for x in reversed(lanes)],
                  fontsize=7)
    ax.set_ylim(-0.7, max(len(lanes), 1) - 0.1 + 0.4)
    ax.tick_params(axis="y", length=0)
    ax.set_ylabel("treatment", fontsize=8)


def scenario_figure(r: ScenarioResult, *, width: float = 11.0) -> Figure:
    """Counts, disease, chimerism, T cells and the treatment timeline of one scenario."""
    panels = ["leuko", "platelets", "hb"]
    disease = _disease(r)
    if disease:
        panels.append(disease)
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
            ax.set_ylabel("leukocytes\n(×10⁹/L, log)")
        elif name == "platelets":
            _log_panel(ax, r, ["platelets"], 1.0, 1000.0)
            _grade_bands(ax, "platelets", "5.0", None)
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
            ax.set_ylabel("marrow blasts\n(%, log)")
        elif name == "cml":
            _log_panel(ax, r, ["bcr_abl_pct"], 1e-4, 100.0)
            ax.axhline(MMR_PCT, color="#555555", ls="--", lw=0.8, label="MMR 0.1 %")
            ax.set_ylabel("BCR::ABL1\n(%, log)")
        elif name == "chimerism":
            for lineage in ("donor_myeloid_pct", "donor_t_pct", "donor_wb_pct"):
                _line(ax, r, lineage)
            ax.axhline(FULL_DONOR_ABOVE_PCT, color="#1a9850", ls="--", lw=0.8,
                       label=f"full donor > {FULL_DONOR_ABOVE_PCT:g} %")
            ax.axhline(GRAFT_LOSS_BELOW_PCT, color="#d73027", ls="--", lw=0.8,
                       label=f"graft loss < {GRAFT_LOSS_BELOW_PCT:g} %")
            ax.set_ylim(-3, 103)
            ax.set_ylabel("donor chimerism\n(% donor cells)")
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


def distribution_figure(r: ScenarioResult, *, max_panels: int = 8) -> Figure | None:
    """Histograms of the numeric endpoints that vary across virtual patients."""
    names = []
    for name in r.endpoints.columns:
        if name == "id" or not pd.api.types.is_numeric_dtype(r.endpoints[name]):
            continue
        v = r.endpoints[name].to_numpy(float)
        v = v[np.isfinite(v)]
        if v.size > 1 and np.ptp(v) > 1e-9 * max(1.0, abs(v).max()):
            names.append(name)
    names = names[:max_panels]
    if not names:
        return None
    cols = 4
    rows = (len(names) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(11, 2.4 * rows + 0.3), squeeze=False,
                             layout="constrained")
    from hematwin.scenario.runner import endpoint_unit

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


def endpoint_table(r: ScenarioResult) -> pd.DataFrame:
    """The endpoint table as shown in the report (one value, or median [5th-95th]);
    an endpoint without a value (not engrafted, no relapse) reads "not reached"."""
    frame = r.summary.copy()
    col = "value" if r.n == 1 else "median"
    frame[col] = [NOT_REACHED if v is None or (isinstance(v, float) and np.isnan(v)) else v
                  for v in frame[col]]
    return frame


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


def compare_figure(results: Sequence[ScenarioResult], *, width: float = 11.0) -> Figure:
    """ANC, platelets, lymphocytes and (when any plan has one) chimerism of several plans."""
    panels = [("anc", "ANC\n(×10⁹/L, log)", 0.01, 50.0), ("platelets",
              "platelets\n(×10⁹/L, log)", 1.0, 1000.0),
              ("lymphocytes", "lymphocytes\n(×10⁹/L, log)", 0.01, 10.0)]
    if any(_has_transplant(r) for r in results):
        panels.append(("donor_myeloid_pct", "donor myeloid\nchimerism (%)", 0.0, 100.0))
    if any(r.scenario.patient.disease == "aml" for r in results):
        panels.append(("marrow_blasts_pct", "marrow blasts\n(%, log)", 1e-4, 100.0))
    axes, fig = _axes_in_inches([2.2] * len(panels), width, top_axis=False)
    cmap = plt.get_cmap("tab10")
    for (name, ylabel, lo, hi), ax in zip(panels, axes, strict=True):
        for k, r in enumerate(results):
            _line(ax, r, name, color=cmap(k), label=r.scenario.name,
                  floor=lo if lo > 0 else None)
        if lo > 0:
            ax.set_yscale("log")
        ax.set_ylim(lo, hi)
        if name in ("anc", "platelets"):
            _grade_bands(ax, name, "5.0", None)
        ax.set_ylabel(ylabel)
        ax.grid(axis="x", color="#eeeeee", lw=0.6)
    # below the panels: long scenario names do not fit in the right margin
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncols=min(len(labels), 3), fontsize=8,
               frameon=False, bbox_to_anchor=(0.5, 0.0))
    start = min(r.times[0] for r in results)
    end = max(r.times[-1] for r in results)
    for ax in axes:
        ax.set_xlim(start, end)
    axes[-1].set_xlabel("day")
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
    parts.append("<h2>Endpoints</h2>" + _table_html(compare_table(results)))
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
    result = _run(path, progress)
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
                                                         source=str(path))
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
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = "_vs_".join(r.scenario.name for r in results)[:120]
    run = ScenarioRun(results)
    run.files["HTML report"] = write_compare_report(results, out / f"compare_{stem}.html",
                                                    [str(p) for p in paths])
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
