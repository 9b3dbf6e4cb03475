"""The Numba backend: agreement with SciPy and closed forms, per-patient batches, bad input.

Agreement is measured as max |numba − reference| / max |reference| per variable over the
run (drug amounts decay towards 0, so a pointwise relative error is meaningless there) and
must be ≤ 1e-6. References: SciPy ``solve_ivp`` (DOP853 for non-stiff models, Radau for
stiff ones) at rtol 1e-12 through ``backend="scipy"``, which shares only the event table.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from engine_models import model, onecpt_closed_form, relative_error

from hematwin.engine import status as st
from hematwin.engine.events import BOLUS, EventTable
from hematwin.errors import ParameterError, RegimenError, SolverError
from hematwin.library import friberg2002
from hematwin.therapy.regimen import Covariate, Dose, Regimen

AGREE = 1e-6
TIGHT = dict(rtol=1e-10, atol=1e-12)
REFERENCE = dict(backend="scipy", rtol=1e-12, atol=1e-14)


def _agree(name, regimen, times, record, *, methods=("dp5", "ros23"), params=None,
           reference="DOP853", ref_atol=1e-14, **tol):
    m = model(name)
    ref = m.simulate(regimen=regimen, times=times, record=record, params=params,
                     **{**REFERENCE, "atol": ref_atol}, method=reference)
    assert ref.ok.all()
    for method in methods:
        res = m.simulate(regimen=regimen, times=times, record=record, params=params,
                         method=method, **(tol or TIGHT))
        assert res.ok.all(), (method, res.failures())
        err = relative_error(res.values, ref.values)
        assert err <= AGREE, f"{name} {method}: {err:.2e}"
    return ref


# --- agreement ---------------------------------------------------------------------------


def test_friberg_docetaxel_four_cycles_agrees_with_scipy():
    spec = friberg2002.spec("docetaxel")
    _agree("friberg_docetaxel", friberg2002.regimen("docetaxel", 180, cycles=4),
           np.linspace(0, 84, 337), [*spec.state_names, "anc", "conc"])


def test_friberg_paclitaxel_three_hour_infusion_agrees_with_scipy():
    spec = friberg2002.spec("paclitaxel")
    times = np.unique(np.concatenate([np.linspace(0, 42, 169), np.linspace(0, 0.25, 13)]))
    ref = _agree("friberg_paclitaxel", friberg2002.regimen("paclitaxel", 175, cycles=2),
                 times, [*spec.state_names, "wbc", "conc"])
    # the infusion shows: the amount rises during the 3 h and falls after
    a1 = ref["A1"][0]
    assert np.argmax(a1[times <= 0.25]) == np.flatnonzero(times == 3 / 24)[0] or a1[
        times == 0.125][0] == pytest.approx(a1[times <= 0.25].max(), rel=1e-6)


def test_friberg_with_individual_parameters_agrees_with_scipy():
    params = {"Circ0": [4.0, 6.5], "MTT": [70.0, 120.0], "slope": [12.0, 5.0], "k10": [4.0, 6.0]}
    regimens = [friberg2002.regimen("docetaxel", 100, cycles=2),
                Regimen([Dose(0.0, 150.0, "A1", duration=1 / 24), Covariate(10.0, "slope", 2.0),
                         Dose(21.0, 150.0, "A1", duration=1 / 24)])]
    _agree("friberg_docetaxel", regimens, np.linspace(0, 42, 85),
           ["A1", "A2", "A3", "Prol", "Circ"], params=params)


def test_stiff_robertson_with_ros23_agrees_with_radau():
    times = np.concatenate([[0.0], np.logspace(-5, 5, 41)])
    _agree("robertson", None, times, ["y1", "y2", "y3"], methods=("ros23",),
           reference="Radau", ref_atol=1e-20, rtol=1e-10, atol=1e-14)


def test_robertson_conserves_mass():
    res = model("robertson").simulate(times=np.logspace(-5, 5, 21), record=["y1", "y2", "y3"],
                                      rtol=1e-8, atol=1e-14)
    assert res.ok.all()
    np.testing.assert_allclose(res.values[0].sum(axis=1), 1.0, rtol=0, atol=1e-9)
    assert np.all(res.values >= -1e-12)


def test_stiff_problem_is_costly_for_dp5_but_not_for_ros23():
    """y2 of Robertson relaxes on a 1e-7 time scale: DP5 is stability-bound, ros23 is not."""
    m = model("robertson")
    times = np.array([0.0, 1.0, 100.0])
    ros = m.simulate(times=times, method="ros23", rtol=1e-6, atol=1e-10)
    dp5 = m.simulate(times=times, method="dp5", rtol=1e-6, atol=1e-10, max_steps=2_000)
    assert ros.ok.all() and ros.n_steps[0] < 500
    assert dp5.status[0] == st.MAX_STEPS
    assert "max_steps" in dp5.failures()["reason"][0]


def test_time_dependent_forcing_agrees_with_closed_form_and_scipy():
    """x' = −k x + amp·sin(w t): exercises ∂f/∂t in the Rosenbrock method."""
    params = {"k": 0.7, "amp": 2.0, "w": 3.0, "x0": 1.5}
    times = np.linspace(0, 20, 81)
    ref = _agree("onecpt", None, times, ["x", "e"], params=params)
    exact = onecpt_closed_form(times, k=0.7, amp=2.0, w=3.0, x0=1.5)
    for method in ("dp5", "ros23"):
        res = model("onecpt").simulate(params=params, times=times, record=["x"], method=method,
                                       **TIGHT)
        assert relative_error(res.values[0], exact[:, None]) <= AGREE
    assert relative_error(ref["x"][0][:, None], exact[:, None]) <= 1e-9


