"""Refined Disease Risk Index (DRI) for allogeneic HCT.

Source: Armand P, Kim HT, Logan BR, et al. Validation and refinement of the Disease Risk
Index for allogeneic stem cell transplantation. Blood 2014;123:3664-3671 (refined DRI:
disease risk table, stage risk table, and the combination into four groups).

Disease risk (low / intermediate / high) x stage risk (low / high):

    disease \\ stage   low            high
    low               low            intermediate
    intermediate      intermediate   high
    high              high           very high

Stage: complete remission (any number) is low stage; partial remission is low stage for
lymphoma, myeloma and CLL but high for acute leukemia and MDS; untreated MDS / MPN and CML in
chronic phase are low; induction failure, active relapse and advanced-phase CML are high.

Review note: the disease and stage tables below were written from the refined-DRI paper as
recalled; the search tools of this session did not return the paper's table text, so the
rows marked "(check)" should be compared with Armand 2014, Table 1, before release.
"""

from __future__ import annotations

import enum
from typing import Literal

from hematwin.clinic._records import ClinicalRecord
from hematwin.errors import DataError


class DRIGroup(enum.Enum):
    LOW = "low"
    INTERMEDIATE = "intermediate"
    HIGH = "high"
    VERY_HIGH = "very high"


# Armand 2014, refined DRI: disease risk of each disease (AML/MDS by cytogenetic risk).
DISEASE_RISK: dict[str, str] = {
    "aml_favorable_cytogenetics": "low",  # t(8;21), inv(16), t(15;17)
    "cll": "low",
    "cml": "low",
    "indolent_b_nhl": "low",
    "aml_intermediate_cytogenetics": "intermediate",
    "mds_intermediate_cytogenetics": "intermediate",
    "mpn": "intermediate",
    "multiple_myeloma": "intermediate",
    "hodgkin_lymphoma": "intermediate",
    "dlbcl": "intermediate",  # including transformed indolent B-NHL
    "mantle_cell_lymphoma": "intermediate",
    "t_cell_lymphoma_nodal": "intermediate",
    "all": "intermediate",  # (check)
    "aml_adverse_cytogenetics": "high",  # includes complex karyotype (>= 4 abnormalities)
    "mds_adverse_cytogenetics": "high",
    "t_cell_lymphoma_extranodal": "high",
}

_LYMPHOID_PR_LOW = {"indolent_b_nhl", "cll", "multiple_myeloma", "hodgkin_lymphoma", "dlbcl",
                    "mantle_cell_lymphoma", "t_cell_lymphoma_nodal",
                    "t_cell_lymphoma_extranodal"}
_UNTREATED_LOW = {"mds_intermediate_cytogenetics", "mds_adverse_cytogenetics", "mpn"}  # (check)

# Armand 2014: combination of disease risk and stage risk.
COMBINATION: dict[tuple[str, str], DRIGroup] = {
    ("low", "low"): DRIGroup.LOW,
    ("low", "high"): DRIGroup.INTERMEDIATE,
    ("intermediate", "low"): DRIGroup.INTERMEDIATE,
    ("intermediate", "high"): DRIGroup.HIGH,
    ("high", "low"): DRIGroup.HIGH,
    ("high", "high"): DRIGroup.VERY_HIGH,
}

Status = Literal["cr", "pr", "untreated", "chronic_phase", "advanced_phase",
                 "induction_failure", "active_relapse"]


class DRIInput(ClinicalRecord):
    disease: str
    status: Status

    def model_post_init(self, __context: object) -> None:
        if self.disease not in DISEASE_RISK:
            known = ", ".join(sorted(DISEASE_RISK))
            raise DataError(f"unknown disease {self.disease!r}; known: {known}", field="disease")
        if self.status in ("chronic_phase", "advanced_phase") and self.disease != "cml":
            raise DataError(f"status {self.status!r} applies to CML only", field="status")
        if self.status == "untreated" and self.disease not in _UNTREATED_LOW | {"cml"}:
            raise DataError(f"status 'untreated' is not staged for {self.disease!r}",
                            field="status")


def stage_risk(p: DRIInput) -> Literal["low", "high"]:
    """Refined-DRI stage risk of a disease status (Armand 2014)."""
    if p.status == "cr":
        return "low"
    if p.status == "pr":
        return "low" if p.disease in _LYMPHOID_PR_LOW else "high"
    if p.status == "untreated":
        return "low" if p.disease in _UNTREATED_LOW else "high"
    if p.status == "chronic_phase":
        return "low"
    return "high"  # advanced-phase CML, induction failure, active relapse


def disease_risk_index(p: DRIInput) -> DRIGroup:
    """Refined DRI group (low, intermediate, high, very high)."""
    return COMBINATION[(DISEASE_RISK[p.disease], stage_risk(p))]


__all__ = ["COMBINATION", "DISEASE_RISK", "DRIGroup", "DRIInput", "disease_risk_index",
           "stage_risk"]
