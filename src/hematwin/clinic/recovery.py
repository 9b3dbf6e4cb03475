"""Cytopenia episodes of a count series: nadir, time in each CTCAE grade, time to recovery.

An **episode** is a maximal stretch of measurements whose CTCAE grade is worse than
``recovery_grade`` (default 1, i.e. grade >= 2: below the grade-2 cut-off, which needs no
LLN). It ends at the first measurement back at grade <= ``recovery_grade``; counts that recover
and fall again (chemotherapy cycles) make separate episodes. An episode still open at the last
measurement is *censored* (``recovered`` is False). Pass the patient's baseline grade as
``recovery_grade`` to measure recovery to baseline instead.

Durations are computed in one of two documented ways, chosen by ``method``; for dense
(simulated) series both converge to the exact time spent below each cut-off:

* ``"measurement"`` (default, what a clinic can verify): each measurement's grade holds until
  the next measurement (last observation carried forward); the last measurement holds for no
  time, because follow-up ends there. Onset and recovery are measurement days. With daily
  counts, "days in grade 4" is the number of daily counts in grade 4 before recovery.
* ``"interpolate"``: counts are linear between measurements; onset and recovery are the
  interpolated crossing times of the episode cut-off, and time in each grade is the time the
  interpolant spends between that grade's cut-offs.

Grades and cut-offs come from :mod:`hematwin.clinic.ctcae` (NCI CTCAE v5.0, 2017 / v6.0,
2025). Days are relative to the caller's reference day (e.g. chemotherapy day 1 or transplant
day 0), so ``recovery_day`` is already the time to recovery from that reference.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from hematwin.clinic._series import as_series
from hematwin.clinic.ctcae import (
    NEEDS_LLN,
    CtcaeVersion,
    LabCriterion,
    Term,
    criterion,
    grade,
)
from hematwin.errors import DataError

__all__ = [
    "CytopeniaEpisode",
    "CytopeniaSummary",
    "cytopenia_episodes",
    "summarize_cytopenia",
    "time_below",
    "time_in_grade",
]

Method = Literal["measurement", "interpolate"]


@dataclass(frozen=True)
class CytopeniaEpisode:
    """One cytopenia episode (days relative to the reference day, counts in canonical units).

    ``days_in_grade`` maps each grade worse than the recovery grade to the time spent in it;
    the values add up to ``duration_days``. ``onset_observed`` is False when the series starts
    inside the episode (left-censored).
    """

    term: Term
    version: CtcaeVersion
    method: Method
    onset_day: float
    onset_observed: bool
    nadir: float
    nadir_day: float
    worst_grade: int
    days_in_grade: dict[int, float]
    days_grade3_or_worse: float
    days_grade4: float
    recovered: bool
    recovery_day: float | None
    duration_days: float
    days_nadir_to_recovery: float | None


@dataclass(frozen=True)
class CytopeniaSummary:
    """Whole-series summary; each field is a float (1-D input) or an array (patients x times).

    ``recovery_day`` is the first return to grade <= ``recovery_grade`` after the (first)
    nadir, NaN if none; ``days_in_grade`` maps grade -> time over the whole series.
    """

    term: Term
    version: CtcaeVersion
    method: Method
    nadir: float | np.ndarray
    nadir_day: float | np.ndarray
    worst_grade: int | np.ndarray
    days_grade3_or_worse: float | np.ndarray
    days_grade4: float | np.ndarray
    recovery_day: float | np.ndarray
    n_episodes: int | np.ndarray
    days_in_grade: dict[int, float | np.ndarray] = field(default_factory=dict)


# --- primitives -----------------------------------------------------------------------


def _check_method(method: str) -> Method:
    if method not in ("measurement", "interpolate"):
        raise DataError(f"unknown method {method!r}; expected 'measurement' or 'interpolate'",
                        field="method")
    return method  # type: ignore[return-value]


def _interval_time_below(t: np.ndarray, v: np.ndarray, cut: float | np.ndarray,
                         method: Method) -> np.ndarray:
    """Time below ``cut`` in each interval [t_i, t_i+1] (last axis has n - 1 entries)."""
    dt = np.diff(t)
    cut = np.asarray(cut, dtype=float)
    if cut.ndim:
        cut = cut[..., None]
    a, b = v[..., :-1], v[..., 1:]
    if method == "measurement":
        return np.where(a < cut, dt, 0.0)
    a_low, b_low = a < cut, b < cut
    with np.errstate(divide="ignore", invalid="ignore"):
        rising = (cut - a) / (b - a) * dt  # a below, b at/above: time until the crossing
        falling = (cut - b) / (a - b) * dt  # a at/above, b below: time after the crossing
    return np.where(a_low & b_low, dt,
                    np.where(a_low, rising, np.where(b_low, falling, 0.0)))


def time_below(
    values: object,
    days: object | None = None,
    *,
    threshold: float,
    method: Method = "measurement",
) -> float | np.ndarray:
    """Time (days) with the count strictly below ``threshold``; one value per patient."""
    t, v = as_series(values, days, "values")
    out = _interval_time_below(t, v, threshold, _check_method(method)).sum(axis=-1)
    return float(out) if out.ndim == 0 else out


def _grade_bounds(crit: LabCriterion, lln: float | None) -> dict[int, float]:
    """Upper boundary of each grade's band (value < bound means at least that grade)."""
    if crit.direction != "low":
        raise DataError(f"'{crit.term}' is not a cytopenia term; recovery needs a 'decreased' "
                        "term", field="term")
    bounds = {g: c for g, c in crit.cutoffs}
    if 1 not in bounds and crit.grade1_below_lln and lln is not None and np.isfinite(lln):
        bounds[1] = max(float(lln), bounds[2])
    return bounds


