"""ALL response (NCCN) and MRD at 1e-4 (ELN 2024, Gökbuget; NCCN)."""

import pytest

from hematwin.clinic.response_all import (
    ALLAssessment,
    ALLCategory,
    MRDLevel,
    all_mrd_level,
    all_mrd_negative,
    classify_all_response,
)


def a(**kw):
    base = dict(day=33, marrow_blasts_pct=1.0, anc=1.0, platelets=100.0)
    return ALLAssessment(**{**base, **kw})


def test_cr_cri_boundaries():
    assert classify_all_response(a()) is ALLCategory.CR
    assert classify_all_response(a(anc=0.99)) is ALLCategory.CRI
    assert classify_all_response(a(platelets=99)) is ALLCategory.CRI
    assert classify_all_response(a(marrow_blasts_pct=5.0)) is ALLCategory.NO_RESPONSE
    assert classify_all_response(a(marrow_blasts_pct=5.0, end_of_induction=True)) is \
        ALLCategory.REFRACTORY
    assert classify_all_response(a(blood_blasts_present=True)) is ALLCategory.NO_RESPONSE


def test_relapse_after_remission():
    assert classify_all_response(a(marrow_blasts_pct=5.0), prior_remission=True) is \
        ALLCategory.RELAPSE
    assert classify_all_response(a(extramedullary_disease=True), prior_remission=True) is \
        ALLCategory.RELAPSE
    assert classify_all_response(a(marrow_blasts_pct=4.9), prior_remission=True) is ALLCategory.CR


@pytest.mark.parametrize(
    "value, level",
    [(0.99e-4, MRDLevel.BELOW_1E_4), (1e-4, MRDLevel.E4), (0.99e-3, MRDLevel.E4),
     (1e-3, MRDLevel.E3), (1e-2, MRDLevel.E2)],
)
def test_mrd_levels(value, level):
    assert all_mrd_level(value) is level


def test_mrd_negative_at_1e_4():
    assert all_mrd_negative(0.99e-4) is True
    assert all_mrd_negative(1e-4) is False  # 0.01 % is not below 0.01 %
    assert all_mrd_negative(0.5e-4, require_undetectable=True) is False
    assert all_mrd_negative(None, detected=False, sensitivity=1e-4) is True
    assert all_mrd_negative(None, detected=False, sensitivity=1e-5) is True
    assert all_mrd_negative(None, detected=False, sensitivity=1e-3) is None
