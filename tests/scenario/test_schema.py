"""Scenario files: errors name the line and field, list the valid choices; units convert."""

from __future__ import annotations

import pytest

from hematwin.errors import ScenarioError, UnitError
from hematwin.scenario import parse_scenario
from hematwin.scenario.units import convert

GOOD = """\
name: test
patient:
  age: 45
  weight: 70 kg
  height: 170 cm
  disease: aml
  modifiers:
    niche_quality: 0.8
treatment:
  - {type: seven_plus_three, day: 0, cytarabine: 100 mg/m2, daunorubicin: 60 mg/m2}
  - type: bu_cy
    day: 150
  - {type: stem_cell_transplant, day: 150, source: peripheral_blood, cd34: 5e6 cells/kg}
horizon: 2 years
"""


def error_for(old: str, new: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(GOOD.replace(old, new), file="s.yaml")
    return info.value


def test_good_scenario_converts_units():
    s = parse_scenario(GOOD)
    assert s.horizon == pytest.approx(730.5)
    assert s.patient.weight == 70.0
    assert s.treatment[0].arguments == {"cytarabine_mg_m2": 100.0, "daunorubicin_mg_m2": 60.0}
    assert s.treatment[2].arguments["cd34_per_kg"] == pytest.approx(5e6)
    assert s.transplant_day == 150.0
    assert len(s.regimen()) > 0


def test_unknown_treatment_type_lists_the_catalogue():
    e = error_for("seven_plus_three", "seven_plus_four")
    assert (e.file, e.line, e.field) == ("s.yaml", 10, "treatment[0].type")
    assert "seven_plus_three" in e.message and "stem_cell_transplant" in e.message


def test_unknown_choice_lists_the_valid_ones():
    e = error_for("peripheral_blood", "blood")
    assert (e.line, e.field) == (13, "treatment[2].source")
    for source in ("peripheral_blood", "bone_marrow", "cord_blood", "double_cord"):
        assert source in e.message


def test_wrong_dimension_names_the_unit_expected():
    e = error_for("100 mg/m2", "100 mg")
    assert (e.line, e.field) == (10, "treatment[0].cytarabine")
    assert "mg/m²" in e.message


def test_unknown_keys_list_the_valid_ones():
    e = error_for("age: 45", "agee: 45")
    assert (e.line, e.field) == (3, "patient.agee")
    assert "valid fields: age, sex" in e.message
    e = error_for("cd34: 5e6", "cd43: 5e6")
    assert e.field == "treatment[2].cd43" and "cd34" in e.message


def test_modifier_outside_the_parameter_range():
    e = error_for("niche_quality: 0.8", "niche_quality: 5")
    assert (e.line, e.field) == (8, "patient.modifiers.niche_quality")
    assert "q_niche" in e.message


def test_literal_disease_lists_choices_and_block_items_get_their_line():
    e = error_for("disease: aml", "disease: leukaemia")
    assert e.line == 6 and "'cml'" in e.message
    e = error_for("    day: 150\n", "    day: 1500\n")
    assert (e.line, e.field) == (12, "treatment[1].day")


def test_catalogue_refusal_points_at_the_key():
    text = GOOD.replace("  - type: bu_cy\n    day: 150\n",
                        "  - {type: cy_tbi, day: 150, tbi_fractions: 4}\n")
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, file="s.yaml")
    assert info.value.field == "treatment[1].tbi_fractions"
    assert info.value.line == 11


def test_missing_field_and_duplicate_key():
    e = error_for("horizon: 2 years\n", "")
    assert e.field == "horizon" and "missing" in e.message
    e = error_for("  age: 45\n", "  age: 45\n  age: 50\n")
    assert e.line == 4 and "twice" in e.message


@pytest.mark.parametrize(("text", "unit", "value"), [
    ("100 mg/m2", "mg/m**2", 100.0), ("3 g/m²", "mg/m**2", 3000.0),
    ("5 ug/kg", "ug/kg", 5.0), ("5 µg/kg", "ug/kg", 5.0), ("0.005 mg/kg", "ug/kg", 5.0),
    ("5e6 cells/kg", "1/kg", 5e6), ("2 Gy", "Gy", 2.0), ("400 d", "day", 400.0),
    ("3 w", "day", 21.0), ("2 years", "day", 730.5), ("3.2 mg/kg", "mg/kg", 3.2),
])
def test_unit_conversion(text, unit, value):
    assert convert(text, unit, field="x") == pytest.approx(value)


def test_daily_rates_and_bad_units():
    assert convert("100 mg/m2/day", "mg/m**2", field="x", per_day=True) == 100.0
    for bad in ("3.2", "3.2 mg", "5 apples/kg"):
        with pytest.raises(UnitError):
            convert(bad, "mg/kg", field="x")


def test_every_example_scenario_loads():
    from pathlib import Path

    from hematwin.scenario import load_scenario

    folder = Path(__file__).resolve().parents[2] / "examples" / "scenarios"
    files = sorted(folder.glob("*.yaml"))
    assert len(files) >= 10
    for f in files:
        assert load_scenario(f).name == f.stem


def test_blood_sampling_sets_the_phlebotomy_covariate_over_the_stay():
    s = parse_scenario(GOOD.replace(
        "horizon:", "  - {type: blood_sampling, day: 142, duration: 36 d, volume: 33.5 mL/day}\n"
                    "horizon:"), file="s.yaml")
    item = s.treatment[-1]
    assert item.arguments == {"stay_days": 36.0, "ml_per_day": 33.5}
    covariates = [(c.time, c.value) for c in item.regimen(s.patient).items]
    assert covariates == [(142.0, 33.5), (178.0, 0.0)]


def test_blood_sampling_needs_a_volume_in_millilitres():
    err = error_for("horizon:", "  - {type: blood_sampling, day: 0, duration: 10 d, "
                                "volume: 3 mg}\nhorizon:")
    assert "volume" in str(err)
