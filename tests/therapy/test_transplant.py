"""Grafts, donors, GVHD prophylaxis, DLI, gene therapy and iPSC grafts as twin events."""

from __future__ import annotations

import pytest

from hematwin.errors import RegimenError
from hematwin.therapy.regimen import Covariate, Dose
from hematwin.therapy.transplant import (
    CALIBRATED,
    IPSC_SELF_RENEWAL,
    SOURCES,
    GraftConversion,
    dli,
    gene_therapy_graft,
    graft_states,
    gvhd_prophylaxis,
    ipsc_graft,
    stem_cell_transplant,
)
from hematwin.twin import twin_spec

SPEC = twin_spec()


def bolus(reg, cmt):
    return sum(d.amount for d in reg.items if isinstance(d, Dose) and d.cmt == cmt)


def covariates(reg, name):
    return [(c.time, c.value) for c in reg.items if isinstance(c, Covariate) and c.name == name]


def test_graft_states_conversion():
    s = graft_states(5e6, 2e8)
    h = CALIBRATED.homing_fraction
    assert s["M_d"] == pytest.approx(5.0 * h)  # 10⁶/kg seeded
    assert s["S_d"] == pytest.approx(5.0 * 0.011 * h)
    t_blood = 2e8 * 0.02 / (0.07 * 1e9)
    assert s["T4_d"] + s["T8_d"] == pytest.approx(t_blood)
    assert s["T4_d"] / t_blood == pytest.approx(0.64)
    assert s["TA"] == pytest.approx(0.05 * t_blood)
    auto = graft_states(5e6, 2e8, allogeneic=False)
    assert "TA" not in auto  # an autologous graft joins the autologous-graft clone
    assert auto == {"S_a": s["S_d"], "M_a": s["M_d"], "T4_a": s["T4_d"], "T8_a": s["T8_d"]}
    half = graft_states(5e6, 0, conversion=GraftConversion(homing_fraction=0.5))
    assert half["S_d"] == pytest.approx(s["S_d"] * 0.5 / h) and half["T4_d"] == 0


def test_pbsc_matched_sibling_defaults():
    reg = stem_cell_transplant()
    src = SOURCES["peripheral_blood"]
    assert bolus(reg, "M_d") == pytest.approx(src.cd34_per_kg / 1e6 * CALIBRATED.homing_fraction)
    assert bolus(reg, "TA") > 0
    assert all(d.time == 0 for d in reg.items if isinstance(d, Dose) and d.cmt != "MTX_c")
    # ciclosporin + methotrexate: 15 mg/m² on day +1, 10 mg/m² on days +3, +6, +11 (Storb 1986)
    mtx = [(t, d.amount) for d in reg.items if isinstance(d, Dose) and d.cmt == "MTX_c"
           for t in d.times()]
    assert mtx == [(1.0, 15.0), (3.0, 10.0), (6.0, 10.0), (11.0, 10.0)]
    assert covariates(reg, "graft_allogeneic") == [(0.0, 1.0)]
    assert covariates(reg, "hla_disparity") == [(0.0, 0.0)]
    imm = covariates(reg, "immunosuppression")
    assert imm[0] == (-1.0, 0.8) and imm[-1] == (180.0, 0.0)
    assert all(b[1] <= a[1] for a, b in zip(imm, imm[1:], strict=False))  # tapers down
    assert [t for t, _ in imm] == [-1.0, 100.0, 120.0, 140.0, 160.0, 180.0]
    reg.to_events(SPEC, t0=-10)


def test_sources_order_cell_doses():
    m = {s: bolus(stem_cell_transplant(source=s), "M_d") for s in SOURCES}
    assert m["peripheral_blood"] > m["bone_marrow"] > m["double_cord"] > m["cord_blood"]
    t = {s: bolus(stem_cell_transplant(source=s), "T4_d") for s in SOURCES}
    assert t["peripheral_blood"] > 10 * t["bone_marrow"]


