"""CDISC SDTM LB: study days, censored results, errors, lenient mode, round trips."""

import datetime as dt
import io

import pandas as pd
import pytest
from data_strategies import DATES, NAIVE_DATETIMES, WHOLE_DAYS, cohorts, observations, timelines
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hematwin.data import Observation, Timeline, read_sdtm_lb, write_sdtm_lb
from hematwin.data.sdtm import LB_COLUMNS, TESTCD_FOR, day_from_lbdy, lbdy_from_day
from hematwin.errors import DataError, UnitError

SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
LB = """STUDYID,DOMAIN,USUBJID,LBSEQ,LBTESTCD,LBTEST,LBORRES,LBORRESU,LBORNRLO,LBORNRHI,\
LBSTRESC,LBSTRESN,LBSTRESU,LBSPEC,LBDTC,LBDY
S1,LB,S1-001,1,NEUT,Neutrophils,1200,cells/uL,1800,7500,1.2,1.2,10^9/L,BLOOD,2024-01-05,5
S1,LB,S1-001,2,NEUT,Neutrophils,<100,cells/uL,1800,7500,<0.1,,10^9/L,BLOOD,2024-01-06,6
S1,LB,S1-001,3,HGB,Hemoglobin,5.0,mmol/L,,,5.0,5.0,mmol/L,,2024-01-06T08:00,6
S1,LB,S1-001,4,PLAT,Platelets,9,10^9/L,150,400,9,9,10^9/L,BLOOD,,-2
"""


def _read(tmp_path, text):
    path = tmp_path / "lb.csv"
    path.write_text(text)
    return path


def test_study_day_has_no_day_zero():
    assert [lbdy_from_day(d) for d in (-2, -1, 0, 1)] == [-2, -1, 1, 2]
    assert [day_from_lbdy(d) for d in (-2, -1, 1, 2)] == [-2, -1, 0, 1]
    with pytest.raises(ValueError):
        day_from_lbdy(0)


def test_reads_lb(tmp_path):
    report = read_sdtm_lb(_read(tmp_path, LB),
                          reference_dates={"S1-001": dt.date(2024, 1, 1)})
    t = report.timeline("S1-001")
    assert t.reference_date == dt.date(2024, 1, 1)
    assert t.series("anc").to_dict() == {4.0: 1.2, 5.0: 0.1}
    assert t.observations[1].censor == "<"
    assert t.observations[0].lln == 1.8  # LBORNRLO in LBORRESU (cells/uL) -> 10^9/L
    assert t.series("hemoglobin").iloc[0] == pytest.approx(5.0 / 0.6206)
    assert t.series("platelets").index[0] == -2.0
    assert report.rows_read == 4 == report.rows_accepted


@pytest.mark.parametrize(("old", "new", "field", "error"), [
    ("4,PLAT", "4,FERR", "LBTESTCD", DataError),
    ("9,9,10^9/L,BLOOD", "9,9,g/L,BLOOD", "LBSTRESU", UnitError),
    (",-2\n", ",0\n", "LBDY", DataError),
    ("9,9,10^9/L,BLOOD,", "9,8,10^9/L,BLOOD,", "LBSTRESN", DataError),
    ("BLOOD,,-2", "BLOOD,2024-02-30,-2", "LBDTC", DataError),
    ("9,9,10^9/L", "-9,-9,10^9/L", "LBSTRESC", DataError),
])
def test_bad_row_names_file_row_field(tmp_path, old, new, field, error):
    path = _read(tmp_path, LB.replace(old, new))
    with pytest.raises(error) as info:
        read_sdtm_lb(path)
    assert (info.value.file, info.value.row, info.value.field) == (str(path), 4, field)


def test_lenient_and_duplicates(tmp_path):
    text = LB + "S1,LB,S1-001,5,NEUT,Neutrophils,1,,,,1.0,1.0,10^9/L,BLOOD,,5\n"
    text += "S1,LB,S1-001,6,XYZ,X,1,,,,1.0,1.0,10^9/L,BLOOD,,9\n"
    report = read_sdtm_lb(_read(tmp_path, text), lenient=True)
    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (6, 4, 2)
    assert sorted(report.rejected["row"]) == [5, 6]


def test_writer_refuses_what_lb_cannot_hold(tmp_path):
    t = Timeline(patient_id="P", observations=[Observation(analyte="cd4", value=0.2, day=1)])
    with pytest.raises(DataError, match="LBTESTCD"):
        write_sdtm_lb(t, tmp_path / "x.csv")
    t = Timeline(patient_id="P", observations=[Observation(analyte="wbc", value=2, day=1.5)])
    with pytest.raises(DataError, match="whole days"):
        write_sdtm_lb(t, tmp_path / "x.csv")
    t = Timeline(patient_id="P", reference_event="HSCT")
    with pytest.raises(DataError, match="DM"):
        write_sdtm_lb(t, tmp_path / "x.csv")
    write_sdtm_lb(t, tmp_path / "x.csv", reference="omit")


def test_written_columns(tmp_path):
    t = Timeline(patient_id="P", observations=[
        Observation(analyte="anc", value=0.1, censor="<", day=0, lln=1.5)])
    frame = pd.read_csv(write_sdtm_lb(t, tmp_path / "lb.csv"), dtype=str,
                        keep_default_na=False)
    assert list(frame.columns) == LB_COLUMNS
    row = frame.iloc[0]
    assert (row["LBTESTCD"], row["LBSTRESC"], row["LBSTRESN"], row["LBDY"]) == (
        "NEUT", "<0.1", "", "1")


LB_OBS = observations(analytes=tuple(TESTCD_FOR), days=WHOLE_DAYS,
                      dates=DATES | NAIVE_DATETIMES)


@SETTINGS
@given(cohorts(timelines(LB_OBS, with_events=False, with_reference=False)))
def test_random_timelines_round_trip(tmp_path, cohort):
    path = write_sdtm_lb(cohort, tmp_path / "rt.csv")
    report = read_sdtm_lb(path)
    non_empty = [t for t in cohort if t.observations]
    assert report.timelines == non_empty


@SETTINGS
@given(st.lists(st.lists(st.text(max_size=6), min_size=6, max_size=6), min_size=1,
                max_size=6))
def test_garbage_rows_rejected_never_crash(tmp_path, rows):
    frame = pd.DataFrame(rows, columns=["USUBJID", "LBTESTCD", "LBSTRESC", "LBSTRESN",
                                        "LBSTRESU", "LBDY"])
    buf = io.StringIO()
    frame.to_csv(buf, index=False)
    path = tmp_path / "g.csv"
    path.write_text(buf.getvalue())
    try:
        report = read_sdtm_lb(path, lenient=True)
    except DataError as exc:
        assert exc.file == str(path)
        return
    assert report.rows_read == report.rows_accepted + report.rows_rejected
