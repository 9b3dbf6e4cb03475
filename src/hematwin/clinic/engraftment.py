"""Hematopoietic recovery after stem-cell transplantation: engraftment and graft failure.

Definitions follow the ASTCT consensus and its international harmonisation:

* **[ASTCT 2021]** Kharfan-Dabaja MA, Kumar A, Ayala E, et al. Standardizing definitions of
  hematopoietic recovery, graft rejection, graft failure, poor graft function, and donor
  chimerism in allogeneic hematopoietic cell transplantation: a report on behalf of the
  American Society for Transplantation and Cellular Therapy. Transplant Cell Ther
  2021;27(8):642-649.
* **[EBMT-ASTCT-CIBMTR-APBMT 2024]** Sureda A, Carpenter PA, Bacigalupo A, et al. Harmonizing
  definitions for hematopoietic recovery, graft rejection, graft failure, poor graft
  function, and donor chimerism in allogeneic hematopoietic cell transplantation: a report on
  behalf of the EBMT, ASTCT, CIBMTR, and APBMT. Bone Marrow Transplant 2024;59(6):832-837
  (Table 1: both panels endorse the ASTCT 2021 definitions used below).

What the consensus says (2024, Table 1) and how we read it from a count series:

* Neutrophil recovery: "the first of 3 successive days with an ANC >= 500/uL after
  post-transplantation nadir". We take *3 consecutive measurements* >= 0.5 x 10^9/L (the
  boundary counts: ``>=``), searched only after the ANC has first fallen below 0.5 on or after
  day 0, so that residual pre-transplant neutrophils in the first days are not mistaken for
  engraftment. The nadir is the lowest ANC between that fall and engraftment. A patient
  whose ANC never falls below 0.5 is reported as ``never_below`` (as registry forms do) with
  no engraftment day. For simulated series, pass daily samples: "consecutive" counts
  measurements, not calendar days.
* Platelet recovery: "the first of 3 consecutive days with a platelet count of 20,000/uL or
  higher in the absence of platelet transfusion for 7 consecutive days". We require no
  platelet transfusion from 7 days before the first of the 3 measurements through the last
  of them (a transfusion inside the run would prop the counts up). The >= 50 x 10^9/L
  endpoint uses the same rule with 50.
* Primary graft failure: "lack of achievement of an ANC >= 500/uL by day +30 with associated
  pancytopenia" for peripheral blood stem cells and unstimulated bone marrow, "by day +42"
  for umbilical cord blood. (Older protocols and the EBMT handbook often used day +28 for
  marrow and blood; we follow the consensus' day +30 and let the caller override it.)
  Pancytopenia is reported when the platelet (and Hb) counts are given, not required.
* Secondary graft failure: "a decline in hematopoietic function (may involve hemoglobin and/or
  platelets and/or neutrophils) necessitating blood products or growth factor support, after
  having met the standard definition of hematopoietic (neutrophils and platelets) recovery".
  Our count rule: after both recoveries, a lineage falls back below its recovery threshold
  (ANC < 0.5, platelets < 20 x 10^9/L; Hb < 8.0 g/dL, the CTCAE grade-3 "transfusion
  indicated" level, if Hb is given) on 3 consecutive measurements; support (transfusion or
  growth factor days) must follow within 7 days when support days are given.
* Poor graft function: "frequent dependence on blood and/or platelet transfusions and/or
  growth factor support in the absence of other explanations, such as disease relapse, drugs,
  or infections". We count support events in the assessment window (``min_support_events``,
  default 2, is our reading of "frequent"), require at least ``min_cytopenic_lineages``
  lineages below the thresholds above on 3 consecutive measurements, and, when given, full
  donor chimerism (> 95 %, the consensus' "full donor chimerism", Table 1). The older
  definition of "two or three cytopenic lineages with hypocellular marrow" corresponds to
  ``min_cytopenic_lineages=2`` plus the caller's marrow finding in ``other_explanation``.

Relapse, drugs, infection and marrow cellularity are not in a count series: the caller
states them through ``other_explanation``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

import numpy as np

from hematwin.clinic._series import as_event_days, as_series
from hematwin.errors import DataError

__all__ = [
    "GraftSource",
    "PRIMARY_GRAFT_FAILURE_DAY",
    "NeutrophilEngraftment",
    "PlateletEngraftment",
    "PrimaryGraftFailure",
    "SecondaryGraftFailure",
    "PoorGraftFunction",
    "neutrophil_engraftment",
    "platelet_engraftment",
    "primary_graft_failure",
    "secondary_graft_failure",
    "poor_graft_function",
]

#: ANC recovery threshold, 10^9/L (500/uL) [ASTCT 2021; 2024 Table 1].
ANC_RECOVERY = 0.5
#: Platelet recovery threshold, 10^9/L (20,000/uL) [ASTCT 2021; 2024 Table 1].
PLATELET_RECOVERY = 20.0
#: The secondary platelet endpoint, 10^9/L (50,000/uL).
PLATELET_RECOVERY_50 = 50.0
#: Hemoglobin below which a lineage counts as failing, g/dL: CTCAE v5.0 anemia grade 3,
#: "<8.0 g/dL; transfusion indicated" (our choice; the consensus gives no Hb number).
HEMOGLOBIN_FAILURE = 8.0
#: Days without platelet transfusion before platelet recovery [ASTCT 2021; 2024 Table 1].
TRANSFUSION_FREE_DAYS = 7.0
#: Consecutive measurements that confirm a recovery or a decline [ASTCT 2021].
CONSECUTIVE = 3
#: Full donor chimerism, percent donor cells (> 95 %) [2024 Table 1].
FULL_DONOR_CHIMERISM = 95.0


class GraftSource(StrEnum):
    BONE_MARROW = "bone_marrow"
    PERIPHERAL_BLOOD = "peripheral_blood"
    CORD_BLOOD = "cord_blood"


#: Day by which the ANC must have recovered [2024 Table 1: PBSC and unstimulated BM +30, UCB
#: +42]. Day +28 appears in older protocols; we follow the consensus.
PRIMARY_GRAFT_FAILURE_DAY: dict[GraftSource, float] = {
    GraftSource.BONE_MARROW: 30.0,
    GraftSource.PERIPHERAL_BLOOD: 30.0,
    GraftSource.CORD_BLOOD: 42.0,
}


# --- shared machinery -------------------------------------------------------------------


def _runs_at_least(ok: np.ndarray, k: int) -> np.ndarray:
    """``run[..., i]`` is True when ``ok[..., i:i+k]`` are all True (False near the end)."""
    if k < 1:
        raise DataError(f"consecutive must be at least 1, got {k}", field="consecutive")
    n = ok.shape[-1]
    run = np.zeros(ok.shape, dtype=bool)
    if n >= k:
        windows = np.lib.stride_tricks.sliding_window_view(ok, k, axis=-1)
        run[..., : n - k + 1] = windows.all(axis=-1)
    return run


def _first(mask: np.ndarray, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index and day of the first True along the last axis (-1 and NaN where none)."""
    has = mask.any(axis=-1)
    index = np.where(has, np.argmax(mask, axis=-1), -1)
    return index, np.where(has, days[np.maximum(index, 0)], np.nan)


