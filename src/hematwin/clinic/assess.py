"""Assess one patient's :class:`~hematwin.data.Timeline` by every standard in `hematwin.clinic`.

:func:`assess` is the adapter between a timeline (measured or simulated: the same code path,
DESIGN.md) and the clinic functions. It holds no thresholds of its own: grades, episodes,
engraftment, graft failure, infection exposure and response come from the modules that cite
their sources (:mod:`.ctcae`, :mod:`.recovery`, :mod:`.engraftment`, :mod:`.infection`,
:mod:`.response_cml`, :mod:`.response_aml`, :mod:`.chimerism`).

What is read from the timeline
------------------------------
* Blood counts are the observations whose specimen is blood or not given; bone-marrow
  observations are not graded. An observation with a date but no day, in a timeline without
  ``reference_date``, cannot be placed in time: it is left out and counted in ``notes``.
* Days are the timeline's days (relative to its ``reference_event``). Transplant endpoints
  are reported in days after the (first) HSCT, as the consensus defines them; CML months run
  from the first TKI day when a TKI is recorded, otherwise from the timeline's day 0.

Censored values ("<0.1", ">95")
-------------------------------
The timeline keeps the limit as the value and ``censor`` = ``"<"`` or ``">"``. Here:

* A ``"<x"`` value enters the count rules as *just below* ``x`` (``x * (1 - 1e-9)``) and a
  ``">x"`` value as just above ``x``: the value closest to what was proven, on the proven
  side of a cut-off equal to ``x``. So ``ANC "<0.5"`` is grade 4 (v5.0), never counts
  towards engraftment (>= 0.5), and ``">95"`` % donor cells is full donor chimerism (> 95 %).
  A grade from a ``"<"`` value is the mildest grade the true value can have (``bound`` =
  "at least"); from a ``">"`` value the most severe ("at most").
* BCR::ABL1 ``"<x"`` is passed to :func:`.response_cml.cml_response_table` as ``x`` with
  ``below_limit=True`` (that module's convention: the class is the one ``x`` earns).
* Tables show the reported limit with its ``censor`` flag, never the nudged number.

Choices of this adapter (not of a standard), documented here
-------------------------------------------------------------
* Cytopenia episodes use one LLN per analyte: the LLN given with the observations when all
  agree, otherwise none (grade 1 is then "needs LLN"; episodes start at grade 2 anyway).
* AML response (ELN 2022) is judged at each marrow assessment with blast % after the first
  treatment (chemotherapy or HSCT); the last marrow on or before it is the baseline. Blood
  counts, blood blasts and flow MRD are the values nearest the marrow day within
  :data:`BLOOD_WINDOW_DAYS`. Whether the disease is AML is not in a timeline: the table
  applies only if it is.
* Infection exposure covers the whole ANC series (or the days from the HSCT on, when the
  timeline has a transplant).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any

import numpy as np
import pandas as pd

from hematwin.clinic.chimerism import chimerism_trend, classify_chimerism, lineage_chimerism
from hematwin.clinic.ctcae import (
    MISSING,
    NEEDS_LLN,
    CtcaeVersion,
    GradeStatus,
    criterion,
    decreased_term,
    grade,
)
from hematwin.clinic.engraftment import (
    neutrophil_engraftment,
    platelet_engraftment,
    primary_graft_failure,
    secondary_graft_failure,
)
from hematwin.clinic.infection import d_index, febrile_episodes, neutropenia_exposure
from hematwin.clinic.recovery import cytopenia_episodes
from hematwin.clinic.response_aml import AMLAssessment, MRDMeasurement, aml_response_course
from hematwin.clinic.response_cml import cml_response_table
from hematwin.data.timeline import Chemotherapy, Observation, Timeline
from hematwin.errors import DataError

__all__ = [
    "GRADED_ANALYTES",
    "TKI_DRUGS",
    "BLOOD_WINDOW_DAYS",
    "TransplantEndpoints",
    "InfectionExposure",
    "CmlAssessment",
    "AmlAssessment",
    "ChimerismAssessment",
    "PatientAssessment",
    "assess",
    "cml_cohort_tables",
]

#: Analytes graded with their CTCAE "decreased" term (platelets: v5.0 "Platelet count
#: decreased", v6.0 "Thrombocytopenia"; lymphocytes: v5.0 only).
GRADED_ANALYTES: tuple[str, ...] = ("wbc", "anc", "lymphocytes", "platelets", "hemoglobin")
#: BCR::ABL1 tyrosine-kinase inhibitors; the first dose day starts the CML milestone clock.
TKI_DRUGS = frozenset({"imatinib", "dasatinib", "nilotinib", "bosutinib", "ponatinib",
                       "asciminib", "radotinib", "flumatinib"})
#: Largest distance (days) between a marrow assessment and the blood values judged with it.
BLOOD_WINDOW_DAYS = 3.0
#: Relative nudge that puts a censored value on the proven side of its limit.
CENSOR_NUDGE = 1e-9
_DAY = "day"


def effective_value(value: float, censor: str | None) -> float:
    """The number a censored value enters the count rules as (module docstring)."""
    if censor == "<":
        return value * (1.0 - CENSOR_NUDGE)
    if censor == ">":
        return value * (1.0 + CENSOR_NUDGE) if value > 0 else CENSOR_NUDGE
    return value


# --- results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TransplantEndpoints:
    """HSCT endpoints; days after the transplant (day 0) unless named ``*_timeline_day``."""

    hsct_timeline_day: float
    graft_source: str
    donor: str
    neutrophil_engraftment_day: float | None = None
    neutrophil_first_day_above: float | None = None
    anc_never_below: bool | None = None
    anc_nadir: float | None = None
    anc_nadir_day: float | None = None
    platelet_engraftment_day: float | None = None
    platelet_day_50: float | None = None
    platelets_never_below: bool | None = None
    primary_graft_failure: str | None = None
    primary_graft_failure_deadline_day: float | None = None
    pancytopenia_at_deadline: bool | None = None
    secondary_graft_failure: bool | None = None
    secondary_decline_day: float | None = None


@dataclass(frozen=True)
class InfectionExposure:
    """Neutropenia exposure over ``[start_day, end_day]`` (timeline days)."""

    start_day: float
    end_day: float
    days_anc_below_0_5: float
    days_anc_below_0_1: float
    d_index: float
    d_index_cells_per_ul_days: float
    febrile_episodes: pd.DataFrame | None = None  # None: no temperatures recorded


@dataclass(frozen=True)
class CmlAssessment:
    """Molecular response over time and ELN 2020 milestones (days from ``tki_start_day``)."""

    clock: str
    tki_start_day: float
    measurements: pd.DataFrame
    milestones: pd.DataFrame
    mmr_day: float | None
    mmr_loss_day: float | None

    @property
    def latest_response(self) -> str | None:
        if self.measurements.empty:
            return None
        return str(self.measurements["response"].iloc[-1])

    def verdict(self, month: int) -> str | None:
        row = self.milestones[self.milestones["milestone_month"] == month]
        return None if row.empty else str(row["verdict"].iloc[0])


@dataclass(frozen=True)
class AmlAssessment:
    """ELN 2022 response at each marrow assessment after treatment (timeline days)."""

    baseline_day: float | None
    table: pd.DataFrame
    best_response: str | None
    first_remission_day: float | None
    hematologic_relapse_day: float | None
    mrd_relapse_day: float | None


@dataclass(frozen=True)
class ChimerismAssessment:
    """Chimerism category of every sample; the latest sample per lineage; trend flags."""

    table: pd.DataFrame
    latest_day: float
    latest_by_lineage: dict[str, str]
    split: bool
    overall: str
    decreasing_lineages: tuple[str, ...]


@dataclass(frozen=True)
class PatientAssessment:
    """Everything :func:`assess` found for one patient.

    Tables are DataFrames (``grades``: one row per graded observation; ``worst_grades``: one
    row per analyte; ``cytopenia``: one row per episode; ``events``: treatments and
    procedures). Sections that do not apply are None. ``notes`` say what could not be
    assessed and why.
    """

    patient_id: str
    ctcae_version: str
    reference_event: str | None
    first_day: float | None
    last_day: float | None
    grades: pd.DataFrame
    worst_grades: pd.DataFrame
    cytopenia: pd.DataFrame
    events: pd.DataFrame
    transplant: TransplantEndpoints | None = None
    infection: InfectionExposure | None = None
    cml: CmlAssessment | None = None
    aml: AmlAssessment | None = None
    chimerism: ChimerismAssessment | None = None
    notes: tuple[str, ...] = ()
    series: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    def worst_grade(self, analyte: str) -> int | None:
        """The worst graded CTCAE grade of ``analyte`` (None if nothing was graded)."""
        row = self.worst_grades[self.worst_grades["analyte"] == analyte]
        if row.empty or pd.isna(row["worst_grade"].iloc[0]):
            return None
        return int(row["worst_grade"].iloc[0])

    def headline(self) -> list[tuple[str, str]]:
        """Short (label, text) lines summarising the patient, in reading order."""
        lines: list[tuple[str, str]] = []
        if self.first_day is not None:
            ref = f" ({self.reference_event})" if self.reference_event else ""
            lines.append(("follow-up", f"day {self.first_day:g} to {self.last_day:g}{ref}"))
        for row in self.worst_grades.itertuples():
            if pd.isna(row.worst_grade):
                text = f"{row.n_values} value(s), not graded ({row.note})"
            else:
                text = f"grade {int(row.worst_grade)} on day {row.worst_day:g}"
            lines.append((f"worst {row.term}", text))
        t = self.transplant
        if t is not None:
            lines.append(("HSCT", f"day {t.hsct_timeline_day:g}, {t.graft_source}, {t.donor}"))
            lines.append(("neutrophil engraftment", _day_text(t.neutrophil_engraftment_day,
                                                              t.anc_never_below)))
            lines.append(("platelet engraftment", _day_text(t.platelet_engraftment_day,
                                                            t.platelets_never_below)))
            if t.primary_graft_failure is not None:
                lines.append(("primary graft failure",
                              f"{t.primary_graft_failure.replace('_', ' ')} (deadline day "
                              f"+{t.primary_graft_failure_deadline_day:g})"))
        if self.infection is not None:
            i = self.infection
            text = (f"{i.days_anc_below_0_5:g} d ANC < 0.5, {i.days_anc_below_0_1:g} d < 0.1, "
                    f"D-index {i.d_index_cells_per_ul_days:.0f} cells/µL·d")
            if i.febrile_episodes is not None:
                text += f", {len(i.febrile_episodes)} febrile episode(s)"
            lines.append(("neutropenia", text))
        if self.cml is not None:
            c = self.cml
            verdicts = ", ".join(f"{m} mo {c.verdict(m)}" for m in (3, 6, 12))
            lines.append(("CML response", f"latest {c.latest_response}; MMR "
                          + (f"day {c.mmr_day:g}" if c.mmr_day is not None else "not reached")
                          + ("" if c.mmr_loss_day is None else f", lost day {c.mmr_loss_day:g}")))
            lines.append(("ELN 2020 milestones", verdicts))
        if self.aml is not None and self.aml.best_response is not None:
            lines.append(("AML best response (ELN 2022)", self.aml.best_response))
        if self.chimerism is not None:
            ch = self.chimerism
            lines.append(("chimerism", f"{ch.overall} on day {ch.latest_day:g}"
                          + (" (split)" if ch.split else "")))
        return lines

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the assessment by name (empty sections left out)."""
        out: dict[str, pd.DataFrame] = {
            "worst_grades": self.worst_grades, "cytopenia_episodes": self.cytopenia,
            "grades": self.grades, "events": self.events,
        }
        if self.transplant is not None:
            out["transplant"] = _one_row(self.transplant)
        if self.infection is not None:
            out["infection"] = _one_row(self.infection, skip=("febrile_episodes",))
            if self.infection.febrile_episodes is not None:
                out["febrile_episodes"] = self.infection.febrile_episodes
        if self.cml is not None:
            out["cml_measurements"] = self.cml.measurements
            out["cml_milestones"] = self.cml.milestones
        if self.aml is not None:
            out["aml_response"] = self.aml.table
        if self.chimerism is not None:
            out["chimerism"] = self.chimerism.table
        return {k: v for k, v in out.items() if not v.empty}

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (NaN -> None, tables as lists of records)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name == "series":
                continue
            out[f.name] = _jsonable(getattr(self, f.name))
        return out


