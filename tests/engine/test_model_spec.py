"""Model specifications written in Python: checks at load time, symbolic forms, generated code.

Every bad model must raise the right typed error, and its message must say where the fault
is (the equation text for a Python spec; the line for a file, see test_text_format.py).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from engine_models import model, onecpt_spec

from hematwin.errors import (
    DuplicateNameError,
    EquationSyntaxError,
    MissingEquationError,
    ModelError,
    ParameterError,
    UnknownSymbolError,
)
from hematwin.library import friberg2002
from hematwin.model.codegen import model_function_source
from hematwin.model.spec import Definition, Equation, ModelSpec, Output, Parameter, State
from hematwin.model.symbolic import build_symbolic


def _spec(equations=None, *, states=None, parameters=None, definitions=(), outputs=()):
    return ModelSpec(
        name="toy",
        states=states or (State("x", 1.0),),
        parameters=parameters or (Parameter("k", 1.0),),
        equations=equations or (Equation("x", "-k*x"),),
        definitions=definitions,
        outputs=outputs,
    )


# --- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "error", "words"),
    [
        ("-k*(x", EquationSyntaxError, "cannot parse"),
        ("-k x", EquationSyntaxError, "cannot parse"),
        ("-k*x +", EquationSyntaxError, "cannot parse"),
        ("", EquationSyntaxError, "empty"),
        ("-kk*x", UnknownSymbolError, "'kk'"),
        ("-k*x*V", UnknownSymbolError, "'V'"),  # a parameter used but never declared
        ("-k*foo(x)", UnknownSymbolError, "unknown function 'foo'"),
        ("-k*x.real", EquationSyntaxError, "unsupported construct"),
        ("-k*x[0]", EquationSyntaxError, "unsupported construct"),
        ("k < x", EquationSyntaxError, "not a numeric expression"),
    ],
)
def test_bad_expression_is_a_typed_error_naming_the_equation(text, error, words):
    with pytest.raises(error) as info:
        build_symbolic(_spec((Equation("x", text),)))
    message = str(info.value)
    assert words in message
    assert f"d/dt(x) = {text}" in message  # the equation at fault
    assert "model 'toy'" in message
    assert info.value.equation == f"d/dt(x) = {text}"


def test_state_without_equation_names_the_state():
    spec = _spec(states=(State("x", 1.0), State("y", 0.0, line=7)))
    with pytest.raises(MissingEquationError, match=r"line 7.*state 'y' has no equation"):
        build_symbolic(spec)


def test_equation_for_an_undeclared_state():
    spec = _spec((Equation("x", "-k*x"), Equation("z", "k*x", line=12)))
    with pytest.raises(MissingEquationError, match=r"line 12.*'z', which is not a declared state"
                       ) as info:
        build_symbolic(spec)
    assert "d/dt(z) = k*x" in str(info.value)


def test_second_equation_for_a_state():
    spec = _spec((Equation("x", "-k*x"), Equation("x", "k*x", line=5)))
    with pytest.raises(ModelError, match=r"line 5.*second equation for state 'x'"):
        build_symbolic(spec)


@pytest.mark.parametrize(
    ("states", "parameters", "definitions", "outputs", "kinds"),
    [
        ((State("x", 1.0), State("k", 0.0)), (Parameter("k", 1.0, line=3),), (), (),
         "parameter 'k' duplicates a state"),
        (None, (Parameter("k", 1.0), Parameter("x", 2.0, line=4)), (), (),
         "parameter 'x' duplicates a state"),
        (None, None, (Definition("k", "2", line=9),), (), "definition 'k' duplicates a param"),
        (None, None, (), (Output("x", "2*x", line=11),), "output 'x' duplicates a state"),
        (None, (Parameter("k", 1.0), Parameter("k", 2.0, line=6)), (), (),
         "parameter 'k' duplicates a parameter"),
    ],
)
def test_duplicate_names(states, parameters, definitions, outputs, kinds):
    with pytest.raises(DuplicateNameError) as info:
        _spec(states=states, parameters=parameters, definitions=definitions, outputs=outputs)
    assert kinds in str(info.value)
    assert f"line {info.value.line}" in str(info.value)


def test_definition_cycle_names_its_members_and_line():
    defs = (Definition("a", "b + 1", line=3), Definition("b", "2*a", line=4))
    with pytest.raises(ModelError, match=r"line 3.*cycle: a -> b -> a") as info:
        build_symbolic(_spec((Equation("x", "-k*x*a"),), definitions=defs))
    assert "a = b + 1" in str(info.value)


def test_self_referencing_definition_is_a_cycle():
    with pytest.raises(ModelError, match="cycle: a -> a"):
        build_symbolic(_spec((Equation("x", "-a*x"),), definitions=(Definition("a", "a*k"),)))


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, "abc", None])
def test_non_finite_or_non_numeric_default(value):
    with pytest.raises(ParameterError, match=r"line 8.*field 'k'.*default") as info:
        Parameter("k", value, line=8)
    assert info.value.field == "k"


@pytest.mark.parametrize(("default", "lower", "upper"), [(-1.0, 0.0, math.inf), (2.0, 0, 1)])
def test_default_outside_bounds(default, lower, upper):
    with pytest.raises(ParameterError, match=r"line 2.*outside its bounds"):
        Parameter("k", default, lower=lower, upper=upper, line=2)


def test_inverted_bounds():
    with pytest.raises(ParameterError, match="lower bound 3.0 > upper bound 1.0"):
        Parameter("k", 2.0, lower=3.0, upper=1.0)


@pytest.mark.parametrize("name", ["t", "lambda", "exp", "sin"])
def test_reserved_names_are_refused(name):
    with pytest.raises(ModelError, match=f"'{name}' cannot be used as a name"):
        build_symbolic(_spec(parameters=(Parameter("k", 1.0), Parameter(name, 1.0))))


def test_initial_value_may_use_parameters_only():
    spec = _spec(states=(State("x", "k"), State("y", "x + 1", line=4)),
                 equations=(Equation("x", "-k*x"), Equation("y", "x")))
    with pytest.raises(UnknownSymbolError, match=r"line 4.*'x'") as info:
        build_symbolic(spec)
    assert "y(0) = x + 1" in str(info.value)


def test_initial_value_through_a_time_dependent_definition_is_refused():
    spec = _spec(states=(State("x", "a", line=2),), definitions=(Definition("a", "k*t"),))
    with pytest.raises(ModelError, match=r"line 2.*initial value of 'x' depends on \['t'\]"):
        build_symbolic(spec)


def test_with_defaults_unknown_parameter():
    with pytest.raises(ParameterError, match="unknown parameter"):
        _spec().with_defaults(nope=1.0)


def test_state_index_by_name_and_cmt():
    spec = onecpt_spec()
    assert spec.state_index("e") == 1
    assert spec.state_index(1) == 0
    assert spec.state_index(2.0) == 1
    for bad in (0, 3, 1.5, "nope"):
        with pytest.raises(KeyError):
            spec.state_index(bad)


def test_state_index_accepts_numpy_integers():
    """A CMT taken from a NumPy array or a DataFrame column is a NumPy integer.

    Bug: ``ModelSpec.state_index`` tests ``isinstance(cmt, int | float)``, which is False for
    ``np.int64``, so the number is looked up as a state *name* and fails ("no state 1").
    """
    spec = onecpt_spec()
    assert spec.state_index(np.int64(2)) == 1


# --- symbolic forms ----------------------------------------------------------------------


def _fd_jacobian(f, y, eps=1e-6):
    n = y.shape[0]
    jac = np.empty((n, n))
    for j in range(n):
        h = eps * max(1.0, abs(y[j]))
        up, down = y.copy(), y.copy()
        up[j] += h
        down[j] -= h
        jac[:, j] = (f(up) - f(down)) / (2 * h)
    return jac


def _functions_spec() -> ModelSpec:
    """Every allowed function once, so that each derivative rule is checked."""
    return ModelSpec(
        name="functions",
        states=(State("a", 1.0), State("b", 2.0), State("c", 0.5)),
        parameters=(Parameter("p1", 0.7), Parameter("p2", 1.3)),
        definitions=(Definition("g", "p1*sqrt(abs(b)) + log(1 + a^2)"),),
        equations=(
            Equation("a", "-p1*a + exp(-c)*tanh(b) + max(a, c)^2 + atan(a*b)"),
            Equation("b", "p2*a*b/(1 + b^2) - g + min(b, 1)*cos(t) + log10(2 + c^2)"),
            Equation("c", "sin(a - c)*t + heaviside(p1 - 0.5)*c + tan(0.1*c) + pi*a"),
        ),
    )


@pytest.mark.parametrize("make", [_functions_spec, lambda: friberg2002.spec("docetaxel"),
                                  lambda: friberg2002.spec("paclitaxel"), onecpt_spec])
def test_symbolic_jacobian_and_dfdt_equal_finite_differences(make):
    spec = make()
    sym = build_symbolic(spec)
    args = (sym.t, list(sym.states), list(sym.params))
    f = sp.lambdify(args, list(sym.rhs), modules="numpy")
    jac = sp.lambdify(args, sym.jacobian, modules="numpy")
    dfdt = sp.lambdify(args, list(sym.dfdt), modules="numpy")
    rng = np.random.default_rng(20240601)
    p = np.array([pp.default for pp in spec.parameters]) * rng.uniform(0.5, 1.5,
                                                                       len(spec.parameters))
    for _ in range(5):
        y = rng.uniform(0.2, 3.0, sym.n_states)
        t = float(rng.uniform(0.0, 10.0))
        fd = _fd_jacobian(lambda yy, t=t: np.asarray(f(t, yy, p), dtype=float), y)
        exact = np.asarray(jac(t, y, p), dtype=float)
        np.testing.assert_allclose(exact, fd, rtol=1e-6, atol=1e-6 * np.abs(exact).max())
        h = 1e-6 * max(1.0, t)
        fd_t = (np.asarray(f(t + h, y, p), float) - np.asarray(f(t - h, y, p), float)) / (2 * h)
        np.testing.assert_allclose(np.asarray(dfdt(t, y, p), float) + np.zeros_like(y), fd_t,
                                   rtol=1e-6, atol=1e-7)


def test_autonomy_is_detected():
    assert build_symbolic(friberg2002.spec("docetaxel")).is_autonomous
    assert not build_symbolic(onecpt_spec()).is_autonomous


def test_definitions_are_substituted_in_dependency_order():
    # written in the "wrong" order: b uses a, which is declared after it
    spec = _spec((Equation("x", "-b*x"),),
                 definitions=(Definition("b", "2*a"), Definition("a", "k + 1")))
    sym = build_symbolic(spec)
    k, x = sp.symbols("k x", real=True)
    assert sp.simplify(sym.rhs[0] - (-2 * (k + 1) * x)) == 0


def test_code_is_generated_for_a_step_function_of_a_state():
    """``heaviside`` is an allowed function; its derivative is a Dirac delta, zero almost
    everywhere, so the Jacobian code must still be generated.

    Bug: ``model_function_source`` raises SymPy's ``PrintMethodNotImplementedError``
    (``DiracDelta``) for ``d/dt(x) = -k*x*heaviside(x - 1)``, so the model cannot be compiled.
    """
    spec = _spec((Equation("x", "-k*x*heaviside(x - 1)"),))
    source = model_function_source(build_symbolic(spec))
    assert "def model_jac" in source


def _call(function, *args):
    """Call a generated model function with or without the delayed-values argument ``z``
    (the kernel ABI gained it for delay equations)."""
    if function.py_func.__code__.co_argcount == len(args) + 1:
        t, y, *rest = args
        return function(t, y, np.zeros(1), *rest)
    return function(*args)


def test_generated_numba_functions_equal_the_symbolic_forms():
    """The compiled rhs / Jacobian / ∂f/∂t of onecpt against the closed-form derivatives."""
    m = model("onecpt")
    module = m.numba.module
    p = np.array([0.8, 1.7, 2.5, 0.3, 1.0, 0.4])  # k, amp, w, q, x0, ke
    y = np.array([1.3, 0.6])
    t = 0.9
    k, amp, w, q, _, ke = p
    f = np.empty(2)
    _call(module.model_rhs, t, y, p, f)
    np.testing.assert_allclose(
        f, [-k * y[0] + amp * np.sin(w * t) + q * y[0] ** 2, ke * (y[0] - y[1])], rtol=1e-14)
    jac = np.empty((2, 2))
    _call(module.model_jac, t, y, p, jac)
    np.testing.assert_allclose(jac, [[-k + 2 * q * y[0], 0.0], [ke, -ke]], rtol=1e-14)
    dfdt = np.empty(2)
    _call(module.model_dfdt, t, y, p, dfdt)
    np.testing.assert_allclose(dfdt, [amp * w * np.cos(w * t), 0.0], rtol=1e-14, atol=1e-15)
    init = np.empty(2)
    module.model_init(p, init)
    np.testing.assert_array_equal(init, [1.0, 0.0])
    out = np.empty(2)
    module.model_outputs(t, y, p, out)
    np.testing.assert_array_equal(out, [y[0], 2 * y[0]])
