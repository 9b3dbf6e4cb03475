"""Sensitivity of a scenario endpoint (:mod:`hematwin.scenario.sensitivity`) and
``hematwin sensitivity``. Numbers of today's twin are not hard-coded: the checks are the
finite-difference arithmetic, the ranking, the batching and the files written."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from hematwin.cli import app
from hematwin.errors import ScenarioError
from hematwin.scenario import parse_scenario
from hematwin.scenario.sensitivity import default_parameters, sensitivity, write_sensitivity

pytestmark = pytest.mark.slow  # compiles the twin on a cold Numba cache

SCENARIO = """\
name: sens_autologous
patient: {age: 60, sex: male, weight: 80 kg, height: 178 cm, disease: myeloma}
treatment:
  - {type: melphalan200, day: 0, dose: 200 mg/m2}
  - {type: stem_cell_transplant, day: 0, source: peripheral_blood, donor: autologous,
     cd34: 3e6 cells/kg}
start: -3 d
horizon: 40 d
"""

PARAMS = ["ANC0", "MTT_N", "CL_MEL"]


@pytest.fixture(scope="module")
def scenario():
    return parse_scenario(SCENARIO)


@pytest.fixture(scope="module")
def local(scenario):
    return sensitivity(scenario, "anc_nadir", method="local", parameters=PARAMS, step=0.1)


def test_local_is_one_batch_of_central_differences(local):
    s = local.samples
    assert len(s) == 1 + 2 * len(PARAMS)  # baseline + two per parameter, one simulate call
    assert set(local.table["parameter"]) == set(PARAMS)
    e0 = local.baseline
    assert math.isfinite(e0) and e0 > 0
    for row in local.table.itertuples(index=False):
        assert row.low == pytest.approx(row.value * 0.9)
        assert row.high == pytest.approx(row.value * 1.1)
        expected = (row.endpoint_high - row.endpoint_low) / (row.high - row.low) \
            * row.value / e0
        assert row.elasticity == pytest.approx(expected)
        # the varied parameter really went into the simulation
        hi = s[(s["_param"] == row.parameter) & (s["_side"] == 1)]
        assert hi[row.parameter].iloc[0] == pytest.approx(row.high)


def test_local_is_ranked_by_absolute_elasticity(local):
    t = local.table
    assert list(t["rank"]) == list(range(1, len(t) + 1))
    a = t["abs_elasticity"].to_numpy()
    assert np.all(np.diff(a[np.isfinite(a)]) <= 0)


def test_plot_and_csv(local, tmp_path):
    files = write_sensitivity(local, tmp_path)
    assert files["plot"].stat().st_size > 1000
    back = pd.read_csv(files["table (CSV)"])
    assert list(back["parameter"]) == list(local.table["parameter"])


def test_unknown_endpoint_lists_the_valid_ones(scenario):
    with pytest.raises(ScenarioError, match="anc_nadir"):
        sensitivity(scenario, "no_such_endpoint", parameters=["ANC0"])


def test_unknown_parameter(scenario):
    with pytest.raises(ScenarioError, match="not_a_parameter"):
        sensitivity(scenario, "anc_nadir", parameters=["not_a_parameter"])


def test_default_parameters_include_the_calibrated_ones(scenario):
    from hematwin.scenario.runner import twin_model

    spec = twin_model().spec
    names = default_parameters(scenario, spec)
    calibrated = [p.name for p in spec.parameters
                  if (p.citation or "").startswith("calibrated")]
    assert calibrated and set(calibrated) <= set(names)


def test_sobol_small(scenario):
    r = sensitivity(scenario, "anc_nadir", method="sobol", parameters=["ANC0", "MTT_N"], n=4)
    assert len(r.samples) == 4 * (2 + 2)
    assert {"S1", "ST"} <= set(r.table.columns)


def test_cli_morris(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    res = CliRunner().invoke(app, ["sensitivity", str(path), "--endpoint", "anc_nadir",
                                   "--method", "morris", "--params", "ANC0,MTT_N,CL_MEL",
                                   "--n", "2", "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert "mu_star" in res.output
    assert (tmp_path / "sens_autologous_anc_nadir_morris.png").exists()
    table = pd.read_csv(tmp_path / "sens_autologous_anc_nadir_morris.csv")
    assert set(table["parameter"]) == {"ANC0", "MTT_N", "CL_MEL"}
    assert (table["mu_star"] >= 0).all()


def test_cli_bad_method(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    res = CliRunner().invoke(app, ["sensitivity", str(path), "--endpoint", "anc_nadir",
                                   "--method", "fast"])
    assert res.exit_code == 2