def _day_text(day: float | None, never_below: bool | None) -> str:
    if day is not None:
        return f"day +{day:g}"
    if never_below:
        return "never fell below the threshold"
    return "not reached"


def _one_row(obj: Any, skip: tuple[str, ...] = ()) -> pd.DataFrame:
    data = {k: v for k, v in asdict(obj).items() if k not in skip}
    return pd.DataFrame([data])


def _jsonable(value: Any) -> Any:
    if isinstance(value, pd.DataFrame):
        return [_jsonable(r) for r in value.to_dict(orient="records")]
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


# --- series extraction ------------------------------------------------------------------


def _blood_observations(timeline: Timeline, analyte: str) -> list[tuple[float, Observation]]:
    out = []
    for obs in timeline.observations:
        if obs.analyte != analyte or obs.specimen == "bone_marrow":
            continue
        day = timeline.day_of(obs)
        if day is not None:
            out.append((day, obs))
    return sorted(out, key=lambda item: item[0])


def _series_frame(timeline: Timeline, analyte: str) -> pd.DataFrame:
    """day, value (reported), censor, lln, effective (value entering the rules)."""
    rows = [
        {"day": day, "value": o.value, "censor": o.censor, "lln": o.lln,
         "effective": effective_value(o.value, o.censor)}
        for day, o in _blood_observations(timeline, analyte)
    ]
    frame = pd.DataFrame(rows, columns=["day", "value", "censor", "lln", "effective"])
    return frame.astype({"day": float, "value": float, "lln": float, "effective": float})


