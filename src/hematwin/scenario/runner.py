"""Run a scenario: build the regimen and parameters, simulate the twin, judge the counts.

:func:`run_scenario` turns a :class:`~hematwin.scenario.schema.Scenario` into

1. a regimen — the sum of the catalogue functions' regimens for the treatment list
   (:meth:`Scenario.regimen`), plus count-triggered transfusions when the scenario has a
   ``support`` block (:func:`hematwin.therapy.support.transfuse_on_triggers`, per patient);
2. parameters — the twin's defaults with the patient's age, modifiers, disease burden at
   diagnosis (:mod:`hematwin.therapy.disease`) and explicit overrides; for ``n`` > 1 virtual
   patients, log-normal variability around them (:func:`hematwin.engine.population.lognormal_iiv`,
   deterministic in (seed, patient id)), each draw limited to the parameter's range;
3. daily counts from the first simulated day to the horizon (integrated in chunks);
4. endpoints per patient, computed by :mod:`hematwin.clinic` exactly as for a measured
   record: nadirs and days in each CTCAE grade, neutropenia exposure, engraftment days after
   a transplant, AML response (ELN 2022) at each marrow assessment with marrow blasts as the
   MRD surrogate, relapse, CML molecular response, chimerism, and the twin's infection,
   bleeding, GVHD and survival probabilities at the horizon;
5. for ``n`` > 1, medians with 90 % intervals of every count and endpoint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from hematwin.clinic import response_cml
from hematwin.clinic.chimerism import lineage_chimerism
from hematwin.clinic.ctcae import NEEDS_LLN, Term
from hematwin.clinic.engraftment import neutrophil_engraftment, platelet_engraftment
from hematwin.clinic.infection import neutropenia_exposure
from hematwin.clinic.recovery import summarize_cytopenia
from hematwin.clinic.response_aml import (
    AMLAssessment,
    MRDMeasurement,
    aml_response_course,
)
from hematwin.errors import ScenarioError
from hematwin.scenario.catalogue import DISPLAY_NAMES, TREATMENTS
from hematwin.scenario.schema import DEFAULT_OUTPUTS, Scenario
from hematwin.therapy import Regimen
from hematwin.therapy.disease import LEUKEMIC_CHEMOSENSITIVITY_SD

__all__ = ["DEFAULT_OMEGA", "INTERVAL", "ScenarioResult", "run_scenario", "treatment_spans"]

INTERVAL = (5.0, 95.0)
"""Percentiles of the reported 90 % intervals."""

DEFAULT_OMEGA = {
    # baselines of the counts (adult reference ranges span about ±25 %)
    "ANC0": 0.25, "PLT0": 0.2, "HB0": 0.07, "CD4_0": 0.3, "CD8_0": 0.3, "NK0": 0.3,
    "B0": 0.3,
    # stem cells and regeneration
    "S0": 0.3, "pS": 0.2, "act_max": 0.3, "MTT_N": 0.15, "MTT_P": 0.15,
    # immune reconstitution and alloreactivity
    "k_T": 0.2, "k_allo": 0.3, "k_gvl": 0.3,
    # leukemia: LSC division and the chemosensitivity of the leukemic line (the spread that
    # calibrates relapse after transplant in CR1); blast proliferation is not spread, since
    # above the blast loss rate blasts would sustain themselves without leukemic stem cells
    "p_L": 0.2, "chemo_sens_L": LEUKEMIC_CHEMOSENSITIVITY_SD,
    # drug clearances (PK variability of the order reported in the labels, CV ~25-40 %)
    "CL_ARAC": 0.3, "CL_DNR": 0.3, "CL_BU": 0.25, "CL_CY": 0.3, "CL_MEL": 0.3,
    "CL_FLU": 0.3, "CL_DTX": 0.25, "CL_IM": 0.3,
}
"""ω (log-normal SD) per parameter used by ``omega: default``: an assumption of this
package, chosen for plausible inter-patient spread; parameters missing from the twin are
skipped."""

BLOOD_BLASTS_PRESENT = 0.01
"""Circulating blasts (×10⁹/L) counted as 'present' at an AML assessment: 10/µL, about one
blast in a 100-cell differential at a WBC of 1×10⁹/L (our choice)."""

RELAPSE_BLASTS_PCT = 5.0
"""Marrow blasts ≥ 5 % after a remission is a hematologic relapse (Döhner 2022, Table 7)."""

ENDPOINT_UNITS = {
    "nadir": "×10⁹/L", "day": "day", "days": "days", "pct": "%", "p_": "probability",
    "survival": "probability", "d_index": "×10⁹/L·days",
}


@dataclass
class ScenarioResult:
    """What a scenario run produced.

    ``times`` the daily grid (model days); ``values[name]`` [patients × days] per output;
    ``endpoints`` one row per patient; ``summary`` one row per endpoint (value for one
    patient; median, 5th and 95th percentile and the share of patients with a value for
    several); ``aml_responses`` one row per patient and marrow assessment; ``bands[name]``
    median/lower/upper over time; ``transfusions`` per patient the platelet and red-cell
    transfusion days.
    """

    scenario: Scenario
    times: np.ndarray
    values: dict[str, np.ndarray]
    units: dict[str, str]
    ids: np.ndarray
    ok: np.ndarray
    parameters: pd.DataFrame
    endpoints: pd.DataFrame
    summary: pd.DataFrame
    aml_responses: pd.DataFrame
    treatments: pd.DataFrame
    transfusions: list[dict[str, list[float]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return int(self.ids.shape[0])

    def band(self, name: str) -> dict[str, np.ndarray]:
        v = self.values[name][self.ok]
        lo, hi = INTERVAL
        with np.errstate(all="ignore"):
            return {"median": np.nanmedian(v, axis=0), "lower": np.nanpercentile(v, lo, axis=0),
                    "upper": np.nanpercentile(v, hi, axis=0)}

    def endpoint(self, name: str) -> float | str | None:
        """The summary value of one endpoint (the median for several patients)."""
        row = self.summary[self.summary["endpoint"] == name]
        if row.empty:
            raise KeyError(f"no endpoint {name!r}; endpoints: {list(self.summary['endpoint'])}")
        value = row.iloc[0]["value" if self.n == 1 else "median"]
        return None if value is None or (isinstance(value, float) and np.isnan(value)) \
            else value

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (``hematwin run --format json``)."""
        def clean(frame: pd.DataFrame) -> list[dict[str, Any]]:
            return [{k: (None if (isinstance(v, float) and not np.isfinite(v)) else
                         (v.item() if isinstance(v, np.generic) else v))
                     for k, v in row.items()} for row in frame.to_dict(orient="records")]
        return {
            "scenario": self.scenario.model_dump(mode="json"),
            "n_patients": self.n,
            "n_failed": int((~self.ok).sum()),
            "summary": clean(self.summary),
            "endpoints": clean(self.endpoints),
            "aml_responses": clean(self.aml_responses),
            "treatments": clean(self.treatments),
            "notes": self.notes,
        }


