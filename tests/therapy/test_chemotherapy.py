"""Chemotherapy regimens expand to the right times, amounts and compartments."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hematwin.engine.events import BOLUS, RATE_CHANGE
from hematwin.errors import RegimenError
from hematwin.therapy.chemotherapy import docetaxel, high_dose_cytarabine, seven_plus_three
from hematwin.therapy.patient import Patient, bsa_mosteller
from hematwin.twin import twin_spec

SPEC = twin_spec()


def delivered(regimen, cmt: str) -> float:
    """Total amount into ``cmt``: boluses plus infusion rate × duration."""
    ev = regimen.to_events(SPEC, t0=min(regimen.dose_times() + [0.0]))
    idx = SPEC.state_index(cmt)
    sel = ev.target == idx
    bolus = ev.value[sel & (ev.kind == BOLUS)].sum()
    rates = sel & (ev.kind == RATE_CHANGE)
    # ∫ rate dt = Σ −t·Δrate over the rate changes
    infused = -np.sum(ev.time[rates] * ev.value[rates])
    return float(bolus + infused)


def test_mosteller():
    assert bsa_mosteller(70, 170) == pytest.approx(math.sqrt(170 * 70 / 3600))
    assert Patient(80, 180).bsa == pytest.approx(2.0)


def test_seven_plus_three_expansion():
    reg = seven_plus_three(start=10.0)
    ara = [d for d in reg.items if d.cmt == "ARAC_c"]
    dnr = [d for d in reg.items if d.cmt == "DNR_c"]
    assert len(ara) == 1 and ara[0].time == 10 and ara[0].duration == 7
    assert ara[0].amount == pytest.approx(700)  # 100 mg/m²/day × 7 days
    assert [t for t in dnr[0].times()] == [10.0, 11.0, 12.0]
    assert delivered(reg, "ARAC_c") == pytest.approx(700)
    assert delivered(reg, "DNR_c") == pytest.approx(180)
    assert delivered(seven_plus_three(0, 200, 90), "DNR_c") == pytest.approx(270)


def test_high_dose_cytarabine_six_doses_per_cycle():
    reg = high_dose_cytarabine(start=0.0, cycles=2, every_days=30)
    times = reg.dose_times()
    assert times == [0.0, 0.5, 2.0, 2.5, 4.0, 4.5, 30.0, 30.5, 32.0, 32.5, 34.0, 34.5]
    assert all(d.amount == 3000 and d.duration == pytest.approx(3 / 24) for d in reg.items)
    assert delivered(reg, "ARAC_c") == pytest.approx(12 * 3000)


def test_docetaxel_total_mg_from_bsa():
    reg = docetaxel(0.0, 75, bsa=2.0, cycles=3)
    assert reg.dose_times() == [0.0, 21.0, 42.0]
    assert reg.items[0].amount == pytest.approx(150) and reg.items[0].cmt == "DTX_c"
    assert docetaxel(0.0, 100, patient=Patient(80, 180)).items[0].amount == pytest.approx(200)


@pytest.mark.parametrize(("call", "field"), [
    (lambda: seven_plus_three(cytarabine_mg_m2=-1), "cytarabine_mg_m2"),
    (lambda: seven_plus_three(daunorubicin_mg_m2="x"), "daunorubicin_mg_m2"),
    (lambda: seven_plus_three(start=math.nan), "start"),
    (lambda: high_dose_cytarabine(cycles=0), "cycles"),
    (lambda: high_dose_cytarabine(cycles=1.5), "cycles"),
    (lambda: high_dose_cytarabine(infusion_hours=12), "infusion_hours"),
    (lambda: high_dose_cytarabine(cycles=2, every_days=3), "every_days"),
    (lambda: docetaxel(0, 75), "bsa"),
    (lambda: docetaxel(0, 75, bsa=2, patient=Patient(70, 170)), "bsa"),
    (lambda: docetaxel(0, 75, bsa=0), "bsa"),
    (lambda: Patient(-70, 170), "weight_kg"),
])
def test_bad_inputs_name_the_argument(call, field):
    with pytest.raises(RegimenError) as info:
        call()
    assert info.value.field == field