def test_haploidentical_gets_ptcy_and_autologous_nothing_allogeneic():
    haplo = stem_cell_transplant(10.0, donor="haploidentical")
    assert covariates(haplo, "hla_disparity") == [(10.0, 1.0)]
    cy = [(t, d.amount) for d in haplo.items if isinstance(d, Dose) and d.cmt == "CY_c"
          for t in d.times()]
    assert cy == [(13.0, 50.0), (14.0, 50.0)]
    assert covariates(haplo, "immunosuppression")[0] == (15.0, 0.8)
    auto = stem_cell_transplant(donor="autologous", cd34_per_kg=5e6)
    # an autologous graft leaves the allograft covariates alone (a patient may have both)
    assert covariates(auto, "graft_allogeneic") == covariates(auto, "hla_disparity") == []
    assert bolus(auto, "TA") == 0 and bolus(auto, "S_d") == 0
    assert covariates(auto, "immunosuppression") == [(0.0, 0.0)]
    for reg in (haplo, auto):  # methotrexate only with ciclosporin/tacrolimus + MTX
        assert not any(isinstance(d, Dose) and d.cmt == "MTX_c" for d in reg.items)
    assert bolus(auto, "S_a") == pytest.approx(
        5 * CALIBRATED.hsc_fraction_of_cd34 * CALIBRATED.homing_fraction)


def test_overrides():
    reg = stem_cell_transplant(cd34_per_kg=2e6, cd3_per_kg=0, homing_fraction=0.5,
                               hsc_fraction_of_cd34=0.02, prophylaxis="tac_mtx",
                               hla_disparity=0.3)
    assert bolus(reg, "M_d") == pytest.approx(1.0)
    assert bolus(reg, "S_d") == pytest.approx(0.02)
    assert bolus(reg, "T4_d") == 0 and bolus(reg, "TA") == 0
    assert covariates(reg, "immunosuppression")[0] == (-1.0, 0.85)
    assert covariates(reg, "hla_disparity") == [(0.0, 0.3)]


def test_dli_gene_therapy_ipsc():
    d = dli(120.0, 1e7)
    assert {x.cmt for x in d.items} == {"T4_d", "T8_d", "TA"}
    assert all(x.time == 120 for x in d.items)
    gt = gene_therapy_graft(10e6, 0.8)
    h = CALIBRATED.homing_fraction
    assert bolus(gt, "M_a") == pytest.approx(8.0 * h)
    assert bolus(gt, "M_h") == pytest.approx(2.0 * h)
    assert bolus(gt, "S_a") == pytest.approx(8.0 * 0.011 * h)
    ip = ipsc_graft(5e6, potency=0.2)
    assert bolus(ip, "M_a") == pytest.approx(1.0 * h) and bolus(ip, "TA") == 0
    assert covariates(ip, "graft_self_renewal") == [(0.0, IPSC_SELF_RENEWAL)]
    for reg in (gt, ip):  # host HLA: the allograft's covariates are left as they are
        assert covariates(reg, "graft_allogeneic") == covariates(reg, "hla_disparity") == []
        assert bolus(reg, "S_d") == bolus(reg, "M_d") == 0
    for reg in (d, gt, ip):
        reg.to_events(SPEC)


def test_prophylaxis_none_and_taper_steps():
    assert covariates(gvhd_prophylaxis("none"), "immunosuppression") == [(0.0, 0.0)]
    one = covariates(gvhd_prophylaxis("csa_mtx", taper_steps=1), "immunosuppression")
    assert one == [(-1.0, 0.8), (100.0, 0.4), (180.0, 0.0)]


@pytest.mark.parametrize(("call", "field"), [
    (lambda: stem_cell_transplant(source="liver"), "source"),
    (lambda: stem_cell_transplant(donor="cousin"), "donor"),
    (lambda: stem_cell_transplant(source="cord_blood", donor="autologous"), "donor"),
    (lambda: stem_cell_transplant(cd34_per_kg=0), "cd34_per_kg"),
    (lambda: stem_cell_transplant(cd3_per_kg=-1), "cd3_per_kg"),
    (lambda: stem_cell_transplant(homing_fraction=1.5), "homing_fraction"),
    (lambda: stem_cell_transplant(hsc_fraction_of_cd34=0), "hsc_fraction_of_cd34"),
    (lambda: stem_cell_transplant(prophylaxis="steroids"), "prophylaxis"),
    (lambda: stem_cell_transplant(donor="autologous", hla_disparity=0.5), "hla_disparity"),
    (lambda: gvhd_prophylaxis(taper_start=200, taper_end=180), "taper_start"),
    (lambda: gvhd_prophylaxis(taper_steps=0), "taper_steps"),
    (lambda: dli(100, 0), "cd3_per_kg"),
    (lambda: gene_therapy_graft(5e6, 1.2), "corrected_fraction"),
    (lambda: ipsc_graft(5e6, potency=0), "potency"),
    (lambda: ipsc_graft(5e6, self_renewal=1.5), "self_renewal"),
    (lambda: GraftConversion(cd4_share=2), "cd4_share"),
])
def test_bad_inputs_name_the_argument(call, field):
    with pytest.raises(RegimenError) as info:
        call()
    assert info.value.field == field