def _scalar_or_array(x: np.ndarray) -> float | None | np.ndarray:
    if x.ndim == 0:
        value = float(x)
        return None if np.isnan(value) else value
    return x


def _recovery_search(
    t: np.ndarray,
    v: np.ndarray,
    threshold: float,
    consecutive: int,
    start_day: float,
    allowed: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """First run of ``consecutive`` values >= threshold after the first fall below it."""
    after_start = t >= start_day
    below = (v < threshold) & after_start
    fall_index, fall_day = _first(below, t)
    positions = np.arange(t.size)
    searchable = (positions > fall_index[..., None]) & (fall_index[..., None] >= 0)
    above = v >= threshold
    run = _runs_at_least(above, consecutive) & searchable
    if allowed is not None:
        run &= allowed
    run_index, run_day = _first(run, t)
    single_index, single_day = _first(above & searchable, t)
    # Nadir: lowest value from the fall up to (not including) the recovery, or to the end.
    stop = np.where(run_index >= 0, run_index, t.size)
    window = ((positions >= fall_index[..., None]) & (positions < stop[..., None])
              & (fall_index[..., None] >= 0))
    masked = np.where(window, v, np.inf)
    nadir_index = np.argmin(masked, axis=-1)
    has_fall = fall_index >= 0
    nadir = np.where(has_fall, np.take_along_axis(v, nadir_index[..., None], -1)[..., 0], np.nan)
    nadir_day = np.where(has_fall, t[nadir_index], np.nan)
    return {
        "day": run_day,
        "single_day": single_day,
        "fall_day": fall_day,
        "nadir": nadir,
        "nadir_day": nadir_day,
        "never_below": ~has_fall,
    }


# --- neutrophils -------------------------------------------------------------------------


@dataclass(frozen=True)
class NeutrophilEngraftment:
    """Neutrophil recovery after HSCT; days relative to transplant (day 0).

    Fields are floats (None when absent) for one patient, arrays (NaN when absent) for a
    patients x times input.
    """

    engraftment_day: float | None | np.ndarray
    first_day_above: float | None | np.ndarray
    aplasia_onset_day: float | None | np.ndarray
    nadir: float | None | np.ndarray
    nadir_day: float | None | np.ndarray
    never_below: bool | np.ndarray
    threshold: float
    consecutive: int

    @property
    def engrafted(self) -> bool | np.ndarray:
        if isinstance(self.engraftment_day, np.ndarray):
            return ~np.isnan(self.engraftment_day)
        return self.engraftment_day is not None


def neutrophil_engraftment(
    anc: object,
    days: object | None = None,
    *,
    threshold: float = ANC_RECOVERY,
    consecutive: int = CONSECUTIVE,
    start_day: float = 0.0,
) -> NeutrophilEngraftment:
    """Day of neutrophil engraftment: first of 3 consecutive measurements ANC >= 0.5 x 10^9/L.

    ``first_day_above`` is the single-day variant (first measurement >= threshold after the
    fall). ``anc`` in 10^9/L, one series (with ``days`` or as a Series indexed by day) or a
    patients x times array.
    """
    t, v = as_series(anc, days, "anc")
    found = _recovery_search(t, v, threshold, consecutive, start_day)
    never = found["never_below"]
    return NeutrophilEngraftment(
        engraftment_day=_scalar_or_array(found["day"]),
        first_day_above=_scalar_or_array(found["single_day"]),
        aplasia_onset_day=_scalar_or_array(found["fall_day"]),
        nadir=_scalar_or_array(found["nadir"]),
        nadir_day=_scalar_or_array(found["nadir_day"]),
        never_below=bool(never) if never.ndim == 0 else never,
        threshold=threshold,
        consecutive=consecutive,
    )


# --- platelets ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlateletEngraftment:
    """Platelet recovery: ``engraftment_day`` (>= 20 x 10^9/L) and ``day_50`` (>= 50).

    ``nadir`` is the lowest count between the fall below 20 and recovery (None if it never fell).

    ``never_below`` / ``never_below_50``: the count never fell below that threshold on or after
    day 0, so no recovery day is defined.
    """

    engraftment_day: float | None | np.ndarray
    day_50: float | None | np.ndarray
    nadir: float | None | np.ndarray
    nadir_day: float | None | np.ndarray
    never_below: bool | np.ndarray
    never_below_50: bool | np.ndarray
    transfusion_free_days: float
    consecutive: int

    @property
    def engrafted(self) -> bool | np.ndarray:
        if isinstance(self.engraftment_day, np.ndarray):
            return ~np.isnan(self.engraftment_day)
        return self.engraftment_day is not None


def _transfusion_free(t: np.ndarray, n_rows: tuple[int, ...], transfusion_days: object,
                      free_days: float, consecutive: int) -> np.ndarray:
    """``ok[..., i]``: no transfusion in [t_i - free_days, t_{i+k-1}] (k = consecutive)."""
    end = t[np.minimum(np.arange(t.size) + consecutive - 1, t.size - 1)]
    start = t - free_days

    def one(events: np.ndarray) -> np.ndarray:
        count = np.searchsorted(events, end, "right") - np.searchsorted(events, start, "left")
        return count == 0

    per_patient = (
        transfusion_days is not None
        and not isinstance(transfusion_days, np.ndarray)
        and len(n_rows) == 1
        and isinstance(transfusion_days, Sequence)
        and len(transfusion_days) == n_rows[0]
        and all(isinstance(x, Sequence | np.ndarray) for x in transfusion_days)
    )
    if per_patient:
        return np.stack([one(as_event_days(x, "transfusion_days"))
                         for x in transfusion_days])  # type: ignore[union-attr]
    ok = one(as_event_days(transfusion_days, "transfusion_days"))  # type: ignore[arg-type]
    return np.broadcast_to(ok, n_rows + (t.size,))


def platelet_engraftment(
    platelets: object,
    days: object | None = None,
    *,
    transfusion_days: Sequence[float] | Sequence[Sequence[float]] | None = None,
    threshold: float = PLATELET_RECOVERY,
    threshold_50: float = PLATELET_RECOVERY_50,
    consecutive: int = CONSECUTIVE,
    transfusion_free_days: float = TRANSFUSION_FREE_DAYS,
    start_day: float = 0.0,
) -> PlateletEngraftment:
    """Day of platelet engraftment (>= 20 x 10^9/L) and of the >= 50 endpoint.

    ``transfusion_days`` are platelet transfusion days (relative to transplant); for a
    patients x times input give one list shared by all patients or one list per patient.
    """
    t, v = as_series(platelets, days, "platelets")
    allowed = _transfusion_free(t, v.shape[:-1], transfusion_days, transfusion_free_days,
                                consecutive)
    found20 = _recovery_search(t, v, threshold, consecutive, start_day, allowed)
    found50 = _recovery_search(t, v, threshold_50, consecutive, start_day, allowed)
    n20, n50 = found20["never_below"], found50["never_below"]
    return PlateletEngraftment(
        engraftment_day=_scalar_or_array(found20["day"]),
        day_50=_scalar_or_array(found50["day"]),
        nadir=_scalar_or_array(found20["nadir"]),
        nadir_day=_scalar_or_array(found20["nadir_day"]),
        never_below=bool(n20) if n20.ndim == 0 else n20,
        never_below_50=bool(n50) if n50.ndim == 0 else n50,
        transfusion_free_days=transfusion_free_days,
        consecutive=consecutive,
    )


# --- graft failure -----------------------------------------------------------------------


def _graft_source(source: GraftSource | str) -> GraftSource:
    try:
        return GraftSource(str(source).strip().lower().replace(" ", "_"))
    except ValueError:
        aliases = {"bm": GraftSource.BONE_MARROW, "pbsc": GraftSource.PERIPHERAL_BLOOD,
                   "pb": GraftSource.PERIPHERAL_BLOOD, "ucb": GraftSource.CORD_BLOOD,
                   "cb": GraftSource.CORD_BLOOD, "umbilical_cord_blood": GraftSource.CORD_BLOOD}
        key = str(source).strip().lower()
        if key in aliases:
            return aliases[key]
    raise DataError(f"unknown graft source {source!r}; expected one of "
                    f"{', '.join(s.value for s in GraftSource)}", field="graft_source")


@dataclass(frozen=True)
class PrimaryGraftFailure:
    """Primary graft failure by the consensus day for the graft source.

    ``status``: "engrafted" (ANC recovered by the deadline, or never fell below 0.5),
    "primary_graft_failure" (followed to the deadline without recovery) or "not_evaluable"
    (follow-up ends before the deadline without recovery).
    """

    status: Literal["engrafted", "primary_graft_failure", "not_evaluable"]
    graft_source: GraftSource
    deadline_day: float
    engraftment_day: float | None
    last_day: float
    pancytopenia_at_deadline: bool | None

    @property
    def graft_failure(self) -> bool:
        return self.status == "primary_graft_failure"


def _last_at_or_before(t: np.ndarray, v: np.ndarray | None, day: float) -> float | None:
    if v is None:
        return None
    k = int(np.searchsorted(t, day, "right")) - 1
    return None if k < 0 else float(v[k])


def primary_graft_failure(
    anc: object,
    days: object | None = None,
    *,
    graft_source: GraftSource | str,
    platelets: object | None = None,
    hemoglobin: object | None = None,
    deadline_day: float | None = None,
) -> PrimaryGraftFailure:
    """No neutrophil engraftment by day +30 (marrow, blood) or +42 (cord blood).

    ``platelets`` (10^9/L) and ``hemoglobin`` (g/dL), sampled on the same days as ``anc``,
    are optional and only inform ``pancytopenia_at_deadline`` (last values on or before the
    deadline all below ANC 0.5, platelets 20, Hb 8.0).
    """
    source = _graft_source(graft_source)
    t, v = as_series(anc, days, "anc")
    if v.ndim != 1:
        raise DataError("expected one patient's ANC series (1-D)", field="anc")
    plt_v = as_series(platelets, t, "platelets")[1] if platelets is not None else None
    hb_v = as_series(hemoglobin, t, "hemoglobin")[1] if hemoglobin is not None else None
    deadline = PRIMARY_GRAFT_FAILURE_DAY[source] if deadline_day is None else float(deadline_day)
    engraftment = neutrophil_engraftment(v, t)
    day = engraftment.engraftment_day
    assert not isinstance(day, np.ndarray)
    if engraftment.never_below or (day is not None and day <= deadline):
        status: Literal["engrafted", "primary_graft_failure", "not_evaluable"] = "engrafted"
    elif t[-1] >= deadline:
        status = "primary_graft_failure"
    else:
        status = "not_evaluable"
    pancytopenia: bool | None = None
    if plt_v is not None:
        a = _last_at_or_before(t, v, deadline)
        p = _last_at_or_before(t, plt_v, deadline)
        h = _last_at_or_before(t, hb_v, deadline)
        if a is not None and p is not None:
            pancytopenia = (a < ANC_RECOVERY and p < PLATELET_RECOVERY
                            and (h is None or h < HEMOGLOBIN_FAILURE))
    return PrimaryGraftFailure(status, source, deadline, day, float(t[-1]), pancytopenia)


def _sustained_below(t: np.ndarray, v: np.ndarray, threshold: float, consecutive: int,
                     from_day: float, to_day: float = np.inf) -> float | None:
    """First day of ``consecutive`` measurements below ``threshold`` within the window."""
    inside = (t > from_day) & (t <= to_day)
    run = _runs_at_least((v < threshold) & inside, consecutive)
    index, day = _first(run, t)
    return None if index < 0 else float(day)


@dataclass(frozen=True)
class SecondaryGraftFailure:
    """Loss of graft function after neutrophil and platelet recovery.

    ``decline_day`` is the first of 3 consecutive measurements below a lineage threshold after
    ``recovery_day``; ``support_confirmed`` is None when no support days were given;
    ``graft_loss`` (donor chimerism < 5 %) is None when no chimerism was given.
    """

    secondary_graft_failure: bool
    recovery_day: float | None
    decline_day: float | None
    declined_lineages: tuple[str, ...]
    support_confirmed: bool | None
    graft_loss: bool | None


#: Donor chimerism below which the graft is considered lost, percent (< 5 %).
GRAFT_LOSS_CHIMERISM = 5.0


def _lineages(t: np.ndarray, anc: object, platelets: object,
              hemoglobin: object | None) -> dict[str, tuple[np.ndarray, float]]:
    out = {"neutrophils": (as_series(anc, t, "anc")[1], ANC_RECOVERY),
           "platelets": (as_series(platelets, t, "platelets")[1], PLATELET_RECOVERY)}
    if hemoglobin is not None:
        out["hemoglobin"] = (as_series(hemoglobin, t, "hemoglobin")[1], HEMOGLOBIN_FAILURE)
    for name, (values, _) in out.items():
        if values.ndim != 1:
            raise DataError("expected one patient's series (1-D)", field=name)
    return out


def secondary_graft_failure(
    anc: object,
    platelets: object,
    days: object | None = None,
    *,
    hemoglobin: object | None = None,
    platelet_transfusion_days: Sequence[float] | None = None,
    support_days: Sequence[float] | None = None,
    support_within_days: float = 7.0,
    donor_chimerism_percent: float | None = None,
    consecutive: int = CONSECUTIVE,
    other_explanation: bool = False,
) -> SecondaryGraftFailure:
    """Secondary graft failure per the consensus, read from the counts (module docstring).

    ``anc``, ``platelets`` (10^9/L) and ``hemoglobin`` (g/dL) share ``days``;
    ``support_days`` are days of red-cell or platelet transfusion or growth-factor doses.
    """
    t, a = as_series(anc, days, "anc")
    lineages = _lineages(t, a, platelets, hemoglobin)
    support = None if support_days is None else as_event_days(support_days, "support_days")
    if donor_chimerism_percent is not None and not 0 <= donor_chimerism_percent <= 100:
        raise DataError("expected a percentage between 0 and 100",
                        field="donor_chimerism_percent")
    graft_loss = (None if donor_chimerism_percent is None
                  else donor_chimerism_percent < GRAFT_LOSS_CHIMERISM)
    neutro = neutrophil_engraftment(lineages["neutrophils"][0], t, consecutive=consecutive)
    plate = platelet_engraftment(lineages["platelets"][0], t, consecutive=consecutive,
                                 transfusion_days=platelet_transfusion_days)
    n_day, p_day = neutro.engraftment_day, plate.engraftment_day
    assert not isinstance(n_day, np.ndarray) and not isinstance(p_day, np.ndarray)
    if n_day is None or p_day is None:
        return SecondaryGraftFailure(False, None, None, (), None, graft_loss)
    recovered = max(n_day, p_day)
    declines = {name: _sustained_below(t, values, cut, consecutive, recovered)
                for name, (values, cut) in lineages.items()}
    declined = {name: day for name, day in declines.items() if day is not None}
    if not declined:
        return SecondaryGraftFailure(False, recovered, None, (), None, graft_loss)
    decline_day = min(declined.values())
    names = tuple(sorted(declined, key=lambda name: declined[name]))
    confirmed: bool | None = None
    if support is not None:
        confirmed = bool(np.any((support >= decline_day)
                                & (support <= decline_day + support_within_days)))
    failed = (confirmed is not False) and not other_explanation
    return SecondaryGraftFailure(failed, recovered, decline_day, names, confirmed, graft_loss)


@dataclass(frozen=True)
class PoorGraftFunction:
    """Poor graft function in the window ``[from_day, to_day]`` (criteria listed separately)."""

    poor_graft_function: bool
    cytopenic_lineages: tuple[str, ...]
    support_events: int
    full_donor_chimerism: bool | None
    other_explanation: bool


def poor_graft_function(
    anc: object,
    platelets: object,
    days: object | None = None,
    *,
    support_days: Sequence[float],
    hemoglobin: object | None = None,
    donor_chimerism_percent: float | None = None,
    from_day: float = 0.0,
    to_day: float = np.inf,
    min_support_events: int = 2,
    min_cytopenic_lineages: int = 1,
    consecutive: int = CONSECUTIVE,
    other_explanation: bool = False,
) -> PoorGraftFunction:
    """Poor graft function: support dependence with cytopenia, no other explanation.

    See the module docstring for the consensus text and our reading of it. ``support_days``
    are the days of red-cell or platelet transfusions and growth-factor doses.
    """
    t, a = as_series(anc, days, "anc")
    lineages = _lineages(t, a, platelets, hemoglobin)
    support = as_event_days(support_days, "support_days")
    if donor_chimerism_percent is not None and not 0 <= donor_chimerism_percent <= 100:
        raise DataError("expected a percentage between 0 and 100",
                        field="donor_chimerism_percent")
    window_start = np.nextafter(from_day, -np.inf)  # the window includes from_day itself
    cytopenic = tuple(name for name, (values, cut) in lineages.items()
                      if _sustained_below(t, values, cut, consecutive, window_start, to_day)
                      is not None)
    events = int(np.sum((support >= from_day) & (support <= to_day)))
    full = (None if donor_chimerism_percent is None
            else donor_chimerism_percent > FULL_DONOR_CHIMERISM)
    poor = (len(cytopenic) >= min_cytopenic_lineages and events >= min_support_events
            and full is not False and not other_explanation)
    return PoorGraftFunction(poor, cytopenic, events, full, other_explanation)
