"""Refined Disease Risk Index (Armand 2014)."""

import itertools

import pytest

from hematwin.clinic.risk.dri import (
    COMBINATION,
    DISEASE_RISK,
    DRIGroup,
    DRIInput,
    disease_risk_index,
    stage_risk,
)
from hematwin.errors import DataError


@pytest.mark.parametrize(
    "disease, status, group",
    [
        ("aml_favorable_cytogenetics", "cr", DRIGroup.LOW),
        ("aml_favorable_cytogenetics", "active_relapse", DRIGroup.INTERMEDIATE),
        ("aml_intermediate_cytogenetics", "cr", DRIGroup.INTERMEDIATE),
        ("aml_intermediate_cytogenetics", "induction_failure", DRIGroup.HIGH),
        ("aml_adverse_cytogenetics", "cr", DRIGroup.HIGH),
        ("aml_adverse_cytogenetics", "active_relapse", DRIGroup.VERY_HIGH),
        ("cml", "chronic_phase", DRIGroup.LOW),
        ("cml", "advanced_phase", DRIGroup.INTERMEDIATE),
        ("dlbcl", "pr", DRIGroup.INTERMEDIATE),
        ("t_cell_lymphoma_extranodal", "pr", DRIGroup.HIGH),
    ],
)
def test_table_cells(disease, status, group):
    assert disease_risk_index(DRIInput(disease=disease, status=status)) is group


def test_partial_remission_is_high_stage_for_acute_leukemia():
    assert stage_risk(DRIInput(disease="aml_intermediate_cytogenetics", status="pr")) == "high"
    assert stage_risk(DRIInput(disease="multiple_myeloma", status="pr")) == "low"


def test_combination_is_monotone():
    order = {"low": 0, "intermediate": 1, "high": 2}
    rank = {g: i for i, g in enumerate(DRIGroup)}
    for (d1, s1), (d2, s2) in itertools.product(COMBINATION, repeat=2):
        if order[d1] <= order[d2] and (s1, s2) != ("high", "low"):
            assert rank[COMBINATION[(d1, s1)]] <= rank[COMBINATION[(d2, s2)]]


def test_every_disease_has_a_risk():
    assert set(DISEASE_RISK.values()) == {"low", "intermediate", "high"}


def test_unknown_disease_and_bad_status():
    with pytest.raises(DataError) as e:
        DRIInput(disease="aml", status="cr")
    assert e.value.field == "disease"
    with pytest.raises(DataError) as e:
        DRIInput(disease="all", status="chronic_phase")
    assert e.value.field == "status"
