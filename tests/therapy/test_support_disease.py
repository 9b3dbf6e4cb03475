"""Transfusions on set days, the trigger loop (with a stand-in model), disease burden."""

from __future__ import annotations

import numpy as np
import pytest

from hematwin.errors import RegimenError
from hematwin.therapy.disease import (
    aml_at_diagnosis,
    cml_chronic_phase,
    remission_burden,
)
from hematwin.therapy.regimen import Covariate, Dose, Replace
from hematwin.therapy.support import (
    platelet_transfusion,
    red_cell_transfusion,
    transfuse_on_triggers,
)
from hematwin.twin import twin_spec

SPEC = twin_spec()


def test_transfusions_on_days():
    reg = platelet_transfusion([3, 6], units=2)
    assert [(d.time, d.cmt, d.amount) for d in reg.items] == [(3, "PLT", 66.0), (6, "PLT", 66.0)]
    rbc = red_cell_transfusion(10, weight_kg=35)
    assert rbc.items[0].cmt == "RBC2" and rbc.items[0].amount == pytest.approx(2.0)
    (reg + rbc).to_events(SPEC)


class FakeResult:
    def __init__(self, names, values):
        self.names, self.values = names, values
        self.ok = np.array([True])

    def __getitem__(self, name):
        return self.values[name]


class FakeModel:
    """Platelets fall 10 ×10⁹/L a day from 50 and Hb 0.5 g/dL a day from 9; each
    transfusion adds its bolus from its time on (like the twin's PLT and RBC2 boluses)."""

    def __init__(self):
        self.calls = 0

    def simulate(self, *, regimen, params, times, record, t0):
        self.calls += 1
        plt = 50.0 - 10.0 * (times - times[0])
        hb = 9.0 - 0.5 * (times - times[0])
        for d in regimen.items:
            if isinstance(d, Dose):
                after = times >= d.time
                if d.cmt == "PLT":
                    plt = plt + d.amount * after
                elif d.cmt == "RBC2":
                    hb = hb + d.amount * after
        return FakeResult(record, {"platelets": plt[None, :], "hb": hb[None, :]})


def test_trigger_loop_adds_transfusions_until_none_needed():
    model = FakeModel()
    plan = transfuse_on_triggers(model, start=0.0, end=10.0)
    # platelets: 50, 40, 30, 20, 10, 0 → first below 10 at day 5; +33 → 33, 23, 13, 3 at
    # day 8 → +33 → 36, 26, 16
    assert plan.platelet_days == [5.0, 8.0]
    # Hb: 6.5 at day 5 → +1; 7.0 at day 6 (not below); 6.5 at day 7 → +1; and day 9
    assert plan.red_cell_days == [5.0, 7.0, 9.0]
    assert plan.rounds == model.calls == 5  # days 5, 7, 8, 9, then none
    res = plan.result
    assert np.all(res["platelets"][0][5:] >= 3.0 - 1e-9)
    off = transfuse_on_triggers(FakeModel(), start=0.0, end=10.0, hb_trigger=None)
    assert off.red_cell_days == []


def test_trigger_loop_is_bounded():
    with pytest.raises(RegimenError) as info:
        transfuse_on_triggers(FakeModel(), start=0.0, end=30.0, max_rounds=2)
    assert info.value.field == "max_rounds"
    with pytest.raises(RegimenError) as info:
        transfuse_on_triggers(FakeModel(), start=5.0, end=0.0)
    assert info.value.field == "end"


def test_aml_at_diagnosis_solves_blast_percentage():
    p = {q.name: q.default for q in SPEC.parameters}
    for pct in (20.0, 60.0, 85.0):
        b = aml_at_diagnosis(pct)
        crowd = 1 / (1 + (b.blasts / p["LB50_crowd"]) ** p["h_crowd"])
        assert 100 * b.blasts / (b.blasts + p["K_marrow"] * crowd) == pytest.approx(pct)
        assert b.lsc == pytest.approx(b.blasts * 1e-3)  # 1 per 10⁶ blasts, 10⁹ → 10⁶ units
        assert b.params()["leuk_block"] == 1.0
    assert aml_at_diagnosis(80).blasts > aml_at_diagnosis(40).blasts
    reg = aml_at_diagnosis(50).regimen(200.0, blood_blasts=5.0)
    assert {type(i) for i in reg.items} == {Replace, Covariate}
    reg.to_events(SPEC)
    low = remission_burden(3, aml_at_diagnosis(50))
    assert low.blasts == pytest.approx(aml_at_diagnosis(50).blasts * 1e-3)


def test_cml_chronic_phase():
    b = cml_chronic_phase()
    assert b.leuk_block == 0.0 and b.lsc == pytest.approx(0.25 * 1.1)
    assert b.blasts == 0.0  # chronic phase: the leukemic progeny mature, no blocked blasts
    assert set(b.params()) == {"LS_0", "LB_0", "leuk_block"}
    assert b.params()["LS_0"] == b.lsc


@pytest.mark.parametrize(("call", "field"), [
    (lambda: aml_at_diagnosis(0), "marrow_blasts_pct"),
    (lambda: aml_at_diagnosis(99.0), "marrow_blasts_pct"),
    (lambda: aml_at_diagnosis(50, lsc_per_million_blasts=0), "lsc_per_million_blasts"),
    (lambda: cml_chronic_phase(lsc_to_hsc=-1), "lsc_to_hsc"),
    (lambda: remission_burden(-1, cml_chronic_phase()), "log_reduction"),
    (lambda: platelet_transfusion([], 1), "day_numbers"),
    (lambda: platelet_transfusion(3, 0), "units"),
    (lambda: red_cell_transfusion(3, weight_kg=-70), "weight_kg"),
])
def test_bad_inputs_name_the_argument(call, field):
    with pytest.raises(RegimenError) as info:
        call()
    assert info.value.field == field
