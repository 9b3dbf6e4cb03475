"""The twin's SBML export (with a transplant regimen) is valid and agrees with the native run.

Bu/Cy conditioning from model day 0 (transplant day −7) and a G-CSF-mobilised peripheral-
blood graft from a matched sibling on day 7 (transplant day 0), 60 days; libRoadRunner
(CVODE) on the exported L3V2 document against the Numba engine, both at tight tolerance.
"""

from __future__ import annotations

import libsbml
import numpy as np
import pytest

from hematwin.engine import Model
from hematwin.model.sbml_export import to_sbml
from hematwin.therapy.conditioning import bu_cy
from hematwin.therapy.disease import aml_at_diagnosis
from hematwin.therapy.transplant import stem_cell_transplant
from hematwin.twin import twin_spec

roadrunner = pytest.importorskip("roadrunner")

DAY0 = 7.0  # transplant day 0 on the model clock
DAYS = 60
RTOL, ATOL = 1e-10, 1e-12
AGREEMENT = 1e-6  # |rr − native| / max_t |native|, per output


def transplant_regimen():
    return bu_cy(day0=DAY0) + stem_cell_transplant(DAY0, "peripheral_blood", "matched_sibling")


@pytest.fixture(scope="module")
def spec():
    return twin_spec()


@pytest.fixture(scope="module")
def sbml(spec):
    return to_sbml(spec, regimen=transplant_regimen())


def test_twin_export_passes_libsbml_consistency_checks(spec, sbml):
    doc = libsbml.readSBMLFromString(sbml)
    doc.checkConsistency()
    errors = [doc.getError(i).getMessage() for i in range(doc.getNumErrors())
              if doc.getError(i).getSeverity() >= libsbml.LIBSBML_SEV_ERROR]
    assert errors == []
    model = doc.getModel()
    assert (model.getLevel(), model.getVersion()) == (3, 2)
    rates = {r.getVariable() for r in model.getListOfRules() if r.isRate()}
    assert rates == set(spec.state_names)
    assert model.getNumEvents() == len(set(transplant_regimen().to_events(spec).time))


# a healthy recipient, and one with residual AML (5 % marrow blasts, leukemic stem cells),
# so that the leukemia, crowding and graft-versus-leukemia terms are exercised too
CASES = {"no_leukemia": {}, "residual_aml": aml_at_diagnosis(5.0).params()}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CASES))
def test_roadrunner_on_the_export_agrees_with_the_native_run(spec, sbml, case):
    params = CASES[case]
    outputs = [o.name for o in spec.outputs]
    times = np.arange(0.0, DAYS + 1.0)
    native = Model(spec).simulate(regimen=transplant_regimen(), params=params or None,
                                  times=times, record=outputs, rtol=RTOL, atol=ATOL)
    assert native.status[0] == 0
    ref = native.values[0]

    rr = roadrunner.RoadRunner(sbml)
    rr.integrator.relative_tolerance = RTOL
    rr.integrator.absolute_tolerance = ATOL
    rr.integrator.maximum_num_steps = 100_000
    for name, value in params.items():
        rr.setValue(f"init({name})", value)
    # resetAll, not reset: in libRoadRunner 2.10 reset() makes the t = 0 infusion start fire
    # twice (the busulfan infusion then never ends); resetAll re-evaluates the initial
    # assignments with the new init() values and clears the selections (set them after)
    rr.resetAll()
    rr.timeCourseSelections = outputs
    got = np.asarray(rr.simulate(0.0, float(DAYS), DAYS + 1))

    scale = np.max(np.abs(ref), axis=0)
    if case == "residual_aml":
        assert scale[outputs.index("marrow_blasts_pct")] > 1.0
    # an output that stays exactly zero (no leukemia, no CML) must stay zero in SBML too
    err = np.abs(got - ref) / np.where(scale > 0, scale, 1.0)
    worst = {n: float(e) for n, e in zip(outputs, err.max(axis=0), strict=True)
             if e > AGREEMENT}
    assert worst == {}, worst
