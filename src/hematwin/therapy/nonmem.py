"""NONMEM-style records ⇄ :class:`~hematwin.therapy.regimen.Regimen`, one per individual.

:func:`regimens_from_nonmem` turns a checked :class:`~hematwin.data.nonmem.NonmemDataset`
into what the engine simulates: for each ID a ``Regimen`` (doses, resets, time-varying
parameters) plus the observation times and DVs to compare with. :func:`regimen_to_nonmem`
writes regimens back as NONMEM records (for a simulation template or a round trip).

Record → regimen item
---------------------
=========================  ==============================================================
EVID 1, RATE 0             ``Dose(TIME, AMT, CMT)`` (bolus), II/ADDL kept as ``ii``/``addl``
EVID 1, RATE > 0           ``Dose(..., rate=RATE)`` (zero-order infusion at that rate)
EVID 1, RATE −2            ``Dose(..., duration=DUR)`` (infusion over DUR, see the reader)
EVID 4                     the same with ``reset=True`` (reset, then dose; ADDL doses do not
                           reset)
EVID 3                     ``Reset(TIME)``
EVID 0                     an observation time (DV, NaN when MDV = 1)
EVID 2                     nothing but covariate changes
RATE −1 (modelled rate)    refused: a Regimen has no modelled rate
=========================  ==============================================================

CMT is the 1-based number of a model state, or, when the dataset was read with compartment
names, the state of that name.

Covariates. A covariate column whose name is a model parameter becomes ``Covariate`` items
with last-observation-carried-forward semantics: the individual's first value applies from
``t0``, and an item is made at each record where the value changes; a missing value (``.``)
keeps the previous one, and a missing first value is an error. Covariates are applied
before the dose of the same record, so that an EVID 4 reset uses the new values.
NONMEM itself uses the *next* record's covariates over an integration interval (NOCB; see
the nlmixr2est documentation of ``covsInterpolation``, "nocb ... the same method that NONMEM
uses", https://rdrr.io/cran/nlmixr2est/man/nlmixr2AugPredSolve.html); hematwin's regimens
are LOCF, so a covariate that changes between two records changes at the record that
carries the new value. Covariate columns that are not parameters are not used by the
regimen; they are returned, per individual, in :attr:`PatientRegimen.covariates`.

Observations at the time of a dose. The engine's trajectories are right-continuous: a save
point at a dose time sees the post-dose value. In NONMEM an observation record placed
*before* a dose record of the same time sees the pre-dose value; such observations are
marked ``pre_event`` in :attr:`PatientRegimen.observations` (nothing is changed silently).

Time going back at a reset (a new occasion in NM-TRAN) cannot be one regimen and is refused;
split the occasions into separate IDs.

Errors are :class:`~hematwin.errors.RegimenError` naming the ID, the row of the data file
(1 = first data line, as the reader numbers them) and the data item.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from hematwin.data.nonmem import NonmemDataset
from hematwin.errors import RegimenError
from hematwin.model.spec import ModelSpec
from hematwin.therapy.regimen import Covariate, Dose, Item, Regimen, Replace, Reset

OBSERVATION_COLUMNS = ["row", "TIME", "DV", "MDV", "CMT", "pre_event"]

# model time units per dataset time unit
_TIME_UNITS = {"day": 1.0, "d": 1.0, "days": 1.0, "hour": 1 / 24, "h": 1 / 24, "hours": 1 / 24}


@dataclass(frozen=True)
class PatientRegimen:
    """One individual of a NONMEM dataset, ready to simulate.

    Attributes
    ----------
    id: the NONMEM ID.
    regimen: doses, resets and parameter covariates (LOCF), in record order.
    observations: one row per EVID 0 record: ``row`` (data-file row), ``TIME`` (model time
        unit), ``DV`` (NaN when MDV = 1), ``MDV``, ``CMT``, ``pre_event`` (the record comes
        before a dose/reset record of the same time; see the module docstring), plus
        ``DVID`` when the dataset has it.
    covariates: the covariate columns that are not model parameters, one row per record
        (``row``, ``TIME``, then the columns), as read; empty columns when there are none.
    parameter_covariates: the covariate columns that became ``Covariate`` items.
    """

    id: int
    regimen: Regimen
    observations: pd.DataFrame
    covariates: pd.DataFrame
    parameter_covariates: tuple[str, ...] = field(default=())

    @property
    def observation_times(self) -> np.ndarray:
        return self.observations["TIME"].to_numpy(dtype=np.float64)

    @property
    def dv(self) -> np.ndarray:
        return self.observations["DV"].to_numpy(dtype=np.float64)


def _file_rows(dataset: NonmemDataset) -> list[int]:
    """Data-file row of each accepted record (the reader numbers rows from 1)."""
    n = len(dataset.records)
    rejected = dataset.rejected
    if rejected is None or len(rejected) == 0:
        return list(range(1, n + 1))
    bad = {int(r) for r in rejected["row"].dropna()}
    rows = [r for r in range(1, (dataset.rows_read or n) + 1) if r not in bad]
    return rows[:n] if len(rows) >= n else list(range(1, n + 1))


def _time_factor(time_unit: str | None, spec: ModelSpec) -> float:
    if time_unit is None or time_unit == spec.time_unit:
        return 1.0
    if time_unit not in _TIME_UNITS or spec.time_unit not in _TIME_UNITS:
        raise RegimenError(
            f"cannot convert dataset time unit {time_unit!r} to the model's "
            f"{spec.time_unit!r}; known: {sorted(_TIME_UNITS)}", field="TIME", model=spec.name)
    return _TIME_UNITS[time_unit] / _TIME_UNITS[spec.time_unit]


def _state_for_cmt(cmt: int, pid: int, dataset: NonmemDataset, spec: ModelSpec,
                   where: dict) -> str:
    names = spec.state_names
    if dataset.compartments is not None:
        if not 1 <= cmt <= len(dataset.compartments):
            raise RegimenError(
                f"ID {pid}: CMT {cmt} is not one of the dataset's compartments "
                f"1..{len(dataset.compartments)}", field="CMT", **where)
        name = dataset.compartments[cmt - 1]
        if name not in names:
            raise RegimenError(
                f"ID {pid}: compartment {name!r} (CMT {cmt}) is not a state of model "
                f"{spec.name!r}; states: {', '.join(names)}", field="CMT", **where)
        return name
    if not 1 <= cmt <= len(names):
        raise RegimenError(
            f"ID {pid}: CMT {cmt} is not a compartment of model {spec.name!r} (1..{len(names)}: "
            f"{', '.join(names)})", field="CMT", **where)
    return names[cmt - 1]


def regimens_from_nonmem(
    dataset: NonmemDataset,
    spec: ModelSpec,
    *,
    t0: float = 0.0,
    time_unit: str | None = None,
) -> dict[int, PatientRegimen]:
    """One :class:`PatientRegimen` per ID, in file order (rules in the module docstring).

    Parameters
    ----------
    dataset: records read and checked by :func:`hematwin.data.nonmem.read_nonmem`.
    spec: the model the regimens are for (compartments and parameter names).
    t0: start of the simulation; every record must be at or after it.
    time_unit: the dataset's time unit when it is not the model's (``"hour"`` for a model
        in days multiplies TIME, II and DUR by 1/24 and RATE by 24).
    """
    frame = dataset.records
    rows = _file_rows(dataset)
    factor = _time_factor(time_unit, spec)
    params = set(spec.parameter_names)
    param_covs = tuple(c for c in dataset.covariates if c in params)
    other_covs = [c for c in dataset.covariates if c not in params]
    file = dataset.source
    columns = list(frame.columns)
    all_records = frame.to_dict(orient="records")
    result: dict[int, PatientRegimen] = {}

    by_id: dict[int, list[int]] = {}
    for i, rec in enumerate(all_records):
        by_id.setdefault(int(rec["ID"]), []).append(i)

    for pid, indices in by_id.items():
        items: list[Item] = []
        obs: list[dict] = []
        extra: list[dict] = []
        current: dict[str, float] = {}
        last_time = -math.inf
        records = [all_records[i] for i in indices]
        pre_event = _pre_event(records, factor)
        for k, (i, rec) in enumerate(zip(indices, records, strict=True)):
            row = rows[i]
            where = {"file": file, "row": row, "model": spec.name}
            evid = int(rec["EVID"])
            time = float(rec["TIME"]) * factor
            if time < last_time:
                raise RegimenError(
                    f"ID {pid}: TIME {rec['TIME']!r} goes back in time (a new occasion after a "
                    "reset); one regimen cannot hold it — give each occasion its own ID",
                    field="TIME", **where)
            last_time = time
            if time < t0:
                raise RegimenError(
                    f"ID {pid}: TIME {rec['TIME']!r} is before the start of the simulation "
                    f"t0 = {t0}", field="TIME", **where)
            # covariates first: they apply from this record on, dose included
            for name in param_covs:
                value = float(rec[name])
                if math.isnan(value):
                    if name not in current:
                        raise RegimenError(
                            f"ID {pid}: the first value of parameter covariate {name!r} is "
                            "missing; nothing to carry forward", field=name, **where)
                    continue
                if name not in current:
                    items.append(Covariate(t0, name, value))
                elif value != current[name]:
                    items.append(Covariate(time, name, value))
                current[name] = value
            extra.append({"row": row, "TIME": time, **{c: rec[c] for c in other_covs}})
            if evid == 0:
                ob = {"row": row, "TIME": time,
                      "DV": float(rec["DV"]) if int(rec["MDV"]) == 0 else math.nan,
                      "MDV": int(rec["MDV"]), "CMT": int(rec["CMT"]),
                      "pre_event": pre_event[k]}
                if "DVID" in rec:
                    ob["DVID"] = int(rec["DVID"])
                obs.append(ob)
            elif evid == 3:
                items.append(Reset(time))
            elif evid in (1, 4):
                items.append(_dose(rec, pid, time, factor, dataset, spec, where))
        obs_columns = OBSERVATION_COLUMNS + (["DVID"] if "DVID" in columns else [])
        observations = pd.DataFrame(obs, columns=obs_columns).astype(
            {"row": "int64", "TIME": "float64", "DV": "float64", "MDV": "int64",
             "CMT": "int64", "pre_event": "bool"})
        covariates = pd.DataFrame(extra, columns=["row", "TIME", *other_covs])
        result[pid] = PatientRegimen(id=pid, regimen=Regimen(items), observations=observations,
                                     covariates=covariates, parameter_covariates=param_covs)
    return result


def _pre_event(records: list[dict], factor: float) -> list[bool]:
    """Whether a dose or reset record of the same time follows each record."""
    out = [False] * len(records)
    seen_time, seen_event = math.nan, False
    for k in range(len(records) - 1, -1, -1):
        time = float(records[k]["TIME"]) * factor
        if time != seen_time:
            seen_time, seen_event = time, False
        out[k] = seen_event
        if int(records[k]["EVID"]) in (1, 3, 4):
            seen_event = True
    return out


def _dose(rec: Mapping, pid: int, time: float, factor: float, dataset: NonmemDataset,
          spec: ModelSpec, where: dict) -> Dose:
    evid = int(rec["EVID"])
    state = _state_for_cmt(int(rec["CMT"]), pid, dataset, spec, where)
    amount = float(rec["AMT"])
    rate = float(rec.get("RATE", 0.0))
    if rate == -1:
        raise RegimenError(f"ID {pid}: RATE -1 (modelled rate) cannot be expressed as a "
                           "Regimen item", field="RATE", **where)
    duration = 0.0
    if rate == -2:
        duration = float(rec["DUR"]) * factor
        rate = 0.0
    else:
        rate = rate / factor
    ii = float(rec.get("II", 0.0)) * factor
    addl = int(rec.get("ADDL", 0))
    try:
        return Dose(time, amount, state, rate=rate, duration=duration, ii=ii, addl=addl,
                    reset=evid == 4)
    except RegimenError as exc:
        raise RegimenError(f"ID {pid}: {exc.message}", field=exc.field, **where) from None


# --- writing --------------------------------------------------------------------------

WRITE_COLUMNS = ["ID", "TIME", "AMT", "RATE", "DUR", "EVID", "CMT", "II", "ADDL", "SS", "DV",
                 "MDV"]


def regimen_to_nonmem(
    regimens: Mapping[int, Regimen | PatientRegimen] | Sequence[Regimen],
    spec: ModelSpec,
    observation_times: Mapping[int, Sequence[float]] | Sequence[float] | np.ndarray | None = None,
    *,
    dv: Mapping[int, Sequence[float]] | None = None,
) -> pd.DataFrame:
    """NONMEM records of ``regimens`` (ID → regimen; a sequence is numbered from 1).

    Each dose is one record (II/ADDL kept, an infusion by duration as RATE −2 with DUR),
    each ``Reset`` an EVID 3 record, each observation time an EVID 0 record (DV from ``dv``
    with MDV 0, else DV missing and MDV 1; CMT 1). When ``observation_times`` is None, a
    :class:`PatientRegimen` brings its own observations (TIME, DV, MDV, CMT). Parameters
    changed by ``Covariate`` items become columns, LOCF over the records, with the model
    default before the first change; a change at a time without another record gets an
    EVID 2 record. At equal times doses and
    resets come before observations (the engine records post-dose values). ``Replace``
    has no NONMEM record and is refused.
    """
    if isinstance(regimens, Mapping):
        pairs = list(regimens.items())
    else:
        pairs = list(enumerate(regimens, start=1))
    changed = {it.name for _, r in pairs for it in _items(r) if isinstance(it, Covariate)}
    cov_names = [name for name in spec.parameter_names if name in changed]
    defaults = spec.defaults()
    rows: list[dict] = []
    for pid, reg in pairs:
        times, values, obs_cmt = _observations(pid, reg, observation_times, dv)
        events: list[tuple[float, int, dict]] = []  # time, order, record
        changes: list[tuple[float, int, str, float]] = []
        for k, item in enumerate(_items(reg)):
            where = f"ID {pid}: regimen item {k} ({type(item).__name__.lower()} at time " \
                    f"{item.time})"
            if isinstance(item, Replace):
                raise RegimenError(f"{where}: a state replacement has no NONMEM record",
                                   field="Replace", model=spec.name)
            if isinstance(item, Covariate):
                if item.name not in defaults:
                    raise RegimenError(f"{where}: {item.name!r} is not a parameter of model "
                                       f"{spec.name!r}", field=item.name, model=spec.name)
                changes.append((float(item.time), k, item.name, float(item.value)))
                continue
            if isinstance(item, Reset):
                events.append((float(item.time), 0, _record(pid, item.time, evid=3, cmt=0)))
                continue
            try:
                cmt = spec.state_index(item.cmt) + 1
            except KeyError as exc:
                raise RegimenError(f"{where}: {exc.args[0]}", field="CMT",
                                   model=spec.name) from None
            if not item.amount > 0:
                raise RegimenError(f"{where}: a NONMEM dose record needs AMT > 0",
                                   field="AMT", model=spec.name)
            rec = _record(pid, item.time, evid=4 if item.reset else 1, cmt=cmt,
                          amt=float(item.amount), ii=float(item.ii) if item.addl else 0.0,
                          addl=int(item.addl))
            if item.rate > 0:
                rec["RATE"] = float(item.rate)
            elif item.duration > 0:
                rec["RATE"], rec["DUR"] = -2.0, float(item.duration)
            events.append((float(item.time), 0, rec))
        for j, t in enumerate(times):
            rec = _record(pid, float(t), evid=0, cmt=int(obs_cmt[j]))
            if math.isfinite(values[j]):
                rec["DV"], rec["MDV"] = float(values[j]), 0
            events.append((float(t), 1, rec))
        record_times = {t for t, _, _ in events}
        for t, _, _, _ in changes:
            if t not in record_times:
                events.append((t, 0, _record(pid, t, evid=2, cmt=0)))
                record_times.add(t)
        events.sort(key=lambda e: (e[0], e[1]))  # stable: item order kept at equal times
        changes.sort(key=lambda c: (c[0], c[1]))
        for t, _, rec in events:
            for name in cov_names:
                value = defaults[name]
                for ct, _, cname, cvalue in changes:
                    if ct <= t and cname == name:
                        value = cvalue
                rec[name] = value
            rows.append(rec)
    return pd.DataFrame(rows, columns=WRITE_COLUMNS + list(cov_names)).astype(
        {"ID": "int64", "EVID": "int64", "CMT": "int64", "ADDL": "int64", "SS": "int64",
         "MDV": "int64"})


def _observations(
    pid: int,
    reg: Regimen | PatientRegimen,
    observation_times: Mapping[int, Sequence[float]] | Sequence[float] | np.ndarray | None,
    dv: Mapping[int, Sequence[float]] | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Times, DVs (NaN = none) and CMTs of the observation records of one individual."""
    if observation_times is None and isinstance(reg, PatientRegimen):
        times = reg.observation_times
        values = reg.dv if dv is None or pid not in dv else np.asarray(dv[pid], float)
        cmts = reg.observations["CMT"].to_numpy(dtype=np.int64)
    else:
        if observation_times is None:
            times = np.zeros(0)
        elif isinstance(observation_times, Mapping):
            times = np.asarray(observation_times.get(pid, ()), dtype=np.float64)
        else:
            times = np.asarray(observation_times, dtype=np.float64)
        values = (np.full(times.shape, math.nan) if dv is None or pid not in dv
                  else np.asarray(dv[pid], dtype=np.float64))
        cmts = np.ones(times.shape, dtype=np.int64)
    if values.shape != times.shape:
        raise RegimenError(f"ID {pid}: {values.shape[0]} DVs for {times.shape[0]} observation "
                           "times", field="DV")
    return times, values, cmts


def _items(reg: Regimen | PatientRegimen) -> tuple[Item, ...]:
    return reg.regimen.items if isinstance(reg, PatientRegimen) else reg.items


def _record(pid: int, time: float, *, evid: int, cmt: int, amt: float = 0.0, ii: float = 0.0,
            addl: int = 0) -> dict:
    return {"ID": int(pid), "TIME": float(time), "AMT": amt, "RATE": 0.0, "DUR": 0.0,
            "EVID": evid, "CMT": cmt, "II": ii, "ADDL": addl, "SS": 0, "DV": math.nan,
            "MDV": 1}
