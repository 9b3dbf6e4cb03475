"""G-CSF and imatinib schedules."""

from __future__ import annotations

import pytest

from hematwin.errors import RegimenError
from hematwin.therapy.growth_factors import filgrastim, mobilisation, pegfilgrastim
from hematwin.therapy.patient import Patient
from hematwin.therapy.regimen import Covariate, Dose, Regimen
from hematwin.therapy.tki import imatinib, stop_imatinib
from hematwin.twin import twin_spec

SPEC = twin_spec()


def test_filgrastim_daily():
    reg = filgrastim(start=5.0, days=10)
    assert reg.dose_times() == [5.0 + k for k in range(10)]
    assert reg.items[0].cmt == "FILG_sc" and reg.items[0].amount == 5.0
    mob = mobilisation()
    assert mob.dose_times() == [0, 1, 2, 3, 4] and mob.items[0].amount == 10.0
    reg.to_events(SPEC)


def test_pegfilgrastim_per_kg():
    reg = pegfilgrastim(1.0, weight_kg=75, cycles=4)
    assert reg.dose_times() == [1.0, 22.0, 43.0, 64.0]
    assert reg.items[0].amount == pytest.approx(80.0) and reg.items[0].cmt == "PEG_sc"
    assert pegfilgrastim(patient=Patient(60, 165)).items[0].amount == pytest.approx(100.0)


def test_imatinib_and_stop():
    reg = imatinib(start=0.0, days=365)
    assert len(reg.dose_times()) == 365 and reg.items[0].cmt == "IM_gut"
    assert reg.items[0].ii == 1.0 and reg.items[0].addl == 364
    other = Regimen([Covariate(0.0, "leuk_block", 0.0), Dose(5.0, 1.0, "FILG_sc")])
    stopped = stop_imatinib(reg + other, 100.0)
    times = [t for d in stopped.items if isinstance(d, Dose) and d.cmt == "IM_gut"
             for t in d.times()]
    assert times == [float(k) for k in range(100)]
    assert len(stopped.items) == 3  # the other items are kept
    assert stop_imatinib(reg, 0.0).items == ()
    assert stop_imatinib(reg, 0.5).dose_times() == [0.0]
    assert stop_imatinib(reg, 1000.0).dose_times() == reg.dose_times()


@pytest.mark.parametrize(("call", "field"), [
    (lambda: filgrastim(days=0), "days"),
    (lambda: filgrastim(ug_per_kg=-5), "ug_per_kg"),
    (lambda: pegfilgrastim(1.0), "weight_kg"),
    (lambda: pegfilgrastim(1.0, weight_kg=0), "weight_kg"),
    (lambda: mobilisation(days=2.5), "days"),
    (lambda: imatinib(mg=0), "mg"),
    (lambda: imatinib(days=True), "days"),
    (lambda: stop_imatinib("imatinib", 3.0), "regimen"),
])
def test_bad_inputs_name_the_argument(call, field):
    with pytest.raises(RegimenError) as info:
        call()
    assert info.value.field == field