# --- parameters --------------------------------------------------------------------------


def patient_parameters(scenario: Scenario, spec: Any) -> tuple[dict[str, float], list[str]]:
    """The typical parameters of the scenario's patient, and notes on what was not modelled."""
    from hematwin.therapy.disease import aml_at_diagnosis, cml_chronic_phase
    from hematwin.therapy.patient import baseline_hb

    p = scenario.patient
    notes: list[str] = []
    values: dict[str, float] = {"age": p.age,
                                "HB0": baseline_hb(p.sex, spec.parameter("HB0").default),
                                **p.modifiers.parameters(), **p.parameters}
    if p.disease == "aml":
        burden = aml_at_diagnosis(p.marrow_blasts_pct or 60.0, params=values)
        values.update({k: v for k, v in burden.params().items() if k not in p.parameters})
    elif p.disease == "cml":
        values.update({k: v for k, v in cml_chronic_phase(params=values).params().items()
                       if k not in p.parameters})
    elif p.disease in ("all", "myeloma", "lymphoma", "solid_tumor"):
        notes.append(f"disease {p.disease}: the twin has no disease line for it; the counts "
                     "show the effect of the treatment on normal blood formation")
    if p.risk is not None:
        notes.append(f"risk '{p.risk}' is reported but sets no parameter; encode leukemic "
                     "fitness with modifiers.leukemic_self_renewal")
    return values, notes


