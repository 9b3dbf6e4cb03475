"""`hematwin assess`: patient records in, summary printed, HTML report and tables out."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from hematwin.cli import app
from hematwin.data.detect import detect_format

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
MICHOR = ROOT.parent / "shared" / "data" / "cml" / "michor.csv"
FIXTURE = ROOT / "tests" / "clinic" / "fixtures" / "hsct_small.csv"

needs_shared = pytest.mark.skipif(not MICHOR.is_file(), reason="../shared/data is absent")


def _text(result) -> str:
    try:
        return result.output + result.stderr
    except ValueError:  # stderr not captured separately
        return result.output


def _bad_copy(tmp_path: Path) -> tuple[Path, int]:
    """The fixture with two bad rows appended (negative count, unknown analyte)."""
    lines = FIXTURE.read_text().splitlines()
    header = lines[0].split(",")
    good = len(lines) - 1

    def row(**kw: str) -> str:
        return ",".join(kw.get(c, "") for c in header)

    lines.append(row(patient_id="H1", record_type="observation", analyte="anc", value="-0.3",
                     unit="10^9/L", day="30"))
    lines.append(row(patient_id="H1", record_type="observation", analyte="neutrofils",
                     value="1.0", unit="10^9/L", day="31"))
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n")
    return path, good


def _html(out: Path) -> str:
    pages = list(out.glob("*.html"))
    assert len(pages) == 1
    return pages[0].read_text()


def _self_contained(page: str) -> None:
    assert re.search(r'<img[^>]+src="data:image/png;base64,[A-Za-z0-9+/=]{1000,}"', page)
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r'<link[^>]+href="?https?:', page)
    assert "http://" not in page and "https://" not in page


def test_assess_fixture_prints_summary_and_writes_report(tmp_path):
    result = runner.invoke(app, ["assess", str(FIXTURE), "--out", str(tmp_path)])
    assert result.exit_code == 0, _text(result)
    out = " ".join(result.output.split())
    assert "rows read 37 = accepted 37 + rejected 0" in out
    assert "day +11" in out and "day +13" in out  # neutrophil / platelet engraftment
    page = _html(tmp_path)
    _self_contained(page)
    assert "Patient H1" in page and "Transplant endpoints" in page
    assert (tmp_path / "assessment.json").is_file()
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert summary.loc[0, "neutrophil_engraftment_day"] == 11


def test_ctcae_version_option(tmp_path):
    result = runner.invoke(app, ["assess", str(FIXTURE), "--out", str(tmp_path),
                                 "--ctcae", "6.0"])
    assert result.exit_code == 0, _text(result)
    assert "Thrombocytopenia" in result.output
    bad = runner.invoke(app, ["assess", str(FIXTURE), "--ctcae", "4.0"])
    assert bad.exit_code == 2


def test_lenient_writes_rejected_rows_and_counts_reconcile(tmp_path):
    path, good = _bad_copy(tmp_path)
    out = tmp_path / "out"
    result = runner.invoke(app, ["assess", str(path), "--out", str(out), "--lenient"])
    assert result.exit_code == 0, _text(result)
    assert f"rows read {good + 2} = accepted {good} + rejected 2" in " ".join(
        result.output.split())
    rejected = pd.read_csv(out / "rejected.csv")
    assert list(rejected["row"]) == [good + 1, good + 2]
    assert set(rejected["field"]) == {"value", "analyte"}
    assert rejected["reason"].str.len().min() > 0
    assert "Rejected rows" in _html(out)


def test_strict_run_names_file_row_and_field(tmp_path):
    path, good = _bad_copy(tmp_path)
    result = runner.invoke(app, ["assess", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    text = " ".join(_text(result).split())
    assert "bad.csv" in text and f"row {good + 1}" in text and "field 'value'" in text
    assert not (tmp_path / "out" / "rejected.csv").exists()


def test_unknown_layout_is_refused(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    result = runner.invoke(app, ["assess", str(path), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "cannot tell the format" in " ".join(_text(result).split())


@needs_shared
def test_michor_milestone_table(tmp_path):
    assert detect_format(MICHOR) == "michor"
    result = runner.invoke(app, ["assess", str(MICHOR), "--out", str(tmp_path)])
    assert result.exit_code == 0, _text(result)
    assert "68 patient(s)" in result.output
    assert "ELN 2020" in result.output
    miles = pd.read_csv(tmp_path / "cml_milestones.csv")
    assert len(miles) == 68 and miles["patient_id"].nunique() == 68
    for month in (3, 6, 12):
        assert set(miles[f"verdict_{month}mo"]) <= {"optimal", "warning", "failure",
                                                    "not assessable"}
    over_time = pd.read_csv(tmp_path / "cml_response_over_time.csv")
    assert over_time["patient_id"].nunique() == 68
    assert len(over_time) == len(pd.read_csv(MICHOR))  # every measurement classified
    counts = pd.read_csv(tmp_path / "cml_milestone_counts.csv").set_index("milestone")
    assert (counts.sum(axis=1) == 68).all()
    page = _html(tmp_path)
    _self_contained(page)
    assert page.count('<section id="pt-') == 68
    assert "CML: molecular response and ELN 2020 milestones" in page


@pytest.mark.parametrize("fmt", ["fhir", "sdtm"])
def test_format_is_detected_from_the_file(tmp_path, fmt):
    from hematwin.data import read_csv, write_fhir, write_sdtm_lb
    from hematwin.data.detect import read_record

    timeline = read_csv(FIXTURE).timelines[0]
    if fmt == "sdtm":  # LB holds laboratory observations only
        labs = tuple(o for o in timeline.observations if o.analyte != "temperature")
        timeline = timeline.model_copy(update={"events": (), "marrow": (), "chimerism": (),
                                               "observations": labs})
    if fmt == "fhir":
        path = write_fhir(timeline, tmp_path / "record.json")
    else:
        path = write_sdtm_lb(timeline, tmp_path / "lb.csv", reference="omit")
    assert detect_format(path) == fmt
    report = read_record(path)
    anc = report.timelines[0].series("anc")
    assert list(anc.index) == list(timeline.series("anc").index)


def test_nonmem_needs_a_dv_map(tmp_path):
    path = tmp_path / "nm.csv"
    path.write_text("ID,TIME,AMT,EVID,CMT,DV,MDV\n1,0,100,1,1,.,1\n1,7,0,0,2,0.4,0\n"
                    "1,14,0,0,2,1.8,0\n")
    result = runner.invoke(app, ["assess", str(path), "--out", str(tmp_path)])
    assert result.exit_code == 1 and "dv_map" in _text(result)
    result = runner.invoke(app, ["assess", str(path), "--out", str(tmp_path), "--dv-map", "2=anc"])
    assert result.exit_code == 0, _text(result)
    assert "rows read 2 = accepted 2 + rejected 0" in " ".join(result.output.split())
