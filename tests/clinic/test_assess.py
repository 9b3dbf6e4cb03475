"""`hematwin.clinic.assess` on a small transplant record whose endpoints were worked by hand.

Fixture ``fixtures/hsct_small.csv``: one allogeneic PBSC transplant (day 0), ANC with LLN 1.8,
platelets with LLN 150, a platelet transfusion on day 5, a fever on day 3.5, marrows on day
-10 (40 % blasts) and day 21 ("<5"), chimerism on day 21 (CD3 60 %, CD33 ">95").
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from hematwin.clinic.assess import PatientAssessment, assess, effective_value
from hematwin.data import Observation, Timeline, read_csv

FIXTURE = Path(__file__).parent / "fixtures" / "hsct_small.csv"


@pytest.fixture(scope="module")
def assessed() -> PatientAssessment:
    return assess(read_csv(FIXTURE).timelines[0])


def _grades(a: PatientAssessment, analyte: str) -> dict[float, int | None]:
    g = a.grades[a.grades["analyte"] == analyte]
    return {float(d): (None if pd.isna(x) else int(x))
            for d, x in zip(g["day"], g["grade"], strict=True)}


def test_ctcae_grades_per_observation(assessed: PatientAssessment) -> None:
    # CTCAE v5.0 ANC: G1 <LLN(1.8), G2 <1.5, G3 <1.0, G4 <0.5; 0.5 itself is G3 (strict "<");
    # "<0.1" is at least G4.
    assert _grades(assessed, "anc") == {
        -7.0: 0, -3.0: 2, 0.0: 4, 3.0: 4, 7.0: 4, 10.0: 4, 11.0: 3, 12.0: 3, 13.0: 3,
        14.0: 1, 21.0: 0,
    }
    # platelets v5.0: G1 <LLN 150, G2 <75, G3 <50, G4 <25; 25 itself is G3.
    plt = _grades(assessed, "platelets")
    assert (plt[-7.0], plt[-3.0], plt[0.0], plt[3.0], plt[5.0], plt[7.0]) == (0, 1, 2, 3, 4, 3)
    censored = assessed.grades[assessed.grades["censor"] == "<"]
    assert list(censored["bound"]) == ["at least"]
    assert assessed.worst_grade("hemoglobin") == 3  # 7.9 g/dL < 8.0
    assert assessed.worst_grade("wbc") == 4  # 0.2 < 1.0


def test_ctcae_v6_changes_the_anc_bands() -> None:
    a = assess(read_csv(FIXTURE).timelines[0], ctcae_version="6.0")
    # v6.0 ANC: G1 <1.5, G2 <1.0, G3 <0.5, G4 <0.1: 1.2 -> G2, 0.4 -> G3, "<0.1" -> G4.
    anc = _grades(a, "anc")
    assert (anc[-3.0], anc[0.0], anc[3.0], anc[14.0]) == (1, 3, 4, 0)
    assert "Thrombocytopenia" in set(a.grades["term"])
    assert "lymphocytes" not in set(a.grades["analyte"])


def test_anc_episode(assessed: PatientAssessment) -> None:
    ep = assessed.cytopenia[assessed.cytopenia["analyte"] == "anc"].iloc[0]
    # grade >= 2 from day -3 until day 14 (grade 1): G2 -3..0, G4 0..11, G3 11..14.
    assert (ep.onset_day, ep.recovery_day, ep.duration_days) == (-3.0, 14.0, 17.0)
    assert (ep.days_grade_2, ep.days_grade_3, ep.days_grade_4) == (3.0, 3.0, 11.0)
    assert (ep.nadir, ep.nadir_day, ep.worst_grade) == (0.05, 7.0, 4)


def test_transplant_endpoints(assessed: PatientAssessment) -> None:
    t = assessed.transplant
    assert t is not None
    # ANC < 0.5 from day 0; first of 3 consecutive >= 0.5: days 11, 12, 13 (0.5 counts).
    assert t.neutrophil_engraftment_day == 11.0
    # Platelets >= 20 from day 7 on, but the transfusion on day 5 must be > 7 days before the
    # first of the 3 counts: runs starting on days 7, 10, 11, 12 are refused; day 13 counts.
    assert t.platelet_engraftment_day == 13.0
    assert t.primary_graft_failure == "engrafted"
    assert t.primary_graft_failure_deadline_day == 30.0  # PBSC


def test_infection_exposure(assessed: PatientAssessment) -> None:
    i = assessed.infection
    assert i is not None
    assert i.start_day == 0.0  # from the transplant on
    # ANC < 0.5 on days 0, 3, 7, 10 (each holds until the next count): 11 days;
    # < 0.1 on days 3 ("<0.1") and 7 (0.05): 4 + 3 = 7 days.
    assert i.days_anc_below_0_5 == 11.0
    assert i.days_anc_below_0_1 == 7.0
    assert i.febrile_episodes is not None and len(i.febrile_episodes) == 1


def test_aml_and_chimerism(assessed: PatientAssessment) -> None:
    # Day 21: blasts "<5", ANC 2.5, platelets 80 -> CRh (ELN 2022), baseline day -10.
    assert assessed.aml is not None
    assert assessed.aml.baseline_day == -10.0
    assert assessed.aml.best_response == "CRh"
    ch = assessed.chimerism
    assert ch is not None
    assert ch.latest_by_lineage == {"cd3": "mixed", "cd33": "full donor"}  # ">95" is > 95
    assert ch.split and ch.overall == "mixed"


def test_to_dict_is_json(assessed: PatientAssessment) -> None:
    d = json.loads(json.dumps(assessed.to_dict()))
    assert d["transplant"]["neutrophil_engraftment_day"] == 11.0
    assert d["patient_id"] == "H1"
    assert any(row["censor"] == "<" for row in d["grades"])


def test_censored_value_sits_on_the_proven_side() -> None:
    assert effective_value(0.5, "<") < 0.5 < effective_value(0.5, ">")
    assert effective_value(0.5, None) == 0.5


def test_simulated_series_same_path_and_cml() -> None:
    """A timeline built in code (as a simulation would) with BCR::ABL1 values."""
    obs = [Observation(analyte="bcr_abl1_is_pct", value=v, day=d, censor=c)
           for d, v, c in [(0, 80.0, None), (91, 8.0, None), (182, 0.5, None),
                           (365, 0.1, "<")]]
    a = assess(Timeline(patient_id="sim-1", observations=obs))
    assert a.cml is not None
    assert [a.cml.verdict(m) for m in (3, 6, 12)] == ["optimal", "optimal", "optimal"]
    assert a.cml.latest_response == "MMR"
    assert math.isclose(a.cml.mmr_day or -1, 365.0)
    assert a.transplant is None and a.infection is None
