"""`hematwin simulate MODEL` without a dose runs the model's default (published) regimen."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from hematwin.cli import app
from hematwin.library import MODELS
from hematwin.library.defaults import DEFAULT_RUNS, default_run


def test_every_library_model_has_a_default_run():
    assert set(DEFAULT_RUNS) == set(MODELS)
    for name in MODELS:
        spec, regimen, days, note = default_run(name)
        assert spec.states and days > 0 and note


def test_default_run_writes_table_parquet_and_plot(tmp_path):
    result = CliRunner().invoke(app, ["simulate", "precup2012", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "donor" in result.output and "solver: ok" in result.output
    assert (tmp_path / "precup2012.parquet").stat().st_size > 0
    assert (tmp_path / "precup2012.png").stat().st_size > 0


def test_unknown_model_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(app, ["simulate", "nosuchmodel", "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert "unknown library model" in result.output


@pytest.mark.parametrize("name", ["nosuchmodel"])
def test_default_run_api_rejects_unknown(name):
    from hematwin.errors import ModelError

    with pytest.raises(ModelError, match="available"):
        default_run(name)
