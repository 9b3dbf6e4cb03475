"""End to end: a scenario through ``hematwin run``; the report's endpoint table agrees with
the numbers of the API (:func:`hematwin.scenario.run_scenario`)."""

from __future__ import annotations

import json
import math
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hematwin.cli import app
from hematwin.scenario import load_scenario, run_scenario

pytestmark = pytest.mark.slow  # compiles the twin on a cold Numba cache

SCENARIO = """\
name: e2e_autologous
patient: {age: 60, sex: male, weight: 80 kg, height: 178 cm, disease: myeloma}
treatment:
  - {type: melphalan200, day: 0, dose: 200 mg/m2}
  - {type: stem_cell_transplant, day: 0, source: peripheral_blood, donor: autologous,
     cd34: 3e6 cells/kg}
start: -3 d
horizon: 40 d
"""


class _Table(HTMLParser):
    """The rows of the table inside ``<div id="endpoint-table">``."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "div" and ("id", "endpoint-table") in attrs:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None
        elif self.inside and tag == "table":
            self.inside = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def test_run_report_endpoints_match_the_api(tmp_path: Path):
    path = tmp_path / "e2e.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    html_text = (out / "e2e_autologous.html").read_text(encoding="utf-8")
    assert "<script" not in html_text and "<link" not in html_text
    assert re.search(r'src="data:image/png;base64,', html_text)
    parser = _Table()
    parser.feed(html_text)
    header, *rows = parser.rows
    assert header[:3] == ["endpoint", "unit", "value"]
    shown = {r[0]: r[2] for r in rows}

    api = run_scenario(load_scenario(path))
    expected = dict(zip(api.summary["endpoint"], api.summary["value"], strict=True))
    assert set(shown) == set(expected)
    for name in ("anc_nadir", "neutrophil_engraftment_day", "platelet_engraftment_day",
                 "anc_days_grade4", "p_infection_end"):
        value = expected[name]
        if value is None or (isinstance(value, float) and math.isnan(value)):
            assert shown[name] == "not reached"
        else:
            assert float(shown[name]) == pytest.approx(value, rel=1e-3)


def test_run_json_and_schema_error_exit_codes(tmp_path: Path):
    path = tmp_path / "e2e.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", str(path), "--out", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "e2e_autologous.json").read_text(encoding="utf-8"))
    assert data["n_patients"] == 1
    assert {row["endpoint"] for row in data["summary"]} >= {"anc_nadir",
                                                            "neutrophil_engraftment_day"}
    path.write_text(SCENARIO.replace("peripheral_blood", "blood"), encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(path), "--out", str(out)])
    assert result.exit_code == 1
    assert "line 5" in result.output and "bone_marrow" in result.output
