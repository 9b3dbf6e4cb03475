"""Donor chimerism (ASTCT 2021, Kharfan-Dabaja et al.)."""

import pandas as pd
import pytest

from hematwin.clinic.chimerism import (
    Chimerism,
    chimerism_trend,
    classify_chimerism,
    lineage_chimerism,
)
from hematwin.errors import DataError


@pytest.mark.parametrize(
    "pct, cat",
    [(100, Chimerism.FULL_DONOR), (95.01, Chimerism.FULL_DONOR), (95.0, Chimerism.MIXED),
     (5.0, Chimerism.MIXED), (4.99, Chimerism.GRAFT_LOSS), (0, Chimerism.GRAFT_LOSS)],
)
def test_astct_cutoffs(pct, cat):
    assert classify_chimerism(pct) is cat


def test_split_chimerism_by_lineage():
    r = lineage_chimerism({"CD3": 60.0, "CD33": 99.0})
    assert r.split and r.overall is Chimerism.MIXED
    r = lineage_chimerism({"CD3": 98.0, "CD33": 99.0})
    assert not r.split and r.overall is Chimerism.FULL_DONOR


def test_trend_flags_two_consecutive_falls():
    t = chimerism_trend(pd.Series([99.0, 97.0, 93.0, 94.0], index=[30, 60, 90, 120]))
    assert t.decreasing and t.decrease_day == 90
    assert list(t.categories) == ["full donor", "full donor", "mixed", "mixed"]
    t = chimerism_trend(pd.Series([99.0, 98.0, 97.0], index=[30, 60, 90]))
    assert not t.decreasing  # falls of < 5 points in total


def test_bad_values():
    with pytest.raises(DataError):
        classify_chimerism(101)
    with pytest.raises(DataError) as e:
        lineage_chimerism({"CD3": float("nan")})
    assert e.value.field == "CD3"
