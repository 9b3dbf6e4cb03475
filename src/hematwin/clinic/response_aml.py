"""AML response categories by the ELN 2022 recommendations, with MRD by ELN 2021.

Sources
-------
- Döhner H, Wei AH, Appelbaum FR, et al. Diagnosis and management of AML in adults: 2022
  recommendations from an international expert panel on behalf of the ELN. Blood
  2022;140:1345-1377, table "Response criteria in AML" (Table 7 of the paper).
- Heuser M, Freeman SD, Ossenkoppele GJ, et al. 2021 Update on MRD in acute myeloid
  leukemia: a consensus document from the ELN MRD Working Party. Blood 2021;138:2753-2767.

Conventions
-----------
Counts in 10^9/L, blasts and MRD in percent. An assessment is one day's look at the patient:
a marrow (blast %, adequacy), blood counts and blasts, extramedullary disease and, optionally,
an MRD result. `classify_aml_response` judges one assessment given the baseline marrow and
the state carried from the previous assessment; `aml_response_course` walks a series.

Where the source leaves a choice, the choice is written here:

- CRi vs MLFS. ELN 2022 defines CRi as "all CR criteria except for residual neutropenia
  (< 1.0) or thrombocytopenia (< 100)" and MLFS as marrow remission with "no hematologic
  recovery required". We read CRi as *one* lineage below its CR threshold (and the
  assessment not meeting CRh, as the table's comment requires) and MLFS as both lineages
  below their CR thresholds without CRh.
- PR needs "all hematologic criteria of CR": ANC ≥ 1.0, platelets ≥ 100 and no circulating
  blasts; blasts 5-25 % (both ends inclusive) and a fall of ≥ 50 % from baseline.
- Relapse by blood blasts needs blasts "in at least 2 peripheral blood samples at least one
  week apart": the first sample's day is carried in the state; a second sample ≥ 7 days later
  confirms.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd
from pydantic import Field, model_validator

from hematwin.clinic._records import ClinicalRecord
from hematwin.errors import DataError

# --- thresholds ------------------------------------------------------------------------
# Döhner 2022 (ELN), Table 7: CR needs marrow blasts < 5 %, ANC ≥ 1.0 and platelets ≥ 100.
MARROW_BLAST_CR_PCT = 5.0
ANC_CR = 1.0
PLATELETS_CR = 100.0
# Döhner 2022, Table 7: CRh needs ANC ≥ 0.5 and platelets ≥ 50, all other CR criteria met.
ANC_CRH = 0.5
PLATELETS_CRH = 50.0
# Döhner 2022, Table 7: PR: marrow blasts 5-25 % and a decrease of ≥ 50 % from baseline.
PR_BLAST_UPPER_PCT = 25.0
PR_MIN_FALL_FRACTION = 0.5
# Döhner 2022, Table 7: hematologic relapse by blood blasts needs ≥ 2 samples ≥ 1 week apart.
BLOOD_BLAST_CONFIRM_DAYS = 7.0
# Heuser 2021 (ELN MRD): flow cytometry (MFC) MRD is positive at ≥ 0.1 % of CD45+ cells.
MFC_MRD_THRESHOLD_PCT = 0.1
# Heuser 2021: molecular MRD progression / relapse in MRD-positive patients is an increase of
# copy numbers by ≥ 1 log10 between any two positive samples (qPCR).
MRD_LOG10_RISE = 1.0
# Heuser 2021: an MRD relapse by qPCR should be confirmed by a second consecutive sample
# taken promptly, within 4 weeks.
MRD_CONFIRM_DAYS = 28.0


class AMLCategory(enum.Enum):
    """ELN 2022 response categories (Döhner 2022, Table 7)."""

    CR = "CR"
    CRH = "CRh"
    CRI = "CRi"
    MLFS = "MLFS"
    PR = "PR"
    NO_RESPONSE = "no response"
    REFRACTORY = "refractory disease"
    HEMATOLOGIC_RELAPSE = "hematologic relapse"
    MRD_RELAPSE = "MRD relapse"
    NOT_EVALUABLE = "not evaluable"


# Depth of response, best first; used for "best response".
_RANK = {
    AMLCategory.CR: 6,
    AMLCategory.CRH: 5,
    AMLCategory.CRI: 4,
    AMLCategory.MLFS: 3,
    AMLCategory.PR: 2,
    AMLCategory.NO_RESPONSE: 1,
    AMLCategory.REFRACTORY: 0,
}
_REMISSIONS = (AMLCategory.CR, AMLCategory.CRH, AMLCategory.CRI)


class MRDMeasurement(ClinicalRecord):
    """One MRD result.

    ``method``: ``"mfc"`` (multiparameter flow, % of CD45+ cells), ``"qpcr"`` (e.g.
    NPM1mut/ABL1 or fusion transcript, % of the control gene) or ``"ngs"``.
    ``detected``: for qPCR/NGS whether the target was detected (qPCR: Ct < 40 in ≥ 2 of 3
    replicates, Heuser 2021); when omitted, a value > 0 counts as detected.
    """

    method: Literal["mfc", "qpcr", "ngs"]
    value_pct: float | None = Field(default=None, ge=0.0, le=100.0)
    detected: bool | None = None
    tissue: Literal["BM", "PB"] = "BM"

    @model_validator(mode="after")
    def _something_measured(self) -> MRDMeasurement:
        if self.value_pct is None and self.detected is None:
            raise DataError("an MRD result needs value_pct or detected", field="value_pct")
        return self

    @property
    def positive(self) -> bool:
        """MRD positivity by the ELN 2021 rules (Heuser 2021)."""
        if self.method == "mfc":
            if self.value_pct is None:
                return bool(self.detected)
            # Heuser 2021: MFC-MRD threshold 0.1 %; at or above is positive.
            return self.value_pct >= MFC_MRD_THRESHOLD_PCT
        # qPCR / NGS: any detected target is positive (Heuser 2021); threshold-free.
        if self.detected is not None:
            return self.detected
        return bool(self.value_pct and self.value_pct > 0.0)


class AMLAssessment(ClinicalRecord):
    """One response assessment (day relative to treatment start)."""

    day: float
    marrow_blasts_pct: float | None = Field(default=None, ge=0.0, le=100.0)
    marrow_adequate: bool = True  # ≥ 200 cells or cellularity ≥ 10 %, not merely aplastic
    blood_blasts_present: bool = False
    extramedullary_disease: bool = False
    anc: float | None = Field(default=None, ge=0.0)
    platelets: float | None = Field(default=None, ge=0.0)
    mrd: MRDMeasurement | None = None
    after_landmark: bool = False  # at/after the response landmark (e.g. after 2 inductions)

    @model_validator(mode="after")
    def _finite(self) -> AMLAssessment:
        if not math.isfinite(self.day):
            raise DataError("day must be finite", field="day")
        return self


@dataclass(frozen=True)
class AMLResponse:
    """The verdict on one assessment, plus the state the next assessment needs.

    ``mrd_negative`` is True/False when a remission was tested for MRD, None otherwise.
    The trailing fields carry history: whether the patient has been in remission, ever MRD
    negative, the lowest positive qPCR value, and the day blood blasts first reappeared.
    """

    category: AMLCategory
    day: float
    mrd_negative: bool | None = None
    reason: str = ""
    in_remission: bool = False
    ever_mrd_negative: bool = False
    qpcr_positive_nadir_pct: float | None = None
    blood_blast_day: float | None = None

    @property
    def label(self) -> str:
        """Short label as the ELN writes it: ``CR``, ``CRMRD-``, ``CRhMRD-``…"""
        base = self.category.value
        if self.category in _REMISSIONS and self.mrd_negative:
            return f"{base}MRD-"
        return base


def classify_aml_response(
    assessment: AMLAssessment,
    baseline: AMLAssessment | None = None,
    prior: AMLResponse | None = None,
) -> AMLResponse:
    """Classify one assessment by ELN 2022 (Döhner 2022, Table 7).

    ``baseline`` is the pretreatment assessment (needed for PR, ≥ 50 % fall in marrow
    blasts). ``prior`` is the previous verdict; relapse categories need a prior remission
    (CR, CRh or CRi).
    """
    a = assessment
    was_in_remission = prior is not None and prior.in_remission
    history = dict(
        ever_mrd_negative=prior.ever_mrd_negative if prior else False,
        qpcr_positive_nadir_pct=prior.qpcr_positive_nadir_pct if prior else None,
        blood_blast_day=prior.blood_blast_day if prior else None,
    )

    # --- hematologic relapse after CR/CRh/CRi (Döhner 2022, Table 7) ------------------
    if was_in_remission:
        why = []
        if a.marrow_blasts_pct is not None and a.marrow_blasts_pct >= MARROW_BLAST_CR_PCT:
            why.append(f"marrow blasts {a.marrow_blasts_pct:g} % ≥ 5 %")
        if a.extramedullary_disease:
            why.append("extramedullary disease")
        if a.blood_blasts_present:
            first = history["blood_blast_day"]
            if first is not None and a.day - first >= BLOOD_BLAST_CONFIRM_DAYS:
                why.append(f"blood blasts on day {first:g} and day {a.day:g} (≥ 1 week apart)")
            elif first is None:
                history["blood_blast_day"] = a.day
        else:
            history["blood_blast_day"] = None
        if why:
            return AMLResponse(AMLCategory.HEMATOLOGIC_RELAPSE, a.day, reason="; ".join(why),
                               in_remission=False, **{**history, "blood_blast_day": None})

    # --- the patient is in (or stays in) morphologic remission? ------------------------
    morph = _morphologic(a, baseline)
    if morph.category is AMLCategory.NOT_EVALUABLE and was_in_remission:
        # No marrow today, no sign of relapse in blood: remission carries on unconfirmed.
        morph = _Morph(prior.category if prior.category in _REMISSIONS else AMLCategory.CR,
                       "no marrow; remission status carried from the previous assessment")
    in_remission = morph.category in _REMISSIONS

    mrd_negative: bool | None = None
    if a.mrd is not None:
        mrd_negative = not a.mrd.positive

    # --- MRD relapse (Döhner 2022 Table 7; Heuser 2021) --------------------------------
    if in_remission and was_in_remission and a.mrd is not None and a.mrd.positive:
        why = ""
        if history["ever_mrd_negative"]:
            why = "conversion from MRD negativity to MRD positivity"
        elif (a.mrd.method == "qpcr" and a.mrd.value_pct is not None
              and history["qpcr_positive_nadir_pct"]
              and a.mrd.value_pct > 0
              and math.log10(a.mrd.value_pct / history["qpcr_positive_nadir_pct"])
              >= MRD_LOG10_RISE):
            why = (f"qPCR MRD rose ≥ 1 log10 from {history['qpcr_positive_nadir_pct']:g} % "
                   f"to {a.mrd.value_pct:g} %")
        if why:
            return AMLResponse(AMLCategory.MRD_RELAPSE, a.day, mrd_negative=False, reason=why,
                               in_remission=True, **_carry_mrd(history, a))

    return AMLResponse(
        morph.category,
        a.day,
        mrd_negative=mrd_negative if in_remission else None,
        reason=morph.reason,
        in_remission=in_remission,
        **_carry_mrd(history, a, remission=in_remission),
    )


@dataclass(frozen=True)
class _Morph:
    category: AMLCategory
    reason: str


def _morphologic(a: AMLAssessment, baseline: AMLAssessment | None) -> _Morph:
    if a.marrow_blasts_pct is None or not a.marrow_adequate:
        return _Morph(AMLCategory.NOT_EVALUABLE, "no adequate marrow assessment")
    blasts = a.marrow_blasts_pct
    not_evaluated = _Morph(AMLCategory.NOT_EVALUABLE, "blood counts missing")
    marrow_clear = blasts < MARROW_BLAST_CR_PCT
    if marrow_clear and not a.blood_blasts_present and not a.extramedullary_disease:
        if a.anc is None or a.platelets is None:
            return not_evaluated
        anc_ok = a.anc >= ANC_CR
        plt_ok = a.platelets >= PLATELETS_CR
        if anc_ok and plt_ok:
            return _Morph(AMLCategory.CR, "marrow blasts < 5 %, ANC ≥ 1.0, platelets ≥ 100")
        if a.anc >= ANC_CRH and a.platelets >= PLATELETS_CRH:
            return _Morph(AMLCategory.CRH, "ANC ≥ 0.5 and platelets ≥ 50, other CR criteria")
        if anc_ok or plt_ok:
            lineage = "neutropenia" if not anc_ok else "thrombocytopenia"
            return _Morph(AMLCategory.CRI, f"CR criteria except residual {lineage}")
        return _Morph(AMLCategory.MLFS, "marrow blasts < 5 % without hematologic recovery")
    if (
        baseline is not None
        and baseline.marrow_blasts_pct
        and MARROW_BLAST_CR_PCT <= blasts <= PR_BLAST_UPPER_PCT
        and blasts <= baseline.marrow_blasts_pct * (1.0 - PR_MIN_FALL_FRACTION)
        and not a.blood_blasts_present
        and a.anc is not None and a.anc >= ANC_CR
        and a.platelets is not None and a.platelets >= PLATELETS_CR
    ):
        return _Morph(AMLCategory.PR, "marrow blasts 5-25 % and ≥ 50 % below baseline, "
                                      "CR blood counts")
    if a.after_landmark:
        return _Morph(AMLCategory.REFRACTORY, "no CR, CRh or CRi at the response landmark")
    return _Morph(AMLCategory.NO_RESPONSE, "evaluable, criteria of CR/CRh/CRi/MLFS/PR not met")


def _carry_mrd(history: dict, a: AMLAssessment, *, remission: bool = True) -> dict:
    out = dict(history)
    if a.mrd is None or not remission:
        return out
    if not a.mrd.positive:
        out["ever_mrd_negative"] = True
    elif a.mrd.method == "qpcr" and a.mrd.value_pct:
        nadir = out["qpcr_positive_nadir_pct"]
        out["qpcr_positive_nadir_pct"] = (a.mrd.value_pct if nadir is None
                                          else min(nadir, a.mrd.value_pct))
    return out


# --- a course of assessments ---------------------------------------------------------


@dataclass(frozen=True)
class AMLCourse:
    """A patient's course: per-assessment verdicts and the events that matter."""

    responses: tuple[AMLResponse, ...]
    best_response: AMLResponse | None
    first_remission_day: float | None
    hematologic_relapse_day: float | None
    mrd_relapse_day: float | None
    mrd_relapse_confirmed: bool | None
    last_mrd_negative: bool | None

    def table(self) -> pd.DataFrame:
        """One row per assessment: day, category, label, MRD status, reason."""
        return pd.DataFrame(
            {
                "day": [r.day for r in self.responses],
                "category": [r.category.value for r in self.responses],
                "label": [r.label for r in self.responses],
                "mrd_negative": [r.mrd_negative for r in self.responses],
                "reason": [r.reason for r in self.responses],
            }
        )


