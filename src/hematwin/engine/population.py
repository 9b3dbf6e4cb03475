"""Parameter tables for a batch of patients: defaults, given values, variability."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from hematwin.engine.random import standard_normals
from hematwin.errors import ParameterError
from hematwin.model.spec import ModelSpec

ParamInput = None | Mapping[str, float | np.ndarray] | pd.DataFrame | np.ndarray


def parameter_matrix(spec: ModelSpec, params: ParamInput, n: int) -> np.ndarray:
    """A checked [n, n_params] array in the order of ``spec.parameters``.

    ``params`` may be None (defaults), a mapping name → scalar or length-n array, a
    DataFrame with one row per patient and parameter-named columns (others are an error),
    or an [n, n_params] array. NaN, infinite or out-of-bounds values are errors naming the
    patient row and parameter; nothing is clipped.
    """
    names = spec.parameter_names
    matrix = np.tile(np.array([p.default for p in spec.parameters], dtype=np.float64), (n, 1))
    if params is None:
        pass
    elif isinstance(params, np.ndarray):
        if params.shape != (n, len(names)):
            raise ParameterError(f"parameter array has shape {params.shape}, expected "
                                 f"{(n, len(names))} (patients × {names})", model=spec.name)
        matrix = params.astype(np.float64, copy=True)
    else:
        columns = params.columns if isinstance(params, pd.DataFrame) else params.keys()
        if isinstance(params, pd.DataFrame) and len(params) != n:
            raise ParameterError(f"parameter table has {len(params)} rows for {n} patients",
                                 model=spec.name)
        for name in columns:
            if name not in names:
                raise ParameterError(f"unknown parameter {name!r}; model parameters: {names}",
                                     model=spec.name, field=str(name))
            values = np.asarray(params[name], dtype=np.float64)
            if values.ndim == 0:
                values = np.full(n, float(values))
            if values.shape != (n,):
                raise ParameterError(f"{values.shape[0]} values for {n} patients",
                                     model=spec.name, field=str(name))
            matrix[:, names.index(name)] = values
    for j, p in enumerate(spec.parameters):
        col = matrix[:, j]
        bad = ~np.isfinite(col)
        if bad.any():
            raise ParameterError(f"value {col[bad][0]} is not finite (patient row "
                                 f"{int(np.argmax(bad))})", model=spec.name, field=p.name,
                                 row=int(np.argmax(bad)))
        out = (col < p.lower) | (col > p.upper)
        if out.any():
            i = int(np.argmax(out))
            raise ParameterError(f"value {col[i]} for patient row {i} is outside the bounds "
                                 f"[{p.lower}, {p.upper}]", model=spec.name, field=p.name, row=i)
    return matrix


def lognormal_iiv(
    spec: ModelSpec,
    omega: Mapping[str, float],
    patient_ids: np.ndarray,
    seed: int,
    typical: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Individual parameters θ_i = θ_typical · exp(η_i), η_i ~ N(0, ω²), independent.

    ``omega`` maps parameter name → ω (standard deviation of η on the log scale). Draws
    depend only on (seed, patient id, parameter position), never on batch layout.
    """
    names = spec.parameter_names
    for name, w in omega.items():
        if name not in names:
            raise ParameterError(f"IIV on unknown parameter {name!r}", model=spec.name,
                                 field=name)
        if not np.isfinite(w) or w < 0:
            raise ParameterError(f"ω must be finite and ≥ 0, got {w}", model=spec.name,
                                 field=name)
    ids = np.asarray(patient_ids)
    eta = standard_normals(seed, ids, len(names))
    base = {**spec.defaults(), **(typical or {})}
    return pd.DataFrame(
        {name: base[name] * np.exp(float(w) * eta[:, names.index(name)])
         for name, w in omega.items()},
        index=pd.Index(ids, name="id"),
    )