def time_in_grade(
    values: object,
    days: object | None = None,
    *,
    term: Term | str = Term.NEUTROPHIL_COUNT_DECREASED,
    version: CtcaeVersion | str = CtcaeVersion.V5,
    lln: float | None = None,
    method: Method = "measurement",
) -> dict[int, float | np.ndarray]:
    """Time (days) spent in each CTCAE grade 0-4 over the whole series.

    When grade 1 is "<LLN" and no ``lln`` is given, grades 0 and 1 cannot be told apart: both
    are NaN and the key :data:`~hematwin.clinic.ctcae.NEEDS_LLN` (-1) holds their total.
    """
    crit = criterion(term, version)
    method = _check_method(method)
    t, v = as_series(values, days, "values")
    bounds = _grade_bounds(crit, lln)
    total = np.full(v.shape[:-1], t[-1] - t[0], dtype=float)
    below = {g: _interval_time_below(t, v, c, method).sum(axis=-1) for g, c in bounds.items()}
    if method == "measurement":
        # Step durations follow the grade codes exactly (same significant-digit rounding).
        codes = grade(crit.term, v[..., :-1], lln=lln, version=crit.version)
        dt = np.diff(t)
        spent = {g: np.where(codes == g, dt, 0.0).sum(axis=-1) for g in range(5)}
        spent[NEEDS_LLN] = np.where(codes == NEEDS_LLN, dt, 0.0).sum(axis=-1)
    else:
        spent = {}
        for g in range(4, 1, -1):
            spent[g] = below[g] - below.get(g + 1, 0.0) if g in bounds else 0.0 * total
        if 1 in bounds:
            spent[1] = below[1] - below[2]
            spent[0] = total - below[1]
            spent[NEEDS_LLN] = 0.0 * total
        else:
            spent[1] = spent[0] = 0.0 * total
            spent[NEEDS_LLN] = total - below[2]
    unresolved = crit.grade1_below_lln and 1 not in bounds
    result: dict[int, float | np.ndarray] = {}
    for g in range(5):
        value = np.asarray(spent[g], dtype=float) + 0.0 * total
        if unresolved and g in (0, 1):
            value = np.full(np.shape(value), np.nan)
        result[g] = float(value) if value.ndim == 0 else value
    if unresolved:
        rest = np.asarray(spent[NEEDS_LLN], dtype=float)
        result[NEEDS_LLN] = float(rest) if rest.ndim == 0 else rest
    return result


