"""Quartino 2014: G-CSF feedback chain; exact steady state; the G-CSF equation balances."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from hematwin.engine.simulate import Model
from hematwin.library import quartino2014
from hematwin.model.symbolic import build_symbolic


def test_steady_state_is_exact(rhs_at_initial):
    spec = quartino2014.spec()
    assert rhs_at_initial(spec) == [0] * len(spec.states)


def test_steady_state_holds_for_any_parameters(rhs_at_initial):
    spec = quartino2014.spec()
    other = {"Circ0": 6.1, "MTT": 90.0, "gamma": 0.9, "beta": 0.1, "GCSF0": 50.0,
             "ke": 0.2, "kANC": 1.3, "t_half_circ": 10.0}
    assert rhs_at_initial(spec, other) == [0] * len(spec.states)


def test_gcsf_elimination_is_first_order_in_gcsf():
    """dG/dt = kin − (ke + kANC·Circ)·G (not myelo's kin − (ke + kANC·Circ·G))."""
    sym = build_symbolic(quartino2014.spec())
    i = quartino2014.spec().state_index("GCSF")
    s = {x.name: x for x in (*sym.states, *sym.params)}
    g, circ = s["GCSF"], s["Circ"]
    rhs = sym.rhs[i]
    assert sp.simplify(sp.diff(rhs, g, 2)) == 0
    assert sp.simplify(sp.diff(rhs, g) + 24 * (s["ke"] + s["kANC"] * circ)) == 0
    assert sp.simplify(rhs.xreplace({g: 0}) - 24 * (s["ke"] + s["kANC"] * s["Circ0"])
                       * s["GCSF0"]) == 0


def test_reuses_friberg_docetaxel_pk():
    spec = quartino2014.spec()
    assert spec.state_names[:3] == ["A1", "A2", "A3"]
    assert spec.parameter("k10").default == 5.2
    assert spec.parameter("kANC").default == 5.64


@pytest.fixture(scope="module")
def model():
    return Model(quartino2014.spec())


def test_cycle_positive_and_gcsf_rises(model):
    t = np.linspace(0, 21, 841)
    res = model.simulate(regimen=quartino2014.regimen(), times=t, record=["anc", "gcsf"])
    assert res.ok.all()
    assert (res.values > 0).all()
    assert res["gcsf"].max() > 2 * 24.3
    assert res["anc"].min() < 0.5 * 3.53


def test_deeper_nadir_with_higher_dose(model):
    t = np.linspace(0, 21, 841)
    regs = [quartino2014.regimen(d) for d in (60.0, 120.0, 180.0)]
    res = model.simulate(regimen=regs, times=t, record=["anc"])
    nadir = res["anc"].min(axis=1)
    assert nadir[0] > nadir[1] > nadir[2]
