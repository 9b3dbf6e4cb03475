"""SBML L3V2 export: valid documents, faithful math and events (checked with libRoadRunner)."""

from __future__ import annotations

import libsbml
import numpy as np
import pytest
import sympy as sp

from hematwin.engine import Model
from hematwin.library import five_lineage, friberg2002
from hematwin.model.sbml_export import to_sbml, unit_definition_parts
from hematwin.model.spec import Definition, Equation, ModelSpec, Output, Parameter, State
from hematwin.model.symbolic import build_symbolic
from hematwin.therapy.regimen import Covariate, Dose, Regimen, Replace, Reset

roadrunner = pytest.importorskip("roadrunner")


def consistency_errors(text: str) -> list[str]:
    doc = libsbml.readSBMLFromString(text)
    doc.checkConsistency()
    return [doc.getError(i).getMessage() for i in range(doc.getNumErrors())
            if doc.getError(i).getSeverity() >= libsbml.LIBSBML_SEV_ERROR]


def run_roadrunner(text: str, times: np.ndarray, names: list[str], rtol=1e-10, atol=1e-12,
                   params: dict[str, float] | None = None) -> np.ndarray:
    rr = roadrunner.RoadRunner(text)
    rr.integrator.relative_tolerance = rtol
    rr.integrator.absolute_tolerance = atol
    for k, v in (params or {}).items():
        rr[k] = v
    rr.reset()
    rr.timeCourseSelections = names
    out = rr.simulate(float(times[0]), float(times[-1]), len(times))
    return np.asarray(out)


def rel(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b) / np.max(np.abs(b), axis=0)))


@pytest.mark.parametrize("drug", friberg2002.DRUGS)
def test_friberg_exports_a_valid_l3v2_document(drug):
    reg = friberg2002.regimen(drug, 180.0, cycles=4)
    text = to_sbml(friberg2002.spec(drug), regimen=reg)
    assert consistency_errors(text) == []
    model = libsbml.readSBMLFromString(text).getModel()
    assert (model.getLevel(), model.getVersion()) == (3, 2)
    assert model.getNumEvents() == 4 * (1 if drug == "docetaxel" else 2)  # infusion on, off
    rates = {r.getVariable() for r in model.getListOfRules() if r.isRate()}
    assert rates == set(friberg2002.spec(drug).state_names)
    for ev in model.getListOfEvents():
        assert ev.getUseValuesFromTriggerTime()
        assert ev.getTrigger().getPersistent() and not ev.getTrigger().getInitialValue()


def test_five_lineage_exports_a_valid_document():
    assert consistency_errors(to_sbml(five_lineage.spec(), regimen=five_lineage.regimen())) == []


def test_parameter_metadata_and_units_are_kept():
    text = to_sbml(friberg2002.spec("docetaxel"))
    model = libsbml.readSBMLFromString(text).getModel()
    mtt = model.getParameter("MTT")
    assert mtt.getConstant() and mtt.getValue() == 88.7
    ud = model.getUnitDefinition(mtt.getUnits())
    assert ud.getUnit(0).getKind() == libsbml.UNIT_KIND_SECOND
    assert ud.getUnit(0).getMultiplier() == 3600.0
    assert "Friberg 2002" in mtt.getAnnotationString()
    assert model.getTimeUnits() and model.getUnitDefinition(model.getTimeUnits())
    # states: non-constant parameters whose initial value is an initial assignment
    assert not model.getParameter("Circ").getConstant()
    assert libsbml.formulaToL3String(model.getInitialAssignment("Circ").getMath()) == "Circ0"
    assert model.getAssignmentRule("anc") is not None


def test_unit_strings():
    (kind, exponent, scale, mult), = unit_definition_parts("1e9/L")
    assert (kind, exponent) == (libsbml.UNIT_KIND_LITRE, -1.0)
    assert (mult * 10.0**scale) ** exponent == pytest.approx(1e9)
    assert unit_definition_parts("cells/kg/fortnight") is None
    assert len(unit_definition_parts("uM")) == 2  # mole and litre^-1


MATH = ModelSpec(
    name="mathcheck",
    states=(State("x", "x0"), State("y", 1.0), State("z", 0.0)),
    parameters=(Parameter("x0", 2.0), Parameter("k", 0.7), Parameter("a", 1.5),
                Parameter("b", 0.25)),
    definitions=(Definition("g", "piecewise((exp(-k*t), t < 2), (log(1 + t)^2, True))"),),
    equations=(
        Equation("x", "-k*(1 + x^2)^0.75 + g"),
        Equation("y", "max(a, t/3)*min(b, y) - 0.1*sqrt(1 + y^2)/(1 + t^2) + heaviside(t - 1)"),
        Equation("z", "abs(sin(t)) - tanh(z) + log10(2 + t) - 2^(-t)"),
    ),
    outputs=(Output("total", "x + y - z/2"),),
)


def test_math_maps_to_sbml_faithfully():
    """^, exp, log, piecewise, min/max, heaviside, sqrt, abs, t → same trajectories."""
    text = to_sbml(MATH)
    assert consistency_errors(text) == []
    times = np.linspace(0.0, 6.0, 61)
    names = ["x", "y", "z", "total"]
    ours = Model(MATH).simulate(times=times, record=names, backend="scipy", method="DOP853",
                                rtol=1e-11, atol=1e-13).values[0]
    theirs = run_roadrunner(text, times, names)
    assert rel(theirs, ours) < 1e-6


