"""Conditioning regimens: agents, days relative to the transplant, amounts."""

from __future__ import annotations

import pytest

from hematwin.errors import RegimenError
from hematwin.therapy import conditioning as c
from hematwin.twin import twin_spec

SPEC = twin_spec()


def doses(reg, cmt):
    return sorted((t, d.amount) for d in reg.items if d.cmt == cmt for t in d.times())


def total(reg, cmt):
    return sum(a for _, a in doses(reg, cmt))


def test_bu_cy_q6h_and_daily():
    reg = c.bu_cy()
    bu = doses(reg, "BU_c")
    assert len(bu) == 16 and bu[0][0] == -7 and bu[-1][0] == pytest.approx(-4 + 0.75)
    assert all(a == pytest.approx(0.8) for _, a in bu)
    assert total(reg, "BU_c") == pytest.approx(12.8)
    assert doses(reg, "CY_c") == [(-3.0, 60.0), (-2.0, 60.0)]
    daily = c.bu_cy(busulfan_schedule="daily")
    assert doses(daily, "BU_c") == [(-7.0, 3.2), (-6.0, 3.2), (-5.0, 3.2), (-4.0, 3.2)]
    reg.to_events(SPEC, t0=-10)  # every target exists in the twin


def test_day0_shifts_everything():
    a, b = c.bu_cy(), c.bu_cy(day0=30.0)
    assert [t + 30 for t in a.dose_times()] == pytest.approx(b.dose_times())


def test_cy_tbi_fractions():
    reg = c.cy_tbi()
    assert doses(reg, "CY_c") == [(-6.0, 60.0), (-5.0, 60.0)]
    rad = doses(reg, "RAD")
    assert [t for t, _ in rad] == pytest.approx([-3, -2.75, -2, -1.75, -1, -0.75])
    assert total(reg, "RAD") == pytest.approx(12.0) and all(a == 2.0 for _, a in rad)


def test_ric_and_nma_regimens():
    fb = c.flu_bu2()
    assert [t for t, _ in doses(fb, "FLU_c")] == [-6, -5, -4, -3, -2]
    assert total(fb, "FLU_c") == pytest.approx(150) and total(fb, "BU_c") == pytest.approx(6.4)
    ft = c.flu_tbi2(day0=100.0)
    assert total(ft, "FLU_c") == pytest.approx(90)
    assert doses(ft, "RAD") == [(100 - 0.25, 2.0)]  # day 0, before the graft


def test_melphalan_and_atg():
    assert doses(c.melphalan200(), "MEL_c") == [(-2.0, 200.0)]
    reg = c.bu_cy(atg_mg_per_kg_day=2.5)
    assert doses(reg, "ATG_c") == [(-3.0, 2.5), (-2.0, 2.5), (-1.0, 2.5)]
    assert not doses(c.bu_cy(), "ATG_c")
    assert total(c.busulfan_myeloablative(), "BU_c") == pytest.approx(12.8)


@pytest.mark.parametrize(("call", "field"), [
    (lambda: c.bu_cy(busulfan_schedule="weekly"), "schedule"),
    (lambda: c.bu_cy(atg_mg_per_kg_day=-1), "atg_mg_per_kg_day"),
    (lambda: c.cy_tbi(tbi_fractions=4), "tbi_fractions"),
    (lambda: c.tbi(12, 5, (-3, -2, -1), 2), "fractions"),
    (lambda: c.tbi(12, 10, (-1, -2), 5), "fractions_per_day"),
    (lambda: c.fludarabine(day_numbers=[]), "day_numbers"),
    (lambda: c.melphalan200(mg_m2=0), "mg_m2"),
    (lambda: c.bu_cy(day0="tomorrow"), "day0"),
])
def test_bad_inputs_name_the_argument(call, field):
    with pytest.raises(RegimenError) as info:
        call()
    assert info.value.field == field
