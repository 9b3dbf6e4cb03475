"""MASCC risk index for febrile neutropenia.

Source: Klastersky J, Paesmans M, Rubenstein EB, et al. The Multinational Association for
Supportive Care in Cancer risk index: a multinational scoring system for identifying
low-risk febrile neutropenic cancer patients. J Clin Oncol 2000;18:3038-3051, Table 3
(the score) and its text: maximum 26, a score >= 21 identifies low-risk patients.

"No hypotension" is systolic blood pressure > 90 mmHg (as the MASCC's own page states the
item); "outpatient" means onset of fever as an outpatient; "solid tumor or hematologic
malignancy with no previous fungal infection" counts for both tumor types.
"""

from __future__ import annotations

import enum
from typing import Literal

from pydantic import Field

from hematwin.clinic._records import ClinicalRecord

# Klastersky 2000, Table 3: weights.
BURDEN_POINTS = {"none_or_mild": 5, "moderate": 3, "severe": 0}  # burden of illness
NO_HYPOTENSION = 5  # systolic BP > 90 mmHg
NO_COPD = 4
SOLID_OR_NO_PRIOR_FUNGAL = 4  # solid tumor, or hematologic malignancy w/o previous fungal infection
NO_DEHYDRATION = 3  # no dehydration requiring parenteral fluids
OUTPATIENT = 3  # fever onset as outpatient
AGE_UNDER_60 = 2  # age < 60 years
MAXIMUM = 26
LOW_RISK_MIN = 21  # Klastersky 2000: score >= 21 = low risk
SBP_NO_HYPOTENSION_ABOVE = 90.0


class MASCCRisk(enum.Enum):
    LOW = "low risk"  # >= 21
    HIGH = "high risk"  # < 21


class MASCCInput(ClinicalRecord):
    burden_of_illness: Literal["none_or_mild", "moderate", "severe"]
    hypotension: bool
    copd: bool
    tumor: Literal["solid", "hematologic"]
    previous_fungal_infection: bool = False
    dehydration_requiring_iv_fluids: bool
    outpatient_at_onset: bool
    age_years: float = Field(ge=0.0, le=120.0)


def hypotension_from_sbp(systolic_mmhg: float) -> bool:
    """Hypotension for MASCC: systolic BP not above 90 mmHg."""
    return not systolic_mmhg > SBP_NO_HYPOTENSION_ABOVE


def mascc_score(p: MASCCInput) -> int:
    """MASCC risk-index score (0-26; higher is lower risk)."""
    score = BURDEN_POINTS[p.burden_of_illness]
    score += 0 if p.hypotension else NO_HYPOTENSION
    score += 0 if p.copd else NO_COPD
    if p.tumor == "solid" or not p.previous_fungal_infection:
        score += SOLID_OR_NO_PRIOR_FUNGAL
    score += 0 if p.dehydration_requiring_iv_fluids else NO_DEHYDRATION
    score += OUTPATIENT if p.outpatient_at_onset else 0
    score += AGE_UNDER_60 if p.age_years < 60 else 0
    return score


def mascc_risk(score: int) -> MASCCRisk:
    """Klastersky 2000: >= 21 low risk, < 21 high risk."""
    return MASCCRisk.LOW if score >= LOW_RISK_MIN else MASCCRisk.HIGH


__all__ = ["MASCCInput", "MASCCRisk", "hypotension_from_sbp", "mascc_risk", "mascc_score"]