@pytest.mark.parametrize("method", ["dp5", "ros23"])
@pytest.mark.parametrize("name", ["onecpt", "pklin"])
def test_exponential_decay_closed_form(name, method):
    times = np.linspace(0, 10, 41)
    res = model(name).simulate(params={"k": 1.3, "x0": 5.0}, times=times,
                               record=["x", "conc", "double"], method=method, **TIGHT)
    exact = 5.0 * np.exp(-1.3 * times)
    assert relative_error(res.values[0, :, :1], exact[:, None]) <= AGREE
    np.testing.assert_array_equal(res["conc"], res["x"])
    np.testing.assert_array_equal(res["double"], 2 * res["x"])


def test_looser_tolerance_is_less_accurate_but_still_controlled():
    times = np.linspace(0, 10, 41)
    exact = 5.0 * np.exp(-1.3 * times)[:, None]
    errors = []
    for rtol in (1e-4, 1e-7, 1e-10):
        res = model("onecpt").simulate(params={"k": 1.3, "x0": 5.0}, times=times, record=["x"],
                                       rtol=rtol, atol=rtol * 1e-2)
        errors.append(relative_error(res.values[0], exact))
        assert errors[-1] <= 100 * rtol
    assert errors[0] > errors[2]


# --- per patient -------------------------------------------------------------------------


def _batch_inputs():
    params = {"k": [0.5, 1.0, 2.0, 0.8, 1.2], "x0": [0.0, 1.0, 0.0, 3.0, 0.5],
              "amp": [0.0, 0.5, 0.0, 1.0, 0.0]}
    regimens = [
        Regimen([Dose(0.0, 10.0, "x")]),
        Regimen([Dose(0.5, 4.0, "x", duration=1.0, ii=2.0, addl=2)]),
        Regimen(),
        Regimen([Dose(1.0, 2.0, "e"), Covariate(2.0, "k", 0.1)]),
        Regimen([Dose(0.0, 1.0, "x", rate=0.5)]),
    ]
    return params, regimens


@pytest.mark.parametrize("method", ["dp5", "ros23"])
def test_batch_equals_per_patient_runs(method):
    m = model("onecpt")
    params, regimens = _batch_inputs()
    times = np.linspace(0, 8, 33)
    batch = m.simulate(regimen=regimens, params=params, times=times, record=["x", "e"],
                       method=method)
    assert batch.ok.all()
    for i, regimen in enumerate(regimens):
        one = m.simulate(regimen=regimen, params={k: v[i] for k, v in params.items()},
                         times=times, record=["x", "e"], method=method)
        np.testing.assert_array_equal(batch.values[i], one.values[0])
        assert batch.n_steps[i] == one.n_steps[0]


def test_chunked_batch_equals_one_batch():
    m = model("onecpt")
    params, regimens = _batch_inputs()
    times = np.linspace(0, 8, 33)
    whole = m.simulate(regimen=regimens, params=params, times=times)
    seen = []
    chunked = m.simulate(regimen=regimens, params=params, times=times, chunk_size=2,
                         progress=lambda done, total: seen.append((done, total)))
    np.testing.assert_array_equal(whole.values, chunked.values)
    assert seen == [(2, 5), (4, 5), (5, 5)]


def test_a_patient_that_blows_up_is_flagged_and_the_others_go_on():
    """x' = x², x(0) = 1 has x = 1/(1 − t): it blows up at t = 1."""
    m = model("onecpt")
    times = np.linspace(0, 3, 13)
    params = {"k": [1.0, 0.0, 1.0], "q": [0.0, 1.0, 0.0], "x0": [1.0, 1.0, 2.0]}
    for method in ("dp5", "ros23"):
        res = m.simulate(params=params, times=times, record=["x"], method=method,
                         ids=[10, 11, 12], **TIGHT)
        assert res.status[0] == st.SUCCESS and res.status[2] == st.SUCCESS
        assert res.status[1] != st.SUCCESS
        failures = res.failures()
        assert failures["id"].tolist() == [11]
        assert failures["reason"][0] == st.reason(res.status[1]) != "ok"
        x = res["x"][1]
        before = times < 1.0
        np.testing.assert_allclose(x[before], 1.0 / (1.0 - times[before]), rtol=1e-5)
        assert np.isnan(x[times > 1.0]).all()
        np.testing.assert_allclose(res["x"][0], np.exp(-times), rtol=1e-5)
        np.testing.assert_allclose(res["x"][2], 2 * np.exp(-times), rtol=1e-5)


