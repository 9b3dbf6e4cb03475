"""MASCC risk index (Klastersky 2000)."""

import pytest

from hematwin.clinic.risk.mascc import (
    MASCCInput,
    MASCCRisk,
    hypotension_from_sbp,
    mascc_risk,
    mascc_score,
)
from hematwin.errors import DataError

BEST = dict(burden_of_illness="none_or_mild", hypotension=False, copd=False, tumor="solid",
            dehydration_requiring_iv_fluids=False, outpatient_at_onset=True, age_years=45)


def test_published_maximum_26_and_threshold_21():
    assert mascc_score(MASCCInput(**BEST)) == 26
    assert mascc_risk(21) is MASCCRisk.LOW and mascc_risk(20) is MASCCRisk.HIGH


@pytest.mark.parametrize(
    "change, lost",
    [({"burden_of_illness": "moderate"}, 2), ({"burden_of_illness": "severe"}, 5),
     ({"hypotension": True}, 5), ({"copd": True}, 4),
     ({"tumor": "hematologic", "previous_fungal_infection": True}, 4),
     ({"tumor": "hematologic"}, 0), ({"dehydration_requiring_iv_fluids": True}, 3),
     ({"outpatient_at_onset": False}, 3), ({"age_years": 60}, 2), ({"age_years": 59.9}, 0)],
)
def test_each_published_weight(change, lost):
    assert mascc_score(MASCCInput(**{**BEST, **change})) == 26 - lost


def test_sbp_and_validation():
    assert hypotension_from_sbp(90) and not hypotension_from_sbp(91)
    with pytest.raises(DataError) as e:
        MASCCInput(**{**BEST, "age_years": -1})
    assert e.value.field == "age_years"