# --- episodes (one patient) ------------------------------------------------------------


def _low_codes(crit: LabCriterion, v: np.ndarray, lln: float | None,
               recovery_grade: int) -> np.ndarray:
    if recovery_grade not in (0, 1, 2, 3):
        raise DataError(f"recovery_grade must be 0-3, got {recovery_grade!r}",
                        field="recovery_grade")
    codes = grade(crit.term, v, lln=lln, version=crit.version)
    if recovery_grade == 0 and np.any(codes == NEEDS_LLN):
        raise DataError("recovery to grade 0 needs the lower limit of normal", field="lln")
    return np.asarray(codes)


def _crossing(t0: float, t1: float, v0: float, v1: float, cut: float) -> float:
    """Time at which the line through (t0, v0), (t1, v1) reaches ``cut``."""
    if v1 == v0:
        return float(t1)
    return float(t0 + (cut - v0) / (v1 - v0) * (t1 - t0))


def cytopenia_episodes(
    values: object,
    days: object | None = None,
    *,
    term: Term | str = Term.NEUTROPHIL_COUNT_DECREASED,
    version: CtcaeVersion | str = CtcaeVersion.V5,
    lln: float | None = None,
    recovery_grade: int = 1,
    method: Method = "measurement",
) -> list[CytopeniaEpisode]:
    """Split one patient's count series into cytopenia episodes (see the module docstring).

    ``values`` is a 1-D array with ``days`` or a pandas Series indexed by day; a 2-D
    (patients x times) array gives one list per patient.
    """
    crit = criterion(term, version)
    method = _check_method(method)
    t, v = as_series(values, days, "values")
    if v.ndim == 2:
        return [cytopenia_episodes(row, t, term=crit.term, version=crit.version, lln=lln,
                                   recovery_grade=recovery_grade, method=method)
                for row in v]  # type: ignore[misc]
    codes = _low_codes(crit, v, lln, recovery_grade)
    low = codes > recovery_grade
    bounds = _grade_bounds(crit, lln)
    edge = bounds[recovery_grade + 1]
    episodes: list[CytopeniaEpisode] = []
    n = v.size
    i = 0
    while i < n:
        if not low[i]:
            i += 1
            continue
        s = i
        while i < n and low[i]:
            i += 1
        e = i - 1  # last low measurement; i is the recovery measurement (or n)
        recovered = i < n
        lo, hi = max(s - 1, 0), min(e + 1, n - 1)
        window_t, window_v = t[lo:hi + 1], v[lo:hi + 1]
        if method == "measurement":
            onset = float(t[s])
            end = float(t[i]) if recovered else float(t[e])
            dt = np.diff(window_t)
            seg_codes = codes[lo:hi]
            in_episode = np.arange(lo, hi) >= s
            spent = {g: float(np.sum(dt[(seg_codes == g) & in_episode]))
                     for g in range(recovery_grade + 1, 5)}
        else:
            onset = (float(t[s]) if s == 0
                     else float(_crossing(t[s - 1], t[s], v[s - 1], v[s], edge)))
            end = float(_crossing(t[e], t[i], v[e], v[i], edge)) if recovered else float(t[e])
            below = {g: float(_interval_time_below(window_t, window_v, c, method).sum())
                     for g, c in bounds.items() if g > recovery_grade}
            below[recovery_grade + 1] = float(
                _interval_time_below(window_t, window_v, edge, method).sum())
            spent = {g: below.get(g, 0.0) - below.get(g + 1, 0.0)
                     for g in range(recovery_grade + 1, 5)}
        nadir_index = s + int(np.argmin(v[s:e + 1]))
        nadir_day = float(t[nadir_index])
        episodes.append(CytopeniaEpisode(
            term=crit.term,
            version=crit.version,
            method=method,
            onset_day=onset,
            onset_observed=s > 0,
            nadir=float(v[nadir_index]),
            nadir_day=nadir_day,
            worst_grade=int(codes[s:e + 1].max()),  # >= recovery_grade + 1 >= 1
            days_in_grade=spent,
            days_grade3_or_worse=sum(d for g, d in spent.items() if g >= 3),
            days_grade4=spent.get(4, 0.0),
            recovered=recovered,
            recovery_day=end if recovered else None,
            duration_days=end - onset,
            days_nadir_to_recovery=(end - nadir_day) if recovered else None,
        ))
    return episodes


