"""The simulation API: one call integrates N patients, each with its parameters and regimen.

>>> from hematwin.library import friberg2002
>>> from hematwin.engine import Model
>>> model = Model(friberg2002.spec("docetaxel"))
>>> result = model.simulate(regimen=friberg2002.regimen("docetaxel", 180), times=range(0, 22))
>>> result["anc"].min()  # doctest: +SKIP

Large cohorts run in chunks of ``chunk_size`` patients; :meth:`Model.simulate_chunks`
yields each chunk's result so that memory stays bounded (``simulate_to_parquet`` writes
them as they come).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from hematwin.engine.events import EventTable
from hematwin.engine.population import ParamInput, parameter_matrix
from hematwin.engine.results import SimulationResult
from hematwin.errors import BackendUnavailableError, SolverError
from hematwin.model.spec import ModelSpec
from hematwin.model.symbolic import SymbolicModel, build_symbolic
from hematwin.therapy.regimen import Regimen, events_for_batch

BACKENDS = ("numba", "jax", "scipy")


class Model:
    """A checked model with lazily compiled backends.

    Parameters
    ----------
    spec: the model specification (Python or loaded from a file).
    closed_form_linear: solve the model's linear time-invariant block (its PK compartments,
        typically) in closed form in the Numba and JAX backends, integrating only the other
        states (``hematwin.model.linear_block``). Off: every state is integrated numerically.
    """

    def __init__(self, spec: ModelSpec, *, closed_form_linear: bool = True) -> None:
        self.spec = spec
        self.closed_form_linear = closed_form_linear
        self.symbolic: SymbolicModel = build_symbolic(spec)

    @property
    def name(self) -> str:
        return self.spec.name

    @cached_property
    def numba(self):
        from hematwin.engine.numba_backend import compile_numba

        return compile_numba(self.symbolic, closed_form_linear=self.closed_form_linear)

    @cached_property
    def jax(self):
        try:
            from hematwin.engine.jax_codegen import compile_jax
        except ImportError as exc:  # pragma: no cover - jax is a declared dependency
            raise BackendUnavailableError(f"the JAX backend cannot be loaded: {exc}") from exc
        return compile_jax(self.symbolic, closed_form_linear=self.closed_form_linear)

    @cached_property
    def scipy(self):
        from hematwin.engine.scipy_backend import ScipyModel

        return ScipyModel(self.symbolic)

    def backend(self, name: str):
        if name not in BACKENDS:
            raise SolverError(f"unknown backend {name!r}; choose one of {list(BACKENDS)}")
        if self.symbolic.n_delays and name != "numba":
            raise BackendUnavailableError(
                f"model {self.name!r} has delay equations"
                + (" (state-dependent)" if self.symbolic.n_state_dependent else "")
                + f", which only the 'numba' backend integrates (asked for {name!r})"
            )
        return getattr(self, name)

    # --- recorded variables -----------------------------------------------------------
    def record_indices(self, names: Sequence[str] | None) -> tuple[np.ndarray, list[str]]:
        all_names = self.spec.state_names + self.spec.output_names
        if names is None:
            names = self.spec.output_names or self.spec.state_names
        idx = []
        for name in names:
            if name not in all_names:
                raise SolverError(
                    f"cannot record {name!r}: not a state or output of {self.name!r} "
                    f"({', '.join(all_names)})"
                )
            idx.append(all_names.index(name))
        return np.array(idx, dtype=np.int64), list(names)

    def units(self, names: Sequence[str]) -> list[str]:
        table = {s.name: s.unit for s in self.spec.states}
        table.update({o.name: o.unit for o in self.spec.outputs})
        return [table[n] for n in names]

    # --- simulation -------------------------------------------------------------------
    def simulate(
        self,
        *,
        regimen: Regimen | Sequence[Regimen] | EventTable | None = None,
        params: ParamInput = None,
        n: int | None = None,
        times: Sequence[float] | np.ndarray,
        record: Sequence[str] | None = None,
        ids: Sequence[int] | np.ndarray | None = None,
        backend: str = "numba",
        method: str | None = None,
        rtol: float = 1e-6,
        atol: float = 1e-8,
        max_steps: int = 100_000,
        t0: float | None = None,
        chunk_size: int | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> SimulationResult:
        """Integrate every patient and return all values in memory.

        ``n`` patients (inferred from ``params`` / ``regimen`` / ``ids`` when omitted);
        ``times`` the save grid; ``record`` the states/outputs to keep (default: outputs).
        A patient that fails is flagged in ``result.status``; the others go on.
        """
        parts = list(
            self.simulate_chunks(
                regimen=regimen, params=params, n=n, times=times, record=record, ids=ids,
                backend=backend, method=method, rtol=rtol, atol=atol, max_steps=max_steps,
                t0=t0, chunk_size=chunk_size, progress=progress,
            )
        )
        return SimulationResult.concat(parts)

    def simulate_chunks(
        self,
        *,
        regimen: Regimen | Sequence[Regimen] | EventTable | None = None,
        params: ParamInput = None,
        n: int | None = None,
        times: Sequence[float] | np.ndarray,
        record: Sequence[str] | None = None,
        ids: Sequence[int] | np.ndarray | None = None,
        backend: str = "numba",
        method: str | None = None,
        rtol: float = 1e-6,
        atol: float = 1e-8,
        max_steps: int = 100_000,
        t0: float | None = None,
        chunk_size: int | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Iterator[SimulationResult]:
        """Like :meth:`simulate`, yielding one result per chunk of patients."""
        save_t = np.asarray(times, dtype=np.float64)
        if save_t.ndim != 1 or save_t.size == 0:
            raise SolverError("times must be a non-empty 1-D sequence")
        if not np.all(np.isfinite(save_t)) or np.any(np.diff(save_t) < 0):
            raise SolverError("times must be finite and sorted (non-decreasing)")
        if not (rtol > 0 and atol > 0):
            raise SolverError(f"rtol and atol must be > 0, got rtol={rtol}, atol={atol}")
        start = float(save_t[0] if t0 is None else t0)
        if save_t[0] < start:
            raise SolverError(f"the first save time {save_t[0]} is before t0 = {start}")
        n = _infer_n(n, params, regimen, ids)
        ids_arr = np.arange(n) if ids is None else np.asarray(ids)
        if ids_arr.shape != (n,):
            raise SolverError(f"{ids_arr.shape[0]} ids for {n} patients")
        matrix = parameter_matrix(self.spec, params, n)
        events = (
            regimen if isinstance(regimen, EventTable)
            else events_for_batch(self.spec, regimen, n, start)
        )
        if events.n_patients != n:
            raise SolverError(f"event table has {events.n_patients} patients, expected {n}")
        if isinstance(regimen, EventTable):
            events.check(self.symbolic.n_states, self.symbolic.n_params, start)
        rec, names = self.record_indices(record)
        units = self.units(names)
        solver = self.backend(backend)
        method = method or (self.spec.method if backend != "scipy" else "LSODA")
        if n == 0:
            yield SimulationResult(
                model=self.name, ids=ids_arr, times=save_t, names=names,
                values=np.empty((0, save_t.shape[0], rec.shape[0])),
                status=np.empty(0, dtype=np.int64), n_steps=np.empty(0, dtype=np.int64),
                units=units, time_unit=self.spec.time_unit,
            )
            return
        step = chunk_size or max(n, 1)
        done = 0
        for a in range(0, n, step):
            b = min(a + step, n)
            values, status, nsteps = solver.solve(
                matrix[a:b], events.slice(a, b), start, save_t, rec,
                method=method, rtol=rtol, atol=atol, max_steps=max_steps,
            )
            done = b
            if progress is not None:
                progress(done, n)
            yield SimulationResult(
                model=self.name, ids=ids_arr[a:b], times=save_t, names=names, values=values,
                status=status, n_steps=nsteps, units=units, time_unit=self.spec.time_unit,
            )

    def simulate_to_parquet(self, path: str | Path, **kwargs) -> dict[str, int]:
        """Stream every chunk to one Parquet file (long table); returns status counts."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        path = Path(path)
        writer = None
        counts = {"patients": 0, "failed": 0}
        try:
            for part in self.simulate_chunks(**kwargs):
                table = pa.Table.from_pandas(part.to_frame(), preserve_index=False)
                if writer is None:
                    writer = pq.ParquetWriter(path, table.schema)
                writer.write_table(table)
                counts["patients"] += part.n_patients
                counts["failed"] += int((~part.ok).sum())
        finally:
            if writer is not None:
                writer.close()
        return counts


def _infer_n(n, params, regimen, ids) -> int:
    candidates = []
    if n is not None:
        candidates.append(int(n))
    if isinstance(params, pd.DataFrame | np.ndarray):
        candidates.append(len(params))
    elif isinstance(params, dict):
        for v in params.values():
            if np.ndim(v) == 1:
                candidates.append(len(v))
    if isinstance(regimen, EventTable):
        candidates.append(regimen.n_patients)
    elif isinstance(regimen, Sequence) and not isinstance(regimen, Regimen):
        candidates.append(len(regimen))
    if ids is not None:
        candidates.append(len(ids))
    if not candidates:
        return 1
    if len(set(candidates)) > 1:
        raise SolverError(f"inconsistent numbers of patients: {sorted(set(candidates))}")
    return candidates[0]
