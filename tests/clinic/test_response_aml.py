"""ELN 2022 AML response (Döhner 2022, Table 7) and ELN 2021 MRD rules (Heuser 2021)."""

import pytest

from hematwin.clinic.response_aml import (
    AMLAssessment,
    AMLCategory,
    MRDMeasurement,
    aml_response_course,
    classify_aml_response,
)
from hematwin.errors import DataError

BASE = AMLAssessment(day=0, marrow_blasts_pct=60, anc=0.3, platelets=25,
                     blood_blasts_present=True)


def a(day=28, blasts=2.0, anc=1.5, plt=150.0, **kw):
    return AMLAssessment(day=day, marrow_blasts_pct=blasts, anc=anc, platelets=plt, **kw)


def cat(x, **kw):
    return classify_aml_response(x, baseline=BASE, **kw).category


@pytest.mark.parametrize(
    "blasts, anc, plt, expected",
    [
        (4.9, 1.0, 100, AMLCategory.CR),  # ≥ 1.0 and ≥ 100 are inclusive
        (5.0, 1.0, 100, AMLCategory.NO_RESPONSE),  # < 5 % is strict; 5 > half of baseline 8
        (2, 0.99, 100, AMLCategory.CRH),
        (2, 0.5, 50, AMLCategory.CRH),  # CRh boundaries inclusive
        (2, 0.49, 150, AMLCategory.CRI),  # residual neutropenia only
        (2, 1.2, 49, AMLCategory.CRI),  # residual thrombocytopenia only
        (2, 0.4, 40, AMLCategory.MLFS),  # no recovery
    ],
)
def test_boundaries(blasts, anc, plt, expected):
    baseline = AMLAssessment(day=0, marrow_blasts_pct=8, anc=0.3, platelets=25)
    got = classify_aml_response(a(blasts=blasts, anc=anc, plt=plt), baseline=baseline)
    assert got.category is expected


def test_circulating_blasts_or_emd_block_remission():
    assert cat(a(blood_blasts_present=True)) is AMLCategory.NO_RESPONSE
    assert cat(a(extramedullary_disease=True)) is AMLCategory.NO_RESPONSE


def test_partial_remission_needs_fall_of_half_and_5_to_25():
    assert cat(a(blasts=25)) is AMLCategory.PR  # 25 ≤ 30 = half of 60; 25 inclusive
    assert cat(a(blasts=25.1)) is AMLCategory.NO_RESPONSE
    assert cat(a(blasts=5)) is AMLCategory.PR
    b = AMLAssessment(day=0, marrow_blasts_pct=20, anc=0.3, platelets=25)
    assert classify_aml_response(a(blasts=10), baseline=b).category is AMLCategory.PR
    assert classify_aml_response(a(blasts=10.5), baseline=b).category is AMLCategory.NO_RESPONSE
    assert classify_aml_response(a(blasts=10), baseline=None).category is AMLCategory.NO_RESPONSE
    assert cat(a(blasts=10, anc=0.9)) is AMLCategory.NO_RESPONSE  # PR needs CR counts


def test_refractory_at_landmark_and_not_evaluable():
    assert cat(a(blasts=40, after_landmark=True)) is AMLCategory.REFRACTORY
    assert cat(a(blasts=2, after_landmark=True)) is AMLCategory.CR
    assert cat(a(blasts=2, marrow_adequate=False)) is AMLCategory.NOT_EVALUABLE
    assert cat(AMLAssessment(day=5, anc=1, platelets=100)) is AMLCategory.NOT_EVALUABLE


def test_mrd_negative_labels():
    r = classify_aml_response(a(mrd=MRDMeasurement(method="mfc", value_pct=0.09)))
    assert r.label == "CRMRD-"
    r = classify_aml_response(a(mrd=MRDMeasurement(method="mfc", value_pct=0.1)))
    assert r.label == "CR" and r.mrd_negative is False  # 0.1 % is positive (≥ threshold)
    r = classify_aml_response(a(anc=0.7, plt=70, mrd=MRDMeasurement(method="qpcr", detected=False)))
    assert r.label == "CRhMRD-"
    r = classify_aml_response(a(blasts=30))
    assert r.mrd_negative is None


def test_hematologic_relapse_rules():
    cr = classify_aml_response(a())
    assert cat(a(day=100, blasts=5.0), prior=cr) is AMLCategory.HEMATOLOGIC_RELAPSE
    assert cat(a(day=100, extramedullary_disease=True), prior=cr) is \
        AMLCategory.HEMATOLOGIC_RELAPSE
    # blood blasts: one sample is not enough; a second ≥ 7 days later is.
    blood = AMLAssessment(day=100, anc=2, platelets=200, blood_blasts_present=True)
    first = classify_aml_response(blood, prior=cr)
    assert first.category is not AMLCategory.HEMATOLOGIC_RELAPSE
    early = AMLAssessment(day=106.9, anc=2, platelets=200, blood_blasts_present=True)
    assert classify_aml_response(early, prior=first).category is not \
        AMLCategory.HEMATOLOGIC_RELAPSE
    week = AMLAssessment(day=107, anc=2, platelets=200, blood_blasts_present=True)
    assert classify_aml_response(week, prior=first).category is AMLCategory.HEMATOLOGIC_RELAPSE
    # never in remission: high blasts is no response, not relapse
    assert cat(a(blasts=40)) is AMLCategory.NO_RESPONSE


def test_mrd_relapse_conversion_and_log_rise():
    neg = classify_aml_response(a(mrd=MRDMeasurement(method="qpcr", value_pct=0, detected=False)))
    pos = classify_aml_response(a(day=60, mrd=MRDMeasurement(method="qpcr", value_pct=0.002)),
                                prior=neg)
    assert pos.category is AMLCategory.MRD_RELAPSE
    # in CR MRD+: rise must be ≥ 1 log10 from the positive nadir
    p1 = classify_aml_response(a(mrd=MRDMeasurement(method="qpcr", value_pct=0.02)))
    p2 = classify_aml_response(a(day=60, mrd=MRDMeasurement(method="qpcr", value_pct=0.19)),
                               prior=p1)
    assert p2.category is AMLCategory.CR
    p3 = classify_aml_response(a(day=90, mrd=MRDMeasurement(method="qpcr", value_pct=0.2)),
                               prior=p2)
    assert p3.category is AMLCategory.MRD_RELAPSE


def test_course_best_response_and_relapse_days():
    course = aml_response_course(
        [
            a(day=28, blasts=3, anc=0.6, plt=60),
            a(day=56, mrd=MRDMeasurement(method="mfc", value_pct=0.01)),
            a(day=120, mrd=MRDMeasurement(method="mfc", value_pct=0.5)),
            a(day=140, mrd=MRDMeasurement(method="mfc", value_pct=0.8)),
            a(day=200, blasts=20),
        ],
        baseline=BASE,
    )
    assert course.best_response.label == "CRMRD-"
    assert course.first_remission_day == 28
    assert course.mrd_relapse_day == 120 and course.mrd_relapse_confirmed is True
    assert course.hematologic_relapse_day == 200
    assert list(course.table()["label"])[:2] == ["CRh", "CRMRD-"]


def test_bad_input_is_data_error():
    with pytest.raises(DataError) as e:
        AMLAssessment(day=1, marrow_blasts_pct=120)
    assert e.value.field == "marrow_blasts_pct"
    with pytest.raises(DataError):
        MRDMeasurement(method="pcr", value_pct=1)
    with pytest.raises(DataError):
        aml_response_course([a(day=1), a(day=1)])