# --- whole-series summary (vectorised over patients) -----------------------------------


def summarize_cytopenia(
    values: object,
    days: object | None = None,
    *,
    term: Term | str = Term.NEUTROPHIL_COUNT_DECREASED,
    version: CtcaeVersion | str = CtcaeVersion.V5,
    lln: float | None = None,
    recovery_grade: int = 1,
    method: Method = "measurement",
) -> CytopeniaSummary:
    """Nadir, time in grade >= 3 and 4, recovery after the nadir and episode count.

    Works on one series or on a patients x times array (the days shared), in which case every
    field is an array with one entry per patient.
    """
    crit = criterion(term, version)
    method = _check_method(method)
    t, v = as_series(values, days, "values")
    codes = _low_codes(crit, v, lln, recovery_grade)
    in_grade = time_in_grade(v, t, term=crit.term, version=crit.version, lln=lln,
                             method=method)
    nadir_index = np.argmin(v, axis=-1)
    nadir = np.take_along_axis(v, nadir_index[..., None], axis=-1)[..., 0]
    nadir_day = t[nadir_index]
    low = codes > recovery_grade
    positions = np.arange(v.shape[-1])
    after = (~low) & (positions > nadir_index[..., None]) & low.any(axis=-1, keepdims=True)
    has_recovery = after.any(axis=-1)
    k = np.argmax(after, axis=-1)
    recovery_day = np.where(has_recovery, t[k], np.nan)
    if method == "interpolate":
        edge = _grade_bounds(crit, lln)[recovery_grade + 1]
        k_prev = np.maximum(k - 1, 0)
        v0 = np.take_along_axis(v, k_prev[..., None], axis=-1)[..., 0]
        v1 = np.take_along_axis(v, k[..., None], axis=-1)[..., 0]
        with np.errstate(divide="ignore", invalid="ignore"):
            frac = np.where(v1 != v0, (edge - v0) / (v1 - v0), 1.0)
        recovery_day = np.where(has_recovery, t[k_prev] + frac * (t[k] - t[k_prev]), np.nan)
    starts = low.copy()
    starts[..., 1:] &= ~low[..., :-1]
    n_episodes = starts.sum(axis=-1)
    # Without an LLN the codes are NEEDS_LLN (grade 0 or 1) or >= 2, so the maximum is right.
    worst = codes.max(axis=-1)
    g3 = np.asarray(in_grade[3]) + np.asarray(in_grade[4])

    def out(x: np.ndarray, kind: type = float) -> float | int | np.ndarray:
        x = np.asarray(x)
        return kind(x) if x.ndim == 0 else x

    return CytopeniaSummary(
        term=crit.term,
        version=crit.version,
        method=method,
        nadir=out(nadir),
        nadir_day=out(nadir_day),
        worst_grade=out(worst, int),
        days_grade3_or_worse=out(g3),
        days_grade4=out(np.asarray(in_grade[4])),
        recovery_day=out(recovery_day),
        n_episodes=out(n_episodes, int),
        days_in_grade=in_grade,
    )
