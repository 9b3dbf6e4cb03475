"""Myelosuppression metrics of count series, per chemotherapy cycle, and their spread in a cohort.

For each patient and cycle (from its dose day to the next dose day, the last cycle to the end
of the series) and over the whole series:

* ``nadir`` — the lowest count (×10⁹/L);
* ``time_to_nadir`` — days from the cycle's dose to that nadir (for the whole series, from
  the dose preceding the lowest nadir);
* ``days_below_<c>`` — time (days) with the count below each cut-off ``c``, with the count
  linear between saved times (:func:`hematwin.clinic.recovery.time_below`, method
  ``"interpolate"``), so a save grid of 0.1 day resolves a crossing to well under an hour.

:func:`summarize_metrics` gives the median and a central interval (default 90 %: 5th–95th
percentile) across patients, the usual way to report a simulated cohort (e.g. Friberg LE et
al., J Clin Oncol 2002;20:4713, Fig. 4, median and 90 % prediction interval).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from hematwin.clinic.recovery import time_below
from hematwin.errors import DataError

__all__ = [
    "OVERALL",
    "THRESHOLDS",
    "below_column",
    "cycle_metrics",
    "quantile_band",
    "summarize_metrics",
]

OVERALL = "overall"  # the ``cycle`` label of the whole-series rows
# ANC cut-offs (×10⁹/L) of CTCAE v5.0 grade 4 and grade 3 neutrophil count decreased
THRESHOLDS = (0.5, 1.0)


def below_column(threshold: float) -> str:
    """Name of the metric "days below ``threshold``" (e.g. ``days_below_0.5``)."""
    return f"days_below_{threshold:g}"


def _as_arrays(values: object, days: object) -> tuple[np.ndarray, np.ndarray]:
    t = np.asarray(days, dtype=float)
    v = np.asarray(values, dtype=float)
    if v.ndim == 1:
        v = v[None, :]
    if t.ndim != 1 or v.ndim != 2 or v.shape[1] != t.size or t.size < 2:
        raise DataError(f"expected counts [N, T] on T ≥ 2 days, got values of shape "
                        f"{np.shape(values)} and {t.size} days", field="values")
    if not np.all(np.isfinite(t)) or np.any(np.diff(t) <= 0):
        raise DataError("days must be finite and strictly increasing", field="days")
    return t, v


def _grid_index(days: np.ndarray, day: float, what: str) -> int:
    i = int(np.searchsorted(days, day))
    if i >= days.size or not np.isclose(days[i], day, rtol=0.0, atol=1e-9):
        raise DataError(f"{what} (day {day:g}) is not one of the saved days; include the dose "
                        "days in the time grid so that cycles split exactly", field="days")
    return i


def _window(t: np.ndarray, v: np.ndarray, i0: int, i1: int, last: bool,
            thresholds: Sequence[float]) -> dict[str, np.ndarray]:
    """Metrics over t[i0] .. t[i1]; the nadir excludes t[i1] (next cycle's dose) unless last."""
    stop = i1 + 1 if last else max(i1, i0 + 1)
    k = i0 + np.argmin(v[:, i0:stop], axis=1)
    out = {
        "nadir": v[np.arange(v.shape[0]), k],
        "nadir_day": t[k],
    }
    for c in thresholds:
        below = time_below(v[:, i0:i1 + 1], t[i0:i1 + 1], threshold=float(c),
                           method="interpolate") if i1 > i0 else np.zeros(v.shape[0])
        out[below_column(c)] = np.asarray(below, dtype=float)
    return out


def cycle_metrics(
    values: object,
    days: object,
    dose_days: Sequence[float],
    *,
    thresholds: Sequence[float] = THRESHOLDS,
    ids: Sequence[int] | np.ndarray | None = None,
) -> pd.DataFrame:
    """Per-patient metrics for each cycle and for the whole series (see the module docstring).

    Parameters
    ----------
    values: counts (×10⁹/L), one series [T] or patients × times [N, T]; no NaN (leave failed
        patients out).
    days: the T saved days, increasing; every dose day inside them must be one of them.
    dose_days: day of each cycle's dose, increasing; doses after the last saved day are an
        error (their cycle was not simulated).
    thresholds: count cut-offs (×10⁹/L) for ``days_below_<c>``.
    ids: patient ids (default 0..N-1).

    Returns
    -------
    A long table, one row per patient and cycle: ``id``, ``cycle`` ("1", "2", … and
    :data:`OVERALL`), ``nadir``, ``time_to_nadir``, one ``days_below_<c>`` per threshold.
    """
    t, v = _as_arrays(values, days)
    doses = np.asarray(dose_days, dtype=float)
    if doses.ndim != 1 or doses.size == 0 or np.any(np.diff(doses) <= 0):
        raise DataError("dose days must be a non-empty increasing sequence", field="dose_days")
    if doses[0] < t[0] or doses[-1] >= t[-1]:
        raise DataError(f"dose days {doses.tolist()} must lie within the saved days "
                        f"[{t[0]:g}, {t[-1]:g}) so that every cycle is observed",
                        field="dose_days")
    ids = np.arange(v.shape[0]) if ids is None else np.asarray(ids)
    starts = [_grid_index(t, d, f"the dose of cycle {j + 1}") for j, d in enumerate(doses)]
    ends = starts[1:] + [t.size - 1]
    frames = []
    for j, (i0, i1) in enumerate(zip(starts, ends, strict=True)):
        m = _window(t, v, i0, i1, last=j == len(starts) - 1, thresholds=thresholds)
        m["nadir_day"] = m["nadir_day"] - doses[j]
        frames.append(pd.DataFrame({"id": ids, "cycle": str(j + 1), **m}))
    # The cycles (and the days before the first dose, if any) partition the series, so the
    # whole-series times below are their sums.
    whole = _window(t, v, 0, t.size - 1, last=True, thresholds=())
    before = _window(t, v, 0, starts[0], last=True, thresholds=thresholds)
    for c in thresholds:
        name = below_column(c)
        whole[name] = before[name] + sum(f[name].to_numpy() for f in frames)
    previous = np.searchsorted(doses, whole["nadir_day"] + 1e-9, side="right") - 1
    whole["nadir_day"] = whole["nadir_day"] - np.where(previous >= 0, doses[previous.clip(0)],
                                                        t[0])
    frames.append(pd.DataFrame({"id": ids, "cycle": OVERALL, **whole}))
    table = pd.concat(frames, ignore_index=True)
    return table.rename(columns={"nadir_day": "time_to_nadir"})


def summarize_metrics(metrics: pd.DataFrame, interval: float = 0.90,
                      cycles: Sequence[str] | None = None) -> pd.DataFrame:
    """Median and central ``interval`` of every metric across patients, per cycle.

    Returns one row per cycle (``cycles``, default: in the order they appear; a cycle without
    patients gets NaN and n = 0) with columns
    ``(metric, "median" | "lower" | "upper")`` and ``("n", "")``, the number of patients.
    ``lower``/``upper`` are the (1 − interval)/2 and (1 + interval)/2 quantiles (5th and 95th
    percentile for 90 %), linear interpolation between order statistics (NumPy's default).
    """
    if not 0.0 < interval < 1.0:
        raise DataError(f"interval must be in (0, 1), got {interval}", field="interval")
    names = [c for c in metrics.columns if c not in ("id", "cycle")]
    q = [(1.0 - interval) / 2.0, 0.5, (1.0 + interval) / 2.0]
    order = list(dict.fromkeys(metrics["cycle"])) if cycles is None else list(cycles)
    rows = {}
    for cycle in order:
        block = metrics.loc[metrics["cycle"] == cycle, names].to_numpy(dtype=float)
        if block.shape[0]:
            lo, med, hi = np.quantile(block, q, axis=0)
        else:
            lo = med = hi = np.full(len(names), np.nan)
        row: dict[tuple[str, str], float] = {}
        for j, name in enumerate(names):
            row[(name, "median")] = med[j]
            row[(name, "lower")] = lo[j]
            row[(name, "upper")] = hi[j]
        row[("n", "")] = block.shape[0]
        rows[cycle] = row
    columns = pd.MultiIndex.from_tuples(
        [(m, s) for m in names for s in ("median", "lower", "upper")] + [("n", "")])
    out = pd.DataFrame([[row[c] for c in columns] for row in rows.values()],
                       index=pd.Index(list(rows), name="cycle"), columns=columns)
    out.attrs["interval"] = interval
    return out


def quantile_band(values: np.ndarray, interval: float = 0.90) -> dict[str, np.ndarray]:
    """Median and central ``interval`` across patients at each time: values [N, T] → [T] each.

    Patients with NaN (failed solves) are left out at the times they are NaN.
    """
    v = np.asarray(values, dtype=float)
    if v.ndim != 2:
        raise DataError(f"expected patients × times, got shape {v.shape}", field="values")
    if v.shape[0] == 0:
        empty = np.full(v.shape[1], np.nan)
        return {"median": empty, "lower": empty.copy(), "upper": empty.copy()}
    q = [(1.0 - interval) / 2.0, 0.5, (1.0 + interval) / 2.0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a time where every patient is NaN
        lo, med, hi = np.nanquantile(v, q, axis=0)
    return {"median": med, "lower": lo, "upper": hi}
