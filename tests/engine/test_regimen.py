"""Regimen items, their checks, and their expansion into the engine's event table."""

from __future__ import annotations

import math

import numpy as np
import pytest
from engine_models import onecpt_spec

from hematwin.engine.events import (
    BOLUS,
    RATE_CHANGE,
    RESET,
    SET_PARAM,
    SET_STATE,
    EventTable,
)
from hematwin.errors import RegimenError
from hematwin.library import friberg2002
from hematwin.therapy.regimen import (
    Covariate,
    Dose,
    Regimen,
    Replace,
    Reset,
    events_for_batch,
)

SPEC = onecpt_spec()  # states x, e; parameters k, amp, w, q, x0, ke


def rows(table: EventTable) -> list[tuple]:
    return [(float(t), int(k), int(g), float(v)) for t, k, g, v in
            zip(table.time, table.kind, table.target, table.value, strict=True)]


# --- item checks -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        (dict(amount=-1.0), "amount"),
        (dict(amount=math.nan), "amount"),
        (dict(amount="ten"), "amount"),
        (dict(time=math.inf), "time"),
        (dict(rate=-2.0), "rate"),
        (dict(duration=-1.0), "duration"),
        (dict(rate=1.0, duration=1.0), "rate"),
        (dict(addl=-1, ii=1.0), "addl"),
        (dict(addl=1.5, ii=1.0), "addl"),
        (dict(addl=2), "ii"),
        (dict(addl=2, ii=0.0), "ii"),
        (dict(addl=2, ii=math.nan), "ii"),
    ],
)
def test_bad_dose_is_a_regimen_error_naming_the_field(kwargs, field):
    args = {"time": 1.0, "amount": 10.0, "cmt": "x", **kwargs}
    with pytest.raises(RegimenError) as info:
        Dose(**args)
    assert info.value.field == field
    assert "dose at time" in str(info.value)


def test_bad_other_items():
    with pytest.raises(RegimenError, match="time"):
        Reset(math.nan)
    with pytest.raises(RegimenError, match="value must be finite"):
        Replace(1.0, "x", math.inf)
    with pytest.raises(RegimenError, match="covariate 'k'.*value"):
        Covariate(1.0, "k", math.nan)
    with pytest.raises(RegimenError, match="item 1 is a str"):
        Regimen([Dose(0, 1, "x"), "dose"])
    with pytest.raises(RegimenError, match="cycles must be ≥ 1"):
        Regimen.cycles(Dose(0, 1, "x"), 0, 21)


def test_infusion_duration_and_times():
    assert Dose(0, 10, "x").infusion_duration == 0.0
    assert Dose(0, 10, "x", rate=4).infusion_duration == 2.5
    assert Dose(0, 10, "x", duration=0.5).infusion_duration == 0.5
    assert Dose(1, 10, "x", ii=2, addl=2).times() == [1.0, 3.0, 5.0]
    regimen = Regimen([Dose(4, 1, "x"), Dose(1, 1, "x", ii=2, addl=1)])
    assert regimen.dose_times() == [1.0, 3.0, 4.0]
    assert len(regimen + Regimen([Reset(2)])) == 3


# --- expansion ---------------------------------------------------------------------------


def test_expansion_of_every_item_kind():
    regimen = Regimen([
        Dose(0.0, 10.0, "x"),
        Dose(1.0, 6.0, 1, rate=3.0),  # CMT number 1 = x
        Replace(2.5, "e", 1.5),
        Covariate(2.5, "k", 0.3),
        Reset(4.0),
        Dose(5.0, 2.0, "e", duration=0.5, reset=True),
    ])
    table = regimen.to_events(SPEC)
    assert table.n_patients == 1
    assert rows(table) == [
        (0.0, BOLUS, 0, 10.0),
        (1.0, RATE_CHANGE, 0, 3.0),
        (2.5, SET_STATE, 1, 1.5),
        (2.5, SET_PARAM, 0, 0.3),
        (3.0, RATE_CHANGE, 0, -3.0),
        (4.0, RESET, 0, 0.0),
        (5.0, RESET, 0, 0.0),
        (5.0, RATE_CHANGE, 1, 4.0),
        (5.5, RATE_CHANGE, 1, -4.0),
    ]


def test_ii_addl_expansion_and_evid4_resets_once():
    table = Regimen([Dose(1.0, 5.0, "x", ii=2.0, addl=2, reset=True)]).to_events(SPEC)
    assert rows(table) == [
        (1.0, RESET, 0, 0.0),
        (1.0, BOLUS, 0, 5.0),
        (3.0, BOLUS, 0, 5.0),
        (5.0, BOLUS, 0, 5.0),
    ]


