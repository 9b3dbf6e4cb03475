"""Published numbers of the clinical scores and response standards (hematwin.clinic).

Each test reproduces a value printed in the cited source.
"""

import pytest

from hematwin.clinic.chimerism import Chimerism, classify_chimerism
from hematwin.clinic.response_cml import Verdict, eln2020_verdict
from hematwin.clinic.risk.ebmt import EBMTInput, ebmt_score
from hematwin.clinic.risk.hct_ci import WEIGHTS, HCTCIInput, hct_ci_score
from hematwin.clinic.risk.mascc import MASCCInput, mascc_risk, mascc_score

pytestmark = pytest.mark.validation


def test_mascc_maximum_26_low_risk_from_21():
    # Klastersky et al., J Clin Oncol 2000;18:3038, Table 3: maximum 26; score >= 21 low risk.
    best = MASCCInput(burden_of_illness="none_or_mild", hypotension=False, copd=False,
                      tumor="solid", dehydration_requiring_iv_fluids=False,
                      outpatient_at_onset=True, age_years=40)
    assert mascc_score(best) == 26
    assert mascc_risk(21).value == "low risk"


def test_hct_ci_table1_weight_counts():
    # Sorror et al., Blood 2005;106:2912, Table 1: 9 comorbidities weigh 1, 4 weigh 2, 4 weigh 3.
    counts = {w: sum(1 for v in WEIGHTS.values() if v == w) for w in (1, 2, 3)}
    assert counts == {1: 9, 2: 4, 3: 4}
    assert hct_ci_score(HCTCIInput(diabetes=True, pulmonary="moderate",
                                   prior_solid_tumor=True)) == 6


def test_ebmt_score_spans_0_to_7():
    # Gratwohl, Bone Marrow Transplant 2012;47:749: "from 0 as best to 7 as worst".
    best = EBMTInput(age_years=10, disease_stage="early", months_diagnosis_to_transplant=3,
                     donor="hla_identical_sibling", donor_sex="male", recipient_sex="male")
    worst = EBMTInput(age_years=60, disease_stage="late", months_diagnosis_to_transplant=36,
                      donor="unrelated", donor_sex="female", recipient_sex="male")
    assert (ebmt_score(best), ebmt_score(worst)) == (0, 7)


@pytest.mark.parametrize(
    "month, optimal, warning, failure",
    # Hochhaus et al., Leukemia 2020;34:966, Table 5 (BCR::ABL1 IS %).
    [(3, 10.0, 10.5, None), (6, 1.0, 10.0, 10.5), (12, 0.1, 1.0, 1.5)],
)
def test_eln2020_table5(month, optimal, warning, failure):
    assert eln2020_verdict(month, optimal) is Verdict.OPTIMAL
    assert eln2020_verdict(month, warning) is Verdict.WARNING
    if failure is not None:
        assert eln2020_verdict(month, failure) is Verdict.FAILURE


def test_astct_2021_chimerism_definitions():
    # Kharfan-Dabaja et al., Transplant Cell Ther 2021;27:642: full > 95 %, mixed 5-95 %.
    assert classify_chimerism(96) is Chimerism.FULL_DONOR
    assert classify_chimerism(95) is Chimerism.MIXED
    assert classify_chimerism(5) is Chimerism.MIXED
    assert classify_chimerism(4) is Chimerism.GRAFT_LOSS
