"""The flat event table every backend integrates against.

A :class:`~hematwin.therapy.regimen.Regimen` (NONMEM semantics: bolus, infusion, II/ADDL,
reset, replacement, time-varying covariates) is expanded into elementary events: each is a
time, a kind, a target index and a value. A batch of patients stores them in CSR layout:
the events of patient ``i`` are ``ptr[i]:ptr[i+1]``, sorted by time, ties kept in the order
given (NONMEM record order). Integration stops at every event time and restarts there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hematwin.errors import RegimenError

# Elementary event kinds. The integer codes are part of the kernel ABI (Numba and JAX).
BOLUS = 0  # state[target] += value
RATE_CHANGE = 1  # infusion rate into state[target] += value (negative value ends an infusion)
RESET = 2  # all states back to their initial values; every infusion stops (EVID 3)
SET_STATE = 3  # state[target] = value (replacement)
SET_PARAM = 4  # parameter[target] = value (time-varying covariate, carried forward)

KIND_NAMES = {
    BOLUS: "bolus",
    RATE_CHANGE: "rate_change",
    RESET: "reset",
    SET_STATE: "set_state",
    SET_PARAM: "set_param",
}


@dataclass(frozen=True)
class EventTable:
    """Events of a batch of patients, CSR layout (see module docstring).

    Attributes
    ----------
    ptr: int64[n_patients + 1]
    time: float64[n_events] (model time unit, usually days)
    kind: int64[n_events]
    target: int64[n_events]  state index (BOLUS, RATE_CHANGE, SET_STATE) or parameter index
    value: float64[n_events]
    """

    ptr: np.ndarray
    time: np.ndarray
    kind: np.ndarray
    target: np.ndarray
    value: np.ndarray

    @property
    def n_patients(self) -> int:
        return int(self.ptr.shape[0] - 1)

    def check(self, n_states: int, n_params: int, t0: float) -> None:
        """Reject a table that would be applied at the wrong time or place (a table built by
        hand bypasses the checks of ``Regimen``)."""
        ptr = np.asarray(self.ptr)
        m = int(ptr[-1]) if ptr.size else 0
        if ptr.ndim != 1 or ptr[0] != 0 or np.any(np.diff(ptr) < 0) or any(
            a.shape[0] != m for a in (self.time, self.kind, self.target, self.value)
        ):
            raise RegimenError("event table: ptr must start at 0, be non-decreasing and end at "
                               "the number of events")
        patient = np.repeat(np.arange(ptr.shape[0] - 1), np.diff(ptr))

        def fail(mask: np.ndarray, what: str) -> None:
            if mask.any():
                k = int(np.argmax(mask))
                raise RegimenError(f"event table, patient row {int(patient[k])}, event {k} "
                                   f"(time {self.time[k]}): {what}", row=int(patient[k]))

        fail(~np.isfinite(self.time) | ~np.isfinite(self.value), "time and value must be finite")
        fail(self.time < t0, f"event before the start of the simulation t0 = {t0}")
        same = patient[1:] == patient[:-1]
        fail(np.concatenate([[False], same & (np.diff(self.time) < 0)]),
             "events of a patient must be sorted by time")
        fail(~np.isin(self.kind, list(KIND_NAMES)), f"unknown event kind (known: {KIND_NAMES})")
        on_state = np.isin(self.kind, [BOLUS, RATE_CHANGE, SET_STATE])
        fail(on_state & ((self.target < 0) | (self.target >= n_states)),
             f"state index out of range 0..{n_states - 1}")
        fail((self.kind == SET_PARAM) & ((self.target < 0) | (self.target >= n_params)),
             f"parameter index out of range 0..{n_params - 1}")

    def patient(self, i: int) -> EventTable:
        """The events of patient ``i`` alone, as a one-patient table."""
        a, b = int(self.ptr[i]), int(self.ptr[i + 1])
        return EventTable(
            ptr=np.array([0, b - a], dtype=np.int64),
            time=self.time[a:b],
            kind=self.kind[a:b],
            target=self.target[a:b],
            value=self.value[a:b],
        )

    def slice(self, start: int, stop: int) -> EventTable:
        """Patients ``start:stop`` as a new table (used for chunked cohorts)."""
        a, b = int(self.ptr[start]), int(self.ptr[stop])
        return EventTable(
            ptr=self.ptr[start : stop + 1] - a,
            time=self.time[a:b],
            kind=self.kind[a:b],
            target=self.target[a:b],
            value=self.value[a:b],
        )

    def padded(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Dense [n_patients, max_events] arrays for vectorised backends (JAX).

        Padding entries have time = +inf and a ``count`` array gives the real length.
        """
        n = self.n_patients
        counts = np.diff(self.ptr)
        width = max(int(counts.max()) if n else 0, 1)
        time = np.full((n, width), np.inf)
        kind = np.zeros((n, width), dtype=np.int64)
        target = np.zeros((n, width), dtype=np.int64)
        value = np.zeros((n, width))
        for i in range(n):
            a, b = self.ptr[i], self.ptr[i + 1]
            m = b - a
            time[i, :m] = self.time[a:b]
            kind[i, :m] = self.kind[a:b]
            target[i, :m] = self.target[a:b]
            value[i, :m] = self.value[a:b]
        return time, kind, target, value, counts.astype(np.int64)

    @staticmethod
    def empty(n_patients: int) -> EventTable:
        return EventTable(
            ptr=np.zeros(n_patients + 1, dtype=np.int64),
            time=np.zeros(0),
            kind=np.zeros(0, dtype=np.int64),
            target=np.zeros(0, dtype=np.int64),
            value=np.zeros(0),
        )

    @staticmethod
    def concat(tables: list[EventTable]) -> EventTable:
        """Stack per-patient (or per-group) tables into one batch table."""
        if not tables:
            return EventTable.empty(0)
        ptrs = [np.zeros(1, dtype=np.int64)]
        offset = 0
        for t in tables:
            ptrs.append(t.ptr[1:] + offset)
            offset += int(t.ptr[-1])
        return EventTable(
            ptr=np.concatenate(ptrs),
            time=np.concatenate([t.time for t in tables]),
            kind=np.concatenate([t.kind for t in tables]).astype(np.int64),
            target=np.concatenate([t.target for t in tables]).astype(np.int64),
            value=np.concatenate([t.value for t in tables]),
        )