def _undated(timeline: Timeline) -> int:
    return sum(1 for r in timeline.records() if timeline.day_of(r) is None)


# --- grades and episodes ----------------------------------------------------------------

_GRADE_COLUMNS = ["analyte", "term", "day", "value", "censor", "lln", "grade", "status",
                  "bound"]


def _grades(series: dict[str, pd.DataFrame], version: CtcaeVersion,
            notes: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    parts, worst = [], []
    for analyte in GRADED_ANALYTES:
        s = series.get(analyte)
        if s is None or s.empty:
            continue
        try:
            term = decreased_term(analyte, version)  # type: ignore[arg-type]
        except DataError:
            notes.append(f"{analyte}: CTCAE v{version} has no 'decreased' term; not graded")
            continue
        codes = np.asarray(grade(term, s["effective"].to_numpy(), lln=s["lln"].to_numpy(),
                                 version=version))
        status = np.where(codes == NEEDS_LLN, GradeStatus.NEEDS_LLN.value,
                          np.where(codes == MISSING, GradeStatus.MISSING.value,
                                   GradeStatus.GRADED.value))
        bound = s["censor"].map({"<": "at least", ">": "at most"}).fillna("")
        table = pd.DataFrame({
            "analyte": analyte, "term": term.value, "day": s["day"], "value": s["value"],
            "censor": s["censor"], "lln": s["lln"],
            "grade": pd.array(np.where(codes >= 0, codes, 0), dtype="Int64"),
            "status": status, "bound": bound,
        })
        table.loc[codes < 0, "grade"] = pd.NA
        parts.append(table)
        graded = table.dropna(subset=["grade"])
        row: dict[str, Any] = {"analyte": analyte, "term": term.value, "n_values": len(table),
                               "n_graded": len(graded), "worst_grade": pd.NA,
                               "worst_day": math.nan, "worst_value": math.nan,
                               "worst_censor": None, "note": ""}
        if not graded.empty:
            top = graded.iloc[int(np.argmax(graded["grade"].to_numpy(int)))]
            row.update(worst_grade=int(top["grade"]), worst_day=float(top["day"]),
                       worst_value=float(top["value"]), worst_censor=top["censor"])
        n_lln = int(np.sum(codes == NEEDS_LLN))
        if n_lln:
            row["note"] = f"{n_lln} value(s) need the LLN for grade 0 vs 1"
        worst.append(row)
    grades = (pd.concat(parts, ignore_index=True) if parts
              else pd.DataFrame(columns=_GRADE_COLUMNS))
    worst_frame = pd.DataFrame(worst, columns=["analyte", "term", "n_values", "n_graded",
                                               "worst_grade", "worst_day", "worst_value",
                                               "worst_censor", "note"])
    worst_frame["worst_grade"] = worst_frame["worst_grade"].astype("Int64")
    return grades, worst_frame


_EPISODE_COLUMNS = ["analyte", "term", "onset_day", "onset_observed", "nadir", "nadir_censor",
                    "nadir_day", "worst_grade", "days_grade_2", "days_grade_3", "days_grade_4",
                    "days_grade3_or_worse", "recovered", "recovery_day", "duration_days",
                    "days_nadir_to_recovery"]


def _common_lln(s: pd.DataFrame) -> float | None:
    given = s["lln"].dropna().unique()
    return float(given[0]) if len(given) == 1 else None


def _episodes(series: dict[str, pd.DataFrame], version: CtcaeVersion) -> pd.DataFrame:
    rows = []
    for analyte in GRADED_ANALYTES:
        s = series.get(analyte)
        if s is None or s.empty:
            continue
        try:
            term = decreased_term(analyte, version)  # type: ignore[arg-type]
        except DataError:
            continue
        found = cytopenia_episodes(s["effective"].to_numpy(), s["day"].to_numpy(), term=term,
                                   version=version, lln=_common_lln(s))
        for e in found:
            at = s.index[s["day"] == e.nadir_day][0]
            rows.append({
                "analyte": analyte, "term": term.value, "onset_day": e.onset_day,
                "onset_observed": e.onset_observed, "nadir": float(s.at[at, "value"]),
                "nadir_censor": s.at[at, "censor"], "nadir_day": e.nadir_day,
                "worst_grade": e.worst_grade,
                "days_grade_2": e.days_in_grade.get(2, 0.0),
                "days_grade_3": e.days_in_grade.get(3, 0.0),
                "days_grade_4": e.days_in_grade.get(4, 0.0),
                "days_grade3_or_worse": e.days_grade3_or_worse, "recovered": e.recovered,
                "recovery_day": e.recovery_day, "duration_days": e.duration_days,
                "days_nadir_to_recovery": e.days_nadir_to_recovery,
            })
    return pd.DataFrame(rows, columns=_EPISODE_COLUMNS)


# --- events -----------------------------------------------------------------------------


def _events(timeline: Timeline) -> pd.DataFrame:
    rows = []
    for e in timeline.events:
        rows.append({
            "record_type": e.record_type, "day": timeline.day_of(e),
            "end_day": e.end_day,
            "drug": getattr(e, "drug", None), "dose": getattr(e, "dose", None),
            "dose_unit": getattr(e, "dose_unit", None),
            "graft_source": getattr(e, "graft_source", None),
            "donor": getattr(e, "donor", None),
        })
    return pd.DataFrame(rows, columns=["record_type", "day", "end_day", "drug", "dose",
                                       "dose_unit", "graft_source", "donor"])


# --- transplant -------------------------------------------------------------------------


def _aligned(s: pd.DataFrame | None, days: np.ndarray) -> np.ndarray | None:
    """Values of ``s`` on exactly ``days`` (None unless every day has a value)."""
    if s is None or s.empty:
        return None
    by_day = s.set_index("day")["effective"]
    if not np.all(np.isin(days, by_day.index.to_numpy())):
        return None
    return by_day.loc[days].to_numpy(float)


def _transplant(timeline: Timeline, series: dict[str, pd.DataFrame],
                notes: list[str]) -> TransplantEndpoints | None:
    hsct = timeline.hsct
    if hsct is None:
        return None
    day0 = timeline.day_of(hsct)
    if day0 is None:
        notes.append("HSCT has a date but the timeline no reference date: endpoints skipped")
        return None
    if len(timeline.transplants) > 1:
        notes.append(f"{len(timeline.transplants)} transplants: endpoints refer to the first")
    out: dict[str, Any] = {"hsct_timeline_day": day0, "graft_source": hsct.graft_source,
                           "donor": hsct.donor}
    anc, plt, hb = (series.get(a) for a in ("anc", "platelets", "hemoglobin"))
    if anc is not None and not anc.empty:
        t = anc["day"].to_numpy() - day0
        v = anc["effective"].to_numpy()
        ne = neutrophil_engraftment(v, t)
        nadir_value = None
        if ne.nadir_day is not None:
            nadir_value = float(anc["value"].to_numpy()[np.argmax(t == ne.nadir_day)])
        out.update(neutrophil_engraftment_day=ne.engraftment_day,
                   neutrophil_first_day_above=ne.first_day_above,
                   anc_never_below=ne.never_below, anc_nadir=nadir_value,
                   anc_nadir_day=ne.nadir_day)
        pgf = primary_graft_failure(
            v, t, graft_source=hsct.graft_source,
            platelets=_aligned(plt, anc["day"].to_numpy()),
            hemoglobin=_aligned(hb, anc["day"].to_numpy()),
        )
        out.update(primary_graft_failure=pgf.status,
                   primary_graft_failure_deadline_day=pgf.deadline_day,
                   pancytopenia_at_deadline=pgf.pancytopenia_at_deadline)
    else:
        notes.append("HSCT without ANC values: no neutrophil endpoints")
    transfusions = [d - day0 for d in timeline.transfusion_days("platelets")]
    if plt is not None and not plt.empty:
        pe = platelet_engraftment(plt["effective"].to_numpy(), plt["day"].to_numpy() - day0,
                                  transfusion_days=transfusions)
        out.update(platelet_engraftment_day=pe.engraftment_day, platelet_day_50=pe.day_50,
                   platelets_never_below=pe.never_below)
    if anc is not None and plt is not None and not anc.empty:
        common = np.intersect1d(anc["day"].to_numpy(), plt["day"].to_numpy())
        if common.size:
            sgf = secondary_graft_failure(
                _aligned(anc, common), _aligned(plt, common), common - day0,
                hemoglobin=_aligned(hb, common),
                platelet_transfusion_days=transfusions,
                support_days=_support_days(timeline, day0),
            )
            out.update(secondary_graft_failure=sgf.secondary_graft_failure,
                       secondary_decline_day=sgf.decline_day)
    return TransplantEndpoints(**out)


def _support_days(timeline: Timeline, day0: float) -> list[float]:
    days = []
    for e in timeline.events:
        if e.record_type in ("platelet_transfusion", "red_cell_transfusion", "g_csf"):
            d = timeline.day_of(e)
            if d is not None:
                days.append(d - day0)
    return days


# --- infection --------------------------------------------------------------------------


def _infection(timeline: Timeline, series: dict[str, pd.DataFrame],
               start_day: float | None) -> InfectionExposure | None:
    anc = series.get("anc")
    if anc is None or anc.empty:
        return None
    if start_day is not None:
        anc = anc[anc["day"] >= start_day]
        if anc.empty:
            return None
    t, v = anc["day"].to_numpy(), anc["effective"].to_numpy()
    exposure = neutropenia_exposure(v, t)
    # Portugal 2009 integrate the ANC curve between counts (trapezoids): interpolate.
    area = float(d_index(v, t))
    febrile = None
    temp = series.get("temperature")
    if temp is not None and not temp.empty:
        episodes = febrile_episodes(v, t, temp["effective"].to_numpy(), temp["day"].to_numpy())
        febrile = pd.DataFrame([asdict(e) for e in episodes],
                               columns=["start_day", "end_day", "n_readings",
                                        "peak_temperature", "lowest_anc", "definition"])
    return InfectionExposure(
        start_day=exposure.start_day, end_day=exposure.end_day,
        days_anc_below_0_5=float(exposure.days_below_0_5),
        days_anc_below_0_1=float(exposure.days_below_0_1),
        d_index=area, d_index_cells_per_ul_days=area * 1000.0, febrile_episodes=febrile,
    )


# --- CML --------------------------------------------------------------------------------


def _cml(timeline: Timeline, series: dict[str, pd.DataFrame]) -> CmlAssessment | None:
    s = series.get("bcr_abl1_is_pct")
    if s is None or s.empty:
        return None
    tki = [e for e in timeline.events
           if isinstance(e, Chemotherapy) and e.drug.strip().lower() in TKI_DRUGS
           and timeline.day_of(e) is not None]
    if tki:
        first = min(tki, key=lambda e: timeline.day_of(e))  # type: ignore[arg-type,return-value]
        start = float(timeline.day_of(first))  # type: ignore[arg-type]
        clock = f"first {first.drug} day (timeline day {start:g})"
    else:
        start = 0.0
        clock = f"timeline day 0 ({timeline.reference_event or 'reference event not given'})"
    below = (s["censor"] == "<").to_numpy()
    values = np.where(below, s["value"].to_numpy(), s["effective"].to_numpy())
    res = cml_response_table(s["day"].to_numpy() - start, values, below_limit=below)
    meas = res.measurements.copy()
    meas.insert(1, "timeline_day", meas["day"] + start)
    return CmlAssessment(clock, start, meas, res.milestones, res.mmr_day, res.mmr_loss_day)


# --- AML --------------------------------------------------------------------------------


def _nearest(s: pd.DataFrame | None, day: float) -> pd.Series | None:
    if s is None or s.empty:
        return None
    dist = (s["day"] - day).abs()
    k = int(np.argmin(dist.to_numpy()))
    return s.iloc[k] if dist.iloc[k] <= BLOOD_WINDOW_DAYS else None


def _aml(timeline: Timeline, series: dict[str, pd.DataFrame],
         notes: list[str]) -> AmlAssessment | None:
    marrows = [(timeline.day_of(m), m) for m in timeline.marrow if m.blasts_pct is not None]
    marrows = sorted(((d, m) for d, m in marrows if d is not None), key=lambda x: x[0])
    if not marrows:
        return None
    treat_days = [timeline.day_of(e) for e in timeline.events
                  if e.record_type in ("chemotherapy", "hsct")]
    treat_days = [d for d in treat_days if d is not None]
    start = min(treat_days) if treat_days else -math.inf
    before = [(d, m) for d, m in marrows if d <= start]
    after = [(d, m) for d, m in marrows if d > start]

    def assessment(day: float, m: Any) -> AMLAssessment:
        anc, plt = _nearest(series.get("anc"), day), _nearest(series.get("platelets"), day)
        blasts = [_nearest(series.get(a), day) for a in ("blasts_blood_pct", "blasts_blood")]
        mrd = _nearest(series.get("mrd_flow_pct"), day)
        return AMLAssessment(
            day=day,
            marrow_blasts_pct=effective_value(m.blasts_pct, m.blasts_censor),
            blood_blasts_present=any(b is not None and b["effective"] > 0
                                     and b["censor"] != "<" for b in blasts),
            anc=None if anc is None else float(anc["effective"]),
            platelets=None if plt is None else float(plt["effective"]),
            mrd=None if mrd is None else MRDMeasurement(
                method="mfc", value_pct=min(float(mrd["effective"]), 100.0)),
        )

    baseline = assessment(*before[-1]) if before else None
    if not after:
        return None
    course = aml_response_course([assessment(d, m) for d, m in after], baseline=baseline)
    if baseline is None:
        notes.append("AML: no marrow before treatment, so partial remission cannot be judged")
    return AmlAssessment(
        baseline_day=None if baseline is None else baseline.day, table=course.table(),
        best_response=None if course.best_response is None else course.best_response.label,
        first_remission_day=course.first_remission_day,
        hematologic_relapse_day=course.hematologic_relapse_day,
        mrd_relapse_day=course.mrd_relapse_day,
    )


# --- chimerism --------------------------------------------------------------------------


def _chimerism(timeline: Timeline) -> ChimerismAssessment | None:
    rows = []
    for c in timeline.chimerism:
        day = timeline.day_of(c)
        if day is None:
            continue
        eff = min(max(effective_value(c.donor_pct, c.censor), 0.0), 100.0)
        rows.append({"day": day, "lineage": c.lineage, "donor_pct": c.donor_pct,
                     "censor": c.censor, "effective": eff,
                     "category": classify_chimerism(eff).value})
    if not rows:
        return None
    table = pd.DataFrame(rows).sort_values(["day", "lineage"], ignore_index=True)
    latest_day = float(table["day"].max())
    latest = table[table["day"] == latest_day]
    by_lineage = lineage_chimerism(dict(zip(latest["lineage"], latest["effective"],
                                            strict=True)))
    decreasing = []
    for lineage, group in table.groupby("lineage", sort=True):
        trend = chimerism_trend(group.set_index("day")["effective"])
        if trend.decreasing:
            decreasing.append(str(lineage))
    return ChimerismAssessment(
        table=table.drop(columns="effective"), latest_day=latest_day,
        latest_by_lineage={k: v.value for k, v in by_lineage.by_lineage.items()},
        split=by_lineage.split, overall=by_lineage.overall.value,
        decreasing_lineages=tuple(decreasing),
    )


# --- the adapter ------------------------------------------------------------------------


def assess(timeline: Timeline, *, ctcae_version: CtcaeVersion | str = "5.0") -> PatientAssessment:
    """Apply every clinical standard that the timeline's data allow (module docstring).

    Parameters
    ----------
    timeline:
        One patient, measured or simulated, in canonical units (counts 10^9/L, Hb g/dL).
    ctcae_version:
        "5.0" (default) or "6.0".
    """
    version = criterion(decreased_term("wbc", ctcae_version), ctcae_version).version
    notes: list[str] = []
    undated = _undated(timeline)
    if undated:
        notes.append(f"{undated} record(s) have a date but no day and the timeline no "
                     "reference date: not assessed")
    analytes = sorted({o.analyte for o in timeline.observations})
    series = {a: _series_frame(timeline, a) for a in analytes}
    for a, s in series.items():
        n_censored = int(s["censor"].notna().sum())
        if n_censored:
            notes.append(f"{a}: {n_censored} censored value(s) ('<x'/'>x') entered as just "
                         "below/above the limit")
    grades, worst = _grades(series, version, notes)
    days = [d for s in series.values() for d in s["day"]]
    transplant = _transplant(timeline, series, notes)
    return PatientAssessment(
        patient_id=timeline.patient_id,
        ctcae_version=version.value,
        reference_event=timeline.reference_event,
        first_day=min(days) if days else None,
        last_day=max(days) if days else None,
        grades=grades,
        worst_grades=worst,
        cytopenia=_episodes(series, version),
        events=_events(timeline),
        transplant=transplant,
        infection=_infection(timeline, series,
                             None if transplant is None else transplant.hsct_timeline_day),
        cml=_cml(timeline, series),
        aml=_aml(timeline, series, notes),
        chimerism=_chimerism(timeline),
        notes=tuple(notes),
        series=series,
    )


# --- cohorts ----------------------------------------------------------------------------


def _course(measurements: pd.DataFrame) -> str:
    """Changes of molecular response class: ``"> 10 % [0] → MR1 [1.9] → MMR [11.9]"``
    (months on TKI in brackets)."""
    steps: list[str] = []
    last = None
    for r in measurements.itertuples():
        if r.response != last:
            steps.append(f"{r.response} [{round(r.month, 1) + 0.0:.1f}]")
            last = r.response
    return " → ".join(steps)


def cml_cohort_tables(
    assessments: Iterable[PatientAssessment],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """CML tables over patients with BCR::ABL1 values.

    Returns (response over time: one row per measurement; milestones: one row per patient
    with the ELN 2020 verdict and the value used at 3, 6 and 12 months, the MMR day, the day
    MMR was lost and the course of response classes; counts: verdicts per milestone).
    """
    over_time, per_patient = [], []
    for a in assessments:
        if a.cml is None:
            continue
        m = a.cml.measurements
        over_time.append(m[["day", "month", "bcr_abl1_is_pct", "below_limit", "response"]]
                         .assign(patient_id=a.patient_id))
        row: dict[str, Any] = {"patient_id": a.patient_id}
        for ms in a.cml.milestones.itertuples():
            k = int(ms.milestone_month)
            row[f"verdict_{k}mo"] = ms.verdict
            row[f"value_{k}mo_pct"] = ms.value_pct
            row[f"day_{k}mo"] = ms.day
        row.update(latest_response=a.cml.latest_response, mmr_day=a.cml.mmr_day,
                   mmr_loss_day=a.cml.mmr_loss_day, response_course=_course(m))
        per_patient.append(row)
    if not per_patient:
        empty = pd.DataFrame()
        return empty, empty, empty
    time_table = pd.concat(over_time, ignore_index=True)
    time_table = time_table[["patient_id"] + [c for c in time_table if c != "patient_id"]]
    miles = pd.DataFrame(per_patient)
    verdict_cols = [c for c in miles.columns if c.startswith("verdict_")]
    counts = (miles[verdict_cols].apply(lambda col: col.value_counts()).fillna(0)
              .astype(int).T)
    counts.index = [c.removeprefix("verdict_") for c in counts.index]
    counts.index.name = "milestone"
    order = [v for v in ("optimal", "warning", "failure", "not assessable") if v in counts]
    return time_table, miles, counts[order].reset_index()
