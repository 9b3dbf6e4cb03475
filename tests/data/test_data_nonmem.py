"""NONMEM-style datasets: NM-TRAN-like checks, lenient mode, round trip, timelines."""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hematwin.data import nonmem_to_timelines, read_nonmem, write_nonmem
from hematwin.errors import DataError

FIXTURES = Path(__file__).parent / "fixtures"
CMTS = ["dosing", "neutrophils"]
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
HEADER = "ID,TIME,AMT,RATE,DUR,EVID,CMT,II,ADDL,SS,DV,MDV,WT\n"
GOOD = ["1,0,100,0,0,1,1,0,0,0,.,1,70", "1,1,0,0,0,0,2,0,0,0,2.5,0,70"]


def test_fixture_reads_in_canonical_order():
    ds = read_nonmem(FIXTURES / "chemo_pk_pd.csv", compartments=CMTS)
    assert list(ds.records.columns) == ["ID", "TIME", "AMT", "RATE", "DUR", "EVID", "CMT",
                                        "II", "ADDL", "SS", "DV", "MDV", "WT"]
    assert ds.covariates == ["WT"]
    assert ds.records["CMT"].tolist() == [1, 2, 2, 2, 1, 2, 0, 2]  # names -> numbers
    assert ds.records["ID"].dtype == np.int64
    assert math.isnan(ds.records.loc[0, "DV"])
    assert ds.ids == [1, 2]


def test_fixture_round_trip(tmp_path):
    ds = read_nonmem(FIXTURES / "chemo_pk_pd.csv", compartments=CMTS)
    again = read_nonmem(write_nonmem(ds, tmp_path / "o.csv"), compartments=CMTS)
    assert again.equals(ds)


def test_missing_optional_items_get_nm_tran_defaults():
    df = pd.DataFrame({"ID": [1, 1], "TIME": [0, 1], "AMT": [10, 0], "EVID": [1, 0],
                       "CMT": [1, 1], "DV": [np.nan, 3.0], "MDV": [1, 0]})
    ds = read_nonmem(df)
    assert list(ds.records.columns) == ["ID", "TIME", "AMT", "RATE", "EVID", "CMT", "II",
                                        "ADDL", "DV", "MDV"]
    assert ds.source is None and ds.rows_read == 2


@pytest.mark.parametrize(("line", "field"), [
    ("1,0.5,0,0,0,0,2,0,0,0,x,0,70", "DV"),
    ("1,0.5,0,0,0,0,2,0,0,0,.,0,70", "DV"),
    ("1,0.5,0,0,0,7,2,0,0,0,.,1,70", "EVID"),
    ("1,0.5,0,0,0,0,5,0,0,0,1,0,70", "CMT"),
    ("1,0.5,0,0,0,0,blood,0,0,0,1,0,70", "CMT"),
    ("1,0.5,-5,0,0,1,1,0,0,0,.,1,70", "AMT"),
    ("1,0.5,0,0,0,1,1,0,0,0,.,1,70", "AMT"),
    ("1,0.5,5,-1,0,1,1,0,0,0,.,1,70", "RATE"),
    ("1,0.5,5,-3,0,1,1,0,0,0,.,1,70", "RATE"),
    ("1,0.5,5,-2,0,1,1,0,0,0,.,1,70", "DUR"),
    ("1,0.5,5,0,0,1,1,0,3,0,.,1,70", "II"),
    ("1,0.5,5,0,0,1,1,1,1.5,0,.,1,70", "ADDL"),
    ("1,0.5,5,0,0,1,1,1,1,1,.,1,70", "SS"),
    ("1,0.5,5,0,0,0,2,0,0,0,1,0,70", "AMT"),
    ("1,0.5,5,0,0,1,1,0,0,0,.,0,70", "MDV"),
    ("1,0.2,0,0,0,0,2,0,0,0,1,0,70", "TIME"),
    ("1,,0,0,0,0,2,0,0,0,1,0,70", "TIME"),
    ("1,2,0,0,0,0,2,0,0,0,1,0,heavy", "WT"),
])
def test_nm_tran_checks_name_file_row_item(tmp_path, line, field):
    path = tmp_path / "d.csv"
    path.write_text(HEADER + "\n".join(GOOD) + "\n" + line + "\n")
    with pytest.raises(DataError) as info:
        read_nonmem(path, compartments=CMTS)
    err = info.value
    assert (err.file, err.row, err.field) == (str(path), 3, field)
    assert f"row 3, field '{field}'" in str(err)


