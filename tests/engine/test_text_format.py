"""Models in YAML files: the same spec as in Python, and errors naming file and line."""

from __future__ import annotations

import textwrap

import numpy as np
import pytest
from engine_models import FIXTURES, model, onecpt_spec

from hematwin.engine import Model
from hematwin.errors import (
    DuplicateNameError,
    EquationSyntaxError,
    MissingEquationError,
    ModelError,
    ParameterError,
    UnknownSymbolError,
)
from hematwin.model.symbolic import build_symbolic
from hematwin.model.text_format import load_model, parse_model_yaml
from hematwin.therapy.regimen import Covariate, Dose, Regimen

GOOD = """\
name: toy
parameters:
  k: {value: 0.5, unit: 1/day, lower: 0}
  V: 2
states:
  x: {initial: 1, unit: mg}
  y: 0
equations: |
  kel = k*2
  d/dt(x) = -kel*x
  d/dt(y) = kel*x/V
outputs: |
  conc = x/V
"""


def _line(text: str, needle: str) -> int:
    """1-based line of the first line of ``text`` containing ``needle``."""
    for i, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in text")


def _check(text: str, error: type[Exception], needle: str, words: str, *, build=True):
    with pytest.raises(error) as info:
        spec = parse_model_yaml(text, file="toy.yaml")
        if build:
            build_symbolic(spec)
    message = str(info.value)
    line = _line(text, needle)
    assert f"line {line}" in message, message
    assert info.value.line == line
    assert "toy.yaml" in message
    assert words in message, message
    return info.value


def test_good_file_parses():
    spec = parse_model_yaml(GOOD, file="toy.yaml")
    assert spec.state_names == ["x", "y"]
    assert spec.parameter_names == ["k", "V"]
    assert spec.parameter("k").lower == 0
    assert [d.name for d in spec.definitions] == ["kel"]
    assert spec.equations[0].line == _line(GOOD, "d/dt(x)")
    assert spec.outputs[0].line == _line(GOOD, "conc =")
    build_symbolic(spec)


@pytest.mark.parametrize(
    ("old", "new", "error", "words"),
    [
        ("d/dt(x) = -kel*x", "d/dt(x) = -kel*(x", EquationSyntaxError, "cannot parse"),
        ("d/dt(x) = -kel*x", "d/dt(x) = -kel*x*kk", UnknownSymbolError, "'kk'"),
        ("d/dt(x) = -kel*x", "d/dt(x) = -kel*foo(x)", UnknownSymbolError, "unknown function"),
        # a parameter used but not declared
        ("d/dt(y) = kel*x/V", "d/dt(y) = kel*x/Vc", UnknownSymbolError, "'Vc'"),
        ("d/dt(y) = kel*x/V", "d/dt(z) = kel*x/V", MissingEquationError, "'z'"),
        ("d/dt(y) = kel*x/V", "dy/dt = kel*x/V", EquationSyntaxError, "expected 'd/dt(STATE)"),
        ("kel = k*2", "kel = k*2*kel2\n  kel2 = kel", ModelError, "cycle"),
        ("conc = x/V", "conc = x/W", UnknownSymbolError, "'W'"),
        ("conc = x/V", "conc x/V", EquationSyntaxError, "expected 'name = expression'"),
    ],
)
def test_equation_errors_name_the_line(old, new, error, words):
    text = GOOD.replace(old, new)
    needle = new.split("\n")[0]
    err = _check(text, error, needle, words)
    assert err.equation is not None or error is EquationSyntaxError


def test_state_without_equation_names_the_state_line():
    text = GOOD.replace("  y: 0\n", "  y: 0\n  z: 0\n")
    _check(text, MissingEquationError, "  z: 0", "'z' has no equation")


def test_duplicate_state_and_parameter():
    text = GOOD.replace("  y: 0\n", "  y: 0\n  V: 1\n")
    # states are registered first, so the parameter is the duplicate; its line is named
    _check(text, DuplicateNameError, "  V: 2", "parameter 'V' duplicates a state",
           build=False)


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("  V: 2\n", "  V: 2\n  k: 3\n", "  k: 3"),  # duplicate parameter key
        ("  y: 0\n", "  y: 0\n  x: 2\n", "  x: 2"),  # duplicate state key
        ("name: toy\n", "name: toy\nname: other\n", "name: other"),  # duplicate section
    ],
)
def test_yaml_duplicate_keys_are_errors(old, new, needle):
    _check(GOOD.replace(old, new), DuplicateNameError, needle, "appears twice", build=False)


@pytest.mark.parametrize("value", [".nan", "nan", "inf", "-.inf"])
def test_non_finite_default(value):
    text = GOOD.replace("  V: 2", f"  V: {value}")
    _check(text, ParameterError, f"  V: {value}", "not finite", build=False)


