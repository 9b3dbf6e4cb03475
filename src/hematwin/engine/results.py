"""Simulation results: patients × times × variables, with per-patient solver status."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from hematwin.engine.status import SUCCESS, reason


@dataclass
class SimulationResult:
    """Values of the recorded variables.

    Attributes
    ----------
    model: model name.
    ids: patient ids, shape [N].
    times: save times, shape [T] (model time unit, ``time_unit``).
    names: recorded variable names, length R.
    values: float64 [N, T, R]; rows of a failed patient after its failure are NaN.
    status: int [N] solver status codes (``hematwin.engine.status``).
    n_steps: int [N] attempted steps per patient.
    units: unit of each recorded variable.
    """

    model: str
    ids: np.ndarray
    times: np.ndarray
    names: list[str]
    values: np.ndarray
    status: np.ndarray
    n_steps: np.ndarray
    units: list[str]
    time_unit: str = "day"

    @property
    def n_patients(self) -> int:
        return int(self.values.shape[0])

    def __getitem__(self, name: str) -> np.ndarray:
        """[N, T] array of one variable."""
        if name not in self.names:
            raise KeyError(f"{name!r} was not recorded; recorded: {self.names}")
        return self.values[:, :, self.names.index(name)]

    @property
    def ok(self) -> np.ndarray:
        return self.status == SUCCESS

    def failures(self) -> pd.DataFrame:
        """One row per failed patient with the reason."""
        bad = np.flatnonzero(self.status != SUCCESS)
        return pd.DataFrame(
            {
                "id": self.ids[bad],
                "status": self.status[bad],
                "reason": [reason(s) for s in self.status[bad]],
            }
        )

    def to_frame(self) -> pd.DataFrame:
        """Long table: one row per patient and time, one column per variable (+ status)."""
        n, t = self.values.shape[:2]
        data = {
            "id": np.repeat(self.ids, t),
            "time": np.tile(self.times, n),
        }
        for j, name in enumerate(self.names):
            data[name] = self.values[:, :, j].reshape(-1)
        data["status"] = np.repeat(self.status, t)
        return pd.DataFrame(data)

    def to_xarray(self) -> xr.Dataset:
        ds = xr.Dataset(
            {
                name: (("patient", "time"), self.values[:, :, j], {"units": unit})
                for j, (name, unit) in enumerate(zip(self.names, self.units, strict=True))
            },
            coords={"patient": self.ids, "time": self.times},
        )
        ds["status"] = ("patient", self.status)
        ds["n_steps"] = ("patient", self.n_steps)
        ds["time"].attrs["units"] = self.time_unit
        ds.attrs["model"] = self.model
        return ds

    def to_parquet(self, path: str | Path) -> Path:
        path = Path(path)
        self.to_frame().to_parquet(path, index=False)
        return path

    @staticmethod
    def concat(parts: list[SimulationResult]) -> SimulationResult:
        first = parts[0]
        return SimulationResult(
            model=first.model,
            ids=np.concatenate([p.ids for p in parts]),
            times=first.times,
            names=first.names,
            values=np.concatenate([p.values for p in parts]),
            status=np.concatenate([p.status for p in parts]),
            n_steps=np.concatenate([p.n_steps for p in parts]),
            units=first.units,
            time_unit=first.time_unit,
        )