def _parameter_table(scenario: Scenario, spec: Any, typical: dict[str, float],
                     ids: np.ndarray) -> tuple[pd.DataFrame, list[str]]:
    from hematwin.engine.population import lognormal_iiv

    var = scenario.variability
    notes: list[str] = []
    table = pd.DataFrame({k: np.full(ids.shape[0], v) for k, v in typical.items()},
                         index=pd.Index(ids, name="id"))
    if var.n == 1:
        return table, notes
    names = set(spec.parameter_names)
    if var.omega == "default":
        omega = {k: w for k, w in DEFAULT_OMEGA.items() if k in names}
    else:
        omega = dict(var.omega)
    # parameters the patient fixed explicitly keep their value
    omega = {k: w for k, w in omega.items() if k not in scenario.patient.parameters}
    drawn = lognormal_iiv(spec, omega, ids, var.seed, typical=typical)
    bounds = {p.name: (p.lower, p.upper) for p in spec.parameters}
    clipped = 0
    for name in drawn.columns:
        lo, hi = bounds[name]
        col = drawn[name].to_numpy()
        clipped += int(((col < lo) | (col > hi)).sum())
        table[name] = np.clip(col, lo, hi)
    if clipped:
        notes.append(f"{clipped} parameter draws fell outside their parameter's range and "
                     "were set to the nearest bound")
    return table, notes


# --- simulation --------------------------------------------------------------------------


_MODEL: Any = None


def twin_model() -> Any:
    """The compiled twin (compiled once per process; Numba caches it on disk)."""
    global _MODEL
    if _MODEL is None:
        from hematwin.engine import Model
        from hematwin.twin import twin_spec

        _MODEL = Model(twin_spec())
    return _MODEL


def _supported_regimens(scenario: Scenario, model: Any, regimen: Regimen,
                        params: pd.DataFrame, progress: Callable[[int, int], None] | None
                        ) -> tuple[list[Regimen], list[dict[str, list[float]]]]:
    from hematwin.therapy.support import transfuse_on_triggers

    support = scenario.support
    assert support is not None
    regimens, days = [], []
    n = len(params)
    for i, (_, row) in enumerate(params.iterrows()):
        plan = transfuse_on_triggers(
            model, regimen, start=scenario.start, end=scenario.horizon, params=row.to_dict(),
            platelet_trigger=support.platelet_trigger, hb_trigger=support.hb_trigger,
            weight_kg=scenario.patient.weight)
        regimens.append(plan.regimen)
        days.append({"platelets": plan.platelet_days, "red_cells": plan.red_cell_days})
        if progress is not None:
            progress(i + 1, 2 * n)
    return regimens, days


STEPS_PER_DAY = 300
"""Solver step allowance per simulated day (the twin's explicit solver takes up to ~200 steps
a day in a healthy steady state; beyond the allowance a patient is flagged as failed)."""


def max_steps(scenario: Scenario) -> int:
    return max(100_000, int(STEPS_PER_DAY * (scenario.horizon - scenario.start)))


