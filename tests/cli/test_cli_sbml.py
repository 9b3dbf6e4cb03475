"""`hematwin sbml import FILE` and `hematwin sbml export MODEL`."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from hematwin.cli import app
from hematwin.library import friberg2002
from hematwin.model.sbml_import import from_sbml
from hematwin.model.text_format import load_model
from hematwin.model.yaml_writer import to_yaml

runner = CliRunner()
SHARP = Path(__file__).resolve().parents[3] / "shared" / "data" / "sbml" / "BIOMD0000000798.xml"


@pytest.mark.skipif(not SHARP.is_file(), reason=f"{SHARP} not present")
def test_import_prints_a_summary_and_writes_yaml(tmp_path):
    out = tmp_path / "sharp.yaml"
    result = runner.invoke(app, ["sbml", "import", str(SHARP), "--out", str(out)])
    assert result.exit_code == 0, result.output
    for text in ("States", "S, A, D, L, T", "Reactions converted", "immune_control",
                 "wrote model"):
        assert text in result.output
    assert load_model(out).state_names == ["S", "A", "D", "L", "T"]


def test_export_library_model_and_yaml_file(tmp_path):
    sbml = tmp_path / "friberg.xml"
    result = runner.invoke(app, ["sbml", "export", "friberg2002", "--out", str(sbml)])
    assert result.exit_code == 0, result.output
    assert from_sbml(sbml).spec.state_names == friberg2002.spec().state_names
    yaml_file = tmp_path / "friberg.yaml"
    yaml_file.write_text(to_yaml(friberg2002.spec()))
    result = runner.invoke(app, ["sbml", "export", str(yaml_file)])
    assert result.exit_code == 0
    assert result.output.startswith("<?xml") and "rateRule" in result.output


def test_bad_input_exits_with_the_element_named(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<sbml><model id='m'>")
    result = runner.invoke(app, ["sbml", "import", str(bad)])
    assert result.exit_code == 1 and "not a readable SBML document" in result.output
    result = runner.invoke(app, ["sbml", "export", "no_such_model"])
    assert result.exit_code == 1 and "neither a library model" in result.output
