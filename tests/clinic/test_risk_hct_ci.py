"""HCT-CI (Sorror 2005, Table 1)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hematwin.clinic.risk.hct_ci import (
    WEIGHTS,
    HCTCIInput,
    HCTCIRisk,
    cardiac_from_ef,
    hct_ci_risk,
    hct_ci_score,
    hepatic_from_tests,
    obesity_from_bmi,
    pulmonary_from_tests,
    renal_from_creatinine,
)
from hematwin.errors import DataError

# Sorror 2005, Table 1: the published weight of each of the 17 comorbidities.
PUBLISHED = {
    "arrhythmia": 1, "cardiac": 1, "inflammatory_bowel_disease": 1, "diabetes": 1,
    "cerebrovascular_disease": 1, "psychiatric_disturbance": 1, "hepatic_mild": 1,
    "obesity": 1, "infection": 1, "rheumatologic": 2, "peptic_ulcer": 2,
    "renal_moderate_severe": 2, "pulmonary_moderate": 2, "prior_solid_tumor": 3,
    "heart_valve_disease": 3, "pulmonary_severe": 3, "hepatic_moderate_severe": 3,
}


def _single(name):
    if name.startswith("pulmonary_"):
        return HCTCIInput(pulmonary=name.removeprefix("pulmonary_"))
    if name.startswith("hepatic_"):
        return HCTCIInput(hepatic=name.removeprefix("hepatic_"))
    return HCTCIInput(**{name: True})


@pytest.mark.parametrize("name, weight", sorted(PUBLISHED.items()))
def test_each_published_weight(name, weight):
    assert hct_ci_score(_single(name)) == weight


def test_seventeen_comorbidities():
    assert WEIGHTS == PUBLISHED and len(WEIGHTS) == 17


def test_maximum_is_26():
    flags = {k: True for k, v in HCTCIInput.model_fields.items() if v.annotation is bool}
    worst = HCTCIInput(**flags, pulmonary="severe", hepatic="moderate_severe")
    assert hct_ci_score(worst) == 26


@pytest.mark.parametrize("score, risk", [(0, HCTCIRisk.LOW), (1, HCTCIRisk.INTERMEDIATE),
                                         (2, HCTCIRisk.INTERMEDIATE), (3, HCTCIRisk.HIGH)])
def test_risk_groups(score, risk):
    assert hct_ci_risk(score) is risk


def test_definitions_boundaries():
    assert pulmonary_from_tests(dlco_pct=65) == "severe"
    assert pulmonary_from_tests(dlco_pct=66, fev1_pct=90) == "moderate"
    assert pulmonary_from_tests(fev1_pct=80) == "moderate"
    assert pulmonary_from_tests(fev1_pct=81) == "none"
    assert pulmonary_from_tests(dyspnea="at_rest") == "severe"
    assert pulmonary_from_tests(dlco_pct=90, oxygen=True) == "severe"
    assert hepatic_from_tests(bilirubin_x_uln=1.5) == "mild"
    assert hepatic_from_tests(bilirubin_x_uln=1.51) == "moderate_severe"
    assert hepatic_from_tests(transaminase_x_uln=2.5) == "mild"
    assert hepatic_from_tests(transaminase_x_uln=2.51) == "moderate_severe"
    assert hepatic_from_tests(bilirubin_x_uln=1.0, transaminase_x_uln=1.0) == "none"
    assert cardiac_from_ef(50) and not cardiac_from_ef(51)
    assert obesity_from_bmi(35.1) and not obesity_from_bmi(35)
    assert renal_from_creatinine(2.01) and not renal_from_creatinine(2.0)


@given(st.sets(st.sampled_from(sorted(k for k in PUBLISHED if "_" not in k or k in {
    "inflammatory_bowel_disease", "cerebrovascular_disease", "psychiatric_disturbance",
    "peptic_ulcer", "renal_moderate_severe", "prior_solid_tumor", "heart_valve_disease"}))))
def test_adding_a_comorbidity_never_lowers_the_score(names):
    flags = {n: True for n in names}
    base = hct_ci_score(HCTCIInput(**flags))
    for extra in ("arrhythmia", "obesity", "prior_solid_tumor"):
        assert hct_ci_score(HCTCIInput(**{**flags, extra: True})) >= base


def test_unknown_comorbidity_is_data_error():
    with pytest.raises(DataError) as e:
        HCTCIInput(diabetis=True)
    assert e.value.field == "diabetis"
    with pytest.raises(DataError):
        HCTCIInput(pulmonary="mild")
