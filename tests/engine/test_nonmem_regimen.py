"""NONMEM records ⇄ regimens (``hematwin.therapy.nonmem``)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from engine_models import model, onecpt_spec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hematwin.data.nonmem import read_nonmem, write_nonmem
from hematwin.errors import RegimenError
from hematwin.therapy.nonmem import PatientRegimen, regimen_to_nonmem, regimens_from_nonmem
from hematwin.therapy.regimen import Covariate, Dose, Regimen, Replace, Reset

SPEC = onecpt_spec()  # states x, e; parameters k, amp, w, q, x0, ke
NAN = math.nan


def records(rows: list[tuple], covariates: dict[str, list] | None = None) -> pd.DataFrame:
    """Rows of (ID, TIME, AMT, RATE, DUR, EVID, CMT, II, ADDL, DV, MDV)."""
    columns = ["ID", "TIME", "AMT", "RATE", "DUR", "EVID", "CMT", "II", "ADDL", "DV", "MDV"]
    frame = pd.DataFrame(rows, columns=columns)
    for name, values in (covariates or {}).items():
        frame[name] = values
    return frame


def dose_rows():
    return [
        (1, 0.0, 10.0, 0, 0, 1, 1, 0, 0, NAN, 1),      # bolus into x
        (1, 0.0, 0, 0, 0, 0, 1, 0, 0, 10.0, 0),        # observation at the dose time
        (1, 1.0, 6.0, 4.0, 0, 1, 1, 0, 0, NAN, 1),     # infusion by rate
        (1, 2.0, 3.0, -2, 0.5, 1, 2, 0, 0, NAN, 1),    # infusion by duration into e
        (1, 3.0, 2.0, 0, 0, 1, 1, 1.0, 2, NAN, 1),     # II/ADDL
        (1, 4.5, 0, 0, 0, 3, 0, 0, 0, NAN, 1),         # reset
        (1, 5.0, 0, 0, 0, 0, 1, 0, 0, NAN, 1),         # prediction only (MDV 1)
        (1, 6.0, 5.0, 0, 0, 4, 1, 0, 0, NAN, 1),       # reset and dose
        (1, 7.0, 0, 0, 0, 0, 1, 0, 0, 2.5, 0),
        (2, 0.5, 1.0, 0, 0, 1, 2, 0, 0, NAN, 1),
        (2, 1.0, 0, 0, 0, 0, 2, 0, 0, 0.3, 0),
    ]


def test_every_record_kind_becomes_its_item():
    out = regimens_from_nonmem(read_nonmem(records(dose_rows())), SPEC)
    assert list(out) == [1, 2]
    one = out[1]
    assert isinstance(one, PatientRegimen) and one.id == 1
    assert one.regimen.items == (
        Dose(0.0, 10.0, "x"),
        Dose(1.0, 6.0, "x", rate=4.0),
        Dose(2.0, 3.0, "e", duration=0.5),
        Dose(3.0, 2.0, "x", ii=1.0, addl=2),
        Reset(4.5),
        Dose(6.0, 5.0, "x", reset=True),
    )
    np.testing.assert_array_equal(one.observation_times, [0.0, 5.0, 7.0])
    np.testing.assert_array_equal(one.dv, [10.0, NAN, 2.5])
    assert one.observations["row"].tolist() == [2, 7, 9]
    assert one.observations["pre_event"].tolist() == [False, False, False]
    assert out[2].regimen.items == (Dose(0.5, 1.0, "e"),)
    assert out[2].observations["CMT"].tolist() == [2]
    assert one.covariates.columns.tolist() == ["row", "TIME"]


def test_compartment_names():
    frame = records([(1, 0.0, 10.0, 0, 0, 1, "effect", 0, 0, NAN, 1),
                     (1, 1.0, 0, 0, 0, 0, "central", 0, 0, 1.0, 0)])
    ds = read_nonmem(frame, compartments=["central", "effect"])
    with pytest.raises(RegimenError) as info:
        regimens_from_nonmem(ds, SPEC)  # the dataset's names are not the model's states
    assert "'effect'" in str(info.value) and "ID 1" in str(info.value)
    assert info.value.row == 1 and info.value.field == "CMT"
    ds = read_nonmem(frame.replace({"effect": "e", "central": "x"}), compartments=["x", "e"])
    assert regimens_from_nonmem(ds, SPEC)[1].regimen.items == (Dose(0.0, 10.0, "e"),)
    # dataset compartments in another order than the model's states
    ds = read_nonmem(frame.replace({"effect": "e", "central": "x"}), compartments=["e", "x"])
    assert regimens_from_nonmem(ds, SPEC)[1].regimen.items == (Dose(0.0, 10.0, "e"),)


def test_unknown_compartment_number_names_id_row_and_item():
    frame = records([(1, 0.0, 1.0, 0, 0, 1, 1, 0, 0, NAN, 1),
                     (4, 0.0, 1.0, 0, 0, 1, 1, 0, 0, NAN, 1),
                     (4, 1.0, 1.0, 0, 0, 1, 3, 0, 0, NAN, 1)])
    with pytest.raises(RegimenError) as info:
        regimens_from_nonmem(read_nonmem(frame, compartments=None), SPEC)
    assert info.value.row == 3 and info.value.field == "CMT"
    assert "ID 4" in str(info.value) and "CMT 3" in str(info.value)


def test_parameter_covariates_become_locf_items_and_others_are_kept():
    rows = [
        (1, 0.5, 0, 0, 0, 0, 1, 0, 0, 1.0, 0),
        (1, 1.0, 5.0, 0, 0, 1, 1, 0, 0, NAN, 1),
        (1, 2.0, 0, 0, 0, 2, 0, 0, 0, NAN, 1),
        (1, 3.0, 0, 0, 0, 0, 1, 0, 0, 2.0, 0),
        (1, 4.0, 0, 0, 0, 0, 1, 0, 0, 2.0, 0),
    ]
    covs = {"k": [0.5, 0.5, 0.25, NAN, 0.4], "WT": [70.0, 70.0, 71.0, 72.0, NAN]}
    out = regimens_from_nonmem(read_nonmem(records(rows, covs)), SPEC)[1]
    assert out.parameter_covariates == ("k",)
    assert out.regimen.items == (
        Covariate(0.0, "k", 0.5),  # the first value applies from t0
        Dose(1.0, 5.0, "x"),
        Covariate(2.0, "k", 0.25),  # at the record where it changes; '.' carries forward
        Covariate(4.0, "k", 0.4),
    )
    assert out.covariates.columns.tolist() == ["row", "TIME", "WT"]
    np.testing.assert_array_equal(out.covariates["WT"], [70.0, 70.0, 71.0, 72.0, NAN])
    np.testing.assert_array_equal(out.covariates["TIME"], [0.5, 1.0, 2.0, 3.0, 4.0])


def test_covariate_change_on_a_reset_dose_record_comes_first():
    rows = [(1, 0.0, 1.0, 0, 0, 1, 1, 0, 0, NAN, 1), (1, 2.0, 1.0, 0, 0, 4, 1, 0, 0, NAN, 1)]
    out = regimens_from_nonmem(read_nonmem(records(rows, {"x0": [0.0, 3.0]})), SPEC)[1]
    assert out.regimen.items[-2:] == (Covariate(2.0, "x0", 3.0),
                                      Dose(2.0, 1.0, "x", reset=True))


def test_missing_first_covariate_value():
    rows = [(1, 0.0, 1.0, 0, 0, 1, 1, 0, 0, NAN, 1), (1, 1.0, 0, 0, 0, 0, 1, 0, 0, 1.0, 0)]
    with pytest.raises(RegimenError, match="first value of parameter covariate 'k'") as info:
        regimens_from_nonmem(read_nonmem(records(rows, {"k": [NAN, 1.0]})), SPEC)
    assert info.value.field == "k" and info.value.row == 1


def test_observation_before_a_dose_of_the_same_time_is_marked():
    rows = [(1, 0.0, 0, 0, 0, 0, 1, 0, 0, 0.0, 0), (1, 0.0, 1.0, 0, 0, 1, 1, 0, 0, NAN, 1),
            (1, 0.0, 0, 0, 0, 0, 1, 0, 0, 1.0, 0), (1, 1.0, 0, 0, 0, 0, 1, 0, 0, 0.4, 0),
            (1, 2.0, 0, 0, 0, 0, 1, 0, 0, 0.1, 0), (1, 2.0, 0, 0, 0, 3, 0, 0, 0, NAN, 1)]
    out = regimens_from_nonmem(read_nonmem(records(rows)), SPEC)[1]
    assert out.observations["pre_event"].tolist() == [True, False, False, True]


def test_time_going_back_at_a_reset_is_refused():
    rows = [(1, 0.0, 1.0, 0, 0, 1, 1, 0, 0, NAN, 1), (1, 3.0, 0, 0, 0, 0, 1, 0, 0, 1.0, 0),
            (1, 0.0, 0, 0, 0, 3, 0, 0, 0, NAN, 1)]
    with pytest.raises(RegimenError, match="goes back in time") as info:
        regimens_from_nonmem(read_nonmem(records(rows)), SPEC)
    assert info.value.row == 3 and info.value.field == "TIME"


def test_modelled_rate_is_refused():
    rows = [(1, 0.0, 1.0, -1, 0, 1, 1, 0, 0, NAN, 1)]
    ds = read_nonmem(records(rows), modeled_rate_cmts=[1])
    with pytest.raises(RegimenError, match="RATE -1") as info:
        regimens_from_nonmem(ds, SPEC)
    assert info.value.field == "RATE" and info.value.row == 1


def test_record_before_t0():
    rows = [(1, 0.0, 1.0, 0, 0, 1, 1, 0, 0, NAN, 1)]
    with pytest.raises(RegimenError, match="before the start of the simulation") as info:
        regimens_from_nonmem(read_nonmem(records(rows)), SPEC, t0=1.0)
    assert info.value.field == "TIME"


def test_rows_are_numbered_as_in_the_file_after_rejections(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(
        "ID,TIME,AMT,RATE,EVID,CMT,II,ADDL,DV,MDV\n"
        "1,0,10,0,1,1,0,0,.,1\n"
        "1,1,-5,0,1,1,0,0,.,1\n"   # rejected by the reader: negative AMT
        "1,2,1,0,1,9,0,0,.,1\n"    # accepted by the reader (no compartments), CMT 9 unknown
    )
    ds = read_nonmem(path, lenient=True)
    assert len(ds.rejected) == 1
    with pytest.raises(RegimenError) as info:
        regimens_from_nonmem(ds, SPEC)
    assert info.value.row == 3 and info.value.file == str(path)
    assert str(path) in str(info.value)


def test_hours_to_days():
    rows = [(1, 12.0, 6.0, 2.0, 0, 1, 1, 24.0, 1, NAN, 1), (1, 48.0, 0, 0, 0, 0, 1, 0, 0, 1, 0)]
    out = regimens_from_nonmem(read_nonmem(records(rows)), SPEC, time_unit="hour")[1]
    assert out.regimen.items == (Dose(0.5, 6.0, "x", rate=48.0, ii=1.0, addl=1),)
    assert out.observation_times.tolist() == [2.0]
    with pytest.raises(RegimenError, match="cannot convert dataset time unit 'week'"):
        regimens_from_nonmem(read_nonmem(records(rows)), SPEC, time_unit="week")


def test_nonmem_regimen_simulates_like_the_closed_form():
    k = 0.8
    rows = [(1, 0.0, 10.0, 0, 0, 1, 1, 0, 0, NAN, 1), (1, 1.0, 4.0, -2, 2.0, 1, 1, 0, 0, NAN, 1),
            (1, 2.0, 0, 0, 0, 0, 1, 0, 0, 1.0, 0), (1, 4.0, 0, 0, 0, 0, 1, 0, 0, 1.0, 0)]
    patient = regimens_from_nonmem(read_nonmem(records(rows, {"k": [k] * 4})), SPEC)[1]
    times = patient.observation_times
    res = model("onecpt").simulate(regimen=patient.regimen, times=times, record=["x"],
                                   t0=0.0, rtol=1e-10, atol=1e-12)
    r = 2.0
    expected = 10 * np.exp(-k * times) + np.where(
        times < 3.0, r / k * (1 - np.exp(-k * (times - 1))),
        r / k * (1 - np.exp(-2 * k)) * np.exp(-k * (times - 3)))
    np.testing.assert_allclose(res["x"][0], expected, rtol=1e-7)


# --- writing and round trips -------------------------------------------------------------


def test_round_trip_of_the_records():
    ds = read_nonmem(records(dose_rows()))
    out = regimens_from_nonmem(ds, SPEC)
    frame = regimen_to_nonmem(out, SPEC)
    back = regimens_from_nonmem(read_nonmem(frame), SPEC)
    for pid in out:
        assert back[pid].regimen.items == out[pid].regimen.items
        pd.testing.assert_frame_equal(
            back[pid].observations.drop(columns="row").reset_index(drop=True),
            out[pid].observations.drop(columns="row").reset_index(drop=True))


def test_round_trip_through_a_csv_file(tmp_path):
    regimens = {3: Regimen([Covariate(0.0, "k", 0.6), Dose(0.0, 10.0, "x", ii=7.0, addl=3),
                            Dose(1.0, 2.0, "e", duration=0.25), Covariate(10.5, "k", 0.4),
                            Reset(20.0), Dose(22.0, 1.0, "x", rate=2.0, reset=True)]),
                 5: Regimen([Dose(0.0, 5.0, 1)])}
    frame = regimen_to_nonmem(regimens, SPEC, {3: [0.0, 1.0, 14.0], 5: [2.0]},
                              dv={3: [10.0, 5.0, NAN]})
    assert frame.columns.tolist()[-1] == "k"
    assert frame["EVID"].tolist() == [1, 0, 1, 0, 2, 0, 3, 4, 1, 0]
    assert frame["TIME"].tolist() == [0.0, 0.0, 1.0, 1.0, 10.5, 14.0, 20.0, 22.0, 0.0, 2.0]
    assert frame["MDV"].tolist() == [1, 0, 1, 0, 1, 1, 1, 1, 1, 1]
    assert frame.loc[frame["ID"] == 5, "k"].tolist() == [1.0, 1.0]  # model default
    ds = read_nonmem(write_nonmem(read_nonmem(frame), tmp_path / "r.csv"))
    back = regimens_from_nonmem(ds, SPEC)
    assert back[3].regimen.items == (
        Covariate(0.0, "k", 0.6), Dose(0.0, 10.0, "x", ii=7.0, addl=3),
        Dose(1.0, 2.0, "e", duration=0.25), Covariate(10.5, "k", 0.4), Reset(20.0),
        Dose(22.0, 1.0, "x", rate=2.0, reset=True))
    assert back[5].regimen.items == (Covariate(0.0, "k", 1.0), Dose(0.0, 5.0, "x"))
    np.testing.assert_array_equal(back[3].dv, [10.0, 5.0, NAN])
    np.testing.assert_array_equal(back[5].observation_times, [2.0])


def test_writer_refuses_what_nonmem_cannot_say():
    with pytest.raises(RegimenError, match="ID 1: regimen item 1.*replacement"):
        regimen_to_nonmem([Regimen([Dose(0, 1, "x"), Replace(1.0, "x", 0.0)])], SPEC)
    with pytest.raises(RegimenError, match="needs AMT > 0") as info:
        regimen_to_nonmem({9: Regimen([Dose(0, 0.0, "x")])}, SPEC)
    assert "ID 9" in str(info.value)
    with pytest.raises(RegimenError, match="'WT' is not a parameter"):
        regimen_to_nonmem([Regimen([Covariate(0, "WT", 70.0)])], SPEC)
    with pytest.raises(RegimenError, match="no state 'A1'"):
        regimen_to_nonmem([Regimen([Dose(0, 1.0, "A1")])], SPEC)
    with pytest.raises(RegimenError, match="2 DVs for 1 observation times"):
        regimen_to_nonmem({1: Regimen()}, SPEC, {1: [0.0]}, dv={1: [1.0, 2.0]})


_times = st.sampled_from([0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.5])
_doses = st.builds(
    lambda t, amt, kind, value, cmt, addl: Dose(
        t, amt, cmt, rate=value if kind == "rate" else 0.0,
        duration=value if kind == "duration" else 0.0, ii=1.25 if addl else 0.0, addl=addl,
        reset=kind == "reset"),
    _times, st.floats(0.5, 20.0), st.sampled_from(["bolus", "rate", "duration", "reset"]),
    st.sampled_from([0.25, 1.0, 4.0]), st.sampled_from(["x", "e"]), st.integers(0, 2))
_items = st.one_of(_doses, st.builds(Reset, _times),
                   st.builds(lambda t, v: Covariate(t, "k", v), _times,
                             st.sampled_from([0.2, 0.5, 1.5])))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_items, min_size=1, max_size=6))
def test_round_trip_simulates_identically(items):
    """regimen → records → regimen gives the same trajectories (event order at equal times
    is NONMEM record order, so the items are first put in time order). A covariate item
    that repeats the current value has no record of its own, so the integration may be
    split differently: the comparison is at the solver's accuracy."""
    regimen = Regimen(sorted(items, key=lambda it: it.time))
    times = np.linspace(0.0, 6.0, 25)
    frame = regimen_to_nonmem([regimen], SPEC, times)
    back = regimens_from_nonmem(read_nonmem(frame), SPEC)[1]
    np.testing.assert_array_equal(back.observation_times, times)
    m = model("onecpt")
    kwargs = dict(times=times, record=["x", "e"], params={"x0": 1.0}, rtol=1e-10, atol=1e-12)
    a = m.simulate(regimen=regimen, **kwargs)
    b = m.simulate(regimen=back.regimen, **kwargs)
    np.testing.assert_allclose(b.values, a.values, rtol=1e-7, atol=1e-9)
