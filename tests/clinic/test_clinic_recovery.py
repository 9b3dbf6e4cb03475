"""Cytopenia episodes and recovery: worked examples computed by hand, properties, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hematwin.clinic.ctcae import NEEDS_LLN, Term
from hematwin.clinic.recovery import (
    cytopenia_episodes,
    summarize_cytopenia,
    time_below,
    time_in_grade,
)
from hematwin.errors import DataError

# Two dips below 1.5 x 10^9/L (CTCAE v5.0 ANC grade >= 2); the second is still open at the end.
DAYS = np.arange(9.0)
ANC = np.array([2.0, 1.2, 0.4, 0.05, 0.3, 1.1, 1.6, 0.9, 0.8])


def test_measurement_day_episodes_by_hand():
    first, second = cytopenia_episodes(ANC, DAYS)
    # day 1 grade 2, days 2-4 grade 4, day 5 grade 2, back to grade <= 1 on day 6
    assert (first.onset_day, first.recovery_day, first.duration_days) == (1.0, 6.0, 5.0)
    assert first.days_in_grade == {2: 2.0, 3: 0.0, 4: 3.0}
    assert (first.days_grade3_or_worse, first.days_grade4) == (3.0, 3.0)
    assert (first.nadir, first.nadir_day, first.worst_grade) == (0.05, 3.0, 4)
    assert first.days_nadir_to_recovery == 3.0 and first.recovered and first.onset_observed
    # days 7-8 grade 3; the series ends before recovery: censored at the last count
    assert not second.recovered and second.recovery_day is None
    assert (second.onset_day, second.duration_days) == (7.0, 1.0)
    assert second.days_in_grade == {2: 0.0, 3: 1.0, 4: 0.0}


def test_interpolated_episode_by_hand():
    first = cytopenia_episodes(ANC, DAYS, method="interpolate")[0]
    assert first.onset_day == pytest.approx(0.625)  # 2.0 -> 1.2 crosses 1.5 at 0.5/0.8
    assert first.recovery_day == pytest.approx(5.8)  # 1.1 -> 1.6 crosses 1.5 at 0.4/0.5
    # < 0.5: 0.125 + 2 + 0.25; < 1.0: 0.75 + 2 + 0.875
    assert first.days_in_grade[4] == pytest.approx(2.375)
    assert first.days_in_grade[3] == pytest.approx(3.625 - 2.375)
    assert first.days_in_grade[2] == pytest.approx(5.175 - 3.625)
    assert sum(first.days_in_grade.values()) == pytest.approx(first.duration_days)


def test_summary_and_cohort():
    one = summarize_cytopenia(ANC, DAYS)
    assert (one.nadir, one.nadir_day, one.recovery_day, one.n_episodes) == (0.05, 3.0, 6.0, 2)
    assert (one.days_grade4, one.days_grade3_or_worse, one.worst_grade) == (3.0, 4.0, 4)
    cohort = np.vstack([ANC, np.full(9, 3.0), ANC[::-1]])
    many = summarize_cytopenia(cohort, DAYS)
    assert many.nadir_day.tolist() == [3.0, 0.0, 5.0]
    assert many.n_episodes.tolist() == [2, 0, 2]
    assert np.isnan(many.recovery_day[1])
    for row, expected in zip(cohort, (0, 1, 2), strict=True):
        single = summarize_cytopenia(row, DAYS)
        assert many.days_grade4[expected] == single.days_grade4
    episodes = cytopenia_episodes(cohort, DAYS)
    assert [len(e) for e in episodes] == [2, 0, 2]


def test_time_in_grade_without_and_with_lln():
    spent = time_in_grade(ANC, DAYS)
    assert np.isnan(spent[0]) and np.isnan(spent[1])
    assert spent[NEEDS_LLN] == 2.0  # day 0 (2.0) and day 6 (1.6), one day each
    assert spent[2] == 2.0  # day 1 (1.2) and day 5 (1.1)
    with_lln = time_in_grade(ANC, DAYS, lln=1.8)
    assert with_lln[0] == 1.0 and with_lln[1] == 1.0 and NEEDS_LLN not in with_lln
    assert sum(with_lln.values()) == DAYS[-1] - DAYS[0]


def test_series_input_and_other_terms():
    series = pd.Series(ANC, index=DAYS)
    assert cytopenia_episodes(series) == cytopenia_episodes(ANC, DAYS)
    platelets = pd.Series([150.0, 60.0, 20.0, 40.0, 80.0], index=[0.0, 3.0, 6.0, 9.0, 12.0])
    (episode,) = cytopenia_episodes(platelets, term=Term.THROMBOCYTOPENIA, version="6.0")
    assert episode.days_in_grade == {2: 3.0, 3: 6.0, 4: 0.0}
    assert episode.recovery_day == 12.0


def test_recovery_to_baseline_grade():
    # a leukemia patient at baseline grade 2: only grade >= 3 counts as an episode
    first, second = cytopenia_episodes(ANC, DAYS, recovery_grade=2)
    assert (first.onset_day, first.recovery_day) == (2.0, 5.0)
    assert first.days_in_grade == {3: 0.0, 4: 3.0}
    assert (second.onset_day, second.recovered) == (7.0, False)
    with pytest.raises(DataError, match="lower limit of normal"):
        cytopenia_episodes(ANC, DAYS, recovery_grade=0)


def test_dense_series_methods_converge_to_the_exact_time():
    t = np.linspace(0.0, 20.0, 20001)
    anc = 2.0 - 1.9 * np.exp(-((t - 10.0) ** 2) / 8.0)
    exact = 2.0 * np.sqrt(8.0 * np.log(1.9 / 1.5))  # width of the dip below 0.5
    for method in ("measurement", "interpolate"):
        assert time_below(anc, t, threshold=0.5, method=method) == pytest.approx(exact, abs=2e-3)
    (m,) = cytopenia_episodes(anc, t)
    (i,) = cytopenia_episodes(anc, t, method="interpolate")
    for g in (2, 3, 4):
        assert m.days_in_grade[g] == pytest.approx(i.days_in_grade[g], abs=2e-3)


@pytest.mark.parametrize(("values", "days", "field"), [
    ([1.0, 2.0], [0.0, 0.0], "days"),
    ([1.0, 2.0], [1.0, 0.0], "days"),
    ([1.0, np.nan], [0.0, 1.0], "values"),
    ([1.0, -2.0], [0.0, 1.0], "values"),
    ([1.0, 2.0, 3.0], [0.0, 1.0], "values"),
    ([1.0, 2.0], None, "days"),
])
def test_bad_series_names_the_field(values, days, field):
    with pytest.raises(DataError) as info:
        cytopenia_episodes(values, days)
    assert info.value.field == field


def test_bad_method_and_term():
    with pytest.raises(DataError) as info:
        time_below(ANC, DAYS, threshold=0.5, method="spline")
    assert info.value.field == "method"
    with pytest.raises(DataError, match="not a cytopenia term"):
        cytopenia_episodes(ANC, DAYS, term=Term.LEUKOCYTOSIS)


series = st.lists(st.floats(0.0, 4.0, allow_nan=False), min_size=2, max_size=40)


@settings(max_examples=100, deadline=None)
@given(series, st.sampled_from(["measurement", "interpolate"]))
def test_episode_durations_add_up(values, method):
    days = np.arange(len(values), dtype=float)
    episodes = cytopenia_episodes(values, days, method=method)
    total = 0.0
    for e in episodes:
        assert sum(e.days_in_grade.values()) == pytest.approx(e.duration_days, abs=1e-9)
        assert e.days_grade4 <= e.days_grade3_or_worse + 1e-12
        assert e.onset_day <= e.nadir_day
        if e.recovered:
            assert e.recovery_day > e.nadir_day
        total += e.duration_days
    below = time_below(values, days, threshold=1.5, method=method)
    assert total == pytest.approx(below, abs=1e-9)
    if method == "measurement":
        summary = summarize_cytopenia(values, days)
        assert summary.n_episodes == len(episodes)