def run_scenario(scenario: Scenario, *,
                 progress: Callable[[int, int], None] | None = None,
                 parameters: pd.DataFrame | None = None) -> ScenarioResult:
    """Simulate ``scenario`` and judge its counts (see the module docstring).

    ``progress(done, total)`` is called as chunks of patients finish. ``parameters``, one
    row per virtual patient (twin parameter names as columns; missing ones keep the
    patient's typical value), replaces the scenario's variability: the rows are simulated
    in one batch (used by :mod:`hematwin.scenario.sensitivity`).
    """
    model = twin_model()
    spec = model.spec
    typical, notes = patient_parameters(scenario, spec)
    if parameters is None:
        n = scenario.variability.n
        ids = np.arange(n)
        params, more = _parameter_table(scenario, spec, typical, ids)
        notes += more
    else:
        n = len(parameters)
        ids = np.arange(n)
        params = pd.DataFrame({k: np.full(n, v) for k, v in typical.items()},
                              index=pd.Index(ids, name="id"))
        for name in parameters.columns:
            params[name] = parameters[name].to_numpy(float)
    regimen = scenario.regimen()
    times = np.arange(scenario.start, scenario.horizon + 1e-9, 1.0)
    record = list(dict.fromkeys([*DEFAULT_OUTPUTS, *scenario.outputs]))
    transfusions: list[dict[str, list[float]]] = [{"platelets": [], "red_cells": []}
                                                  for _ in range(n)]
    regimens: Regimen | list[Regimen] = regimen
    offset = 0
    if scenario.support is not None:
        regimens, transfusions = _supported_regimens(scenario, model, regimen, params, progress)
        offset = n

    def chunk_progress(done: int, total: int) -> None:
        if progress is not None:
            progress(offset + done, offset + total)

    result = model.simulate(regimen=regimens, params=params, times=times, record=record,
                            ids=ids, t0=scenario.start, max_steps=max_steps(scenario),
                            chunk_size=scenario.variability.chunk_size,
                            progress=chunk_progress)
    values = {name: result[name] for name in record}
    units = dict(zip(result.names, result.units, strict=True))
    ok = np.asarray(result.ok)
    if not ok.any():
        raise ScenarioError(f"every simulation failed: {result.failures().head().to_dict()}",
                            field="treatment")
    if not ok.all():
        notes.append(f"{int((~ok).sum())} of {n} virtual patients failed to solve and are "
                     "left out of the summaries")
    good = {k: v[ok] for k, v in values.items()}
    endpoints, aml = _endpoints(scenario, times, good,
                                [t for t, keep in zip(transfusions, ok, strict=True) if keep])
    endpoints.insert(0, "id", ids[ok])
    if not aml.empty:
        aml["id"] = ids[ok][aml["id"].to_numpy()]
    summary = summarize_endpoints(endpoints.drop(columns="id"))
    return ScenarioResult(scenario, times, values, units, ids, ok, params, endpoints, summary,
                          aml, treatment_spans(scenario), transfusions, notes)


# --- endpoints ---------------------------------------------------------------------------

_CYTOPENIAS = (("anc", Term.NEUTROPHIL_COUNT_DECREASED),
               ("platelets", Term.PLATELET_COUNT_DECREASED),
               ("wbc", Term.WHITE_BLOOD_CELL_DECREASED),
               ("lymphocytes", Term.LYMPHOCYTE_COUNT_DECREASED))


def _at(times: np.ndarray, series: np.ndarray, day: float) -> np.ndarray:
    """Values on the saved day nearest ``day`` (NaN beyond the grid)."""
    if day < times[0] or day > times[-1]:
        return np.full(series.shape[0], np.nan)
    return series[:, int(np.argmin(np.abs(times - day)))]


def _assessment_days(scenario: Scenario) -> list[float]:
    if scenario.assessments is not None:
        days = list(scenario.assessments)
    else:
        days = []
        for item in scenario.treatment:
            if item.type in ("seven_plus_three", "high_dose_cytarabine"):
                days.append(item.day + 28.0)
        tx = scenario.transplant_day
        if tx is not None:
            days += [tx + d for d in (30.0, 100.0, 180.0, 365.0)]
            days += list(np.arange(tx + 545.0, scenario.horizon + 1e-9, 180.0))
        elif days:
            days += list(np.arange(max(days) + 90.0, scenario.horizon + 1e-9, 90.0))
    return sorted({float(d) for d in days if scenario.start < d <= scenario.horizon})


