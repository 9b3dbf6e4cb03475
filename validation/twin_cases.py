"""Calibration scenarios of the integrated twin: regimens, simulations and measured values.

Shared by ``validation/test_twin_calibration.py`` (which asserts them against their
published targets) and ``validation/make_twin_targets.py`` (which writes the table
``validation/twin_targets.md``), so that the table always shows what the tests measure.
Every ``measure_*`` function takes one compiled :class:`~hematwin.engine.Model` of
:func:`hematwin.twin.twin_spec` and returns plain numbers; the sources of the inputs are
cited next to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from hematwin.clinic.engraftment import neutrophil_engraftment, platelet_engraftment
from hematwin.engine import Model
from hematwin.therapy.regimen import Covariate, Dose, Regimen
from hematwin.twin import twin_spec

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@lru_cache(maxsize=1)
def twin_model() -> Model:
    return Model(twin_spec())


# --- grafts ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Graft:
    """A graft by its reported cell doses per kg of recipient weight."""

    source: str
    cd34_per_kg: float  # CD34+ cells/kg
    cd3_per_kg: float  # CD3+ cells/kg
    citation: str


# Graft composition by source. Blood and marrow from HLA-identical siblings: the medians of
# the randomised comparison by Bensinger et al., N Engl J Med 2001;344:175 (CD34+ 7.3 vs
# 2.4 ×10⁶/kg; CD3+ 27.9 vs 2.3 ×10⁷/kg), the same sibling, non-T-depleted setting as
# Champlin 2000 (whose registry did not report CD34+ doses for all patients). Double cord
# blood: Barker et al., Blood 2005;105:1343 (median infused 3.5 ×10⁷ nucleated cells/kg;
# CD34+ 4.9 ×10⁵/kg; CD3+ about 1 ×10⁷/kg, the usual 25-30 % of cord nucleated cells).
PBSC = Graft("blood stem cells", 7.3e6, 2.79e8, "Bensinger et al., NEJM 2001;344:175")
MARROW = Graft("bone marrow", 2.4e6, 2.3e7, "Bensinger et al., NEJM 2001;344:175")
DOUBLE_CORD = Graft("double cord blood", 4.9e5, 1.0e7, "Barker et al., Blood 2005;105:1343")
AUTO_PBSC = Graft("autologous blood stem cells", 5.0e6, 0.0,
                  "typical autologous target >= 2-5 ×10⁶ CD34+/kg")

HSC_PER_CD34 = 0.011
"""Long-term HSC per CD34+ graft cell: the twin's own marrow ratio S0/M0 (1.1e6/1e8)."""
T_BLOOD_PER_DOSE = 1 / (0.07 * 50)
"""Blood-equivalent T-cell count (10⁹/L) per 10⁹ infused T cells/kg: cells spread over
the body's lymphocyte pool, ~50 times the blood pool (Westermann & Pabst, Clin Investig
1992;70:539: ~2 % of lymphocytes are in blood), of blood volume 0.07 L/kg."""
ALLOREACTIVE_SHARE = 0.05
"""Share of donor T cells that are alloreactive (1-10 %: Suchin et al., J Immunol 2001)."""


def graft_doses(graft: Graft, day: float = 0.0) -> list[Dose]:
    cd34 = graft.cd34_per_kg / 1e6  # 10⁶/kg
    t_blood = graft.cd3_per_kg / 1e9 * T_BLOOD_PER_DOSE
    doses = [Dose(day, cd34 * HSC_PER_CD34, "S_g"), Dose(day, cd34, "M_g")]
    if t_blood > 0:
        doses += [Dose(day, t_blood * 0.64, "T4_g"), Dose(day, t_blood * 0.36, "T8_g"),
                  Dose(day, t_blood * ALLOREACTIVE_SHARE, "TA")]
    return doses


# --- conditioning ------------------------------------------------------------------------

def busulfan_cyclophosphamide() -> list[Dose]:
    """Myeloablative BuCy: i.v. busulfan 3.2 mg/kg/day days −7 to −4 (0.8 mg/kg q6h), then
    cyclophosphamide 60 mg/kg/day days −3 and −2 (Santos et al., NEJM 1983; Busulfex label)."""
    return [Dose(-7.0, 0.8, "BU_c", duration=2 / 24, ii=0.25, addl=15),
            Dose(-3.0, 60.0, "CY_c", duration=1 / 24, ii=1.0, addl=1)]


def melphalan_200() -> list[Dose]:
    """High-dose melphalan 200 mg/m² on day −2 before autologous transplant (Moreau et al.,
    Blood 2002;99:731)."""
    return [Dose(-2.0, 200.0, "MEL_c", duration=0.5 / 24)]


def allo_regimen(graft: Graft, *, gcsf_from: float | None = None) -> Regimen:
    items: list = busulfan_cyclophosphamide() + graft_doses(graft)
    items += [Covariate(-10.0, "graft_allogeneic", 0.0), Covariate(0.0, "graft_allogeneic", 1.0),
              # ciclosporin + methotrexate prophylaxis, tapered from day 100 to 180
              Covariate(-1.0, "immunosuppression", 0.8),
              Covariate(100.0, "immunosuppression", 0.4),
              Covariate(180.0, "immunosuppression", 0.0)]
    if gcsf_from is not None:
        items += gcsf_daily(5.0, gcsf_from, 21)
    return Regimen(items)


