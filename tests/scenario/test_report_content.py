"""What the scenario report shows besides the endpoint table: the CML panel's ELN 2020
milestones (verdicts from :mod:`hematwin.clinic.response_cml` on the simulated BCR::ABL1),
the meaning of every endpoint, the treatment labels, and the distributions for several
virtual patients. Values are compared with the API's, never hard-coded."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from hematwin.clinic import response_cml
from hematwin.report.scenario_report import (
    MOLECULAR_LEVELS,
    eln_milestone_table,
    endpoint_table,
    scenario_figure,
    write_scenario_report,
)
from hematwin.scenario import parse_scenario, run_scenario

pytestmark = pytest.mark.slow  # compiles the twin on a cold Numba cache

CML = """\
name: cml_short
patient: {age: 52, sex: male, weight: 82 kg, height: 180 cm, disease: cml}
treatment:
  - {type: imatinib, day: 0, dose: 400 mg, duration: 400 d}
horizon: 400 d
"""


@pytest.fixture(scope="module")
def cml():
    return run_scenario(parse_scenario(CML))


def test_cml_report_has_the_eln_milestones_of_the_api(cml, tmp_path: Path):
    table = eln_milestone_table(cml)
    assert list(table["month"]) == [3, 6, 12]
    for row in table.itertuples():
        value = float(cml.endpoints[f"bcr_abl_pct_{row.month}mo"].iloc[0])
        assert row.verdict == response_cml.eln2020_verdict(row.month, value).value
        assert row.verdict == cml.endpoints[f"eln2020_{row.month}mo"].iloc[0]
    page = write_scenario_report(cml, tmp_path / "cml.html").read_text(encoding="utf-8")
    assert "ELN 2020 milestones" in page
    for verdict in table["verdict"]:
        assert re.search(rf'<td class="{verdict}">{verdict}</td>', page)


def test_cml_panel_draws_the_molecular_response_levels(cml):
    fig = scenario_figure(cml)
    labels = {line.get_label() for ax in fig.axes for line in ax.get_lines()}
    assert {text for _, text, _, _ in MOLECULAR_LEVELS} <= labels
    assert any(label.startswith("ELN 2020 milestone: ") for label in labels)
    bcr_axes = [ax for ax in fig.axes if "BCR::ABL1" in ax.get_ylabel()]
    assert len(bcr_axes) == 1 and bcr_axes[0].get_yscale() == "log"


def test_every_endpoint_has_a_meaning_and_a_unit_where_it_has_one(cml):
    table = endpoint_table(cml)
    assert (table["meaning"] != "").all(), table[table["meaning"] == ""]["endpoint"].tolist()
    assert table.set_index("endpoint").at["anc_nadir", "unit"] == "×10⁹/L"


def test_cohort_report_shows_bands_and_distributions(tmp_path: Path):
    text = CML.replace("name: cml_short", "name: cml_cohort").replace(
        "horizon: 400 d", "horizon: 120 d\nvariability: {n: 8, seed: 3}")
    result = run_scenario(parse_scenario(text))
    assert result.n == 8
    band = result.band("anc")
    assert np.all(band["lower"] <= band["median"] + 1e-12)
    assert np.all(band["median"] <= band["upper"] + 1e-12)
    page = write_scenario_report(result, tmp_path / "c.html").read_text(encoding="utf-8")
    assert "Endpoint distributions" in page and "Median and 5th-95th percentile" in page
    assert "optimal (share)" in page
    shares = eln_milestone_table(result).iloc[0]
    verdicts = result.endpoints["eln2020_3mo"]
    assert shares["optimal (share)"] == pytest.approx((verdicts == "optimal").mean(), abs=1e-3)