def test_math_ast_round_trip_through_libsbml():
    sym = build_symbolic(MATH)
    text = to_sbml(MATH)
    model = libsbml.readSBMLFromString(text).getModel()
    formula = libsbml.formulaToL3String(model.getAssignmentRule("g").getMath())
    assert "piecewise" in formula and "time" in formula
    assert "max(" in libsbml.formulaToL3String(model.getRateRule("y").getMath())
    assert sym.t.name == "t"  # the time symbol becomes the csymbol, not a parameter
    assert model.getParameter("t") is None


def test_friberg_with_dose_events_agrees_with_numba():
    spec = friberg2002.spec("docetaxel")
    reg = friberg2002.regimen("docetaxel", 180.0, cycles=4)
    text = to_sbml(spec, regimen=reg)
    params = {"MTT": 80.0, "Circ0": 6.0, "slope": 10.0}
    # a half-day grid; compare between the doses, where "before or after" cannot differ
    times = np.linspace(0.0, 84.0, 169)
    between = (np.arange(169) % 2) == 1
    names = spec.state_names + ["anc"]
    ours = Model(spec).simulate(regimen=reg, params=params, times=times, record=names,
                                backend="numba", rtol=1e-10, atol=1e-12).values[0][between]
    theirs = run_roadrunner(text, times, names, params=params)[between]
    assert rel(theirs, ours) < 1e-6
    assert ours[:, -1].min() < 0.5 * params["Circ0"]  # the doses did act


def test_infusions_and_simultaneous_events():
    """Two boluses at one time both count; infusion on/off; reset, replacement, covariate."""
    spec = ModelSpec(
        name="onecmt",
        states=(State("A", 0.0, "mg"), State("B", "b0", "mg")),
        parameters=(Parameter("k", 0.5, "1/day"), Parameter("b0", 3.0, "mg"),
                    Parameter("kb", 0.2, "1/day")),
        equations=(Equation("A", "-k*A"), Equation("B", "k*A - kb*B")),
    )
    reg = Regimen([
        Dose(0.0, 10.0, "A"), Dose(0.0, 5.0, "A"),            # simultaneous boluses
        Dose(2.0, 6.0, "A", duration=0.5), Dose(2.2, 4.0, "A", rate=2.0),  # overlapping infusions
        Covariate(3.0, "k", 1.0), Replace(4.0, "B", 7.0),
        Reset(5.0), Dose(5.0, 1.0, "B"),                      # reset then a dose, same time
    ])
    text = to_sbml(spec, regimen=reg)
    assert consistency_errors(text) == []
    times = np.array([0.0, 0.25, 1.0, 1.9, 2.1, 2.4, 2.6, 2.9, 3.5, 4.5, 5.5, 6.0])
    ours = Model(spec).simulate(regimen=reg, times=times, record=["A", "B"], backend="scipy",
                                method="DOP853", rtol=1e-11, atol=1e-13).values[0]
    theirs = run_roadrunner(text, np.linspace(0.0, 6.0, 241), ["time", "A", "B"])
    at = np.searchsorted(np.round(theirs[:, 0], 9), times)
    assert rel(theirs[at, 1:], ours) < 1e-6
    assert ours[1, 0] == pytest.approx(15.0 * np.exp(-0.5 * 0.25), rel=1e-8)


def test_five_lineage_has_27_states_at_steady_state_without_drug():
    spec = five_lineage.spec()
    assert len(spec.states) == 27
    sym = build_symbolic(spec)
    at_start = dict(zip(sym.states, sym.initial, strict=True))
    # exactly zero, symbolically, for any parameter values
    assert all(sp.simplify(f.xreplace(at_start)) == 0 for f in sym.rhs)
    scipy_model = Model(spec).scipy
    p = np.array([q.default for q in spec.parameters])
    y0 = np.asarray(scipy_model._init(p), dtype=float)
    f0 = np.asarray(scipy_model._rhs(0.0, y0, p))
    assert np.max(np.abs(f0) / np.maximum(np.abs(y0), 1.0)) < 1e-14


def test_five_lineage_reduces_to_friberg_without_stem_coupling():
    times = np.arange(0.0, 21.01, 0.05)
    reg_f = friberg2002.regimen("docetaxel", 180.0)
    ref = Model(friberg2002.spec("docetaxel")).simulate(
        regimen=reg_f, times=times, record=["anc"], backend="scipy", method="DOP853",
        rtol=1e-11, atol=1e-13).values[0, :, 0]
    five = Model(five_lineage.spec()).simulate(
        regimen=five_lineage.regimen(180.0), params={"fS": 0.0}, times=times, record=["anc"],
        backend="scipy", method="DOP853", rtol=1e-11, atol=1e-13).values[0, :, 0]
    assert np.max(np.abs(five - ref)) / ref.max() < 1e-6
    assert ref.min() == pytest.approx(0.896, abs=0.01)