def test_non_numeric_default():
    text = GOOD.replace("  V: 2", "  V: two")
    _check(text, ModelError, "  V: two", "expected a number", build=False)


@pytest.mark.parametrize("fields", ["{value: -1, lower: 0}", "{value: 5, upper: 4}"])
def test_default_outside_bounds(fields):
    text = GOOD.replace("  V: 2", f"  V: {fields}")
    _check(text, ParameterError, "  V: {", "outside its bounds", build=False)


def test_unknown_parameter_field_and_section():
    _check(GOOD.replace("  V: 2", "  V: {value: 2, unti: L}"), ModelError, "  V: {",
           "unknown field", build=False)
    _check(GOOD + "solver: dp5\n", ModelError, "solver: dp5", "unknown section", build=False)


def test_missing_section_and_bad_yaml():
    with pytest.raises(ModelError, match="missing section 'equations'"):
        parse_model_yaml(GOOD.split("equations:")[0], file="toy.yaml")
    with pytest.raises(ModelError, match=r"toy.yaml, line \d+: not valid YAML"):
        parse_model_yaml(GOOD.replace("  V: 2", "  V: [2"), file="toy.yaml")
    with pytest.raises(ModelError, match="must be a YAML mapping"):
        parse_model_yaml("- a\n- b\n", file="toy.yaml")


def test_equation_line_numbers_with_blank_and_comment_lines():
    text = GOOD.replace("  kel = k*2\n", "  # elimination\n\n  kel = k*2   # per day\n\n")
    spec = parse_model_yaml(text)
    assert spec.definitions[0].line == _line(text, "kel = k*2")
    assert spec.definitions[0].expression == "k*2"
    assert spec.equations[1].line == _line(text, "d/dt(y)")


# --- the fixture file equals the Python model --------------------------------------------


def test_fixture_file_gives_the_python_spec():
    from_file = load_model(FIXTURES / "onecpt.yaml")
    in_python = onecpt_spec()
    assert from_file.file.endswith("onecpt.yaml")
    # lines and file differ by construction; everything else is the same model
    for part in ("states", "parameters", "equations", "definitions", "outputs"):
        strip = [(type(x).__name__, {k: v for k, v in vars(x).items() if k != "line"})
                 for x in getattr(from_file, part)]
        expect = [(type(x).__name__, {k: v for k, v in vars(x).items() if k != "line"})
                  for x in getattr(in_python, part)]
        if part == "states":  # YAML reads the initial 0 as an int
            strip = [(n, {**d, "initial": float(d["initial"]) if not isinstance(
                d["initial"], str) else d["initial"]}) for n, d in strip]
            expect = [(n, {**d, "initial": float(d["initial"]) if not isinstance(
                d["initial"], str) else d["initial"]}) for n, d in expect]
        assert strip == expect, part
    assert (from_file.name, from_file.method, from_file.time_unit) == ("onecpt", "dp5", "day")
    a, b = build_symbolic(from_file), build_symbolic(in_python)
    assert a.rhs == b.rhs and a.initial == b.initial and a.outputs == b.outputs


def test_fixture_file_simulates_identically():
    from_file = Model(load_model(FIXTURES / "onecpt.yaml"))
    in_python = model("onecpt")
    regimen = Regimen([Dose(0.5, 10.0, "x"), Dose(2.0, 4.0, "x", duration=0.5),
                       Covariate(3.0, "k", 0.4)])
    kwargs = dict(regimen=regimen, params={"amp": 0.3, "x0": 1.0}, times=np.linspace(0, 6, 25),
                  record=["x", "e", "conc", "double"])
    a = from_file.simulate(**kwargs)
    b = in_python.simulate(**kwargs)
    assert a.status.tolist() == b.status.tolist() == [0]
    np.testing.assert_array_equal(a.values, b.values)
    assert a.names == b.names and a.units == b.units


def test_errors_in_the_fixture_name_the_file(tmp_path):
    text = (FIXTURES / "onecpt.yaml").read_text().replace("d/dt(e) = ke*(x - e)",
                                                          "d/dt(e) = ke*(x - E)")
    path = tmp_path / "broken.yaml"
    path.write_text(text)
    with pytest.raises(UnknownSymbolError) as info:
        Model(load_model(path))
    assert str(path) in str(info.value)
    assert f"line {_line(text, 'd/dt(e)')}" in str(info.value)
    assert "'E'" in str(info.value)


def test_fixture_is_documented():
    text = (FIXTURES / "onecpt.yaml").read_text()
    assert textwrap.dedent(text).startswith("#")
