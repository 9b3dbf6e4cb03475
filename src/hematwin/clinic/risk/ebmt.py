"""EBMT (Gratwohl) risk score for allogeneic and autologous HSCT.

Sources: Gratwohl A, Hermans J, Goldman JM, et al. Risk assessment for patients with chronic
myeloid leukaemia before allogeneic blood or marrow transplantation. Lancet
1998;352:1087-1092; Gratwohl A, Stern M, Brand R, et al. Risk score for outcome after
allogeneic hematopoietic stem cell transplantation: a retrospective analysis. Cancer
2009;115:4715-4726, Table 1 (the five factors for all acquired hematologic disorders);
Gratwohl A. The EBMT risk score. Bone Marrow Transplant 2012;47:749-756.

Factors and points (0 best … 7 worst; autologous HSCT 0-5, donor factors not applicable):

- age: < 20 years 0, 20-40 years 1, > 40 years 2
- disease stage: early 0, intermediate 1, late 2
- time from diagnosis to transplant: < 12 months 0, > 12 months 1 (not applied to patients
  transplanted in first complete remission, who score 0)
- donor type: HLA-identical sibling 0, unrelated (or other) donor 1
- donor-recipient sex: female donor into male recipient 1, all others 0

The papers leave exactly 12 months unassigned; here only > 12 months scores (12.0 scores 0).
Age 20 and age 40 both fall in "20-40".
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from hematwin.clinic._records import ClinicalRecord
from hematwin.errors import DataError

# Gratwohl 2009, Table 1.
AGE_LOW_BELOW = 20.0  # < 20 years: 0
AGE_HIGH_ABOVE = 40.0  # > 40 years: 2
STAGE_POINTS = {"early": 0, "intermediate": 1, "late": 2}
INTERVAL_ABOVE_MONTHS = 12.0  # > 12 months: 1
DONOR_POINTS = {"hla_identical_sibling": 0, "unrelated": 1, "other_family": 1}
MAXIMUM_ALLOGENEIC = 7
MAXIMUM_AUTOLOGOUS = 5


class EBMTInput(ClinicalRecord):
    age_years: float = Field(ge=0.0, le=100.0)
    disease_stage: Literal["early", "intermediate", "late"]
    months_diagnosis_to_transplant: float = Field(ge=0.0)
    first_complete_remission: bool = False
    transplant: Literal["allogeneic", "autologous"] = "allogeneic"
    donor: Literal["hla_identical_sibling", "unrelated", "other_family"] | None = None
    donor_sex: Literal["female", "male"] | None = None
    recipient_sex: Literal["female", "male"] | None = None

    @model_validator(mode="after")
    def _donor_given(self) -> EBMTInput:
        if self.transplant == "allogeneic":
            for name in ("donor", "donor_sex", "recipient_sex"):
                if getattr(self, name) is None:
                    raise DataError("needed for an allogeneic transplant", field=name)
        return self


def ebmt_components(p: EBMTInput) -> dict[str, int]:
    """Points per factor (Gratwohl 2009, Table 1)."""
    age = 0 if p.age_years < AGE_LOW_BELOW else 2 if p.age_years > AGE_HIGH_ABOVE else 1
    interval = 0
    if not p.first_complete_remission and p.months_diagnosis_to_transplant > INTERVAL_ABOVE_MONTHS:
        interval = 1
    parts = {"age": age, "disease_stage": STAGE_POINTS[p.disease_stage],
             "time_from_diagnosis": interval}
    if p.transplant == "allogeneic":
        parts["donor_type"] = DONOR_POINTS[p.donor]
        parts["donor_recipient_sex"] = int(p.donor_sex == "female" and p.recipient_sex == "male")
    return parts


def ebmt_score(p: EBMTInput) -> int:
    """EBMT risk score: 0-7 allogeneic, 0-5 autologous."""
    return sum(ebmt_components(p).values())


__all__ = ["EBMTInput", "ebmt_components", "ebmt_score"]
