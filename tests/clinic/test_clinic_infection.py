"""Infection exposure: neutropenia days, D-index (Portugal 2009), febrile episodes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hematwin.clinic.fever import (
    CTCAE_FEBRILE_NEUTROPENIA,
    IDSA_FEBRILE_NEUTROPENIA,
    febrile_neutropenic_readings,
    fever_readings,
)
from hematwin.clinic.infection import d_index, febrile_episodes, neutropenia_exposure
from hematwin.errors import DataError

DAYS = np.arange(10.0)
ANC = np.array([1.0, 0.6, 0.4, 0.2, 0.05, 0.05, 0.3, 0.6, 1.0, 2.0])


def test_exposure_by_measurement_day():
    exposure = neutropenia_exposure(ANC, DAYS)
    assert exposure.days_below_0_5 == 5.0  # days 2-6
    assert exposure.days_below_0_1 == 2.0  # days 4-5
    # 0.1 + 0.3 + 0.45 + 0.45 + 0.2
    assert exposure.d_index == pytest.approx(1.5)
    assert exposure.d_index_cells_per_ul_days == pytest.approx(1500.0)


def test_exposure_interpolated_by_hand():
    exposure = neutropenia_exposure(ANC, DAYS, method="interpolate")
    # crossings of 0.5 at day 1.5 and day 6 + 0.2/0.3
    assert exposure.days_below_0_5 == pytest.approx(6 + 0.2 / 0.3 - 1.5)
    # triangle 0.025, trapezoids 0.2, 0.375, 0.45, 0.325, triangle 0.04/0.6
    expected = 0.025 + 0.2 + 0.375 + 0.45 + 0.325 + 0.04 / 0.6
    assert exposure.d_index == pytest.approx(expected)
    assert d_index(ANC, DAYS) == pytest.approx(expected)
    # cumulative D-index up to day 5 (c-D-index)
    assert d_index(ANC, DAYS, end_day=5.0) == pytest.approx(0.025 + 0.2 + 0.375 + 0.45)


def test_exposure_cohort_and_window():
    cohort = np.vstack([ANC, np.full(10, 3.0)])
    exposure = neutropenia_exposure(cohort, DAYS, start_day=3.0, end_day=5.5)
    assert exposure.days_below_0_5.tolist() == [2.5, 0.0]
    assert exposure.days_below_0_1.tolist() == [1.5, 0.0]
    with pytest.raises(DataError) as info:
        neutropenia_exposure(ANC, DAYS, start_day=5.0, end_day=3.0)
    assert info.value.field == "end_day"


HOUR = 1.0 / 24.0
TEMP_DAYS = np.array([2.0, 2.5, 2.52, 2.55, 2.6, 4.0, 4.02, 4.05, 8.0])
TEMPS = np.array([37.0, 38.4, 37.5, 38.1, 38.1, 38.0, 38.0, 38.0, 39.0])


def test_fever_readings():
    # 2.5: single > 38.3; 2.55-2.6 spans 1.2 h; 4.0 does not continue the run from 2.6 (gap
    # longer than 4 h); 4.0-4.05 spans 1.2 h; 8.0: single
    assert fever_readings(TEMPS, TEMP_DAYS).tolist() == [
        False, True, False, False, True, False, False, True, True]


def test_febrile_episodes_by_hand():
    (episode,) = febrile_episodes(ANC, DAYS, TEMPS, TEMP_DAYS)
    assert (episode.start_day, episode.end_day, episode.n_readings) == (2.5, 4.05, 3)
    assert episode.peak_temperature == 38.4 and episode.lowest_anc == 0.05
    assert len(febrile_episodes(ANC, DAYS, TEMPS, TEMP_DAYS, new_episode_after_days=1.0)) == 2
    # day 8: 39.0 °C but ANC 1.0 is not < 1.0 (CTCAE) -- no episode there


def test_ctcae_and_idsa_differ_at_their_edges():
    at_38_3 = febrile_neutropenic_readings([0.3], [0.0], [38.3], [0.2],
                                           definition=IDSA_FEBRILE_NEUTROPENIA)
    assert at_38_3.febrile_neutropenia.tolist() == [True]  # IDSA: >= 38.3
    ctcae = febrile_neutropenic_readings([0.3], [0.0], [38.3], [0.2],
                                         definition=CTCAE_FEBRILE_NEUTROPENIA)
    assert ctcae.febrile_neutropenia.tolist() == [False]  # CTCAE: > 38.3
    anc_0_7 = dict(anc=[0.7], anc_days=[0.0], temperature=[39.0], temperature_days=[0.0])
    assert febrile_neutropenic_readings(**anc_0_7).febrile_neutropenia.tolist() == [True]
    idsa = febrile_neutropenic_readings(**anc_0_7, definition=IDSA_FEBRILE_NEUTROPENIA)
    assert idsa.febrile_neutropenia.tolist() == [False]  # IDSA: ANC < 0.5
    one_hour = [1.0, 1.0 + HOUR]
    assert fever_readings([38.0, 38.0], one_hour,
                          definition=IDSA_FEBRILE_NEUTROPENIA).tolist() == [False, True]
    assert fever_readings([38.0, 38.0], one_hour).tolist() == [False, False]


def test_bad_temperature_input():
    with pytest.raises(DataError) as info:
        fever_readings([38.0, 39.0], [1.0, 0.5])
    assert info.value.field == "temperature_days"
    with pytest.raises(DataError) as info:
        febrile_episodes([0.1, 0.2], [0.0, 1.0], [38.0, np.nan], [0.0, 1.0])
    assert info.value.field == "temperature"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0.0, 3.0, allow_nan=False), min_size=2, max_size=30),
       st.sampled_from(["measurement", "interpolate"]))
def test_exposure_invariants(values, method):
    days = np.arange(len(values), dtype=float)
    exposure = neutropenia_exposure(values, days, method=method)
    assert 0.0 <= exposure.days_below_0_1 <= exposure.days_below_0_5 + 1e-12
    assert exposure.days_below_0_5 <= days[-1] - days[0] + 1e-12
    assert 0.0 <= exposure.d_index <= 0.5 * exposure.days_below_0_5 + 1e-12