def _aml(scenario: Scenario, times: np.ndarray, values: dict[str, np.ndarray]
         ) -> tuple[dict[str, np.ndarray | list], pd.DataFrame]:
    days = _assessment_days(scenario)
    n = values["anc"].shape[0]

    def assessment(i: int, day: float) -> AMLAssessment:
        blasts = float(np.clip(_at(times, values["marrow_blasts_pct"][i:i + 1], day)[0],
                               0.0, 100.0))
        return AMLAssessment(
            day=day, marrow_blasts_pct=blasts,
            blood_blasts_present=bool(_at(times, values["blasts_blood"][i:i + 1], day)[0]
                                      >= BLOOD_BLASTS_PRESENT),
            anc=max(0.0, float(_at(times, values["anc"][i:i + 1], day)[0])),
            platelets=max(0.0, float(_at(times, values["platelets"][i:i + 1], day)[0])),
            mrd=MRDMeasurement(method="mfc", value_pct=blasts))

    out: dict[str, list] = {k: [] for k in ("best_response", "first_remission_day",
                                            "relapse_day", "mrd_relapse_day")}
    rows = []
    for i in range(n):
        course = aml_response_course([assessment(i, d) for d in days],
                                     baseline=assessment(i, float(times[0])))
        best = course.best_response
        out["best_response"].append(best.label if best is not None else None)
        out["first_remission_day"].append(course.first_remission_day)
        out["relapse_day"].append(course.hematologic_relapse_day)
        out["mrd_relapse_day"].append(course.mrd_relapse_day)
        for r in course.responses:
            rows.append({"id": i, "day": r.day, "category": r.category.value, "label": r.label,
                         "marrow_blasts_pct": float(_at(times, values["marrow_blasts_pct"]
                                                        [i:i + 1], r.day)[0]),
                         "reason": r.reason})
    # relapse on the daily series: marrow blasts ≥ 5 % after the first remission
    blasts = values["marrow_blasts_pct"]
    daily = []
    for i in range(n):
        first = out["first_remission_day"][i]
        if first is None:
            daily.append(np.nan)
            continue
        hit = np.flatnonzero((times > first) & (blasts[i] >= RELAPSE_BLASTS_PCT))
        daily.append(float(times[hit[0]]) if hit.size else np.nan)
    result: dict[str, np.ndarray | list] = {
        "aml_best_response": out["best_response"],
        "aml_in_remission": np.array([b is not None and b.startswith(("CR", "CRh", "CRi"))
                                      for b in out["best_response"]], dtype=float),
        "first_remission_day": _floats(out["first_remission_day"]),
        "relapse_day": np.asarray(daily, float),
        "relapse_at_assessment_day": _floats(out["relapse_day"]),
        "mrd_relapse_day": _floats(out["mrd_relapse_day"]),
    }
    return result, pd.DataFrame(rows)


def _floats(xs: list[float | None]) -> np.ndarray:
    return np.array([np.nan if x is None else float(x) for x in xs], float)


def _cml(scenario: Scenario, times: np.ndarray, values: dict[str, np.ndarray]
         ) -> dict[str, np.ndarray | list]:
    starts = [t.day for t in scenario.treatment if t.type == "imatinib"]
    if not starts:
        return {}
    start = min(starts)
    bcr = values["bcr_abl_pct"]
    out: dict[str, np.ndarray | list] = {}
    dpm = response_cml.DAYS_PER_MONTH
    for month in (3, 6, 12):
        v = _at(times, bcr, start + month * dpm)
        out[f"bcr_abl_pct_{month}mo"] = v
        out[f"eln2020_{month}mo"] = [
            None if not np.isfinite(x) else response_cml.eln2020_verdict(month, float(x)).value
            for x in v]
    mmr = (times[None, :] >= start) & (bcr <= response_cml.MMR_PCT)
    out["mmr_day"] = np.where(mmr.any(axis=1), times[np.argmax(mmr, axis=1)], np.nan)
    end = bcr[:, -1]
    out["bcr_abl_pct_end"] = end
    out["molecular_response_end"] = [
        None if not np.isfinite(x) else response_cml.molecular_response(float(x)).label
        for x in end]
    return out