def test_reset_may_go_back_in_time_and_ids_must_be_contiguous(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(HEADER + "\n".join(GOOD) + "\n1,0,0,0,0,3,0,0,0,0,.,1,70\n"
                    "2,0,0,0,0,0,2,0,0,0,1,0,70\n1,5,0,0,0,0,2,0,0,0,1,0,70\n")
    with pytest.raises(DataError, match="contiguous") as info:
        read_nonmem(path)
    assert info.value.row == 5 and info.value.field == "ID"


def test_modeled_rate_only_where_declared(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(HEADER + "1,0,100,-1,0,1,1,0,0,0,.,1,70\n")
    assert read_nonmem(path, compartments=CMTS, modeled_rate_cmts=["dosing"]).rows_read == 1


def test_missing_required_column():
    with pytest.raises(DataError) as info:
        read_nonmem(pd.DataFrame({"ID": [1], "TIME": [0], "AMT": [0], "EVID": [0],
                                  "CMT": [1], "DV": [1]}))
    assert info.value.field == "MDV"


def test_lenient_counts_reconcile(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(HEADER + "\n".join(GOOD) + "\n1,0.5,0,0,0,0,2,0,0,0,x,0,70\n"
                    "# a comment row\n1,2,0,0,0,9,2,0,0,0,1,0,70\n1,3,0,0,0,0,2,0,0,0,1,0,70\n")
    ds = read_nonmem(path, lenient=True)
    assert (ds.rows_read, ds.rows_accepted, len(ds.rejected)) == (5, 3, 2)
    assert ds.rejected["row"].tolist() == [3, 4]


def test_nonmem_to_timelines():
    ds = read_nonmem(FIXTURES / "chemo_pk_pd.csv", compartments=CMTS)
    report = nonmem_to_timelines(ds, {2: "anc"})
    assert report.rows_read == 5 == report.rows_accepted
    assert report.timeline("1").series("anc").to_dict() == {0.5: 4.1, 7.0: 0.4, 14.0: 1.8}
    with pytest.raises(DataError, match="no analyte") as info:
        nonmem_to_timelines(ds, {1: "anc"})
    assert info.value.field == "CMT"
    cells = nonmem_to_timelines(ds, {2: "anc"}, units={2: "cells/uL"})
    assert cells.timeline("2").series("anc").iloc[0] == pytest.approx(0.003)


# --- property-based -------------------------------------------------------------------

FLOATS = st.floats(0, 1e6, allow_nan=False)


@st.composite
def datasets(draw):
    rows = []
    for pid in range(1, draw(st.integers(1, 4)) + 1):
        t = 0.0
        for _ in range(draw(st.integers(1, 5))):
            t += draw(st.floats(0, 50, allow_nan=False))
            evid = draw(st.sampled_from([0, 1, 2]))
            addl = draw(st.integers(0, 3)) if evid == 1 else 0
            rows.append({
                "ID": pid, "TIME": t, "AMT": draw(st.floats(0.1, 1e4)) if evid == 1 else 0.0,
                "RATE": draw(st.sampled_from([0.0, 5.0])) if evid == 1 else 0.0,
                "EVID": evid, "CMT": draw(st.integers(1, 2)),
                "II": draw(st.floats(0.5, 30)) if addl else 0.0, "ADDL": addl,
                "DV": draw(FLOATS) if evid == 0 else np.nan, "MDV": 0 if evid == 0 else 1,
                "WT": draw(st.none() | FLOATS),
            })
    return pd.DataFrame(rows)


@SETTINGS
@given(datasets())
def test_random_datasets_round_trip(tmp_path, df):
    ds = read_nonmem(df, compartments=CMTS)
    again = read_nonmem(write_nonmem(ds, tmp_path / "rt.csv"), compartments=CMTS)
    assert again.equals(ds)
    assert again.rows_read == len(df)


CELL = st.one_of(st.just("."), st.just(""), st.text(max_size=4),
                 st.integers(-3, 5).map(str), st.floats(-10, 10).map(repr))


@SETTINGS
@given(st.lists(st.lists(CELL, min_size=13, max_size=13), min_size=1, max_size=8))
def test_garbage_rows_are_typed_errors_or_rejections(tmp_path, rows):
    path = tmp_path / "g.csv"
    path.write_text(HEADER + "\n".join(",".join(c.replace(",", "").replace("\n", "")
                                                for c in r) for r in rows) + "\n")
    try:
        ds = read_nonmem(path, lenient=True)
    except DataError as exc:  # file-level (unreadable table)
        assert exc.file == str(path)
        return
    assert ds.rows_read == ds.rows_accepted + len(ds.rejected)
    for _, rej in ds.rejected.iterrows():
        assert rej["row"] >= 1 and rej["field"] and rej["reason"]
