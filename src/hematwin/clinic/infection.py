"""Infection exposure from neutropenia: its depth, its duration, and the fevers within it.

Why these measures: the risk of infection rises with both the depth and the duration of
neutropenia, steeply below 0.5 and again below 0.1 x 10^9/L (Bodey GP, Buckley M, Sathe YS,
Freireich EJ. Quantitative relationships between circulating leukocytes and infection in
patients with acute leukemia. Ann Intern Med 1966;64(2):328-340). The thresholds 0.5
(severe) and 0.1 (profound) are also those of IDSA (Freifeld et al., Clin Infect Dis
2011;52(4):e56-e93).

* **Days below 0.5 and below 0.1** are durations computed as in
  :mod:`hematwin.clinic.recovery` (``method="measurement"``: each count holds until the next;
  ``"interpolate"``: linear between counts).
* **D-index** (Portugal RD, Garnica M, Nucci M. Index to predict invasive mold infection in
  high-risk neutropenic patients based on the area over the neutrophil curve. J Clin Oncol
  2009;27(23):3849-3854): the area between the line ANC = 0.5 x 10^9/L (500/uL) and the ANC
  curve while the ANC is below it. We compute the integral of ``max(0.5 - ANC, 0)`` over time,
  in 10^9/L x days (multiply by 1000 for the paper's unit, cells/uL x days). With
  ``method="interpolate"`` the curve is linear between counts, as the paper's trapezoids,
  and the small triangles where the curve crosses 0.5 are included (the paper starts and
  ends the area on the first and last neutropenic day). The cumulative D-index up to a day
  (the paper's c-D-index) is the same integral with ``end_day``.
* **Febrile episodes**: fevers meeting a febrile-neutropenia definition
  (:mod:`hematwin.clinic.fever`: CTCAE, ANC < 1.0; or IDSA, ANC < 0.5), grouped into episodes;
  a new episode starts when more than ``new_episode_after_days`` (default 2 days, our
  convention: no standard gap exists) separate two qualifying readings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hematwin.clinic._series import as_series
from hematwin.clinic.fever import (
    CTCAE_FEBRILE_NEUTROPENIA,
    FebrileNeutropeniaDefinition,
    febrile_neutropenic_readings,
)
from hematwin.clinic.recovery import Method, _check_method, _interval_time_below
from hematwin.errors import DataError

__all__ = [
    "SEVERE_NEUTROPENIA",
    "PROFOUND_NEUTROPENIA",
    "NeutropeniaExposure",
    "FebrileEpisode",
    "neutropenia_exposure",
    "d_index",
    "febrile_episodes",
]

#: Severe neutropenia, ANC < 0.5 x 10^9/L (Bodey 1966; IDSA 2010).
SEVERE_NEUTROPENIA = 0.5
#: Profound neutropenia, ANC < 0.1 x 10^9/L (Bodey 1966; IDSA 2010).
PROFOUND_NEUTROPENIA = 0.1


@dataclass(frozen=True)
class NeutropeniaExposure:
    """Exposure over ``[start_day, end_day]``: floats for one patient, arrays for a cohort.

    ``d_index`` is in 10^9/L x days; ``d_index_cells_per_ul_days`` in the unit of Portugal
    et al. 2009 (cells/uL x days).
    """

    days_below_0_5: float | np.ndarray
    days_below_0_1: float | np.ndarray
    d_index: float | np.ndarray
    method: Method
    start_day: float
    end_day: float

    @property
    def d_index_cells_per_ul_days(self) -> float | np.ndarray:
        return self.d_index * 1000.0


def _clip(t: np.ndarray, v: np.ndarray, start: float | None,
          end: float | None, method: Method) -> tuple[np.ndarray, np.ndarray]:
    """Restrict the series to [start, end], adding boundary points where needed."""
    lo = t[0] if start is None else float(start)
    hi = t[-1] if end is None else float(end)
    if hi < lo:
        raise DataError(f"end_day {hi:g} is before start_day {lo:g}", field="end_day")
    grid = np.unique(np.concatenate([[lo, hi], t[(t > lo) & (t < hi)]]))
    grid = grid[(grid >= max(lo, t[0])) & (grid <= min(hi, t[-1]))]
    if grid.size == 0:
        return np.array([lo]), np.zeros(v.shape[:-1] + (1,))
    if method == "interpolate":
        flat = v.reshape(-1, v.shape[-1])
        values = np.stack([np.interp(grid, t, row) for row in flat]).reshape(
            v.shape[:-1] + (grid.size,))
    else:  # carry the last measurement forward
        index = np.searchsorted(t, grid, side="right") - 1
        values = v[..., index]
    return grid, values


def _area_below(t: np.ndarray, v: np.ndarray, cut: float, method: Method) -> np.ndarray:
    """Integral of max(cut - v, 0) dt, step or piecewise-linear."""
    dt = np.diff(t)
    a, b = cut - v[..., :-1], cut - v[..., 1:]
    if method == "measurement":
        return (np.maximum(a, 0.0) * dt).sum(axis=-1)
    both = (a > 0) & (b > 0)
    trapezoid = 0.5 * (a + b) * dt
    with np.errstate(divide="ignore", invalid="ignore"):
        # one end below the cut: a triangle up to (or from) the crossing
        triangle = 0.5 * np.maximum(a, b) ** 2 / np.abs(a - b) * dt
    one = (a > 0) ^ (b > 0)
    return np.where(both, trapezoid, np.where(one, triangle, 0.0)).sum(axis=-1)


def neutropenia_exposure(
    anc: object,
    days: object | None = None,
    *,
    method: Method = "measurement",
    start_day: float | None = None,
    end_day: float | None = None,
) -> NeutropeniaExposure:
    """Days with ANC < 0.5 and < 0.1 x 10^9/L and the D-index, per patient.

    ``anc`` in 10^9/L: one series (with ``days`` or as a Series indexed by day) or a
    patients x times array. ``start_day``/``end_day`` restrict the window (default: the whole
    series); the c-D-index of Portugal et al. is ``end_day`` = the day of interest.
    """
    method = _check_method(method)
    t, v = as_series(anc, days, "anc")
    t, v = _clip(t, v, start_day, end_day, method)
    below_05 = _interval_time_below(t, v, SEVERE_NEUTROPENIA, method).sum(axis=-1)
    below_01 = _interval_time_below(t, v, PROFOUND_NEUTROPENIA, method).sum(axis=-1)
    area = _area_below(t, v, SEVERE_NEUTROPENIA, method)

    def out(x: np.ndarray) -> float | np.ndarray:
        return float(x) if np.ndim(x) == 0 else x

    return NeutropeniaExposure(out(below_05), out(below_01), out(area), method,
                               float(t[0]), float(t[-1]))


def d_index(anc: object, days: object | None = None, *, method: Method = "interpolate",
            end_day: float | None = None) -> float | np.ndarray:
    """D-index (Portugal et al. 2009) in 10^9/L x days, linear between counts by default."""
    return neutropenia_exposure(anc, days, method=method, end_day=end_day).d_index


@dataclass(frozen=True)
class FebrileEpisode:
    """A run of febrile-neutropenic temperature readings (days may be fractional)."""

    start_day: float
    end_day: float
    n_readings: int
    peak_temperature: float
    lowest_anc: float
    definition: str


def febrile_episodes(
    anc: object,
    anc_days: object | None,
    temperature: object,
    temperature_days: object | None,
    *,
    definition: FebrileNeutropeniaDefinition = CTCAE_FEBRILE_NEUTROPENIA,
    anc_window_days: float = 1.0,
    new_episode_after_days: float = 2.0,
) -> list[FebrileEpisode]:
    """Febrile-neutropenia episodes of one patient under ``definition`` (CTCAE or IDSA).

    ``len(febrile_episodes(...))`` is the number of febrile episodes.
    """
    readings = febrile_neutropenic_readings(
        anc, anc_days, temperature, temperature_days,
        definition=definition, anc_window_days=anc_window_days,
    )
    hits = np.flatnonzero(readings.febrile_neutropenia)
    episodes: list[FebrileEpisode] = []
    if hits.size == 0:
        return episodes
    breaks = np.flatnonzero(np.diff(readings.days[hits]) > new_episode_after_days) + 1
    for group in np.split(hits, breaks):
        episodes.append(FebrileEpisode(
            start_day=float(readings.days[group[0]]),
            end_day=float(readings.days[group[-1]]),
            n_readings=int(group.size),
            peak_temperature=float(readings.temperature[group].max()),
            lowest_anc=float(np.nanmin(readings.anc_at_reading[group])),
            definition=definition.name,
        ))
    return episodes
