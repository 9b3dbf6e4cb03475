"""Tidy CSV and mapped (Michor-like) CSV: reading, errors, lenient mode, round trips."""

import csv
import io
from pathlib import Path

import pytest
from data_strategies import DATES, NAIVE_DATETIMES, cohorts, observations, timelines
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hematwin.data import read_csv, read_michor_like, write_csv
from hematwin.data.csv_io import CSV_COLUMNS, ColumnMapping, read_mapped_csv
from hematwin.errors import DataError, UnitError

FIXTURES = Path(__file__).parent / "fixtures"
MICHOR = Path(__file__).parents[2] / ".." / "shared" / "data" / "cml" / "michor.csv"
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def _write(tmp_path, rows, name="in.csv"):
    path = tmp_path / name
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
        w.writeheader()
        for r in rows:
            w.writerow({k: r.get(k, "") for k in CSV_COLUMNS})
    return path


def _obs(**kw):
    row = {"patient_id": "P", "record_type": "observation", "analyte": "anc", "value": "1.0",
           "unit": "10^9/L", "day": "1"}
    row.update(kw)
    return row


def test_fixture_reads_with_units_converted():
    report = read_csv(FIXTURES / "aml_hsct.csv")
    assert report.rows_read == report.rows_accepted == 16
    t = report.timeline("P01")
    assert t.reference_event == "HSCT day 0"
    anc = t.series("anc")
    assert anc.to_dict() == {5.0: 0.1, 10.0: 0.3, 14.0: 0.6}
    assert t.observations[0].censor == "<"
    assert t.series("temperature").iloc[0] == pytest.approx(38.5)
    assert t.series("hemoglobin").iloc[0] == pytest.approx(4.9 / 0.6206)
    assert t.hsct.cd34_per_kg == 5.2e6 and t.hsct.donor == "matched_unrelated"
    assert t.transfusion_days("platelets") == [6.0]
    assert t.chimerism[0].lineage == "cd3" and t.chimerism[0].censor == ">"
    assert t.marrow[0].blasts_censor == "<"
    assert t.observations[0].source.row > 0


def test_fixture_round_trip_is_lossless(tmp_path):
    first = read_csv(FIXTURES / "aml_hsct.csv").timelines
    second = read_csv(write_csv(first, tmp_path / "out.csv")).timelines
    assert second == first


@pytest.mark.parametrize(("row", "field", "error"), [
    (_obs(analyte="ferritin"), "analyte", DataError),
    (_obs(unit="mg/dL"), "unit", UnitError),
    (_obs(value="abc"), "value", DataError),
    (_obs(value="-0.5"), "value", DataError),
    (_obs(day="", date="2023-02-30"), "date", DataError),
    (_obs(value="<=0.1"), "value", DataError),
    (_obs(record_type="lab"), "record_type", DataError),
    (_obs(drug="aspirin"), "drug", DataError),
    (_obs(day=""), "day", DataError),
])
def test_bad_row_raises_naming_file_row_field(tmp_path, row, field, error):
    path = _write(tmp_path, [_obs(day="0"), row])
    with pytest.raises(error) as info:
        read_csv(path)
    err = info.value
    assert err.file == str(path) and err.row == 2
    if field != "day":
        assert err.field == field
    assert str(path) in str(err) and "row 2" in str(err)


def test_duplicate_observation_is_rejected_naming_first_row(tmp_path):
    path = _write(tmp_path, [_obs(), _obs(value="2")])
    with pytest.raises(DataError, match="already given at row 1") as info:
        read_csv(path)
    assert info.value.row == 2


def test_lenient_keeps_going_and_counts_reconcile(tmp_path):
    rows = [_obs(day="0"), _obs(analyte="ferritin"), _obs(unit="furlong", day="2"),
            _obs(day="3", value="-1"), _obs(day="0", value="5"), _obs(day="4", value="x"),
            _obs(day="5", date="2024-13-01"), _obs(day="6")]
    report = read_csv(_write(tmp_path, rows), lenient=True)
    assert report.rows_read == 8
    assert report.rows_accepted == 2 and report.rows_rejected == 6
    assert report.rows_read == report.rows_accepted + report.rows_rejected
    assert list(report.rejected["row"]) == [2, 3, 4, 6, 7, 5]
    assert set(report.rejected.columns) == {"file", "row", "field", "reason", "raw"}
    assert report.timeline("P").series("anc").to_dict() == {0.0: 1.0, 6.0: 1.0}
    out = report.write_rejected(tmp_path / "rejected.csv")
    assert out.read_text().count("\n") == 7