def test_max_steps_guard():
    res = model("onecpt").simulate(params={"amp": 1.0, "w": 50.0}, times=[0.0, 20.0],
                                   max_steps=50)
    assert res.status[0] == st.MAX_STEPS
    assert res.failures()["reason"][0] == "max_steps reached"
    assert np.isnan(res.values[0, 1]).all() and np.isfinite(res.values[0, 0]).all()


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_non_finite_parameter_names_the_parameter_and_row(bad):
    with pytest.raises(ParameterError) as info:
        model("onecpt").simulate(params={"k": [1.0, bad]}, times=[0.0, 1.0])
    assert info.value.field == "k" and info.value.row == 1
    assert "'k'" in str(info.value) and "row 1" in str(info.value)


def test_parameter_outside_bounds_or_unknown():
    with pytest.raises(ParameterError, match="outside the bounds") as info:
        model("onecpt").simulate(params={"ke": -1.0}, times=[0.0, 1.0])
    assert info.value.field == "ke"
    with pytest.raises(ParameterError, match="unknown parameter 'kk'"):
        model("onecpt").simulate(params={"kk": 1.0}, times=[0.0, 1.0])
    with pytest.raises(ParameterError, match="shape"):
        model("onecpt").simulate(params=np.ones((2, 3)), times=[0.0, 1.0])


def test_negative_dose():
    with pytest.raises(RegimenError, match="amount must be ≥ 0"):
        model("onecpt").simulate(regimen=Regimen([Dose(0.0, -5.0, "x")]), times=[0.0, 1.0])


@pytest.mark.parametrize("times", [[0.0, 2.0, 1.0], [0.0, math.nan], [], [[0.0, 1.0]]])
def test_bad_save_times(times):
    with pytest.raises(SolverError, match="times must be"):
        model("onecpt").simulate(times=times)


def test_unknown_compartment_and_event_before_t0():
    m = model("onecpt")
    with pytest.raises(RegimenError, match="no state 'A1'") as info:
        m.simulate(regimen=Regimen([Dose(0.0, 1.0, "A1")]), times=[0.0, 1.0])
    assert info.value.field == "cmt"
    with pytest.raises(RegimenError, match="before the start of the simulation"):
        m.simulate(regimen=Regimen([Dose(0.5, 1.0, "x")]), times=[1.0, 2.0])
    with pytest.raises(SolverError, match="first save time"):
        m.simulate(times=[0.0, 1.0], t0=0.5)


def test_event_table_given_directly_is_checked():
    """An EventTable bypasses Regimen's checks; unsorted or pre-t0 events must not be applied
    silently at the wrong time.

    Bug: ``Model.simulate`` does not validate an EventTable given as ``regimen``: an event
    at 0.5 placed after one at 1.0 is applied at t = 1.0, and an event before t0 is applied
    at t0, both without a word.
    """
    m = model("onecpt")

    def table(times):
        n = len(times)
        return EventTable(ptr=np.array([0, n]), time=np.array(times, float),
                          kind=np.full(n, BOLUS), target=np.zeros(n, dtype=np.int64),
                          value=np.ones(n))

    with pytest.raises((RegimenError, SolverError)):
        m.simulate(regimen=table([1.0, 0.5]), times=[0.0, 2.0])
    with pytest.raises((RegimenError, SolverError)):
        m.simulate(regimen=table([-1.0]), times=[0.0, 2.0])


def test_solver_argument_errors():
    m = model("onecpt")
    with pytest.raises(SolverError, match="unknown backend"):
        m.simulate(times=[0.0, 1.0], backend="fortran")
    with pytest.raises(SolverError, match="unknown method"):
        m.simulate(times=[0.0, 1.0], method="rk4")
    with pytest.raises(SolverError, match="rtol and atol must be > 0"):
        m.simulate(times=[0.0, 1.0], rtol=0.0)
    with pytest.raises(SolverError, match="cannot record 'y'"):
        m.simulate(times=[0.0, 1.0], record=["y"])
    with pytest.raises(SolverError, match="inconsistent numbers of patients"):
        m.simulate(times=[0.0, 1.0], params={"k": [1.0, 2.0]}, regimen=[Regimen()] * 3)
    with pytest.raises(SolverError, match="inconsistent numbers of patients"):
        m.simulate(times=[0.0, 1.0], n=2, ids=[1, 2, 3])
