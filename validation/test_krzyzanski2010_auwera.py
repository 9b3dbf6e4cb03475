"""Krzyzanski 2010 filgrastim model against van der Auwera 2001 healthy volunteers.

Data: ``../shared/data/gcsf/auwera.csv`` (van der Auwera et al., Am J Hematol 2001;66:245,
Figs 1–5, digitised by radivot/myelo): ANC after a single s.c. filgrastim dose of 5 and
10 µg/kg. The model (typical values, 70 kg) was fitted by Krzyzanski to other healthy-volunteer
studies (daily s.c. 2.5–10 µg/kg × 7 d, i.v. 5 µg/kg), so this is an external check.

Agreement achieved (typical values): peak ANC −8 % (5 µg/kg) and −2 % (10 µg/kg); rise 6–24 h
RMSE of log ANC 0.11 / 0.07. After 24 h the model's ANC falls with the blood neutrophil
half-life (ln 2 / kmt = 9.5 h) while the data fall about three times slower: xfail below.
The model's baseline (NB0 1.55 ×10⁹/L) is below these volunteers' (3.84), so absolute, not
relative, counts are compared; the early dip at 3 h after 10 µg/kg (margination) is not in
the model's structure and is excluded.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hematwin.engine.simulate import Model
from hematwin.library import krzyzanski2010

pytestmark = pytest.mark.validation

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "gcsf" / "auwera.csv"


@pytest.fixture(scope="module")
def model():
    return Model(krzyzanski2010.spec())


@pytest.fixture(scope="module")
def single_dose(model):
    """Observed and simulated ANC (10⁹/L) by dose: hours, observed, simulated."""
    data = pd.read_csv(DATA)
    out = {}
    for dose in (5, 10):
        obs = data[["hours", f"anc{dose}"]].dropna()
        obs = obs[obs.hours > 0]
        hours = obs.hours.to_numpy()
        res = model.simulate(regimen=krzyzanski2010.regimen(dose, days=1),
                             times=np.r_[0.0, hours / 24], record=["anc"])
        out[dose] = (hours, obs[f"anc{dose}"].to_numpy() / 1000, res["anc"][0, 1:])
    return out


@pytest.mark.parametrize("dose", [5, 10])
def test_peak_anc_within_15_percent(single_dose, dose):
    hours, obs, sim = single_dose[dose]
    print(f"{dose} µg/kg: peak ANC observed {obs.max():.1f}, model {sim.max():.1f} ×10⁹/L")
    assert sim.max() == pytest.approx(obs.max(), rel=0.15)


@pytest.mark.parametrize("dose", [5, 10])
def test_rise_6_to_24_h(single_dose, dose):
    hours, obs, sim = single_dose[dose]
    keep = (hours >= 6) & (hours <= 24)
    rmse = float(np.sqrt(np.mean(np.log(sim[keep] / obs[keep]) ** 2)))
    print(f"{dose} µg/kg: RMSE log ANC 6–24 h = {rmse:.3f}")
    assert rmse < 0.2


@pytest.mark.xfail(strict=True, reason=(
    "after a single dose the model's ANC returns with the blood neutrophil half-life "
    "(ln2/kmt = 9.5 h, Krzyzanski 2010) and reaches 2.3–2.6 at 72 h, while van der Auwera's "
    "volunteers are still at 6.1–8.4 ×10⁹/L; the model was fitted to daily-dosing data. The "
    "other public parameter set (metrum page-2018 gcsf.cpp) gives 2.4–2.8, so the choice "
    "between the two unverified sets does not change this"))
@pytest.mark.parametrize("dose", [5, 10])
def test_decline_36_to_72_h(single_dose, dose):
    hours, obs, sim = single_dose[dose]
    keep = hours >= 36
    assert np.all(np.abs(sim[keep] / obs[keep] - 1) < 0.3)


def test_daily_dosing_for_a_week(model):
    """K10: falling Cmax on repeated daily doses (receptor pool grows), rising ANC max."""
    t = np.linspace(0, 8, 8 * 24 + 1)
    regs = [krzyzanski2010.regimen(d) for d in (2.5, 5.0, 10.0)]
    res = model.simulate(regimen=regs, times=t, record=["anc", "gcsf"])
    assert res.ok.all()
    day1, day7 = (t >= 0) & (t < 1), (t >= 6) & (t < 7)
    cmax1, cmax7 = res["gcsf"][:, day1].max(axis=1), res["gcsf"][:, day7].max(axis=1)
    anc_max = res["anc"].max(axis=1)
    print("Cmax day 1 / day 7 (ng/mL):", np.round(cmax1, 1), np.round(cmax7, 1))
    print("ANC max over the week (10⁹/L):", np.round(anc_max, 1))
    assert np.all(cmax7 < cmax1)
    assert anc_max[0] < anc_max[1] < anc_max[2]
    assert np.all(res["anc"][:, day7].max(axis=1) > res["anc"][:, day1].max(axis=1))
