"""EBMT risk score (Gratwohl 1998/2009)."""

import pytest

from hematwin.clinic.risk.ebmt import EBMTInput, ebmt_components, ebmt_score
from hematwin.errors import DataError

LOW = dict(age_years=15, disease_stage="early", months_diagnosis_to_transplant=6,
           donor="hla_identical_sibling", donor_sex="male", recipient_sex="male")


def test_range_0_to_7():
    assert ebmt_score(EBMTInput(**LOW)) == 0
    worst = dict(age_years=50, disease_stage="late", months_diagnosis_to_transplant=24,
                 donor="unrelated", donor_sex="female", recipient_sex="male")
    assert ebmt_score(EBMTInput(**worst)) == 7


@pytest.mark.parametrize("age, pts", [(19.9, 0), (20, 1), (40, 1), (40.01, 2)])
def test_age_boundaries(age, pts):
    assert ebmt_components(EBMTInput(**{**LOW, "age_years": age}))["age"] == pts


def test_interval_stage_donor_sex():
    c = ebmt_components(EBMTInput(**{**LOW, "months_diagnosis_to_transplant": 12}))
    assert c["time_from_diagnosis"] == 0
    c = ebmt_components(EBMTInput(**{**LOW, "months_diagnosis_to_transplant": 12.1}))
    assert c["time_from_diagnosis"] == 1
    c = ebmt_components(EBMTInput(**{**LOW, "months_diagnosis_to_transplant": 30,
                                     "first_complete_remission": True}))
    assert c["time_from_diagnosis"] == 0
    assert ebmt_components(EBMTInput(**{**LOW, "disease_stage": "intermediate"}))[
        "disease_stage"] == 1
    assert ebmt_components(EBMTInput(**{**LOW, "donor_sex": "female"}))[
        "donor_recipient_sex"] == 1
    assert ebmt_components(EBMTInput(**{**LOW, "donor_sex": "female",
                                        "recipient_sex": "female"}))["donor_recipient_sex"] == 0


def test_autologous_has_no_donor_factors():
    p = EBMTInput(age_years=50, disease_stage="late", months_diagnosis_to_transplant=24,
                  transplant="autologous")
    assert ebmt_score(p) == 5


def test_validation():
    with pytest.raises(DataError) as e:
        EBMTInput(**{**LOW, "age_years": 130})
    assert e.value.field == "age_years"
    with pytest.raises(DataError) as e:
        EBMTInput(**{**LOW, "donor": None})
    assert e.value.field == "donor"
    with pytest.raises(DataError):
        EBMTInput(**{**LOW, "disease_stage": "advanced"})
