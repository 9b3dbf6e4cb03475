"""User-supplied histories of delay equations (values of a delayed state before t0)."""

from __future__ import annotations

import numpy as np
import pytest

from hematwin.engine import Model
from hematwin.errors import EquationSyntaxError, ModelError, UnknownSymbolError
from hematwin.model import Equation, ModelSpec, Parameter, State
from hematwin.model.symbolic import build_symbolic


def linear_history_spec(**changes) -> ModelSpec:
    # y'(t) = -y(t - 1) with y(t) = a*t + 1 for t <= 0 (the classic problem has a = 0)
    fields = dict(
        name="dde_linear_history",
        states=(State("y", 1.0),),
        parameters=(Parameter("a", 1.0), Parameter("tau", 1.0)),
        equations=(Equation("y", "-y(t - tau)"),),
        history={"y": "a*t + 1"},
    )
    fields.update(changes)
    return ModelSpec(**fields)


def method_of_steps(t: np.ndarray) -> np.ndarray:
    """By hand for a = 1: on [0, 1] y' = -(t - 1 + 1) so y = 1 - t^2/2; on [1, 2]
    y' = -(1 - (t - 1)^2/2) so y = 1/2 - (t - 1) + (t - 1)^3/6."""
    u = t - 1.0
    return np.where(t <= 1.0, 1.0 - t**2 / 2, 0.5 - u + u**3 / 6)


def test_linear_history_matches_the_method_of_steps_by_hand():
    t = np.linspace(0.0, 2.0, 21)
    got = Model(linear_history_spec()).simulate(times=t, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(got.values[0, :, 0], method_of_steps(t), atol=1e-6, rtol=0)


def test_history_uses_each_patients_parameters():
    # a = 0 is the classic constant history: y = 1 - t on [0, 1]
    t = np.linspace(0.0, 1.0, 6)
    got = Model(linear_history_spec()).simulate(
        times=t, params={"a": [1.0, 0.0]}, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(got.values[0, :, 0], 1.0 - t**2 / 2, atol=1e-8)
    np.testing.assert_allclose(got.values[1, :, 0], 1.0 - t, atol=1e-8)


def test_history_with_a_jump_at_t0():
    # y(t) = 3 before 0, y(0) = 1 (allowed, as in deSolve): y = 1 - 3t on [0, 1],
    # then y' = -(1 - 3(t - 1)) so y(2) = -2 - 1 + 3/2 = -1.5
    spec = linear_history_spec(history={"y": "3"})
    got = Model(spec).simulate(times=[0.0, 0.5, 1.0, 2.0], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(got.values[0, :, 0], [1.0, -0.5, -2.0, -1.5], atol=1e-8)


def test_history_round_trips_through_yaml():
    from hematwin.model.text_format import parse_model_yaml
    from hematwin.model.yaml_writer import to_yaml

    spec = linear_history_spec()
    back = parse_model_yaml(to_yaml(spec))
    assert back.history == (("y", "a*t + 1"),)
    assert "history:" in to_yaml(spec)


@pytest.mark.parametrize(
    ("history", "error", "message"),
    [
        ({"y": "a*t + b"}, UnknownSymbolError, "'b'"),
        ({"z": "1"}, ModelError, "'z', which is not a declared state"),
        ({"w": "1"}, ModelError, "'w', which is never used delayed"),
        ({"y": "1 + w"}, ModelError, r"history of 'y', '1 \+ w', uses \['w'\]"),
        ({"y": "1 + wdef"}, ModelError, r"uses \['w'\]"),
        ({"y": "y(t - 1)"}, UnknownSymbolError, "function"),
        ({"y": "1 +"}, EquationSyntaxError, "history y"),
    ],
)
def test_bad_history_is_a_typed_load_time_error(history, error, message):
    from hematwin.model import Definition

    spec = linear_history_spec(
        states=(State("y", 1.0), State("w", 0.0)),
        equations=(Equation("y", "-y(t - tau)"), Equation("w", "-w")),
        definitions=(Definition("wdef", "2*w"),),
        history=history,
    )
    with pytest.raises(error, match=message):
        build_symbolic(spec)


def test_sbml_export_refuses_a_history_other_than_the_initial_value():
    pytest.importorskip("libsbml")
    from hematwin.model.sbml_export import to_sbml

    with pytest.raises(ModelError, match=r"history of 'y'.*SBML cannot hold"):
        to_sbml(linear_history_spec())
    # a constant history equal to the initial value is what SBML means already
    spec = linear_history_spec(states=(State("y", "y0"),),
                               parameters=(Parameter("y0", 1.0), Parameter("tau", 1.0)),
                               history={"y": "y0"})
    assert "<csymbol" in to_sbml(spec)