def _transplant(scenario: Scenario, times: np.ndarray, values: dict[str, np.ndarray],
                transfusions: list[dict[str, list[float]]]) -> dict[str, np.ndarray | list]:
    tx = scenario.transplant_day
    if tx is None:
        return {}
    rel = times - tx
    keep = rel >= 0
    anc = neutrophil_engraftment(values["anc"][:, keep], rel[keep])
    plt_days = [[d - tx for d in t["platelets"]] for t in transfusions]
    plt = platelet_engraftment(values["platelets"][:, keep], rel[keep],
                               transfusion_days=plt_days if any(plt_days) else None)
    out: dict[str, np.ndarray | list] = {
        "neutrophil_engraftment_day": np.asarray(anc.engraftment_day, float),
        "platelet_engraftment_day": np.asarray(plt.engraftment_day, float),
        "platelet_50_day": np.asarray(plt.day_50, float),
    }
    # donor chimerism after an allograft, the graft-derived share after an autologous
    # (gene-corrected, iPSC-derived) graft; both for a patient who has both
    kinds = scenario.graft_chimerism
    for day in (30, 100, 365):
        if tx + day <= times[-1]:
            for kind in kinds:
                for lineage in ("myeloid", "t"):
                    name = f"{kind}_{lineage}_pct"
                    out[f"{name}_d{day}"] = _at(times, values[name], tx + day)
            out[f"cd4_d{day}"] = _at(times, values["cd4"], tx + day)
    # the chimerism category of the main graft: the allograft's when there is one
    myeloid = np.clip(values[f"{kinds[0]}_myeloid_pct"][:, -1], 0, 100)
    t_cells = np.clip(values[f"{kinds[0]}_t_pct"][:, -1], 0, 100)
    out["chimerism_end"] = [
        lineage_chimerism({"myeloid": float(m), "T cells": float(t)}).overall.value
        if np.isfinite(m) and np.isfinite(t) else None for m, t in zip(myeloid, t_cells,
                                                                         strict=True)]
    return out


def _grade(codes: object) -> np.ndarray:
    """Worst CTCAE grade; grades 0 and 1 need the lower limit of normal, which a simulation
    lacks, so "grade ≤ 1" is reported as 1."""
    g = np.atleast_1d(np.asarray(codes)).astype(float)
    return np.where(g == NEEDS_LLN, 1.0, g)


