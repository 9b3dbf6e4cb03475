"""The default run of a library model: simulate, write Parquet and a PNG, summarise."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from hematwin.engine.simulate import Model
from hematwin.library import STOCHASTIC_MODELS
from hematwin.library.defaults import default_run, stochastic_default_run
from hematwin.report.plots import plot_trajectories


@dataclass
class ModelRun:
    name: str
    note: str
    summary: pd.DataFrame  # one row per recorded variable: unit, start, min, max, end
    files: dict[str, Path]
    status: str


def run_library_model(name: str, *, out_dir: Path, backend: str = "numba",
                      points: int = 1001) -> ModelRun:
    if name in STOCHASTIC_MODELS:
        return _run_stochastic_model(name, out_dir=out_dir)
    spec, regimen, days, note = default_run(name)
    model = Model(spec)
    times = np.linspace(0.0, days, points)
    record = spec.output_names or spec.state_names
    result = model.simulate(regimen=regimen, times=times, record=record, backend=backend,
                            t0=0.0)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    units = dict(zip(result.names, result.units, strict=True))
    series = {v: result[v][0] for v in result.names}
    dose_days = sorted(set(regimen.dose_times())) if regimen is not None else []
    files = {
        "trajectories": result.to_parquet(out_dir / f"{name}.parquet"),
        "plot": plot_trajectories(out_dir / f"{name}.png", times, series, units,
                                  time_unit=spec.time_unit, dose_days=dose_days,
                                  title=f"{name}: {note}"),
    }
    summary = pd.DataFrame(
        [{"variable": v, "unit": units[v], "start": y[0], "min": np.nanmin(y),
          "max": np.nanmax(y), "end": y[-1]} for v, y in series.items()]
    )
    status = "ok" if result.ok.all() else "; ".join(result.failures()["reason"])
    return ModelRun(name=name, note=note, summary=summary, files=files, status=status)


def _run_stochastic_model(name: str, *, out_dir: Path) -> ModelRun:
    """The default SSA ensemble: per species the ensemble mean, 95th percentile and the
    share of runs where it is still present, written as Parquet (every run) and a PNG."""
    result, note = stochastic_default_run(name)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    series, units = {}, {}
    for v, unit in zip(result.names, result.units, strict=True):
        runs = result[v]
        series[f"{v} mean"] = runs.mean(axis=0)
        series[f"{v} 95th percentile"] = np.quantile(runs, 0.95, axis=0)
        series[f"{v} present"] = (runs > 0).mean(axis=0)
        units.update({f"{v} mean": unit, f"{v} 95th percentile": unit,
                      f"{v} present": "fraction of runs"})
    n_runs = len(result[result.names[0]])
    files = {
        "trajectories": result.to_parquet(out_dir / f"{name}.parquet"),
        "plot": plot_trajectories(out_dir / f"{name}.png", result.times, series, units,
                                  time_unit=result.time_unit, title=f"{name}: {note}"),
    }
    summary = pd.DataFrame(
        [{"variable": v, "unit": units[v], "start": y[0], "min": np.nanmin(y),
          "max": np.nanmax(y), "end": y[-1]} for v, y in series.items()]
    )
    status = (f"ok ({n_runs} runs)" if result.ok.all()
              else "; ".join(result.failures()["reason"]))
    return ModelRun(name=name, note=note, summary=summary, files=files, status=status)
