"""Fever in neutropenia: the temperature and ANC criteria of CTCAE and IDSA, read off series.

Two definitions are in use and they differ in their edges, so both are spelled out:

* **CTCAE** "Febrile neutropenia" (NCI CTCAE v5.0, 27 Nov 2017, SOC Blood and lymphatic
  system disorders; unchanged in substance in v6.0, 22 Jul 2025, where only the definition
  text was clarified): "ANC <1000/mm3 and a single temperature of >38.3 degrees C (101
  degrees F) or a sustained temperature of >=38 degrees C (100.4 degrees F) for more than one
  hour". Strict ``>`` for the single reading, strict "more than one hour".
* **IDSA** (Freifeld AG et al. Clinical practice guideline for the use of antimicrobial
  agents in neutropenic patients with cancer: 2010 update by the Infectious Diseases Society
  of America. Clin Infect Dis 2011;52(4):e56-e93, "Definitions"): fever is a single oral
  temperature ``>= 38.3 °C`` or ``>= 38.0 °C`` sustained over a 1-hour period; neutropenia is
  ANC ``< 0.5 x 10^9/L`` *or expected to fall below 0.5 within 48 h*. The expectation clause
  needs a forecast, not a measurement, so it is not applied here: only a measured ANC counts.

Operational choices (ours, documented because the texts leave them open):

* "Sustained" is read from discrete readings as a run of consecutive readings, all
  ``>= 38.0 °C`` with no cooler reading between them, whose first and last reading are more
  than (CTCAE) / at least (IDSA) one hour apart. Two readings more than ``max_gap_hours``
  apart (default 4 h, a usual ward observation interval) do not continue a run: nothing is
  known of the temperature between them. Spans are compared in hours rounded to 1e-6 h
  so that a day-fraction such as 1/24 is not lost to floating point.
* The ANC that goes with a temperature reading is the ANC measured nearest in time, within
  ``anc_window_days`` (default 1 day) either side; on a tie the earlier one. With no ANC in
  the window the reading cannot be judged and its febrile-neutropenia flag is False while
  ``anc_at_reading`` is NaN, so the caller can tell "not judged" from "not febrile".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hematwin.clinic._series import as_series
from hematwin.errors import DataError

__all__ = [
    "FebrileNeutropeniaDefinition",
    "CTCAE_FEBRILE_NEUTROPENIA",
    "IDSA_FEBRILE_NEUTROPENIA",
    "FebrileReadings",
    "fever_readings",
    "febrile_neutropenic_readings",
]

_HOURS_DECIMALS = 6
#: Longest gap between two readings that still continues a "sustained" run (our choice).
MAX_GAP_HOURS = 4.0


@dataclass(frozen=True)
class FebrileNeutropeniaDefinition:
    """Thresholds of one febrile-neutropenia definition (temperatures in °C, ANC in 10^9/L).

    A reading is febrile if ``T > single_temperature`` (``>=`` when ``single_inclusive``) or
    if it closes a run of readings ``>= sustained_temperature`` spanning more than
    ``sustained_hours`` (at least, when ``sustained_inclusive``). Neutropenic means
    ``ANC < anc_below``.
    """

    name: str
    anc_below: float
    single_temperature: float
    single_inclusive: bool
    sustained_temperature: float
    sustained_hours: float
    sustained_inclusive: bool
    source: str


CTCAE_FEBRILE_NEUTROPENIA = FebrileNeutropeniaDefinition(
    name="CTCAE",
    anc_below=1.0,
    single_temperature=38.3,
    single_inclusive=False,
    sustained_temperature=38.0,
    sustained_hours=1.0,
    sustained_inclusive=False,
    source="NCI CTCAE v5.0 (2017) and v6.0 (2025), term 'Febrile neutropenia', grade 3",
)

IDSA_FEBRILE_NEUTROPENIA = FebrileNeutropeniaDefinition(
    name="IDSA",
    anc_below=0.5,
    single_temperature=38.3,
    single_inclusive=True,
    sustained_temperature=38.0,
    sustained_hours=1.0,
    sustained_inclusive=True,
    source="Freifeld et al., Clin Infect Dis 2011;52(4):e56-e93 (IDSA 2010 update), Definitions",
)


@dataclass(frozen=True)
class FebrileReadings:
    """Per temperature reading: the fever flag, the ANC paired with it, and both together."""

    days: np.ndarray
    temperature: np.ndarray
    fever: np.ndarray
    anc_at_reading: np.ndarray
    febrile_neutropenia: np.ndarray
    definition: FebrileNeutropeniaDefinition


def fever_readings(
    temperature: object,
    days: object | None = None,
    *,
    definition: FebrileNeutropeniaDefinition = CTCAE_FEBRILE_NEUTROPENIA,
    max_gap_hours: float = MAX_GAP_HOURS,
) -> np.ndarray:
    """Flag each temperature reading at which the fever criterion of ``definition`` is met.

    ``days`` may be fractional (a reading at 14:00 on day 3 is day 3.583...). A reading
    inside a sustained run is flagged from the reading at which the run first spans the
    required time to the end of the run.
    """
    days_arr, temp = as_series(temperature, days, "temperature", allow_negative=True,
                               days_field="temperature_days")
    if temp.ndim != 1:
        raise DataError("expected one patient's temperature series (1-D)", field="temperature")
    d = definition
    single = temp >= d.single_temperature if d.single_inclusive else temp > d.single_temperature
    warm = temp >= d.sustained_temperature
    sustained = np.zeros_like(warm)
    run_start: int | None = None
    for i, is_warm in enumerate(warm):
        if not is_warm:
            run_start = None
            continue
        gap = round((days_arr[i] - days_arr[i - 1]) * 24.0, _HOURS_DECIMALS) if i else 0.0
        if run_start is None or gap > max_gap_hours:
            run_start = i
        hours = round((days_arr[i] - days_arr[run_start]) * 24.0, _HOURS_DECIMALS)
        long_enough = (hours >= d.sustained_hours if d.sustained_inclusive
                       else hours > d.sustained_hours)
        sustained[i] = long_enough
    return single | sustained


def febrile_neutropenic_readings(
    anc: object,
    anc_days: object | None,
    temperature: object,
    temperature_days: object | None,
    *,
    definition: FebrileNeutropeniaDefinition = CTCAE_FEBRILE_NEUTROPENIA,
    anc_window_days: float = 1.0,
    max_gap_hours: float = MAX_GAP_HOURS,
) -> FebrileReadings:
    """Pair each temperature reading with the nearest ANC and apply ``definition``."""
    a_days, a_values = as_series(anc, anc_days, "anc", days_field="anc_days")
    t_days, t_values = as_series(temperature, temperature_days, "temperature",
                                 allow_negative=True, days_field="temperature_days")
    if a_values.ndim != 1 or t_values.ndim != 1:
        raise DataError("expected one patient's series (1-D)", field="anc")
    fever = fever_readings(t_values, t_days, definition=definition, max_gap_hours=max_gap_hours)
    paired = _nearest_within(a_days, a_values, t_days, anc_window_days)
    with np.errstate(invalid="ignore"):
        neutropenic = paired < definition.anc_below
    return FebrileReadings(
        days=t_days,
        temperature=t_values,
        fever=fever,
        anc_at_reading=paired,
        febrile_neutropenia=fever & neutropenic,
        definition=definition,
    )


def _nearest_within(x: np.ndarray, y: np.ndarray, at: np.ndarray, window: float) -> np.ndarray:
    """Value of ``y`` at the ``x`` nearest each ``at`` (earlier on ties), NaN beyond ``window``."""
    right = np.searchsorted(x, at, side="left")
    left = np.clip(right - 1, 0, x.size - 1)
    right = np.clip(right, 0, x.size - 1)
    d_left = np.abs(at - x[left])
    d_right = np.abs(x[right] - at)
    pick = np.where(d_right < d_left, right, left)
    out = y[pick].astype(float)
    out[np.abs(x[pick] - at) > window] = np.nan
    return out
