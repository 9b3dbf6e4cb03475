"""Craig 2016: exact homeostasis, derived constants against the paper's table, dosing."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from hematwin.engine import Model
from hematwin.errors import ParameterError
from hematwin.library import craig2016
from hematwin.model.symbolic import build_symbolic


@pytest.fixture(scope="module")
def model() -> Model:
    return Model(craig2016.spec())


def _definition_values(spec) -> dict[str, float]:
    values = {k: sp.Float(v) for k, v in spec.defaults().items()}
    out = {}
    for d in spec.definitions:
        try:
            names = {n: sp.Symbol(n) for n in [*spec.parameter_names, *spec.state_names,
                                                   *(x.name for x in spec.definitions)]}
            expr = sp.sympify(d.expression.replace("^", "**"), locals=names)
            out[d.name] = float(expr.subs({**{sp.Symbol(k): v for k, v in values.items()},
                                           **{sp.Symbol(k): v for k, v in out.items()}}))
        except (TypeError, ValueError):
            continue
    return out


def test_derived_constants_match_the_papers_table():
    # Craig 2016 Table 4/5 values as transcribed in radivot/myelo craigPars16.R
    d = _definition_values(craig2016.spec())
    assert d["kapDel"] == pytest.approx(0.0146, rel=0.01)
    assert d["gamNr"] == pytest.approx(0.0063661, rel=0.01)
    assert d["etaNPss"] == pytest.approx(1.6647, rel=1e-4)
    assert d["phiNrss"] == pytest.approx(0.3640, rel=0.001)
    assert d["G2ss"] == pytest.approx(2.1899e-5, rel=0.001)
    assert d["Gprod"] == pytest.approx(0.014161, rel=0.001)
    assert d["GBFss"] == pytest.approx(1.5823e-5, rel=0.001)
    assert d["ANss"] == pytest.approx(1.0378e5, rel=0.001)


def test_rhs_vanishes_at_the_initial_state():
    sym = build_symbolic(craig2016.spec())
    spec = craig2016.spec()
    subs = {p: sp.Float(spec.defaults()[p.name], 30) for p in sym.params}
    init = [e.xreplace(subs) for e in sym.initial]
    subs.update(dict(zip(sym.states, init, strict=True)))
    subs[sym.t] = 0
    # delayed values equal the initial state at t = 0 (history = homeostasis)
    delayed = {z: subs[sym.states[i]] for i, _, z in sym.delays}
    for name, e in zip(spec.state_names, sym.rhs, strict=True):
        value = complex(sp.N(e.xreplace(subs).xreplace(delayed), 30))
        assert abs(value) < 1e-12, (name, value)


def test_maturation_delay_is_state_dependent_with_declared_bounds():
    sym = build_symbolic(craig2016.spec())
    lags = {str(lag): dep for lag, dep in zip(sym.lags, sym.state_dependent, strict=True)}
    assert lags == {"tauS": False, "tauNM": True, "tauNM + tauNP": True}
    p = craig2016.spec().defaults()
    # Craig 2016 Table 4: Vmax 7.867, aNM 3.9 days → the shortest maturation aNM/Vmax
    low = float(sym.lag_bounds[0].xreplace({s: p[s.name] for s in sym.params}))
    assert low == pytest.approx(3.9 / 7.867)


def test_gcsf_shortens_the_maturation_time_and_raises_amplification(model):
    t = np.linspace(0, 3, 13)
    r = model.simulate(times=t, regimen=craig2016.regimen(750.0), rtol=1e-8, atol=1e-12,
                       record=["maturation_time", "amplification"])
    tau, amp = r.values[0, :, 0], r.values[0, :, 1]
    assert tau[0] == pytest.approx(3.9)
    assert 3.9 / 7.867 <= tau.min() < 1.0  # VN → Vmax at high G-CSF
    assert amp[-1] > 1.5 * amp[0]  # less death during a shorter maturation, faster mitosis


def test_homeostasis_holds_over_two_months(model):
    r = model.simulate(times=np.linspace(0, 60, 13), rtol=1e-9, atol=1e-13,
                       record=["Q", "Nr", "N", "G1"])
    v = r.values[0]
    np.testing.assert_allclose(v, np.broadcast_to([1.1, 2.26, 0.3761, 0.025], v.shape),
                               rtol=1e-6)


def test_filgrastim_raises_gcsf_and_anc_with_dose(model):
    t = np.linspace(0, 2, 97)
    g = {}
    for dose in (300.0, 750.0):
        r = model.simulate(times=t, regimen=craig2016.regimen(dose), rtol=1e-8, atol=1e-12,
                           record=["gcsf", "anc"])
        g[dose] = r.values[0]
    assert g[750.0][:, 0].max() > 2 * g[300.0][:, 0].max() > 2 * 0.025
    assert g[750.0][:, 1].max() > g[750.0][0, 1]


def test_dose_sets_and_arguments():
    assert craig2016.spec("300").parameter("Vd").default == 4754.7
    assert craig2016.spec().state_names == ["Q", "Nr", "N", "G1", "G2", "tauNM", "E", "Gs"]
    with pytest.raises(ParameterError):
        craig2016.spec("500")
