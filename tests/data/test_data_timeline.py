"""The Timeline model: validation, helpers, equality."""

import datetime as dt

import pydantic
import pytest

from hematwin.data import (
    HSCT,
    Chimerism,
    MarrowAssessment,
    Observation,
    Timeline,
    Transfusion,
)


def _timeline():
    return Timeline(
        patient_id="P1", reference_event="HSCT", reference_date=dt.date(2024, 3, 1),
        observations=[
            Observation(analyte="anc", value=0.4, day=12),
            Observation(analyte="anc", value=0.1, censor="<", day=5),
            Observation(analyte="anc", value=0.9, date=dt.date(2024, 3, 15)),
        ],
        events=[HSCT(day=0, graft_source="cord_blood", donor="cord"),
                Transfusion(record_type="platelet_transfusion", day=8),
                Transfusion(record_type="red_cell_transfusion", day=3)],
    )


def test_series_is_sorted_by_day_and_derives_day_from_date():
    s = _timeline().series("anc")
    assert list(s.index) == [5.0, 12.0, 14.0]
    assert list(s) == [0.1, 0.4, 0.9]
    assert s.name == "anc" and s.index.name == "day"


def test_series_censored_options():
    t = _timeline()
    assert list(t.series("anc", censored="drop").index) == [12.0, 14.0]
    assert t.series("anc", censored="nan").isna().sum() == 1


def test_hsct_and_transfusions():
    t = _timeline()
    assert t.hsct is not None and t.hsct.graft_source == "cord_blood"
    assert t.transfusion_days("platelets") == [8.0]
    assert t.transfusion_days("red_cells") == [3.0]


def test_to_frame_is_one_row_per_record():
    frame = _timeline().to_frame()
    assert len(frame) == 6
    assert set(frame["record_type"]) == {"observation", "hsct", "platelet_transfusion",
                                         "red_cell_transfusion"}


@pytest.mark.parametrize("bad", [
    {"analyte": "anc", "value": -0.1, "day": 1},
    {"analyte": "nonsense", "value": 1, "day": 1},
    {"analyte": "anc", "value": 1},
    {"analyte": "anc", "value": 1, "date": "2023-02-29"},
    {"analyte": "anc", "value": 1, "day": 1, "unit": "cells/uL"},
    {"analyte": "blasts_blood_pct", "value": 101, "day": 1},
    {"analyte": "temperature", "value": 101.3, "day": 1},
    {"analyte": "anc", "value": 1, "day": 1, "lln": 5, "uln": 2},
    {"analyte": "anc", "value": float("nan"), "day": 1},
])
def test_invalid_observations_are_refused(bad):
    with pytest.raises(pydantic.ValidationError):
        Observation(**bad)


def test_duplicate_observation_is_refused_even_via_date():
    with pytest.raises(pydantic.ValidationError, match="duplicate"):
        Timeline(patient_id="P", reference_date=dt.date(2024, 1, 1), observations=[
            Observation(analyte="wbc", value=1, day=2),
            Observation(analyte="wbc", value=2, date=dt.date(2024, 1, 3)),
        ])


def test_other_records_validate():
    with pytest.raises(pydantic.ValidationError):
        HSCT(day=0, graft_source="bone_marrow", donor="cord")
    with pytest.raises(pydantic.ValidationError):
        MarrowAssessment(day=1)
    with pytest.raises(pydantic.ValidationError):
        Chimerism(day=1, lineage="cd3", donor_pct=120)
    with pytest.raises(pydantic.ValidationError):
        Transfusion(record_type="platelet_transfusion", day=5, end_day=4)
    assert Chimerism(day=1, lineage="T", donor_pct=50).lineage == "cd3"


def test_equality_ignores_source_and_order():
    a = Observation(analyte="anc", value=1, day=1, source={"file": "a.csv", "row": 3})
    b = Observation(analyte="anc", value=1, day=1)
    assert a == b and hash(a) == hash(b)
    c = Observation(analyte="anc", value=2, day=2)
    assert Timeline(patient_id="x", observations=[a, c]) == Timeline(
        patient_id="x", observations=[c, b])
