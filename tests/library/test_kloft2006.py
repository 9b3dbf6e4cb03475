"""Kloft 2006 covariate model: structure reused from Friberg 2002, covariate factors exact."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from hematwin.engine.simulate import Model
from hematwin.errors import ParameterError
from hematwin.library import friberg2002, kloft2006
from hematwin.model.symbolic import build_symbolic


def _individual(spec, **covariates):
    """Circ0 and slope (the covariate-adjusted definitions) for the given covariates."""
    sym = build_symbolic(spec)
    values = {**spec.defaults(), **covariates}
    subs = {p: values[p.name] for p in sym.params}
    defs = dict(sym.definitions)
    out = {}
    for name in ("Circ0", "slope"):
        expr = defs[sp.Symbol(name, real=True)]
        for s, e in reversed(sym.definitions):
            expr = expr.xreplace({s: e})
        out[name] = float(expr.xreplace(subs))
    return out


def test_reuses_friberg_structure():
    k = kloft2006.spec()
    f = friberg2002.spec("docetaxel")
    assert k.states == f.states
    assert k.equations == f.equations
    assert k.outputs == f.outputs
    assert {"TVCirc0", "TVslope", "SEXF", "PS", "PRIOR", "AAG"} <= set(k.parameter_names)
    assert "Circ0" not in k.parameter_names


@pytest.mark.parametrize("typical", ["kloft2006", "friberg2002"])
def test_reduces_to_friberg_at_reference_covariates(typical):
    """Symbolically: at the reference covariates the rhs is Friberg's, term for term."""
    k = build_symbolic(kloft2006.spec(typical))
    f = build_symbolic(friberg2002.spec("docetaxel"))
    ref = {sp.Symbol(n, real=True): v for n, v in kloft2006.REFERENCE_COVARIATES.items()}
    ref = {s: sp.nsimplify(v) for s, v in ref.items()}
    rename = {sp.Symbol("TVCirc0", real=True): sp.Symbol("Circ0", real=True),
              sp.Symbol("TVslope", real=True): sp.Symbol("slope", real=True)}
    for ek, ef in zip(k.rhs, f.rhs, strict=True):
        assert sp.simplify(ek.xreplace(ref).xreplace(rename) - ef) == 0
    for ek, ef in zip(k.initial, f.initial, strict=True):
        assert sp.simplify(ek.xreplace(ref).xreplace(rename) - ef) == 0


def test_typical_values_are_kloft_2006():
    d = kloft2006.spec().defaults()
    assert (d["TVCirc0"], d["MTT"], d["gamma"], d["TVslope"]) == (
        5.21965, 84.1791, 0.144543, 15.5711)
    assert kloft2006.spec("friberg2002").defaults()["TVCirc0"] == 5.05
    with pytest.raises(ParameterError, match="typical"):
        kloft2006.spec("nonsense")


def test_covariate_factors():
    spec = kloft2006.spec()
    ref = _individual(spec)
    assert ref == {"Circ0": 5.21965, "slope": 15.5711}
    assert _individual(spec, SEXF=1)["Circ0"] == pytest.approx(5.21965 * (1 - 0.121451))
    assert _individual(spec, PS=1)["Circ0"] == pytest.approx(5.21965 * 1.130406)
    assert _individual(spec, PRIOR=1)["Circ0"] == pytest.approx(5.21965 * (1 - 0.146837))
    high = _individual(spec, AAG=2.34)
    assert high["Circ0"] == pytest.approx(5.21965 * (1 + 0.494618))
    assert high["slope"] == pytest.approx(15.5711 * (1 - 0.350693))
    low = _individual(spec, AAG=0.84)
    assert low["Circ0"] == pytest.approx(5.21965 * (1 - 0.5 * 0.174677))
    assert low["slope"] == pytest.approx(15.5711 * (1 + 0.5 * 0.350693))


def test_steady_state_without_drug_for_any_covariates(rhs_at_initial):
    spec = kloft2006.spec()
    for cov in ({}, {"SEXF": 1, "PS": 1, "PRIOR": 1, "AAG": 2.54}, {"AAG": 0.7}):
        assert rhs_at_initial(spec, cov) == [0] * len(spec.states)


@pytest.fixture(scope="module")
def model():
    return Model(kloft2006.spec())


def test_cycle_positive_and_covariates_shift_the_nadir(model):
    t = np.linspace(0, 21, 841)
    params = {"AAG": [1.34, 2.34, 1.34], "SEXF": [0, 0, 1], "PRIOR": [0, 0, 1]}
    res = model.simulate(regimen=kloft2006.regimen(), params=params, times=t, record=["anc"])
    assert res.ok.all()
    anc = res["anc"]
    assert (anc > 0).all()
    nadir = anc.min(axis=1)
    # high AAG: higher baseline and smaller drug slope → higher nadir; women/pretreated: lower
    assert nadir[1] > nadir[0] > nadir[2]
