"""The BioModels in ``../shared/data/sbml/``, imported (not rewritten), reach their analytic
steady states.

Each fact is derived from the model's equations with the parameter values of its BioModels
file (the same facts are listed in ``../shared/data/README.md``). Agreement of the imported
models with libRoadRunner is in ``tests/model/test_sbml_import.py``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from hematwin.engine import Model
from hematwin.model.sbml_import import from_sbml

SBML_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "sbml"

pytestmark = [
    pytest.mark.validation,
    pytest.mark.skipif(not SBML_DIR.is_dir(), reason=f"{SBML_DIR} not present"),
]


def run(file: str, days: float, params: dict[str, float] | None = None, n: int = 201):
    spec = from_sbml(SBML_DIR / file).spec
    times = np.linspace(0.0, days, n)
    result = Model(spec).simulate(times=times, params=params, record=spec.state_names,
                                  backend="scipy", method="LSODA", rtol=1e-10, atol=1e-12)
    assert result.ok.all()
    return spec, {name: result[name][0] for name in spec.state_names}


def test_precup2012_donor_steady_state():
    """Precup R et al., Int J Biomath 2012;5:1250026 (BIOMD0000000800): after the transplant
    the host lines die out and the donor line settles at z* = (a/c − 1)/b = 1.0e9 cells."""
    spec, x = run("BIOMD0000000800.xml", 20_000.0)
    a, b, c = (spec.parameter(k).default for k in ("a", "b", "c"))
    assert (a / c - 1) / b == pytest.approx(1.0e9)
    assert x["z"][-1] == pytest.approx(1.0e9, rel=1e-6)
    assert abs(x["x"][-1]) < 1.0 and abs(x["y"][-1]) < 1.0


def test_cucuianu2010_identical_lines_conserve_their_ratio():
    """Cucuianu A, Precup R 2010, doi:10.1080/17486700902973751 (BIOMD0000000799): with
    identical parameters for normal (x) and leukemic (y) cells, x + y → (a/c − 1)/b = 4 and
    x/y stays at its initial value 4.5/1.5 = 3."""
    same = {"a": 0.3, "A": 0.3, "b": 0.5, "B": 0.5, "c": 0.1, "C": 0.1}
    _, v = run("BIOMD0000000799.xml", 1000.0, params=same)
    x, y = v["x_Normal_Hematopoietic_Stem_Cell"], v["y_Leukemic_Cell"]
    assert (same["a"] / same["c"] - 1) / same["b"] == pytest.approx(4.0)
    assert x[-1] + y[-1] == pytest.approx(4.0, rel=1e-8)
    np.testing.assert_allclose(x / y, 3.0, rtol=1e-8)


def test_jiao2018_leukemic_takeover():
    """Jiao J et al. 2018, PubMed 29745850 (BIOMD0000000898): the leukemic line takes over the
    marrow, L* = 0.75 and T* = 0.70, while the healthy lineage dies out."""
    _, v = run("BIOMD0000000898.xml", 3000.0)
    assert v["L_LSC"][-1] == pytest.approx(0.75, rel=1e-6)
    assert v["T_TDLC"][-1] == pytest.approx(0.70, rel=1e-6)
    assert abs(v["S_HSC"][-1]) < 1e-9


def test_sharp2019_immune_control_clears_leukemia():
    """Sharp JA et al., J Theor Biol 2019;470:30 (BIOMD0000000798): with the immune term
    a = 0.015 the leukemic stem cells are cleared (L → 0) and the stem cells return to
    S* = 1 − ds/ps = 0.72."""
    spec, v = run("BIOMD0000000798.xml", 3000.0, params={"a": 0.015})
    ds, ps = spec.parameter("ds").default, spec.parameter("ps").default
    assert 1 - ds / ps == pytest.approx(0.72)
    assert v["S"][-1] == pytest.approx(0.72, rel=1e-8)
    assert abs(v["L"][-1]) < 1e-12