def aml_response_course(
    assessments: Iterable[AMLAssessment],
    baseline: AMLAssessment | None = None,
) -> AMLCourse:
    """Walk assessments in time order: best response, relapse days, MRD status.

    Best response is the deepest of CR > CRh > CRi > MLFS > PR > no response, MRD-negative
    above MRD-positive/unknown at the same depth, reached before any relapse. The MRD relapse
    is ``confirmed`` when the next MRD sample, within 4 weeks (Heuser 2021), is also positive;
    None when no such sample exists yet.
    """
    ordered: Sequence[AMLAssessment] = sorted(assessments, key=lambda x: x.day)
    days = [x.day for x in ordered]
    if len(set(days)) != len(days):
        raise DataError("two assessments share a day", field="day")

    responses: list[AMLResponse] = []
    prior: AMLResponse | None = None
    for a in ordered:
        prior = classify_aml_response(a, baseline=baseline, prior=prior)
        responses.append(prior)

    best: AMLResponse | None = None
    first_remission = relapse_day = mrd_relapse_day = None
    mrd_confirmed: bool | None = None
    for i, r in enumerate(responses):
        if r.category is AMLCategory.HEMATOLOGIC_RELAPSE and relapse_day is None:
            relapse_day = r.day
        if r.category is AMLCategory.MRD_RELAPSE and mrd_relapse_day is None:
            mrd_relapse_day = r.day
            mrd_confirmed = _confirmation(ordered, i)
        if r.category in _REMISSIONS and first_remission is None:
            first_remission = r.day
        if relapse_day is None and r.category in _RANK and (
            best is None or _depth(r) > _depth(best)
        ):
            best = r
    last_mrd = next((r.mrd_negative for r in reversed(responses) if r.mrd_negative is not None),
                    None)
    return AMLCourse(tuple(responses), best, first_remission, relapse_day, mrd_relapse_day,
                     mrd_confirmed, last_mrd)


def _depth(r: AMLResponse) -> tuple[int, int]:
    return (_RANK[r.category], 1 if r.mrd_negative else 0)


def _confirmation(ordered: Sequence[AMLAssessment], i: int) -> bool | None:
    day = ordered[i].day
    for later in ordered[i + 1:]:
        if later.mrd is None:
            continue
        if later.day - day > MRD_CONFIRM_DAYS:
            return None
        return later.mrd.positive
    return None


def with_landmark(assessment: AMLAssessment, after_landmark: bool = True) -> AMLAssessment:
    """A copy of ``assessment`` marked as taken at/after the response landmark."""
    return assessment.model_copy(update={"after_landmark": after_landmark})


__all__ = [
    "AMLAssessment",
    "AMLCategory",
    "AMLCourse",
    "AMLResponse",
    "MRDMeasurement",
    "aml_response_course",
    "classify_aml_response",
    "with_landmark",
]
