"""HSCT endpoints (ASTCT 2021; EBMT-ASTCT-CIBMTR-APBMT 2024): hand-computed examples, properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hematwin.clinic.engraftment import (
    PRIMARY_GRAFT_FAILURE_DAY,
    GraftSource,
    neutrophil_engraftment,
    platelet_engraftment,
    poor_graft_function,
    primary_graft_failure,
    secondary_graft_failure,
)
from hematwin.errors import DataError

# Day -1 to +14. Days 0-2 still carry pre-transplant neutrophils (>= 0.5): not engraftment.
ANC_DAYS = np.arange(-1.0, 15.0)
ANC = np.array([4.0, 2.0, 0.9, 0.6, 0.3, 0.1, 0.0, 0.0, 0.2, 0.6, 0.4, 0.5, 0.7, 0.9, 1.5, 2.0])


def test_neutrophil_engraftment_by_hand():
    result = neutrophil_engraftment(ANC, ANC_DAYS)
    assert result.aplasia_onset_day == 3.0  # first ANC < 0.5 on/after day 0
    assert result.first_day_above == 8.0  # single-day variant: 0.6 on day 8
    assert result.engraftment_day == 10.0  # 0.5, 0.7, 0.9 on days 10-12 (>= counts)
    assert (result.nadir, result.nadir_day) == (0.0, 5.0)
    assert result.engrafted and not result.never_below


def test_neutrophil_engraftment_never_below_and_not_yet():
    never = neutrophil_engraftment([3.0, 2.5, 1.0, 2.0], [0.0, 1.0, 2.0, 3.0])
    assert never.never_below and never.engraftment_day is None and not never.engrafted
    waiting = neutrophil_engraftment([3.0, 0.2, 0.1, 0.6, 0.7], [0.0, 5.0, 10.0, 15.0, 16.0])
    assert waiting.engraftment_day is None and waiting.first_day_above == 15.0
    assert not waiting.never_below


def test_neutrophil_engraftment_cohort_and_series():
    cohort = np.vstack([ANC, np.full(ANC.size, 0.05), ANC[::-1]])
    result = neutrophil_engraftment(cohort, ANC_DAYS)
    # reversed: falls below 0.5 on day 4, then 0.6, 0.9, 2.0 on days 11-13
    assert np.array_equal(result.engraftment_day, [10.0, np.nan, 11.0], equal_nan=True)
    assert result.engrafted.tolist() == [True, False, True]
    assert result.never_below.tolist() == [False, False, False]
    as_series = neutrophil_engraftment(pd.Series(ANC, index=ANC_DAYS))
    assert as_series.engraftment_day == 10.0


# Platelet transfusions on days 4 and 5 hold the count up; recovery must wait 7 days.
PLT_DAYS = np.arange(20.0)
PLATELETS = np.array([60, 40, 25, 15, 9, 12, 30, 25, 22, 18, 21, 24, 26, 35, 48, 52, 55, 60,
                      65, 70], dtype=float)


def test_platelet_engraftment_by_hand():
    result = platelet_engraftment(PLATELETS, PLT_DAYS, transfusion_days=[4, 5])
    # runs >= 20 start on days 6, 10, 11, 12 but a transfusion falls in [d - 7, d + 2];
    # day 13 (35, 48, 52) has none in [6, 15]
    assert result.engraftment_day == 13.0
    assert result.day_50 == 15.0  # 52, 55, 60 with no transfusion in [8, 17]
    assert (result.nadir, result.nadir_day) == (9.0, 4.0)
    untransfused = platelet_engraftment(PLATELETS, PLT_DAYS)
    assert untransfused.engraftment_day == 6.0


def test_platelet_engraftment_transfusions_per_patient():
    cohort = np.vstack([PLATELETS, PLATELETS])
    result = platelet_engraftment(cohort, PLT_DAYS, transfusion_days=[[4, 5], []])
    assert result.engraftment_day.tolist() == [13.0, 6.0]


def test_primary_graft_failure_deadlines():
    assert PRIMARY_GRAFT_FAILURE_DAY[GraftSource.PERIPHERAL_BLOOD] == 30.0
    assert PRIMARY_GRAFT_FAILURE_DAY[GraftSource.BONE_MARROW] == 30.0
    assert PRIMARY_GRAFT_FAILURE_DAY[GraftSource.CORD_BLOOD] == 42.0
    days = np.arange(0.0, 50.0)
    late = np.where(days < 35, 0.1, 1.0)  # engrafts on day 35
    assert primary_graft_failure(late, days, graft_source="cord_blood").status == "engrafted"
    failed = primary_graft_failure(late, days, graft_source="pbsc",
                                   platelets=np.full(days.size, 10.0))
    assert failed.graft_failure and failed.engraftment_day == 35.0
    assert failed.pancytopenia_at_deadline is True
    on_time = np.where(days < 30, 0.1, 1.0)  # engraftment day exactly +30
    assert primary_graft_failure(on_time, days, graft_source="bone_marrow").status == "engrafted"
    short = primary_graft_failure(np.full(21, 0.1), np.arange(21.0), graft_source="BM")
    assert short.status == "not_evaluable"
    with pytest.raises(DataError) as info:
        primary_graft_failure(late, days, graft_source="liver")
    assert info.value.field == "graft_source"


def _post_engraftment():
    days = np.arange(0.0, 61.0)
    anc = np.where(days < 12, 0.1, 2.0)
    anc[(days >= 45) & (days <= 50)] = 0.3  # loses the graft from day 45
    platelets = np.where(days < 20, 10.0, 80.0)
    return days, anc, platelets


def test_secondary_graft_failure_by_hand():
    days, anc, platelets = _post_engraftment()
    result = secondary_graft_failure(anc, platelets, days, support_days=[46.0])
    assert result.secondary_graft_failure
    assert (result.recovery_day, result.decline_day) == (20.0, 45.0)
    assert result.declined_lineages == ("neutrophils",) and result.support_confirmed
    unsupported = secondary_graft_failure(anc, platelets, days, support_days=[10.0])
    assert unsupported.support_confirmed is False and not unsupported.secondary_graft_failure
    unknown = secondary_graft_failure(anc, platelets, days, donor_chimerism_percent=2.0)
    assert unknown.secondary_graft_failure and unknown.support_confirmed is None
    assert unknown.graft_loss is True
    explained = secondary_graft_failure(anc, platelets, days, other_explanation=True)
    assert not explained.secondary_graft_failure


def test_no_secondary_failure_without_both_recoveries():
    days, anc, _ = _post_engraftment()
    result = secondary_graft_failure(anc, np.full(days.size, 10.0), days)
    assert not result.secondary_graft_failure and result.recovery_day is None


def test_poor_graft_function_by_hand():
    days = np.arange(0.0, 61.0)
    anc = np.where(days < 15, 0.1, 1.5)
    platelets = np.where((days >= 30) & (days <= 40), 12.0, 60.0)
    support = [31.0, 35.0, 39.0]
    result = poor_graft_function(anc, platelets, days, support_days=support, from_day=28.0,
                                 donor_chimerism_percent=99.0)
    assert result.poor_graft_function
    assert result.cytopenic_lineages == ("platelets",) and result.support_events == 3
    assert result.full_donor_chimerism is True
    mixed = poor_graft_function(anc, platelets, days, support_days=support, from_day=28.0,
                                donor_chimerism_percent=60.0)
    assert not mixed.poor_graft_function
    two_needed = poor_graft_function(anc, platelets, days, support_days=support,
                                     from_day=28.0, min_cytopenic_lineages=2)
    assert not two_needed.poor_graft_function
    rare = poor_graft_function(anc, platelets, days, support_days=[31.0], from_day=28.0)
    assert not rare.poor_graft_function


def test_bad_input():
    with pytest.raises(DataError) as info:
        neutrophil_engraftment([0.1, 0.2], [0.0, 1.0, 2.0])
    assert info.value.field == "anc"
    with pytest.raises(DataError) as info:
        platelet_engraftment([10.0, 30.0], [0.0, 1.0], transfusion_days=["x"])
    assert info.value.field == "transfusion_days"
    with pytest.raises(DataError) as info:
        neutrophil_engraftment([0.1, 0.2, 0.3], [0.0, 2.0, 1.0])
    assert info.value.field == "days"


# --- properties ---------------------------------------------------------------------------

anc_lists = st.lists(st.sampled_from([0.0, 0.05, 0.3, 0.49, 0.5, 0.51, 0.8, 1.5, 3.0]),
                     min_size=1, max_size=40)


@settings(max_examples=200, deadline=None)
@given(anc_lists)
def test_neutrophil_engraftment_invariants(values):
    v = np.array(values)
    t = np.arange(v.size, dtype=float)
    result = neutrophil_engraftment(v, t)
    below = np.flatnonzero(v < 0.5)
    if below.size == 0:
        assert result.never_below and result.engraftment_day is None
        return
    fall = below[0]
    runs = [i for i in range(fall + 1, v.size - 2) if np.all(v[i:i + 3] >= 0.5)]
    if not runs:
        assert result.engraftment_day is None
        return
    i = int(result.engraftment_day)
    assert i == runs[0]
    assert np.all(v[i:i + 3] >= 0.5)  # the engraftment day and the two following counts
    assert result.first_day_above <= result.engraftment_day
    assert result.nadir < 0.5 and result.nadir_day < result.engraftment_day
    assert result.nadir == v[fall:i].min()


@settings(max_examples=50, deadline=None)
@given(st.lists(anc_lists.filter(lambda x: len(x) == 12), min_size=1, max_size=5))
def test_cohort_equals_one_by_one(rows):
    v = np.array(rows)
    t = np.arange(12.0)
    together = neutrophil_engraftment(v, t).engraftment_day
    alone = [neutrophil_engraftment(row, t).engraftment_day for row in v]
    assert np.array_equal(together, np.array([np.nan if a is None else a for a in alone]),
                          equal_nan=True)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([5.0, 15.0, 19.9, 20.0, 35.0, 50.0, 80.0]), min_size=1,
                max_size=40),
       st.lists(st.integers(0, 40), max_size=5))
def test_platelet_engraftment_invariants(values, transfusions):
    v = np.array(values)
    t = np.arange(v.size, dtype=float)
    result = platelet_engraftment(v, t, transfusion_days=transfusions)
    for day, cut in ((result.engraftment_day, 20.0), (result.day_50, 50.0)):
        if day is None:
            continue
        i = int(day)
        assert np.all(v[i:i + 3] >= cut)
        assert not any(day - 7 <= tx <= day + 2 for tx in transfusions)
        assert np.any(v[:i] < cut)