def _endpoints(scenario: Scenario, times: np.ndarray, values: dict[str, np.ndarray],
               transfusions: list[dict[str, list[float]]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    cols: dict[str, Any] = {}
    for name, term in _CYTOPENIAS:
        s = summarize_cytopenia(values[name], times, term=term)
        cols[f"{name}_nadir"] = np.atleast_1d(s.nadir)
        cols[f"{name}_nadir_day"] = np.atleast_1d(s.nadir_day)
        cols[f"{name}_worst_grade"] = _grade(s.worst_grade)
        cols[f"{name}_days_grade4"] = np.atleast_1d(s.days_grade4)
    hb = summarize_cytopenia(values["hb"], times, term=Term.ANEMIA)
    cols["hb_nadir"] = np.atleast_1d(hb.nadir)
    cols["hb_worst_grade"] = _grade(hb.worst_grade)
    exposure = neutropenia_exposure(values["anc"], times)
    cols["days_anc_below_0.5"] = np.atleast_1d(exposure.days_below_0_5)
    cols["d_index"] = np.atleast_1d(exposure.d_index)
    cols.update(_transplant(scenario, times, values, transfusions))
    aml = pd.DataFrame()
    if scenario.patient.disease == "aml":
        more, aml = _aml(scenario, times, values)
        cols.update(more)
    cols.update(_cml(scenario, times, values))
    if (scenario.patient.modifiers.chip_fraction or 0) > 0:
        cols["mutant_vaf_pct_end"] = values["mutant_vaf_pct"][:, -1]
    if scenario.support is not None:
        cols["platelet_transfusions"] = np.array([len(t["platelets"]) for t in transfusions],
                                                 float)
        cols["red_cell_transfusions"] = np.array([len(t["red_cells"]) for t in transfusions],
                                                 float)
    for name in ("p_infection", "p_bleeding", "p_gvhd", "p_sos", "nrm", "survival"):
        cols[f"{name}_end"] = values[name][:, -1]
    return pd.DataFrame(cols), aml


def endpoint_unit(name: str) -> str:
    """The unit of an endpoint column, read from its name."""
    if name.startswith(("p_", "survival", "nrm")):
        return "probability"
    if name.endswith("_grade") or name.startswith(("eln", "aml_best", "chimerism",
                                                   "molecular")):
        return ""
    if "pct" in name:
        return "%"
    if name.endswith("_day") or name.endswith("_days_grade4") or name.startswith("days_"):
        return "day"
    if name == "d_index":
        return "×10⁹/L·day"
    if name.startswith("hb"):
        return "g/dL"
    if name.endswith(("_nadir",)) or name.startswith("cd4"):
        return "×10⁹/L"
    if name == "aml_in_remission":
        return "share"
    return ""


def summarize_endpoints(endpoints: pd.DataFrame) -> pd.DataFrame:
    """One row per endpoint: the value for one patient; for several, the median with the
    5th and 95th percentiles (numbers) or the most frequent value and its share
    (categories), and ``reached``: the share of patients with a value (e.g. engrafted)."""
    rows = []
    n = len(endpoints)
    for name in endpoints.columns:
        col = endpoints[name]
        row: dict[str, Any] = {"endpoint": name, "unit": endpoint_unit(name)}
        numeric = pd.api.types.is_numeric_dtype(col)
        if n == 1:
            v = col.iloc[0]
            row["value"] = (float(v) if numeric and pd.notna(v) else
                            (None if pd.isna(v) else str(v)))
        elif numeric:
            v = col.to_numpy(float)
            good = v[np.isfinite(v)]
            row["median"] = float(np.median(good)) if good.size else np.nan
            row["p5"] = float(np.percentile(good, INTERVAL[0])) if good.size else np.nan
            row["p95"] = float(np.percentile(good, INTERVAL[1])) if good.size else np.nan
            row["reached"] = good.size / n
        else:
            counts = col.dropna().astype(str).value_counts()
            row["median"] = counts.index[0] if len(counts) else None
            row["reached"] = (counts.iloc[0] / n) if len(counts) else 0.0
        rows.append(row)
    return pd.DataFrame(rows)


def treatment_label(item: Any) -> str:
    """A short clinical label of a treatment item: "HSCT (peripheral blood, matched sibling)"."""
    name = DISPLAY_NAMES[item.type]
    args = item.arguments
    details = [str(args[k]).replace("_", " ") for k in ("source", "donor") if k in args]
    if item.type == "dli" and "cd3_per_kg" in args:
        details.append(f"{args['cd3_per_kg']:.0e} CD3/kg".replace("e+0", "e"))
    return f"{name} ({', '.join(details)})" if details else name


def treatment_spans(scenario: Scenario) -> pd.DataFrame:
    """One row per treatment item: its type, category, first and last dose day."""
    rows = []
    for item in scenario.treatment:
        reg = item.regimen(scenario.patient)
        times = [it.time for it in reg.items]
        doses = reg.dose_times()
        last = max(doses) if doses else max(times)
        rows.append({"type": item.type, "label": item.label or treatment_label(item),
                     "category": TREATMENTS[item.type].category, "day": item.day,
                     "first_day": min(times + doses), "last_day": last})
    return pd.DataFrame(rows, columns=["type", "label", "category", "day", "first_day",
                                       "last_day"])
