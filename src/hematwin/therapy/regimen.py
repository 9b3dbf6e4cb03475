"""Dosing regimens with NONMEM event semantics, expanded into the engine's event table.

A :class:`Regimen` is an ordered collection of items:

- :class:`Dose` — a bolus (AMT into CMT), or a zero-order infusion given by its ``rate`` or
  its ``duration``; repeated ``addl`` more times every ``ii`` (NONMEM ADDL/II); with
  ``reset=True`` the system is reset to its initial state first (NONMEM EVID 4; the
  additional doses do not reset).
- :class:`Reset` — every state back to its initial value and every infusion stopped (EVID 3).
- :class:`Replace` — a state set to a value (state replacement).
- :class:`Covariate` — a parameter changes value at a time and keeps it until the next
  change (last observation carried forward).

Times are in the model's time unit (days), amounts in the compartment's unit (mg for drug
compartments). The regimen knows nothing of the model until :meth:`Regimen.to_events`
resolves compartment and parameter names against it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from hematwin.engine.events import BOLUS, RATE_CHANGE, RESET, SET_PARAM, SET_STATE, EventTable
from hematwin.errors import RegimenError
from hematwin.model.spec import ModelSpec


def _finite(value: float, name: str, where: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise RegimenError(f"{where}: {name} must be a number, got {value!r}", field=name) from None
    if not math.isfinite(v):
        raise RegimenError(f"{where}: {name} must be finite, got {v}", field=name)
    return v


@dataclass(frozen=True)
class Dose:
    """A dose (bolus or infusion), possibly repeated (``addl`` extra doses every ``ii``)."""

    time: float
    amount: float
    cmt: str | int
    rate: float = 0.0
    duration: float = 0.0
    ii: float = 0.0
    addl: int = 0
    reset: bool = False

    def __post_init__(self) -> None:
        w = f"dose at time {self.time!r}"
        _finite(self.time, "time", w)
        if _finite(self.amount, "amount", w) < 0:
            raise RegimenError(f"{w}: amount must be ≥ 0, got {self.amount}", field="amount")
        if _finite(self.rate, "rate", w) < 0:
            raise RegimenError(f"{w}: rate must be ≥ 0, got {self.rate}", field="rate")
        if _finite(self.duration, "duration", w) < 0:
            raise RegimenError(f"{w}: duration must be ≥ 0, got {self.duration}",
                               field="duration")
        if self.rate > 0 and self.duration > 0:
            raise RegimenError(f"{w}: give the infusion rate or its duration, not both",
                               field="rate")
        if self.addl != int(self.addl) or self.addl < 0:
            raise RegimenError(f"{w}: addl must be a non-negative integer, got {self.addl}",
                               field="addl")
        if self.addl > 0 and not _finite(self.ii, "ii", w) > 0:
            raise RegimenError(f"{w}: ii must be > 0 when addl > 0, got {self.ii}", field="ii")

    @property
    def infusion_duration(self) -> float:
        """0 for a bolus."""
        if self.duration > 0:
            return float(self.duration)
        if self.rate > 0:
            return float(self.amount) / float(self.rate)
        return 0.0

    def times(self) -> list[float]:
        return [float(self.time) + k * float(self.ii) for k in range(int(self.addl) + 1)]


@dataclass(frozen=True)
class Reset:
    time: float

    def __post_init__(self) -> None:
        _finite(self.time, "time", "reset")


@dataclass(frozen=True)
class Replace:
    time: float
    cmt: str | int
    value: float

    def __post_init__(self) -> None:
        w = f"replacement at time {self.time!r}"
        _finite(self.time, "time", w)
        _finite(self.value, "value", w)


@dataclass(frozen=True)
class Covariate:
    time: float
    name: str
    value: float

    def __post_init__(self) -> None:
        w = f"covariate {self.name!r} at time {self.time!r}"
        _finite(self.time, "time", w)
        _finite(self.value, "value", w)


Item = Dose | Reset | Replace | Covariate


@dataclass(frozen=True)
class Regimen:
    """An ordered collection of dosing and procedure items (see module docstring)."""

    items: tuple[Item, ...] = field(default_factory=tuple)

    def __init__(self, items: Iterable[Item] = ()) -> None:
        items = tuple(items)
        for i, item in enumerate(items):
            if not isinstance(item, Dose | Reset | Replace | Covariate):
                raise RegimenError(f"item {i} is a {type(item).__name__}, not a regimen item")
        object.__setattr__(self, "items", items)

    def __add__(self, other: Regimen) -> Regimen:
        return Regimen(self.items + other.items)

    def __len__(self) -> int:
        return len(self.items)

    @staticmethod
    def cycles(dose: Dose, n: int, every: float) -> Regimen:
        """``n`` cycles of ``dose`` every ``every`` time units (as ADDL = n − 1, II = every)."""
        if n < 1:
            raise RegimenError(f"number of cycles must be ≥ 1, got {n}", field="cycles")
        return Regimen([Dose(dose.time, dose.amount, dose.cmt, dose.rate, dose.duration,
                             ii=float(every), addl=n - 1, reset=dose.reset)])

    def dose_times(self) -> list[float]:
        return sorted(t for it in self.items if isinstance(it, Dose) for t in it.times())

    def to_events(self, spec: ModelSpec, t0: float = 0.0) -> EventTable:
        """Expand into elementary events for ``spec`` (one patient)."""
        rows: list[tuple[float, int, int, float, int]] = []  # time, kind, target, value, inf id
        n_inf = 0
        for i, item in enumerate(self.items):
            where = f"regimen item {i} ({type(item).__name__.lower()} at time {item.time})"
            if item.time < t0:
                raise RegimenError(f"{where}: time is before the start of the simulation {t0}",
                                   field="time")
            if isinstance(item, Dose | Replace):
                try:
                    target = spec.state_index(item.cmt)
                except KeyError as exc:
                    raise RegimenError(f"{where}: {exc.args[0]}", field="cmt",
                                       model=spec.name) from None
            if isinstance(item, Dose):
                duration = item.infusion_duration
                for k, t in enumerate(item.times()):
                    if item.reset and k == 0:
                        rows.append((t, RESET, 0, 0.0, -1))
                    if duration > 0:
                        rate = float(item.amount) / duration
                        rows.append((t, RATE_CHANGE, target, rate, n_inf))
                        rows.append((t + duration, RATE_CHANGE, target, -rate, n_inf))
                        n_inf += 1
                    else:
                        rows.append((t, BOLUS, target, float(item.amount), -1))
            elif isinstance(item, Reset):
                rows.append((float(item.time), RESET, 0, 0.0, -1))
            elif isinstance(item, Replace):
                rows.append((float(item.time), SET_STATE, target, float(item.value), -1))
            else:
                names = spec.parameter_names
                if item.name not in names:
                    raise RegimenError(
                        f"{where}: {item.name!r} is not a parameter of model {spec.name!r}",
                        field="name",
                    )
                rows.append((float(item.time), SET_PARAM, names.index(item.name),
                             float(item.value), -1))
        order = sorted(range(len(rows)), key=lambda j: rows[j][0])  # stable: ties keep order
        kept: list[tuple[float, int, int, float, int]] = []
        running: set[int] = set()
        for j in order:
            t, kind, target, value, inf = rows[j]
            if kind == RESET:
                running.clear()  # a reset ends every infusion (NONMEM EVID 3/4)
            elif kind == RATE_CHANGE and value > 0:
                running.add(inf)
            elif kind == RATE_CHANGE:
                if inf not in running:
                    continue  # this infusion was already ended by a reset
                running.discard(inf)
            kept.append(rows[j])
        m = len(kept)
        return EventTable(
            ptr=np.array([0, m], dtype=np.int64),
            time=np.array([r[0] for r in kept], dtype=np.float64),
            kind=np.array([r[1] for r in kept], dtype=np.int64),
            target=np.array([r[2] for r in kept], dtype=np.int64),
            value=np.array([r[3] for r in kept], dtype=np.float64),
        )


def events_for_batch(
    spec: ModelSpec, regimens: Regimen | Sequence[Regimen] | None, n: int, t0: float = 0.0
) -> EventTable:
    """The event table of ``n`` patients: one regimen for all, or one per patient."""
    if regimens is None:
        return EventTable.empty(n)
    if isinstance(regimens, Regimen):
        one = regimens.to_events(spec, t0)
        m = one.time.shape[0]
        return EventTable(
            ptr=np.arange(n + 1, dtype=np.int64) * m,
            time=np.tile(one.time, n),
            kind=np.tile(one.kind, n),
            target=np.tile(one.target, n),
            value=np.tile(one.value, n),
        )
    if len(regimens) != n:
        raise RegimenError(f"{len(regimens)} regimens given for {n} patients")
    return EventTable.concat([r.to_events(spec, t0) for r in regimens])