def test_unknown_column_is_refused(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("patient_id,record_type,colour\nP,patient,red\n")
    with pytest.raises(DataError) as info:
        read_csv(path)
    assert info.value.field == "colour"


def test_michor_reads_68_patients():
    report = read_michor_like(MICHOR)
    assert report.rows_read == report.rows_accepted == 435
    assert len(report) == 68
    first = report.timeline("1").series("bcr_abl1_is_pct")
    assert first.iloc[0] == 100.0 and first.index[1] == pytest.approx(29.333)
    assert report.timeline("1").reference_event == "start of imatinib"


def test_mapped_csv_with_censor_column_and_months(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("Months,Prct,Pt,UL\n1,2.5,1,0\n2,0.01,1,1\n")
    mapping = ColumnMapping(patient="Pt", time="Months", value="Prct",
                            analyte="bcr_abl1_is_pct", unit="%", time_unit="month", censor="UL")
    t = read_mapped_csv(path, mapping).timeline("1")
    assert t.observations[1].censor == "<"
    assert t.observations[1].day == pytest.approx(2 * 365.25 / 12)


def test_mapped_csv_refuses_unmapped_columns(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("Days,Prct,Pt,DOSE\n0,50,1,400\n")
    with pytest.raises(DataError) as info:
        read_michor_like(path)
    assert info.value.field == "DOSE"
    assert len(read_michor_like(path, ignore=("DOSE",))) == 1


def test_mapped_csv_lenient(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("Days,Prct,Pt\n0,50,1\nx,3,1\n5,-2,1\n5,3,1\n5,4,1\n")
    report = read_michor_like(path, lenient=True)
    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (5, 2, 3)


# --- property-based -------------------------------------------------------------------

ANY_TIMELINES = cohorts(timelines(observations(dates=DATES | NAIVE_DATETIMES)))


@SETTINGS
@given(ANY_TIMELINES)
def test_random_timelines_round_trip(tmp_path, cohort):
    path = write_csv(cohort, tmp_path / "rt.csv")
    report = read_csv(path)
    assert report.timelines == cohort
    again = read_csv(write_csv(report.timelines, tmp_path / "rt2.csv"))
    assert again.timelines == report.timelines


GARBAGE = st.fixed_dictionaries({c: st.one_of(st.just(""), st.text(max_size=8))
                                 for c in ("record_type", "analyte", "value", "unit", "day",
                                           "date", "lln")})


@SETTINGS
@given(st.lists(GARBAGE, min_size=1, max_size=6), st.lists(observations(
    dates=DATES), max_size=3))
def test_garbage_rows_are_rejected_never_crash(tmp_path, garbage, good):
    rows = []
    for i, g in enumerate(garbage):
        rows.append({"patient_id": f"G{i}", **g})
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_COLUMNS)
    w.writeheader()
    for r in rows:
        w.writerow({k: r.get(k, "") for k in CSV_COLUMNS})
    path = tmp_path / "g.csv"
    path.write_text(buf.getvalue(), newline="")
    try:
        report = read_csv(path, lenient=True)
    except DataError as exc:  # a file-level problem (e.g. a garbage header) is typed
        assert exc.file == str(path)
        return
    assert report.rows_read == report.rows_accepted + report.rows_rejected
    accepted_records = sum(len(t.records()) for t in report.timelines)
    assert accepted_records == report.rows_accepted
    for _, rej in report.rejected.iterrows():
        assert rej["file"] == str(path) and rej["row"] >= 1 and rej["reason"]
    with pytest.raises((DataError,)) if report.rows_rejected else _nothing():
        read_csv(path)


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
