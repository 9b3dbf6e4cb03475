"""HCT-specific comorbidity index (HCT-CI).

Source: Sorror ML, Maris MB, Storb R, et al. Hematopoietic cell transplantation
(HCT)-specific comorbidity index: a new tool for risk assessment before allogeneic HCT.
Blood 2005;106:2912-2919, Table 1 (17 comorbidities, definitions and weights 1/2/3) and
the risk groups 0 (low), 1-2 (intermediate), >= 3 (high).

Pulmonary and hepatic comorbidity each enter at one level only (moderate or severe
pulmonary; mild or moderate/severe hepatic), so they are ordinal fields here. The
``*_from_tests`` helpers apply the Table 1 definitions to measured values.
"""

from __future__ import annotations

import enum
from typing import Literal

from hematwin.clinic._records import ClinicalRecord
from hematwin.errors import DataError

# Sorror 2005, Table 1: weight of each comorbidity.
WEIGHTS: dict[str, int] = {
    "arrhythmia": 1,  # AF or flutter, sick sinus syndrome, ventricular arrhythmias
    "cardiac": 1,  # CAD, CHF, MI, or EF <= 50 %
    "inflammatory_bowel_disease": 1,  # Crohn disease or ulcerative colitis
    "diabetes": 1,  # treated with insulin or oral hypoglycemics, not diet alone
    "cerebrovascular_disease": 1,  # TIA or cerebrovascular accident
    "psychiatric_disturbance": 1,  # depression/anxiety needing consult or treatment
    "hepatic_mild": 1,  # chronic hepatitis, bilirubin > ULN-1.5 x ULN, AST/ALT > ULN-2.5 x ULN
    "obesity": 1,  # BMI > 35 kg/m2
    "infection": 1,  # requiring antimicrobial treatment continued after day 0
    "rheumatologic": 2,  # SLE, RA, polymyositis, mixed CTD, polymyalgia rheumatica
    "peptic_ulcer": 2,  # requiring treatment
    "renal_moderate_severe": 2,  # creatinine > 2 mg/dL, dialysis, or prior renal transplant
    "pulmonary_moderate": 2,  # DLco and/or FEV1 66-80 % or dyspnea on slight activity
    "prior_solid_tumor": 3,  # treated at any time, excluding nonmelanoma skin cancer
    "heart_valve_disease": 3,  # except mitral valve prolapse
    "pulmonary_severe": 3,  # DLco and/or FEV1 <= 65 %, dyspnea at rest or oxygen
    "hepatic_moderate_severe": 3,  # cirrhosis, bilirubin > 1.5 x ULN, AST/ALT > 2.5 x ULN
}
assert len(WEIGHTS) == 17

# Sorror 2005: thresholds inside the definitions.
EF_CARDIAC_MAX_PCT = 50.0  # EF <= 50 %
BMI_OBESITY_ABOVE = 35.0  # BMI > 35
CREATININE_RENAL_ABOVE_MG_DL = 2.0  # creatinine > 2 mg/dL
PULMONARY_MODERATE_MAX_PCT = 80.0  # DLco/FEV1 66-80 %
PULMONARY_SEVERE_MAX_PCT = 65.0  # DLco/FEV1 <= 65 %
BILIRUBIN_SEVERE_ABOVE_ULN = 1.5
TRANSAMINASE_SEVERE_ABOVE_ULN = 2.5


class HCTCIRisk(enum.Enum):
    LOW = "low"  # score 0
    INTERMEDIATE = "intermediate"  # 1-2
    HIGH = "high"  # >= 3


class HCTCIInput(ClinicalRecord):
    """Comorbidities present at the pre-transplant work-up (Sorror 2005 definitions)."""

    arrhythmia: bool = False
    cardiac: bool = False
    inflammatory_bowel_disease: bool = False
    diabetes: bool = False
    cerebrovascular_disease: bool = False
    psychiatric_disturbance: bool = False
    obesity: bool = False
    infection: bool = False
    rheumatologic: bool = False
    peptic_ulcer: bool = False
    renal_moderate_severe: bool = False
    prior_solid_tumor: bool = False
    heart_valve_disease: bool = False
    pulmonary: Literal["none", "moderate", "severe"] = "none"
    hepatic: Literal["none", "mild", "moderate_severe"] = "none"

    def components(self) -> dict[str, int]:
        """Points of each comorbidity present (Sorror 2005, Table 1)."""
        present = {k for k, v in self.model_dump().items() if v is True}
        if self.pulmonary != "none":
            present.add(f"pulmonary_{self.pulmonary}")
        if self.hepatic != "none":
            present.add(f"hepatic_{self.hepatic}")
        return {k: WEIGHTS[k] for k in sorted(present)}


