"""The scenario's patient → the twin's typical parameters (no simulation)."""

from __future__ import annotations

import pytest

from hematwin.errors import RegimenError
from hematwin.scenario.runner import patient_parameters
from hematwin.scenario.schema import Scenario
from hematwin.therapy.patient import baseline_hb
from hematwin.twin.model import twin_spec


def _scenario(**patient) -> Scenario:
    return Scenario.model_validate({"name": "p", "patient": patient, "treatment": [],
                                    "horizon": "10 d"})


def test_men_start_with_more_hemoglobin_than_women():
    spec = twin_spec()
    hb = {sex: patient_parameters(_scenario(sex=sex), spec)[0]["HB0"]
          for sex in ("female", "male")}
    assert hb["male"] - hb["female"] == pytest.approx(1.9)
    assert hb["female"] < spec.parameter("HB0").default < hb["male"]


def test_an_explicit_baseline_hemoglobin_wins_over_sex():
    values, _ = patient_parameters(_scenario(sex="male", parameters={"HB0": 12.5}), twin_spec())
    assert values["HB0"] == 12.5


def test_unknown_sex_is_a_named_error():
    with pytest.raises(RegimenError, match="sex"):
        baseline_hb("unknown", 14.0)