def test_ties_keep_the_order_given():
    regimen = Regimen([Replace(1.0, "x", 2.0), Dose(1.0, 3.0, "x"), Replace(1.0, "x", 7.0)])
    assert [r[1] for r in rows(regimen.to_events(SPEC))] == [SET_STATE, BOLUS, SET_STATE]


def test_reset_drops_the_end_of_infusions_it_stopped():
    regimen = Regimen([Dose(0.0, 10.0, "x", duration=4.0), Dose(0.5, 1.0, "e", rate=1.0),
                       Reset(1.0), Dose(2.0, 1.0, "x", duration=1.0)])
    table = regimen.to_events(SPEC)
    ends = [r for r in rows(table) if r[1] == RATE_CHANGE and r[3] < 0]
    assert ends == [(3.0, RATE_CHANGE, 0, -1.0)]  # only the infusion started after the reset
    # the sum of the rate changes that remain never makes a rate negative
    rate = np.zeros(2)
    for _, kind, target, value in rows(table):
        if kind == RESET:
            rate[:] = 0
        elif kind == RATE_CHANGE:
            rate[target] += value
            assert rate[target] >= -1e-12


def test_infusion_ending_at_a_reset_time():
    regimen = Regimen([Dose(0.0, 2.0, "x", duration=1.0), Reset(1.0)])
    table = regimen.to_events(SPEC)
    rate = 0.0
    for _, kind, _, value in rows(table):
        rate = 0.0 if kind == RESET else rate + (value if kind == RATE_CHANGE else 0.0)
        assert rate >= 0.0


@pytest.mark.parametrize("cmt", ["nope", 0, 3, 1.5])
def test_unknown_compartment(cmt):
    with pytest.raises(RegimenError) as info:
        Regimen([Dose(0.0, 1.0, "x"), Dose(2.0, 1.0, cmt)]).to_events(SPEC)
    assert info.value.field == "cmt"
    assert "regimen item 1" in str(info.value)
    assert "onecpt" in str(info.value)


def test_unknown_compartment_of_a_replacement():
    with pytest.raises(RegimenError, match="regimen item 0.*no state 'A9'"):
        Regimen([Replace(0.0, "A9", 1.0)]).to_events(SPEC)


def test_covariate_that_is_not_a_parameter():
    with pytest.raises(RegimenError, match="'WT' is not a parameter of model 'onecpt'") as info:
        Regimen([Covariate(0.0, "WT", 70.0)]).to_events(SPEC)
    assert info.value.field == "name"


def test_event_before_t0():
    with pytest.raises(RegimenError, match="before the start of the simulation 1.0") as info:
        Regimen([Dose(0.5, 1.0, "x")]).to_events(SPEC, t0=1.0)
    assert info.value.field == "time"
    Regimen([Dose(1.0, 1.0, "x")]).to_events(SPEC, t0=1.0)  # at t0 is fine


def test_events_for_batch_one_regimen_for_all_and_one_each():
    a = Regimen([Dose(0.0, 1.0, "x"), Dose(1.0, 2.0, "x", duration=0.5)])
    b = Regimen([Reset(2.0)])
    tiled = events_for_batch(SPEC, a, 3)
    assert tiled.ptr.tolist() == [0, 3, 6, 9]
    assert rows(tiled.patient(2)) == rows(a.to_events(SPEC))
    each = events_for_batch(SPEC, [a, b, Regimen()], 3)
    assert each.ptr.tolist() == [0, 3, 4, 4]
    assert rows(each.patient(1)) == rows(b.to_events(SPEC))
    assert rows(each.slice(1, 3).patient(0)) == rows(b.to_events(SPEC))
    assert events_for_batch(SPEC, None, 2).ptr.tolist() == [0, 0, 0]
    with pytest.raises(RegimenError, match="2 regimens given for 3 patients"):
        events_for_batch(SPEC, [a, b], 3)


def test_padded_table():
    table = events_for_batch(SPEC, [Regimen([Dose(0, 1, "x"), Dose(1, 1, "x")]), Regimen()], 2)
    time, kind, target, value, count = table.padded()
    assert time.shape == (2, 2)
    assert count.tolist() == [2, 0]
    assert np.isinf(time[1]).all()


def test_friberg_regimen_helper():
    doce = friberg2002.regimen("docetaxel", 180, cycles=4)
    assert doce.dose_times() == [0.0, 21.0, 42.0, 63.0]
    assert doce.items[0].infusion_duration == 0.0
    pacl = friberg2002.regimen("paclitaxel", 175, cycles=2)
    assert pacl.items[0].infusion_duration == pytest.approx(3 / 24)
    table = pacl.to_events(friberg2002.spec("paclitaxel"))
    assert rows(table)[1] == pytest.approx((3 / 24, RATE_CHANGE, 0, -175 / (3 / 24)))