def hct_ci_score(comorbidities: HCTCIInput) -> int:
    """HCT-CI: sum of the weights of the comorbidities present (0-26)."""
    return sum(comorbidities.components().values())


def hct_ci_risk(score: int) -> HCTCIRisk:
    """Sorror 2005 risk group: 0 low, 1-2 intermediate, >= 3 high."""
    if score < 0:
        raise DataError(f"an HCT-CI score is >= 0, got {score}", field="score")
    if score == 0:
        return HCTCIRisk.LOW
    if score <= 2:
        return HCTCIRisk.INTERMEDIATE
    return HCTCIRisk.HIGH


def pulmonary_from_tests(
    dlco_pct: float | None = None,
    fev1_pct: float | None = None,
    *,
    dyspnea: Literal["none", "slight_activity", "at_rest"] = "none",
    oxygen: bool = False,
) -> Literal["none", "moderate", "severe"]:
    """Pulmonary level from % predicted DLco/FEV1 and dyspnea (Sorror 2005, Table 1).

    Severe: the lower of DLco and FEV1 <= 65 %, dyspnea at rest or oxygen. Moderate:
    <= 80 % (the paper's "66-80 %") or dyspnea on slight activity.
    """
    values = [v for v in (dlco_pct, fev1_pct) if v is not None]
    for name, v in (("dlco_pct", dlco_pct), ("fev1_pct", fev1_pct)):
        if v is not None and not 0.0 < v <= 250.0:
            raise DataError(f"expected % of predicted in (0, 250], got {v!r}", field=name)
    worst = min(values) if values else None
    if oxygen or dyspnea == "at_rest" or (worst is not None and worst <= PULMONARY_SEVERE_MAX_PCT):
        return "severe"
    if dyspnea == "slight_activity" or (worst is not None and worst <= PULMONARY_MODERATE_MAX_PCT):
        return "moderate"
    return "none"


def hepatic_from_tests(
    bilirubin_x_uln: float | None = None,
    transaminase_x_uln: float | None = None,
    *,
    cirrhosis: bool = False,
    chronic_hepatitis: bool = False,
) -> Literal["none", "mild", "moderate_severe"]:
    """Hepatic level from bilirubin and AST/ALT as multiples of ULN (Sorror 2005, Table 1).

    Moderate/severe: cirrhosis, bilirubin > 1.5 x ULN or AST/ALT > 2.5 x ULN. Mild: chronic
    hepatitis, bilirubin > ULN (to 1.5 x) or AST/ALT > ULN (to 2.5 x).
    """
    for name, v in (("bilirubin_x_uln", bilirubin_x_uln),
                    ("transaminase_x_uln", transaminase_x_uln)):
        if v is not None and v < 0:
            raise DataError(f"expected a multiple of ULN >= 0, got {v!r}", field=name)
    bili = bilirubin_x_uln or 0.0
    ast = transaminase_x_uln or 0.0
    if cirrhosis or bili > BILIRUBIN_SEVERE_ABOVE_ULN or ast > TRANSAMINASE_SEVERE_ABOVE_ULN:
        return "moderate_severe"
    if chronic_hepatitis or bili > 1.0 or ast > 1.0:
        return "mild"
    return "none"


def cardiac_from_ef(ejection_fraction_pct: float) -> bool:
    """Cardiac comorbidity by ejection fraction alone: EF <= 50 % (Sorror 2005)."""
    return ejection_fraction_pct <= EF_CARDIAC_MAX_PCT


def obesity_from_bmi(bmi: float) -> bool:
    """Obesity: BMI > 35 kg/m2 (Sorror 2005)."""
    return bmi > BMI_OBESITY_ABOVE


def renal_from_creatinine(creatinine_mg_dl: float, *, dialysis: bool = False,
                          prior_renal_transplant: bool = False) -> bool:
    """Moderate/severe renal: creatinine > 2 mg/dL, dialysis or prior renal transplant."""
    return creatinine_mg_dl > CREATININE_RENAL_ABOVE_MG_DL or dialysis or prior_renal_transplant


__all__ = [
    "HCTCIInput",
    "HCTCIRisk",
    "WEIGHTS",
    "cardiac_from_ef",
    "hct_ci_risk",
    "hct_ci_score",
    "hepatic_from_tests",
    "obesity_from_bmi",
    "pulmonary_from_tests",
    "renal_from_creatinine",
]
