"""Figures written to files (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; must precede pyplot

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

__all__ = ["plot_count_band", "plot_trajectories", "pretty_unit"]

_UNITS = {"1e9/L": "×10⁹/L", "1e12/L": "×10¹²/L", "g/dL": "g/dL"}


def pretty_unit(unit: str) -> str:
    """A model unit as printed on axes and tables (``1e9/L`` → ``×10⁹/L``)."""
    return _UNITS.get(unit, unit)


def plot_count_band(
    path: str | Path,
    days: np.ndarray,
    band: Mapping[str, np.ndarray],
    *,
    count_label: str,
    unit: str = "1e9/L",
    thresholds: Sequence[float] = (0.5, 1.0),
    dose_days: Sequence[float] = (),
    interval: float = 0.90,
    title: str = "",
) -> Path:
    """Median and central-interval band of a count over time, on a log axis; writes a PNG.

    ``band`` holds ``median``, ``lower`` and ``upper`` arrays over ``days`` (as given by
    :func:`hematwin.report.summaries.quantile_band`). Horizontal dashed lines mark the
    ``thresholds``; triangles on the time axis mark the ``dose_days``.
    """
    path = Path(path)
    fig, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
    pct = f"{100 * interval:g} %"
    ax.fill_between(days, band["lower"], band["upper"], color="tab:blue", alpha=0.25,
                    linewidth=0, label=f"{pct} interval")
    ax.plot(days, band["median"], color="tab:blue", linewidth=1.8, label="median")
    for c in thresholds:
        ax.axhline(c, color="tab:red", linestyle="--", linewidth=0.9)
        ax.annotate(f"{c:g}", xy=(1.0, c), xycoords=("axes fraction", "data"),
                    xytext=(3, 0), textcoords="offset points", va="center", fontsize=8,
                    color="tab:red")
    if len(dose_days):
        ax.plot(dose_days, np.zeros(len(dose_days)), linestyle="none", marker="^",
                markersize=8, color="black", clip_on=False,
                transform=ax.get_xaxis_transform(), label="dose")
    ax.set_yscale("log")
    ax.set_xlim(days[0], days[-1])
    ax.set_xlabel("time (day)")
    ax.set_ylabel(f"{count_label} ({pretty_unit(unit)})")
    if title:
        ax.set_title(title, fontsize=10)
    ax.grid(True, which="major", alpha=0.3)
    fig.legend(loc="outside lower center", ncols=3, fontsize=8, frameon=False)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def plot_trajectories(
    path: str | Path,
    times: np.ndarray,
    series: Mapping[str, np.ndarray],
    units: Mapping[str, str],
    *,
    time_unit: str = "day",
    dose_days: Sequence[float] = (),
    title: str = "",
) -> Path:
    """One panel per variable (a single trajectory each), sharing the time axis; a PNG.

    Positive variables spanning more than two decades get a log axis.
    """
    path = Path(path)
    names = list(series)
    n = len(names)
    cols = 1 if n <= 3 else 2
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(5.5 * cols, 2.3 * rows + 0.6), sharex=True,
                             squeeze=False, layout="constrained")
    for k, ax in enumerate(axes.flat):
        if k >= n:
            ax.set_visible(False)
            continue
        name = names[k]
        y = np.asarray(series[name], dtype=float)
        ax.plot(times, y, color="tab:blue", linewidth=1.5)
        finite = y[np.isfinite(y)]
        if finite.size and finite.min() > 0 and finite.max() / finite.min() > 100:
            ax.set_yscale("log")
        unit = pretty_unit(units.get(name, ""))
        ax.set_ylabel(f"{name} ({unit})" if unit and unit != "1" else name, fontsize=9)
        for d in dose_days:
            ax.axvline(d, color="0.6", linewidth=0.7, linestyle=":")
        ax.grid(alpha=0.3)
    for ax in axes[-1]:
        if ax.get_visible():
            ax.set_xlabel(f"time ({time_unit})")
    if title:
        fig.suptitle(title, fontsize=11)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
