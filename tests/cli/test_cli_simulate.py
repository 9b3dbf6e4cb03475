"""`hematwin simulate` and `hematwin models`, and the metrics behind the printed table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from hematwin.cli import app
from hematwin.errors import UnitError
from hematwin.quantities import parse_quantity
from hematwin.report.cohort import simulate_cycles_cohort
from hematwin.report.summaries import OVERALL, cycle_metrics, quantile_band, summarize_metrics

runner = CliRunner()

DEMO = ["simulate", "friberg2002", "--drug", "docetaxel", "--dose", "180mg", "--cycles", "2",
        "--every", "21d", "--patients", "50", "--iiv", "--seed", "1"]


def _text(result) -> str:
    try:
        return result.output + result.stderr
    except ValueError:  # stderr not captured separately
        return result.output


# --- the command ----------------------------------------------------------------------


def test_simulate_prints_the_table_and_writes_the_files(tmp_path):
    result = runner.invoke(app, [*DEMO, "--out", str(tmp_path)])
    assert result.exit_code == 0, _text(result)
    out = result.output
    for text in ("Nadir", "Time to nadir", "Days < 0.5", "Days < 1", "Overall",
                 "5th–95th percentile", "All 50 patients solved"):
        assert text in out

    counts = pd.read_parquet(tmp_path / "friberg2002_docetaxel_anc.parquet")
    assert list(counts.columns) == ["id", "time", "anc", "status"]
    assert counts["id"].nunique() == 50
    assert counts["time"].max() == pytest.approx(42.0)  # 2 cycles × 21 days
    assert np.allclose(np.diff(np.sort(counts["time"].unique())), 0.25)  # default 6 h
    assert (counts["status"] == 0).all()

    metrics = pd.read_parquet(tmp_path / "friberg2002_docetaxel_metrics.parquet")
    assert sorted(metrics["cycle"].unique()) == ["1", "2", OVERALL]
    # the printed medians are those of the written per-patient table
    for cycle, label in (("1", "1"), (OVERALL, "Overall")):
        nadir = metrics.loc[metrics["cycle"] == cycle, "nadir"]
        low, med, high = np.quantile(nadir, [0.05, 0.5, 0.95])
        row = next(line for line in out.splitlines() if line.strip().startswith(label))
        assert f"{med:.2f} ({low:.2f}–{high:.2f})" in row

    png = (tmp_path / "friberg2002_docetaxel_anc.png").read_bytes()
    assert png.startswith(b"\x89PNG")


@pytest.mark.parametrize("option, value", [("--dose", "180xyz"), ("--dose", "180"),
                                           ("--every", "3kg"), ("--every", "21")])
def test_bad_unit_is_a_usage_error_naming_the_option(tmp_path, option, value):
    args = list(DEMO)
    args[args.index(option) + 1] = value
    result = runner.invoke(app, [*args, "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert option in _text(result)
    assert not any(tmp_path.iterdir())


def test_library_error_exits_1_with_the_field(tmp_path):
    result = runner.invoke(app, [*DEMO[:2], "--dose", "180mg", "--drug", "cisplatin",
                                 "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "drug" in _text(result) and "cisplatin" in _text(result)


def test_failed_patients_are_counted_with_reasons_and_the_run_completes(tmp_path):
    result = runner.invoke(app, [*DEMO, "--max-steps", "5", "--out", str(tmp_path)])
    assert result.exit_code == 0, _text(result)
    assert "50 of 50 patients failed" in result.output
    assert "max_steps reached" in result.output
    assert "across 0 patients" in result.output
    counts = pd.read_parquet(tmp_path / "friberg2002_docetaxel_anc.parquet")
    assert (counts["status"] != 0).all()  # written, flagged, not dropped


def test_models_lists_the_library_with_a_validation_status(monkeypatch):
    # the module's console takes its width when hematwin.cli is first imported (80 columns
    # without a terminal, as in CI), so widen it here: the table then keeps cells on one line
    from hematwin import cli

    monkeypatch.setattr(cli.console, "width", 250)
    result = CliRunner().invoke(app, ["models"])
    assert result.exit_code == 0
    out = result.output
    assert "friberg2002" in out and "Friberg" in out and "Validation status" in out
    for name in ("hsc_clonal", "precup2012_sbml", "sharp2019_sbml", "cucuianu2010_sbml",
                 "andersen2017_sbml", "jiao2018_sbml"):
        assert name in out
    assert "BIOMD0000000852" in out
    assert "no check against the paper declared" in out  # five_lineage, andersen2017_sbml


@pytest.mark.parametrize("name, variable", [("biomd0000000800", "z"),
                                            ("jiao2018_sbml", "L_LSC"),
                                            ("hsc_clonal", "mutant present")])
def test_simulate_runs_biomodels_and_the_stochastic_model(tmp_path, name, variable):
    result = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["simulate", name,
                                                            "--out", str(tmp_path)])
    assert result.exit_code == 0, _text(result)
    assert variable in result.output and "solver: ok" in result.output
    assert (tmp_path / f"{name}.png").read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / f"{name}.parquet").stat().st_size > 0


# --- the API behind it ----------------------------------------------------------------


def test_cohort_does_not_depend_on_chunking_and_reports_progress():
    calls = []
    kwargs = dict(drug="docetaxel", dose_mg=180.0, cycles=1, every_days=21.0, patients=30,
                  iiv=True, seed=7)
    one = simulate_cycles_cohort(chunk_size=30, **kwargs)
    three = simulate_cycles_cohort(chunk_size=10, progress=lambda d, n: calls.append((d, n)),
                                   **kwargs)
    assert calls == [(0, 30), (10, 30), (20, 30), (30, 30)]
    pd.testing.assert_frame_equal(one.metrics, three.metrics)
    assert one.n_failed == 0 and one.files == {}


@pytest.mark.parametrize("text, unit, value", [
    ("180mg", "mg", 180.0), ("0.18g", "mg", 180.0), ("180 mg", "mg", 180.0),
    ("21d", "day", 21.0), ("3w", "day", 21.0), ("504h", "day", 21.0), ("6h", "day", 0.25),
])
def test_parse_quantity(text, unit, value):
    assert parse_quantity(text, unit) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("text", ["180xyz", "180", "21d", "nan mg", ""])
def test_parse_quantity_rejects(text):
    with pytest.raises(UnitError, match="dose"):
        parse_quantity(text, "mg", field="dose")


# --- metrics on a hand-made series ------------------------------------------------------

DAYS = np.arange(11.0)
#                  cycle 1 (doses on day 0) ...........  cycle 2 (day 6) ......
COUNTS = np.array([2.0, 1.5, 0.8, 0.4, 0.6, 1.2, 2.0, 1.0, 0.3, 0.9, 1.1])


def test_cycle_metrics_by_hand():
    m = cycle_metrics(COUNTS, DAYS, [0.0, 6.0]).set_index("cycle")
    # Cycle 1: nadir 0.4 on day 3. Below 1.0 from the crossing 1 + 0.5/0.7 = 12/7 to
    # 4 + 0.4/0.6 = 14/3: 62/21 day; below 0.5 from 2 + 0.3/0.4 = 2.75 to 3.5: 0.75 day.
    assert m.loc["1", "nadir"] == 0.4
    assert m.loc["1", "time_to_nadir"] == 3.0
    assert m.loc["1", "days_below_1"] == pytest.approx(62 / 21)
    assert m.loc["1", "days_below_0.5"] == pytest.approx(0.75)
    # Cycle 2: 1.0 on day 7 is not below 1.0; below from day 7 to 9.5 = 2.5 days; below 0.5
    # from 7 + 0.5/0.7 to 8 + 0.2/0.6: 2/7 + 1/3 = 13/21 day. Nadir 0.3, 2 days after dose.
    assert m.loc["2", "nadir"] == 0.3
    assert m.loc["2", "time_to_nadir"] == 2.0
    assert m.loc["2", "days_below_1"] == pytest.approx(2.5)
    assert m.loc["2", "days_below_0.5"] == pytest.approx(13 / 21)
    # Whole series: the lowest nadir, timed from its own cycle's dose; times add up.
    assert m.loc[OVERALL, "nadir"] == 0.3
    assert m.loc[OVERALL, "time_to_nadir"] == 2.0
    assert m.loc[OVERALL, "days_below_1"] == pytest.approx(62 / 21 + 2.5)
    assert m.loc[OVERALL, "days_below_0.5"] == pytest.approx(0.75 + 13 / 21)


def test_cycle_metrics_counts_the_days_before_the_first_dose():
    m = cycle_metrics(COUNTS[::-1], DAYS, [2.0, 6.0]).set_index("cycle")
    # reversed: 1.1, 0.9, 0.3 | 1.0, ... → below 1.0 from day 0.5 before the first dose
    assert m.loc["1", "time_to_nadir"] == 0.0
    assert m.loc[OVERALL, "days_below_1"] == pytest.approx(62 / 21 + 2.5)


def test_cycle_metrics_rejects_doses_off_the_grid():
    with pytest.raises(Exception, match="not one of the saved days"):
        cycle_metrics(COUNTS, DAYS, [0.0, 6.5])


def test_summary_is_median_and_5th_95th_percentile():
    metrics = pd.DataFrame({"id": range(11), "cycle": "1", "nadir": np.arange(11.0)})
    s = summarize_metrics(metrics).loc["1"]
    assert s[("nadir", "median")] == 5.0
    assert s[("nadir", "lower")] == pytest.approx(0.5)
    assert s[("nadir", "upper")] == pytest.approx(9.5)
    assert s[("n", "")] == 11


def test_quantile_band_leaves_out_failed_patients():
    values = np.array([[1.0, 2.0], [3.0, np.nan], [5.0, 4.0]])
    band = quantile_band(values)
    assert band["median"].tolist() == [3.0, 3.0]
