"""ALL response: CR, CRi, refractory, relapse, and MRD levels.

Sources
-------
- NCCN Clinical Practice Guidelines in Oncology, Acute Lymphoblastic Leukemia (response
  criteria page "Response criteria for ALL: blood and bone marrow"): CR = no circulating
  blasts, no extramedullary disease, trilineage hematopoiesis with < 5 % marrow blasts,
  ANC ≥ 1.0 × 10^9/L, platelets ≥ 100 × 10^9/L, no recurrence for 4 weeks; CRi = CR criteria
  except ANC < 1.0 or platelets < 100; refractory = no CR at the end of induction;
  relapse = reappearance of blasts in blood or marrow (≥ 5 %) or extramedullary disease
  after CR.
- MRD negativity at a sensitivity of at least 10^-4 (0.01 %): Gökbuget N, et al. Management
  of ALL in adults: 2024 ELN recommendations. Blood 2024;143:1903-1930 ("complete MRD
  response" = MRD negative with an assay of sensitivity ≥ 10^-4); the same cut-off is the
  NCCN and FDA (2018 guidance on MRD in hematologic malignancies) definition.

The "no recurrence for 4 weeks" duration is the caller's business (a course of assessments).
"""

from __future__ import annotations

import enum
import math

from pydantic import Field

from hematwin.clinic._records import ClinicalRecord

# NCCN ALL response criteria: CR needs marrow blasts < 5 %, ANC ≥ 1.0, platelets ≥ 100.
MARROW_BLAST_CR_PCT = 5.0
ANC_CR = 1.0
PLATELETS_CR = 100.0
# Gökbuget 2024 (ELN ALL) / NCCN: MRD negativity is defined at a sensitivity of 10^-4.
MRD_NEGATIVE_THRESHOLD = 1e-4  # as a fraction of nucleated cells (= 0.01 %)


class ALLCategory(enum.Enum):
    CR = "CR"
    CRI = "CRi"
    REFRACTORY = "refractory"
    NO_RESPONSE = "no response"
    RELAPSE = "relapse"
    NOT_EVALUABLE = "not evaluable"


class MRDLevel(enum.Enum):
    """MRD by log band (fraction of nucleated cells), as ALL protocols report it."""

    NEGATIVE = "negative (< 1e-4, sensitivity ≥ 1e-4)"
    BELOW_1E_4 = "detectable, < 1e-4"
    E4 = "1e-4 to < 1e-3"
    E3 = "1e-3 to < 1e-2"
    E2 = "≥ 1e-2"
    INDETERMINATE = "undetectable, assay not sensitive to 1e-4"


class ALLAssessment(ClinicalRecord):
    day: float
    marrow_blasts_pct: float | None = Field(default=None, ge=0.0, le=100.0)
    blood_blasts_present: bool = False
    extramedullary_disease: bool = False
    anc: float | None = Field(default=None, ge=0.0)
    platelets: float | None = Field(default=None, ge=0.0)
    end_of_induction: bool = False


def classify_all_response(a: ALLAssessment, *, prior_remission: bool = False) -> ALLCategory:
    """NCCN ALL category of one assessment (``prior_remission``: patient was in CR/CRi)."""
    if prior_remission and (
        a.blood_blasts_present
        or a.extramedullary_disease
        or (a.marrow_blasts_pct is not None and a.marrow_blasts_pct >= MARROW_BLAST_CR_PCT)
    ):
        return ALLCategory.RELAPSE
    if a.marrow_blasts_pct is None or a.anc is None or a.platelets is None:
        return ALLCategory.NOT_EVALUABLE
    if (a.marrow_blasts_pct < MARROW_BLAST_CR_PCT and not a.blood_blasts_present
            and not a.extramedullary_disease):
        if a.anc >= ANC_CR and a.platelets >= PLATELETS_CR:
            return ALLCategory.CR
        return ALLCategory.CRI
    return ALLCategory.REFRACTORY if a.end_of_induction else ALLCategory.NO_RESPONSE


def all_mrd_level(value_fraction: float | None, *, detected: bool = True,
                  sensitivity: float = 1e-4) -> MRDLevel:
    """Band of one ALL MRD result.

    ``value_fraction``: MRD as a fraction of nucleated cells (1e-4 = 0.01 %); ``detected``
    False means no leukemic cell was found by an assay whose limit of detection is
    ``sensitivity``. MRD negativity needs an assay sensitive to 1e-4 or better (ELN 2024,
    NCCN); an undetectable result from a less sensitive assay is indeterminate.
    """
    if not detected:
        return MRDLevel.NEGATIVE if sensitivity <= MRD_NEGATIVE_THRESHOLD else \
            MRDLevel.INDETERMINATE
    if value_fraction is None or not math.isfinite(value_fraction) or value_fraction < 0:
        raise ValueError(f"MRD fraction must be a number ≥ 0, got {value_fraction!r}")
    if value_fraction < 1e-4:
        return MRDLevel.BELOW_1E_4
    if value_fraction < 1e-3:
        return MRDLevel.E4
    if value_fraction < 1e-2:
        return MRDLevel.E3
    return MRDLevel.E2


def all_mrd_negative(value_fraction: float | None, *, detected: bool = True,
                     sensitivity: float = 1e-4, require_undetectable: bool = False) -> bool | None:
    """MRD status at the 1e-4 cut-off: True negative, False positive, None indeterminate.

    By default a result below 1e-4 (0.01 %) counts as negative, the threshold definition
    used by NCCN and the FDA guidance; ``require_undetectable=True`` applies the stricter
    ELN 2024 reading (no detectable MRD with an assay sensitive to at least 1e-4). An
    undetectable result from an assay less sensitive than 1e-4 is indeterminate.
    """
    level = all_mrd_level(value_fraction, detected=detected, sensitivity=sensitivity)
    if level is MRDLevel.INDETERMINATE:
        return None
    if level is MRDLevel.BELOW_1E_4:
        return not require_undetectable
    return level is MRDLevel.NEGATIVE


__all__ = [
    "ALLAssessment",
    "ALLCategory",
    "MRDLevel",
    "all_mrd_level",
    "all_mrd_negative",
    "classify_all_response",
]
