"""FHIR R4B bundles: LOINC mapping, errors, lenient mode, round trips."""

import copy
import json
from pathlib import Path

import pytest
from data_strategies import DATES, UTC_DATETIMES, cohorts, observations, timelines
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hematwin.data import read_csv, read_fhir, to_bundle, write_fhir
from hematwin.data.fhir import LOINC, LOINC_FOR
from hematwin.errors import DataError, UnitError

FIXTURES = Path(__file__).parent / "fixtures"
SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def _bundle(tmp_path):
    timelines = read_csv(FIXTURES / "aml_hsct.csv").timelines
    path = write_fhir(timelines, tmp_path / "b.json")
    return timelines, path, json.loads(path.read_text())


def test_round_trip_of_fixture(tmp_path):
    timelines, path, bundle = _bundle(tmp_path)
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert kinds == {"Patient", "Observation", "Procedure", "MedicationAdministration"}
    report = read_fhir(path)
    assert report.timelines == timelines
    assert report.rows_read == len(bundle["entry"]) == report.rows_accepted


def test_written_codes_and_units(tmp_path):
    _t, _p, bundle = _bundle(tmp_path)
    anc = [e["resource"] for e in bundle["entry"]
           if e["resource"].get("code", {}).get("coding", [{}])[0].get("code") == "751-8"]
    assert anc and anc[0]["valueQuantity"]["code"] == "10*9/L"
    assert anc[0]["valueQuantity"]["comparator"] == "<"
    assert anc[0]["referenceRange"][0]["low"]["value"] == 1.5


def test_every_loinc_code_reads_to_its_analyte():
    for _code, (analyte, _meaning) in LOINC.items():
        assert LOINC[LOINC_FOR[analyte]][0] == analyte
    assert LOINC["26446-5"][0] == "blasts_blood_pct"  # a percentage, not a count
    assert LOINC["30376-8"][0] == "blasts_blood"


def _with_entry(tmp_path, change):
    _t, _p, bundle = _bundle(tmp_path)
    bad = copy.deepcopy(bundle)
    index = next(i for i, e in enumerate(bad["entry"])
                 if e["resource"]["resourceType"] == "Observation")
    change(bad["entry"][index]["resource"])
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    return path, index + 1, len(bad["entry"])


def _set_code(res, code="99999-9"):
    res["code"]["coding"][0]["code"] = code


@pytest.mark.parametrize(("change", "field", "error"), [
    (_set_code, "code", DataError),
    (lambda r: r["valueQuantity"].update(code="mg/dL", unit="mg/dL"), "valueQuantity.unit",
     UnitError),
    (lambda r: r.update(effectiveDateTime="2024-02-30"), "effectiveDateTime", DataError),
    (lambda r: r["valueQuantity"].update(value=-3), "valueQuantity", DataError),
    (lambda r: r["valueQuantity"].update(comparator="<="), "valueQuantity.comparator",
     DataError),
])
def test_bad_entry_raises_naming_file_entry_field(tmp_path, change, field, error):
    path, row, _n = _with_entry(tmp_path, change)
    with pytest.raises(error) as info:
        read_fhir(path)
    assert (info.value.file, info.value.row, info.value.field) == (str(path), row, field)


def test_unknown_loinc_lenient(tmp_path):
    path, row, n = _with_entry(tmp_path, _set_code)
    report = read_fhir(path, lenient=True)
    assert report.rows_read == n == report.rows_accepted + report.rows_rejected
    assert report.rejected["row"].tolist() == [row]
    assert "unknown LOINC code '99999-9'" in report.rejected["reason"].iloc[0]


def test_duplicate_observation_entry_rejected(tmp_path):
    _t, _p, bundle = _bundle(tmp_path)
    obs = next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation")
    bundle["entry"].append(copy.deepcopy(obs))
    path = tmp_path / "dup.json"
    path.write_text(json.dumps(bundle))
    with pytest.raises(DataError, match="duplicate"):
        read_fhir(path)


def test_naive_datetime_cannot_be_written():
    import datetime as dt

    from hematwin.data import Observation, Timeline
    t = Timeline(patient_id="P", observations=[
        Observation(analyte="wbc", value=1, date=dt.datetime(2024, 1, 1, 8, 0))])
    with pytest.raises(DataError, match="UTC offset"):
        to_bundle(t)


def test_not_a_bundle(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"resourceType": "Patient"}')
    with pytest.raises(DataError) as info:
        read_fhir(path)
    assert info.value.field == "resourceType"


@SETTINGS
@given(cohorts(timelines(observations(dates=DATES | UTC_DATETIMES))))
def test_random_timelines_round_trip(tmp_path, cohort):
    path = write_fhir(cohort, tmp_path / "rt.json")
    assert read_fhir(path).timelines == cohort


JUNK = st.recursive(st.none() | st.booleans() | st.floats(allow_nan=False) | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                        st.sampled_from(["resourceType", "code", "valueQuantity", "subject",
                                         "value", "coding", "system"]), inner, max_size=3),
                    max_leaves=8)


@SETTINGS
@given(st.lists(JUNK | st.fixed_dictionaries({"resource": JUNK}), min_size=1, max_size=5))
def test_garbage_entries_are_rejected_never_crash(tmp_path, entries):
    path = tmp_path / "g.json"
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                "entry": entries}))
    report = read_fhir(path, lenient=True)
    assert report.rows_read == len(entries) == report.rows_accepted + report.rows_rejected
