"""Sensitivity of a scenario endpoint to the twin's parameters.

:func:`sensitivity` answers "which parameters decide this endpoint?" for one scenario:

* ``local`` — normalised derivatives ∂ln E/∂ln θ at the patient's typical parameters, by
  central finite differences: each parameter multiplied by (1 ± ``step``) in turn (kept inside
  its range), ``(E⁺ − E⁻)/(θ⁺ − θ⁻) · θ/E₀``. A value of 1 means "1 % more θ, 1 % more E".
* ``morris`` — elementary effects (Morris 1991; SALib), μ* (mean absolute effect) and σ,
  with each parameter uniform on θ·[1 − ``spread``, 1 + ``spread``] (inside its range);
  μ* is reported in the endpoint's unit per full range of the parameter.
* ``sobol`` — first-order and total Sobol indices (Saltelli sampling; SALib) over the same
  ranges; the sample has N·(2k + 2) parameter sets for k parameters.

Every parameter set is a virtual patient of one batched :func:`run_scenario` call, so the
endpoints are computed exactly as in ``hematwin run`` (:mod:`hematwin.clinic` on the daily
counts). Endpoints measured in whole days (engraftment, nadir day) move in steps of one day:
small steps can show a derivative of 0, or a jump of one day; prefer a larger ``step``.

Parameters: the names given, or by default those the scenario sets (``patient.parameters``,
modifiers, variability ``omega``) together with every twin parameter whose source is
``calibrated: …`` (chosen to reproduce a calibration target, so the least certain).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from hematwin.errors import ScenarioError
from hematwin.scenario.schema import Scenario

__all__ = ["METHODS", "SensitivityResult", "default_parameters", "sensitivity",
           "write_sensitivity"]

METHODS = ("local", "morris", "sobol")


@dataclass
class SensitivityResult:
    """``table``: one row per parameter, ranked by importance (``rank`` 1 first), with the
    parameter's value and range and the method's indices; ``samples``: the parameter sets
    simulated with the endpoint of each (``endpoint`` column)."""

    scenario: str
    endpoint: str
    unit: str
    method: str
    table: pd.DataFrame
    samples: pd.DataFrame
    baseline: float
    notes: list[str] = field(default_factory=list)

    @property
    def score(self) -> str:
        """The column the ranking is by."""
        return {"local": "abs_elasticity", "morris": "mu_star", "sobol": "ST"}[self.method]


def default_parameters(scenario: Scenario, spec: Any) -> list[str]:
    """The scenario's own parameters and the twin's calibrated ones (see the module doc)."""
    names = set(spec.parameter_names)
    own = [*scenario.patient.parameters, *scenario.patient.modifiers.parameters()]
    omega = scenario.variability.omega
    if scenario.variability.n > 1:
        if omega == "default":
            from hematwin.scenario.runner import DEFAULT_OMEGA

            own += list(DEFAULT_OMEGA)
        else:
            own += list(omega)
    own += [p.name for p in spec.parameters
            if (p.citation or "").lower().startswith("calibrated")]
    return [p for p in dict.fromkeys(own) if p in names and p != "age"]


def _ranges(names: Sequence[str], typical: dict[str, float], spec: Any,
            spread: float) -> pd.DataFrame:
    bounds = {p.name: (p.lower, p.upper, p.default, p.unit) for p in spec.parameters}
    rows = []
    for name in names:
        lo, hi, default, unit = bounds[name]
        value = float(typical.get(name, default))
        a, b = value * (1 - spread), value * (1 + spread)
        a = max(a, lo) if lo is not None and np.isfinite(lo) else a
        b = min(b, hi) if hi is not None and np.isfinite(hi) else b
        rows.append({"parameter": name, "unit": unit, "value": value, "low": min(a, b),
                     "high": max(a, b)})
    return pd.DataFrame(rows)


def _endpoint_values(result: Any, endpoint: str) -> tuple[np.ndarray, str]:
    from hematwin.scenario.runner import endpoint_unit

    frame = result.endpoints
    if endpoint not in frame.columns:
        numeric = [c for c in frame.columns if c != "id"
                   and pd.api.types.is_numeric_dtype(frame[c])]
        raise ScenarioError(f"no endpoint {endpoint!r} for this scenario; numeric endpoints: "
                            f"{', '.join(numeric)}", field="endpoint")
    if not pd.api.types.is_numeric_dtype(frame[endpoint]):
        raise ScenarioError(f"endpoint {endpoint!r} is a category, not a number; sensitivity "
                            "needs a numeric endpoint", field="endpoint")
    values = np.full(result.n, np.nan)
    values[frame["id"].to_numpy()] = frame[endpoint].to_numpy(float)
    return values, endpoint_unit(endpoint)


def sensitivity(scenario: Scenario, endpoint: str, *,
                method: Literal["local", "morris", "sobol"] = "local",
                parameters: Sequence[str] | None = None, n: int | None = None,
                step: float = 0.1, spread: float = 0.3, seed: int = 1,
                progress: Callable[[int, int], None] | None = None) -> SensitivityResult:
    """Sensitivity of ``endpoint`` (a column of the scenario's endpoint table) to the twin's
    parameters by ``method`` (see the module docstring).

    ``n``: Morris trajectories (default 10) or the Sobol base sample (default 64, rounded up
    to a power of 2); ``step``: relative finite-difference step of ``local``; ``spread``:
    relative half-width of the global ranges; ``seed`` the global sample's seed.
    """
    from hematwin.scenario.runner import patient_parameters, run_scenario, twin_model

    if method not in METHODS:
        raise ScenarioError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}",
                            field="method")
    if not 0 < step < 1 or not 0 < spread < 1:
        raise ScenarioError("step and spread must lie between 0 and 1", field="step")
    spec = twin_model().spec
    typical, notes = patient_parameters(scenario, spec)
    names = list(parameters) if parameters else default_parameters(scenario, spec)
    unknown = [p for p in names if p not in set(spec.parameter_names)]
    if unknown:
        raise ScenarioError(f"unknown twin parameter(s) {', '.join(unknown)}; see "
                            "hematwin.twin.twin_spec().parameter_names", field="params")
    if not names:
        raise ScenarioError("no parameters to vary", field="params")
    ranges = _ranges(names, typical, spec, spread if method != "local" else step)
    zero = ranges["value"] == 0
    if zero.any():
        notes.append("left out (typical value 0, no relative change): "
                     + ", ".join(ranges.loc[zero, "parameter"]))
        ranges = ranges[~zero].reset_index(drop=True)
    if method == "local":
        design = _local_design(ranges)
    else:
        problem = {"num_vars": len(ranges), "names": list(ranges["parameter"]),
                   "bounds": ranges[["low", "high"]].to_numpy().tolist()}
        design = pd.DataFrame(_global_sample(method, problem, n, seed),
                              columns=problem["names"])
    # one batch: a row per parameter set (the baseline first for local)
    result = run_scenario(scenario, progress=progress,
                          parameters=design.drop(columns=["_param", "_side"], errors="ignore"))
    values, unit = _endpoint_values(result, endpoint)
    samples = design.assign(endpoint=values)
    if method == "local":
        table, baseline = _local_table(ranges, samples, notes)
    else:
        baseline = float(np.nanmedian(values)) if np.isfinite(values).any() else np.nan
        table = _global_table(method, problem, ranges, design.to_numpy(float), values, notes)
    return SensitivityResult(scenario.name, endpoint, unit, method, table, samples, baseline,
                             notes)


def _local_design(ranges: pd.DataFrame) -> pd.DataFrame:
    base = dict(zip(ranges["parameter"], ranges["value"], strict=True))
    rows = [{**base, "_param": None, "_side": 0}]
    for r in ranges.itertuples(index=False):
        for side, value in ((-1, r.low), (1, r.high)):
            rows.append({**base, r.parameter: value, "_param": r.parameter, "_side": side})
    return pd.DataFrame(rows)


def _local_table(ranges: pd.DataFrame, samples: pd.DataFrame,
                 notes: list[str]) -> tuple[pd.DataFrame, float]:
    e0 = float(samples["endpoint"].iloc[0])
    if not np.isfinite(e0):
        notes.append("the endpoint has no value at the typical parameters (e.g. never "
                     "reached): elasticities are undefined")
    rows = []
    for r in ranges.itertuples(index=False):
        lo = samples[(samples["_param"] == r.parameter) & (samples["_side"] == -1)]
        hi = samples[(samples["_param"] == r.parameter) & (samples["_side"] == 1)]
        e_lo, e_hi = float(lo["endpoint"].iloc[0]), float(hi["endpoint"].iloc[0])
        dtheta = r.high - r.low
        with np.errstate(all="ignore"):
            elasticity = ((e_hi - e_lo) / dtheta * r.value / e0
                          if dtheta > 0 and e0 != 0 else np.nan)
        rows.append({"parameter": r.parameter, "unit": r.unit, "value": r.value,
                     "low": r.low, "high": r.high, "endpoint_low": e_lo,
                     "endpoint_high": e_hi, "elasticity": elasticity,
                     "abs_elasticity": abs(elasticity)})
    table = pd.DataFrame(rows)
    if e0 == 0:
        notes.append("the endpoint is 0 at the typical parameters: elasticities are "
                     "undefined; the plot shows the endpoint at each end of the step")
    return _ranked(table, "abs_elasticity"), e0


def _global_sample(method: str, problem: dict[str, Any], n: int | None,
                   seed: int) -> np.ndarray:
    if method == "morris":
        from SALib.sample import morris as morris_sample

        return morris_sample.sample(problem, n or 10, num_levels=4, seed=seed)
    from SALib.sample import sobol as sobol_sample

    base = 2 ** int(np.ceil(np.log2(max(n or 64, 2))))
    return sobol_sample.sample(problem, base, calc_second_order=False, seed=seed)


def _global_table(method: str, problem: dict[str, Any], ranges: pd.DataFrame,
                  x: np.ndarray, values: np.ndarray, notes: list[str]) -> pd.DataFrame:
    bad = ~np.isfinite(values)
    if bad.all():
        raise ScenarioError("the endpoint has no value for any parameter set (e.g. never "
                            "reached within the horizon)", field="endpoint")
    if bad.any():
        # an endpoint not reached (e.g. no engraftment) is set to the worst value seen
        notes.append(f"{int(bad.sum())} of {values.size} parameter sets have no value for "
                     "the endpoint (not reached); they count as the largest value seen")
        values = np.where(bad, np.nanmax(values), values)
    if method == "morris":
        from SALib.analyze import morris as morris_analyze

        res = morris_analyze.analyze(problem, x, values, num_levels=4)
        cols = {"mu": res["mu"], "mu_star": res["mu_star"], "sigma": res["sigma"],
                "mu_star_conf": res["mu_star_conf"]}
        score = "mu_star"
    else:
        from SALib.analyze import sobol as sobol_analyze

        if np.ptp(values) == 0:
            notes.append("the endpoint is the same for every parameter set: Sobol indices "
                         "are undefined")
            cols = {k: np.full(len(ranges), np.nan) for k in ("S1", "S1_conf", "ST",
                                                              "ST_conf")}
        else:
            res = sobol_analyze.analyze(problem, values, calc_second_order=False, seed=1)
            cols = {"S1": res["S1"], "S1_conf": res["S1_conf"], "ST": res["ST"],
                    "ST_conf": res["ST_conf"]}
        score = "ST"
    table = ranges.assign(**{k: np.asarray(v, float) for k, v in cols.items()})
    return _ranked(table, score)


def _ranked(table: pd.DataFrame, score: str) -> pd.DataFrame:
    order = table[score].fillna(-np.inf).rank(ascending=False, method="first")
    table = table.assign(rank=order.astype(int)).sort_values("rank").reset_index(drop=True)
    return table[["rank", *[c for c in table.columns if c != "rank"]]]


# --- output ------------------------------------------------------------------------------


def write_sensitivity(result: SensitivityResult, out_dir: Path | str, *,
                      top: int = 20) -> dict[str, Path]:
    """Write the ranked table (CSV) and a tornado (local) or bar (global) plot (PNG) of the
    ``top`` parameters into ``out_dir``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{result.scenario}_{result.endpoint}_{result.method}"
    files = {"table (CSV)": out / f"{stem}.csv", "plot": out / f"{stem}.png"}
    result.table.to_csv(files["table (CSV)"], index=False)
    shown = result.table.head(top).iloc[::-1]
    unit = f" ({result.unit})" if result.unit else ""
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.32 * len(shown)), layout="constrained")
    y = np.arange(len(shown))
    labels = list(shown["parameter"])
    if result.method == "local":
        base = result.baseline if np.isfinite(result.baseline) else 0.0
        lo = shown["endpoint_low"].to_numpy(float) - base
        hi = shown["endpoint_high"].to_numpy(float) - base
        ax.barh(y, lo, left=base, color="#4C72B0",
                label=f"parameter × (1 − step) (step {_step(result):.0%})")
        ax.barh(y, hi, left=base, color="#DD8452", label="parameter × (1 + step)")
        ax.axvline(base, color="black", lw=1)
        ax.set_xlabel(f"{result.endpoint}{unit}  ·  typical value {result.baseline:.4g}")
        for yi, e in zip(y, shown["elasticity"], strict=True):
            if np.isfinite(e):
                ax.annotate(f"{e:+.2f}", (1.0, yi), xycoords=("axes fraction", "data"),
                            xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
        ax.set_title(f"{result.scenario}: local sensitivity of {result.endpoint}\n"
                     "(right: normalised derivative ∂ln E/∂ln θ)", fontsize=10)
    elif result.method == "morris":
        ax.barh(y, shown["mu_star"], xerr=shown["mu_star_conf"], color="#4C72B0",
                label="μ* (mean |elementary effect|)")
        ax.plot(shown["sigma"], y, "o", color="#DD8452", label="σ (interactions, nonlinearity)")
        ax.set_xlabel(f"effect on {result.endpoint}{unit} across each parameter's range")
        ax.set_title(f"{result.scenario}: Morris screening of {result.endpoint}", fontsize=10)
    else:
        h = 0.4
        ax.barh(y + h / 2, shown["ST"], h, xerr=shown["ST_conf"], color="#4C72B0",
                label="total index S_T")
        ax.barh(y - h / 2, shown["S1"], h, xerr=shown["S1_conf"], color="#DD8452",
                label="first-order index S_1")
        ax.set_xlabel(f"Sobol index (share of the variance of {result.endpoint})")
        ax.set_title(f"{result.scenario}: Sobol indices of {result.endpoint}", fontsize=10)
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_ylabel("twin parameter")
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    fig.savefig(files["plot"], dpi=120)
    plt.close(fig)
    return files


def _step(result: SensitivityResult) -> float:
    t = result.table
    with np.errstate(all="ignore"):
        rel = (t["high"] / t["value"] - 1).to_numpy(float)
    rel = rel[np.isfinite(rel)]
    return float(np.max(rel)) if rel.size else float("nan")
