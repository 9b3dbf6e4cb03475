"""The patient's marrow modifiers and their mapping onto the twin's parameters."""

from __future__ import annotations

import pytest

from hematwin.errors import RegimenError
from hematwin.therapy.patient import Patient
from hematwin.twin import twin_spec


def test_default_patient_is_the_twins_calibrated_reference():
    defaults = {p.name: p.default for p in twin_spec().parameters}
    for name, value in Patient(70, 170).twin_parameters().items():
        assert value == defaults[name], name


def test_modifiers_map_onto_twin_parameters():
    p = Patient(70, 170, age_years=72, niche_quality=0.6, prior_therapy_hsc_loss=0.3)
    assert p.twin_parameters() == {"age": 72.0, "q_niche": 0.6, "hsc_damage": 0.3}


@pytest.mark.parametrize("kwargs, field", [
    (dict(age_years=-1), "age_years"),
    (dict(age_years=130), "age_years"),
    (dict(niche_quality=0.0), "niche_quality"),
    (dict(niche_quality=1.5), "niche_quality"),
    (dict(prior_therapy_hsc_loss=1.0), "prior_therapy_hsc_loss"),
    (dict(prior_therapy_hsc_loss=-0.1), "prior_therapy_hsc_loss"),
])
def test_bad_modifiers_are_named(kwargs, field):
    with pytest.raises(RegimenError, match=field) as err:
        Patient(70, 170, **kwargs)
    assert err.value.field == field