def gcsf_daily(ug_per_kg: float, start: float, days: int) -> list[Dose]:
    return [Dose(start, ug_per_kg, "FILG_sc", ii=1.0, addl=days - 1)]


# --- measurements ------------------------------------------------------------------------

HEALTHY_OUTPUTS = ("anc", "lymphocytes", "platelets", "hb")


def healthy_steady_state(model: Model) -> dict[str, float]:
    """Counts of the default (healthy 40-year-old) twin after one simulated year, and the
    largest relative rate of change of any state at the initial values."""
    res = model.simulate(times=[0.0, 365.0], record=list(HEALTHY_OUTPUTS))
    out = {k: float(res[k][0, -1]) for k in HEALTHY_OUTPUTS}
    out["drift"] = max(abs(float(res[k][0, -1] / res[k][0, 0] - 1)) for k in HEALTHY_OUTPUTS)
    numba = model.numba
    p = np.array([[q.default for q in model.spec.parameters]])
    y0 = numba.initial_states(p)[0]
    dy = numba.rhs(0.0, y0, p[0])
    out["max_rel_rhs"] = float(np.max(np.abs(dy) / np.maximum(np.abs(y0), 1e-12)))
    return out


def hsc_division_interval_weeks(model: Model) -> float:
    """Mean time between divisions of a healthy HSC (1/(pS·act), act = 1 at homeostasis)."""
    p = {q.name: q.default for q in model.spec.parameters}
    return 1 / p["pS"] / 7


def neutrophil_half_life_hours(model: Model) -> float:
    """Half-life of a labelled blood cohort: the marrow is emptied at t = 0 (no new cells
    enter the blood), and the blood count decays by the cohort's own removal."""
    marrow = [s.name for s in model.spec.states if s.name.split("_")[0] in
              ("NP", "NM1", "NM2", "NM3")]
    from hematwin.therapy.regimen import Replace
    reg = Regimen([Replace(0.0, s, 0.0) for s in marrow])
    t = np.linspace(0, 2, 49)
    anc = model.simulate(regimen=reg, times=t, record=["anc"])["anc"][0]
    slope = np.polyfit(t[1:], np.log(anc[1:]), 1)[0]
    return float(-np.log(2) / slope * 24)


def mobilisation_cd34_day5(model: Model) -> float:
    """Blood CD34+ (cells/µL) on day 5 (before apheresis, 24 h after the 4th of daily
    10 µg/kg filgrastim doses given on days 0-4, i.e. the morning of the 5th dose)."""
    reg = Regimen(gcsf_daily(10.0, 0.0, 5))
    res = model.simulate(regimen=reg, times=[0.0, 4.0, 4.99], record=["cd34_blood"])
    return float(res["cd34_blood"][0, -1])


def filgrastim_single_dose(model: Model) -> dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """van der Auwera et al., Am J Hematol 2001;66:245 (healthy volunteers): hours, observed
    and simulated ANC (10⁹/L) after one s.c. dose of 5 and 10 µg/kg. Relative to baseline:
    the model's baseline ANC is 4.0, the volunteers' 3.84 ×10⁹/L."""
    data = pd.read_csv(DATA / "gcsf" / "auwera.csv")
    out = {}
    for dose in (5, 10):
        obs = data[["hours", f"anc{dose}"]].dropna()
        hours = obs.hours.to_numpy()
        res = model.simulate(regimen=Regimen([Dose(0.0, float(dose), "FILG_sc")]),
                             times=hours / 24, record=["anc"])
        anc_obs = obs[f"anc{dose}"].to_numpy() / 1000
        sim = res["anc"][0] / res["anc"][0, 0] * anc_obs[0]
        out[dose] = (hours, anc_obs, sim)
    return out


def filgrastim_rmse_log(model: Model, exclude_hours: tuple[float, ...] = (3.0,)) -> dict:
    out = {}
    for dose, (hours, obs, sim) in filgrastim_single_dose(model).items():
        keep = (hours > 0) & ~np.isin(hours, exclude_hours)
        out[dose] = float(np.sqrt(np.mean(np.log(sim[keep] / obs[keep]) ** 2)))
    return out


def docetaxel_cycle(model: Model) -> dict[str, float]:
    """One 180 mg docetaxel i.v. bolus (Friberg et al., J Clin Oncol 2002;20:4713): nadir
    day and depth relative to baseline."""
    t = np.round(np.arange(0, 21.0001, 0.05), 4)
    anc = model.simulate(regimen=Regimen([Dose(0.0, 180.0, "DTX_c")]), times=t,
                         record=["anc"])["anc"][0]
    i = int(np.argmin(anc))
    return {"nadir_day": float(t[i]), "nadir_rel": float(anc[i] / anc[0])}


def transplant_counts(model: Model, regimen: Regimen, days: int = 60,
                      params: dict | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    t = np.arange(-10.0, days + 1.0)
    res = model.simulate(regimen=regimen, times=t, t0=-10.0, params=params,
                         record=["anc", "platelets"])
    return t, res["anc"][0], res["platelets"][0]


def engraftment_days(model: Model, regimen: Regimen, params: dict | None = None
                     ) -> tuple[float | None, float | None]:
    t, anc, plt = transplant_counts(model, regimen, params=params)
    n = neutrophil_engraftment(anc, t).engraftment_day
    p = platelet_engraftment(plt, t).engraftment_day
    return n, p
