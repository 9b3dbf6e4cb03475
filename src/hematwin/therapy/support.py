"""Supportive care: platelet and red-cell transfusions, given on set days or whenever a
count falls below its transfusion trigger, and the blood drawn for laboratory tests during a
hospital stay.

A transfusion is a bolus into the twin's circulating pool — ``PLT`` (platelets, 10⁹/L) or
``RBC2`` (the middle age class of red cells, g/dL of Hb: stored red cells are mid-life on
average; :mod:`hematwin.twin.erythroid`) — of the count increment one product gives.
Diagnostic phlebotomy sets the twin's ``phlebotomy`` covariate (mL of whole blood a day) for
the days of the stay.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from hematwin.errors import RegimenError
from hematwin.therapy._checks import count, days, non_negative, number, positive
from hematwin.therapy.patient import REFERENCE_WEIGHT_KG
from hematwin.therapy.regimen import Covariate, Dose, Regimen

if TYPE_CHECKING:  # the engine imports the therapy package; avoid the import cycle
    from hematwin.engine import Model
    from hematwin.engine.results import SimulationResult

PLATELET_INCREMENT = 33.0
"""Platelet count increment (10⁹/L) of one adult apheresis unit in a 70-kg adult: 33 ×10⁹/L
for 4-6×10¹¹ platelets (Norol et al., Blood 1998;92:1448), the order of the medium dose of
PLADO (2.2×10¹¹/m²; Slichter et al., N Engl J Med 2010;362:600)."""

RED_CELL_INCREMENT = 1.0
"""Hb increment (g/dL) of one red-cell unit in a 70-kg adult not bleeding (Wiesen et al.,
Ann Intern Med 1994;121:278)."""

PLATELET_TRIGGER = 10.0
"""Prophylactic platelet transfusion at ≤ 10 ×10⁹/L in adults with therapy-induced
hypoproliferative thrombocytopenia (Kaufman et al., Ann Intern Med 2015;162:205, AABB
guideline)."""

HB_TRIGGER = 7.0
"""Restrictive red-cell transfusion threshold, Hb 7 g/dL (8 g/dL after orthopaedic or
cardiac surgery or with cardiovascular disease; Carson et al., JAMA 2016;316:2025, AABB
guideline)."""

PHLEBOTOMY_WARD = 12.4
"""Whole blood drawn for laboratory tests on a general medical ward, mL/day (mean; 33.5 in
intensive care, 73.9 with an arterial line: Smoller & Kruskall, N Engl J Med
1986;314:1233)."""


def _scale(weight_kg: float | None, where: str) -> float:
    if weight_kg is None:
        return 1.0
    return REFERENCE_WEIGHT_KG / positive(weight_kg, "weight_kg", where)


def platelet_transfusion(day_numbers: Sequence[float] | float, units: int = 1, *,
                         weight_kg: float | None = None,
                         increment_per_unit: float = PLATELET_INCREMENT) -> Regimen:
    """``units`` adult platelet units on each model day of ``day_numbers``; each raises the
    count by ``increment_per_unit`` ×10⁹/L (:data:`PLATELET_INCREMENT`) in a 70-kg adult,
    scaled by 70/``weight_kg`` (blood volume ∝ weight) when a weight is given."""
    where = "platelet_transfusion"
    n = count(units, "units", where)
    inc = positive(increment_per_unit, "increment_per_unit", where) * _scale(weight_kg, where)
    return Regimen([Dose(t, n * inc, "PLT") for t in days(day_numbers, "day_numbers", where)])


def red_cell_transfusion(day_numbers: Sequence[float] | float, units: int = 1, *,
                         weight_kg: float | None = None,
                         increment_per_unit: float = RED_CELL_INCREMENT) -> Regimen:
    """``units`` red-cell units on each model day of ``day_numbers``; each raises Hb by
    ``increment_per_unit`` g/dL (:data:`RED_CELL_INCREMENT`) in a 70-kg adult, scaled by
    70/``weight_kg`` when a weight is given."""
    where = "red_cell_transfusion"
    n = count(units, "units", where)
    inc = positive(increment_per_unit, "increment_per_unit", where) * _scale(weight_kg, where)
    return Regimen([Dose(t, n * inc, "RBC2") for t in days(day_numbers, "day_numbers", where)])


def diagnostic_phlebotomy(start: float, end: float,
                          ml_per_day: float = PHLEBOTOMY_WARD) -> Regimen:
    """Blood drawn for laboratory tests from model day ``start`` to ``end`` (a hospital
    stay): sets the twin's ``phlebotomy`` covariate to ``ml_per_day`` mL of whole blood a
    day (:data:`PHLEBOTOMY_WARD` by default) and back to 0 at ``end``. The twin removes red
    cells of every age at the rate ml_per_day / blood_volume
    (:mod:`hematwin.twin.erythroid`)."""
    where = "diagnostic_phlebotomy"
    a = number(start, "start", where)
    b = number(end, "end", where)
    if b <= a:
        raise RegimenError(f"{where}: end ({b}) must be after start ({a})", field="end")
    volume = non_negative(ml_per_day, "ml_per_day", where)
    return Regimen([Covariate(a, "phlebotomy", volume), Covariate(b, "phlebotomy", 0.0)])


def ward_blood_sampling(start: float, stay_days: float,
                        ml_per_day: float = PHLEBOTOMY_WARD) -> Regimen:
    """Blood drawn for laboratory tests during a hospital stay of ``stay_days`` days from
    model day ``start``: :func:`diagnostic_phlebotomy` from ``start`` to
    ``start + stay_days`` (the scenario treatment ``blood_sampling``)."""
    length = positive(stay_days, "stay_days", "ward_blood_sampling")
    return diagnostic_phlebotomy(start, number(start, "start", "ward_blood_sampling") + length,
                                 ml_per_day)


@dataclass
class TriggeredSupport:
    """What :func:`transfuse_on_triggers` found: the regimen with the transfusions added,
    the days of each product, and the final simulation (daily check times)."""

    regimen: Regimen
    platelet_days: list[float] = field(default_factory=list)
    red_cell_days: list[float] = field(default_factory=list)
    result: SimulationResult | None = None
    rounds: int = 0


def transfuse_on_triggers(model: Model, regimen: Regimen | None = None, *, start: float,
                          end: float, params: Mapping[str, Any] | None = None,
                          platelet_trigger: float | None = PLATELET_TRIGGER,
                          hb_trigger: float | None = HB_TRIGGER, platelet_units: int = 1,
                          red_cell_units: int = 1, weight_kg: float | None = None,
                          t0: float | None = None, max_rounds: int = 1000,
                          **simulate_kwargs: Any) -> TriggeredSupport:
    """Add the transfusions a patient would get under daily count checks.

    The twin has no state-triggered events, so threshold-triggered support is found by
    repeated simulation: the counts are checked once a day at ``start``, ``start + 1``, …,
    ``end`` (as a morning blood count); simulate → find the first check (after those
    already handled) where platelets < ``platelet_trigger`` ×10⁹/L or Hb < ``hb_trigger``
    g/dL → add the transfusion(s) at that check time → simulate again from scratch. A
    transfusion changes nothing before its time, so each round moves the search forward by
    at least a day and the loop ends after at most one round per check day; ``max_rounds``
    bounds it (a ``RegimenError`` if reached). ``None`` for a trigger turns that product
    off.

    ``model`` is a compiled :class:`~hematwin.engine.Model` of the twin (outputs
    ``platelets`` and ``hb``); ``params`` one patient's parameter values; ``t0`` the start
    of the simulation (default ``start``); other keyword arguments go to
    :meth:`Model.simulate`. Thresholds: :data:`PLATELET_TRIGGER` (Kaufman et al. 2015),
    :data:`HB_TRIGGER` (Carson et al. 2016).
    """
    where = "transfuse_on_triggers"
    a = number(start, "start", where)
    b = number(end, "end", where)
    if b < a:
        raise RegimenError(f"{where}: end ({b}) must not be before start ({a})", field="end")
    plt_trig = None if platelet_trigger is None else positive(platelet_trigger,
                                                              "platelet_trigger", where)
    hb_trig = None if hb_trigger is None else positive(hb_trigger, "hb_trigger", where)
    rounds_max = count(max_rounds, "max_rounds", where)
    count(platelet_units, "platelet_units", where)
    count(red_cell_units, "red_cell_units", where)
    base = regimen if regimen is not None else Regimen()
    checks = a + np.arange(int(np.floor(b - a)) + 1, dtype=float)
    start_time = a if t0 is None else number(t0, "t0", where)
    plan = TriggeredSupport(regimen=base)
    next_check = 0
    for rounds in range(1, rounds_max + 1):
        res = model.simulate(regimen=plan.regimen, params=params, times=checks,
                             record=["platelets", "hb"], t0=start_time, **simulate_kwargs)
        plan.result, plan.rounds = res, rounds
        if not bool(res.ok[0]):
            raise RegimenError(f"{where}: the simulation failed ({res.failures().to_dict()})")
        plt = res["platelets"][0]
        hb = res["hb"][0]
        low_plt = np.zeros_like(checks, dtype=bool) if plt_trig is None else plt < plt_trig
        low_hb = np.zeros_like(checks, dtype=bool) if hb_trig is None else hb < hb_trig
        low = np.flatnonzero((low_plt | low_hb)[next_check:])
        if low.size == 0:
            return plan
        i = next_check + int(low[0])
        t = float(checks[i])
        if low_plt[i]:
            plan.platelet_days.append(t)
            plan.regimen = plan.regimen + platelet_transfusion(t, platelet_units,
                                                               weight_kg=weight_kg)
        if low_hb[i]:
            plan.red_cell_days.append(t)
            plan.regimen = plan.regimen + red_cell_transfusion(t, red_cell_units,
                                                               weight_kg=weight_kg)
        next_check = i + 1
    raise RegimenError(f"{where}: still finding counts below the triggers after {rounds_max} "
                       "rounds; raise max_rounds or shorten the window", field="max_rounds")
