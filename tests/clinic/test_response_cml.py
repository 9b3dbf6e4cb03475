"""CML molecular response (Cross 2015) and ELN 2020 milestones (Hochhaus 2020, Table 5)."""

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hematwin.clinic.response_cml import (
    DAYS_PER_MONTH,
    MolecularResponse,
    Verdict,
    cml_cohort_table,
    cml_response_table,
    complete_hematologic_response,
    eln2020_verdict,
    molecular_response,
)
from hematwin.errors import DataError

MICHOR = Path(__file__).resolve().parents[3] / "shared" / "data" / "cml" / "michor.csv"

M = MolecularResponse


@pytest.mark.parametrize(
    "value, expected",
    [
        (10.0, M.MR1), (10.0001, M.NONE), (1.0, M.MR2), (1.0001, M.MR1),
        (0.1, M.MMR), (0.1001, M.MR2), (0.01, M.MR4), (0.0032, M.MR4_5),
        (0.0033, M.MR4), (0.001, M.MR5), (0.0, M.MR5), (805.0, M.NONE),
    ],
)
def test_is_boundaries_are_inclusive(value, expected):
    assert molecular_response(value) is expected


def test_undetectable_scored_by_abl1_copies():
    assert molecular_response(None, undetectable=True, abl1_copies=10_000) is M.MR4
    assert molecular_response(None, undetectable=True, abl1_copies=31_999) is M.MR4
    assert molecular_response(None, undetectable=True, abl1_copies=32_000) is M.MR4_5
    assert molecular_response(None, undetectable=True, abl1_copies=100_000) is M.MR5
    assert molecular_response(None, undetectable=True, abl1_copies=9_999) is None
    # limit "< 0.05 %" with too few copies: no deeper than the limit allows
    assert molecular_response(0.05, undetectable=True, abl1_copies=5_000) is M.MMR


@given(st.floats(0, 1000, allow_nan=False), st.floats(0, 1000, allow_nan=False))
def test_lower_bcr_abl1_never_a_worse_class(x, y):
    lo, hi = sorted((x, y))
    assert molecular_response(lo) >= molecular_response(hi)


@given(st.sampled_from([3, 6, 12, 18]), st.floats(0, 200, allow_nan=False),
       st.floats(0, 200, allow_nan=False))
def test_lower_value_never_a_worse_verdict(month, x, y):
    order = {Verdict.OPTIMAL: 0, Verdict.WARNING: 1, Verdict.FAILURE: 2}
    lo, hi = sorted((x, y))
    assert order[eln2020_verdict(month, lo)] <= order[eln2020_verdict(month, hi)]


@pytest.mark.parametrize(
    "month, value, confirmed, expected",
    [
        (3, 10.0, False, Verdict.OPTIMAL), (3, 10.01, False, Verdict.WARNING),
        (3, 50.0, True, Verdict.FAILURE),
        (6, 1.0, False, Verdict.OPTIMAL), (6, 1.01, False, Verdict.WARNING),
        (6, 10.0, False, Verdict.WARNING), (6, 10.01, False, Verdict.FAILURE),
        (12, 0.1, False, Verdict.OPTIMAL), (12, 0.11, False, Verdict.WARNING),
        (12, 1.0, False, Verdict.WARNING), (12, 1.01, False, Verdict.FAILURE),
        (24, 0.5, False, Verdict.WARNING), (24, 2.0, False, Verdict.FAILURE),
    ],
)
def test_eln2020_cutoffs(month, value, confirmed, expected):
    assert eln2020_verdict(month, value, confirmed_above_10=confirmed) is expected


def test_three_month_failure_needs_confirmation_1_to_3_months_later():
    m = DAYS_PER_MONTH
    confirmed = cml_response_table([0, 3 * m, 5 * m], [100, 20, 15])
    assert confirmed.milestones.iloc[0]["verdict"] == "failure"
    unconfirmed = cml_response_table([0, 3 * m, 5 * m], [100, 20, 8])
    assert unconfirmed.milestones.iloc[0]["verdict"] == "warning"
    too_late = cml_response_table([0, 3 * m, 6.5 * m], [100, 20, 15])
    assert too_late.milestones.iloc[0]["verdict"] == "warning"


def test_milestone_window_nearest_and_not_assessable():
    m = DAYS_PER_MONTH
    t = cml_response_table(pd.Series([100.0, 5.0, 12.0], index=[0.0, 2.5 * m, 3.4 * m]))
    row = t.milestones.iloc[0]
    assert row["day"] == pytest.approx(3.4 * m) and row["verdict"] == "warning"
    # a tie goes to the later measurement
    t = cml_response_table([0, 2.5 * m, 3.5 * m], [100, 5.0, 12.0])
    assert t.milestones.iloc[0]["day"] == pytest.approx(3.5 * m)
    t = cml_response_table([0, 30], [100, 5])
    assert set(t.milestones["verdict"]) == {"not assessable"}


def test_loss_of_mmr_needs_two_consecutive_tests():
    d = [0, 90, 180, 270, 360, 450, 540]
    one = cml_response_table(d, [50, 5, 0.08, 0.2, 0.05, 0.06, 0.07])
    assert one.mmr_day == 180 and one.mmr_loss_day is None
    two = cml_response_table(d, [50, 5, 0.08, 0.2, 0.3, 0.06, 0.07])
    assert two.mmr_loss_day == 270
    limit = cml_response_table(d, [50, 5, 0.08, 0.2, 0.3, 0.06, 0.07],
                               below_limit=[False, False, False, True, False, False, False])
    assert limit.mmr_loss_day is None


def test_complete_hematologic_response_strict_bounds():
    ok = dict(immature_granulocytes=False, spleen_palpable=False)
    assert complete_hematologic_response(9.9, 449, 4.9, **ok)
    assert not complete_hematologic_response(10.0, 300, 1, **ok)
    assert not complete_hematologic_response(5, 450, 1, **ok)
    assert not complete_hematologic_response(5, 300, 5.0, **ok)
    assert not complete_hematologic_response(5, 300, 1, immature_granulocytes=True,
                                             spleen_palpable=False)


def test_bad_series_is_data_error():
    with pytest.raises(DataError):
        cml_response_table([0, 30], [10, -1])
    with pytest.raises(DataError):
        cml_response_table([0, 0], [10, 1])
    with pytest.raises(DataError):
        cml_cohort_table(pd.DataFrame({"Days": [0], "Prct": [1]}))


@pytest.mark.skipif(not MICHOR.exists(), reason=f"{MICHOR} not present")
def test_michor_file_runs():
    frame = pd.read_csv(MICHOR)
    meas, miles = cml_cohort_table(frame)
    assert len(meas) == len(frame) == 435
    assert meas["patient"].nunique() == 68 and len(miles) == 68 * 3
    assert set(miles["verdict"]) <= {v.value for v in Verdict}
    p1 = miles[miles.patient == 1].set_index("milestone_month")["verdict"].to_dict()
    # patient 1: 4.362 % near 3 months, 4.008 % near 6 months, 0.444 % near 12 months
    assert p1 == {3: "optimal", 6: "warning", 12: "warning"}
