"""Hypothesis strategies for random patient timelines (shared by the reader tests)."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from hematwin.data.analytes import ANALYTES
from hematwin.data.timeline import (
    DLI,
    GCSF,
    HSCT,
    Chemotherapy,
    Chimerism,
    MarrowAssessment,
    Observation,
    Timeline,
    Transfusion,
)

TEXT = st.text(
    alphabet=st.characters(whitelist_categories=("L", "N"), whitelist_characters="-_ .,"),
    min_size=1, max_size=12,
).filter(lambda s: s.strip() == s and s.strip())
DAYS = st.floats(-400, 4000, allow_nan=False, allow_infinity=False)
WHOLE_DAYS = st.integers(-400, 4000).map(float)
DATES = st.dates(dt.date(1990, 1, 1), dt.date(2060, 12, 31))
UTC_DATETIMES = st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2060, 1, 1),
                             timezones=st.just(dt.UTC))
NAIVE_DATETIMES = st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2060, 1, 1))


def _value(analyte: str) -> st.SearchStrategy[float]:
    info = ANALYTES[analyte]
    lo = info.lower if info.lower is not None else -1e6
    hi = info.upper if info.upper is not None else 1e6
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


@st.composite
def observations(draw, analytes=tuple(ANALYTES), days=DAYS, dates=DATES | UTC_DATETIMES,
                 specimens=(None, "blood", "bone_marrow")) -> Observation:
    analyte = draw(st.sampled_from(analytes))
    day = draw(st.none() | days)
    date = draw(dates) if day is None else draw(st.none() | dates)
    lln = draw(st.none() | _value(analyte))
    uln = draw(st.none() | _value(analyte))
    if lln is not None and uln is not None and lln > uln:
        lln, uln = uln, lln
    return Observation(analyte=analyte, value=draw(_value(analyte)), day=day, date=date,
                       censor=draw(st.sampled_from([None, "<", ">"])), lln=lln, uln=uln,
                       specimen=draw(st.sampled_from(specimens)))


@st.composite
def events(draw, dates=DATES | UTC_DATETIMES):
    day = draw(st.none() | DAYS)
    date = draw(dates) if day is None else draw(st.none() | dates)
    end_day = None if day is None else draw(st.none() | st.floats(0, 30).map(lambda x: day + x))
    dose = draw(st.none() | st.floats(0, 1e4))
    kind = draw(st.sampled_from(["chemo", "gcsf", "plt", "rbc", "hsct", "dli"]))
    common = {"day": day, "date": date, "end_day": end_day}
    if kind == "chemo":
        return Chemotherapy(drug=draw(TEXT), dose=dose, dose_unit=draw(st.none() | TEXT),
                            **common)
    if kind == "gcsf":
        return GCSF(drug=draw(TEXT), dose=dose, dose_unit=draw(st.none() | TEXT), **common)
    if kind in ("plt", "rbc"):
        rt = "platelet_transfusion" if kind == "plt" else "red_cell_transfusion"
        return Transfusion(record_type=rt, dose=dose, dose_unit=draw(st.none() | TEXT),
                           **common)
    if kind == "hsct":
        source = draw(st.sampled_from(["bone_marrow", "peripheral_blood", "cord_blood"]))
        donors = ["autologous", "matched_sibling", "matched_unrelated", "mismatched",
                  "haploidentical"] + (["cord"] if source == "cord_blood" else [])
        return HSCT(graft_source=source, donor=draw(st.sampled_from(donors)),
                    cd34_per_kg=draw(st.none() | st.floats(0, 1e8)), **common)
    return DLI(cd3_per_kg=draw(st.none() | st.floats(0, 1e9)), **common)


@st.composite
def marrow(draw):
    blasts = draw(st.none() | st.floats(0, 100))
    cell = draw(st.floats(0, 100)) if blasts is None else draw(st.none() | st.floats(0, 100))
    return MarrowAssessment(day=draw(DAYS), blasts_pct=blasts, cellularity_pct=cell,
                            blasts_censor=None if blasts is None else draw(
                                st.sampled_from([None, "<"])))


@st.composite
def chimerism(draw):
    return Chimerism(day=draw(DAYS), lineage=draw(st.sampled_from(
        ["whole_blood", "cd3", "cd33", "cd15", "cd19", "cd56", "cd34"])),
        donor_pct=draw(st.floats(0, 100)), censor=draw(st.sampled_from([None, "<", ">"])))


def _dedupe(records, reference_date):
    shell = Timeline(patient_id="x", reference_date=reference_date)
    seen, kept = set(), []
    for r in records:
        key = shell.observation_key(r)
        if key not in seen:
            seen.add(key)
            kept.append(r)
    return kept


@st.composite
def timelines(draw, observation_strategy=None, with_events=True, with_reference=True):
    obs_strategy = observations() if observation_strategy is None else observation_strategy
    ref_date = draw(st.none() | DATES) if with_reference else None
    obs = _dedupe(draw(st.lists(obs_strategy, max_size=8)), ref_date)
    return Timeline(
        patient_id=draw(TEXT),
        reference_event=draw(st.none() | TEXT) if with_reference else None,
        reference_date=ref_date,
        observations=obs,
        events=draw(st.lists(events(), max_size=4)) if with_events else [],
        marrow=draw(st.lists(marrow(), max_size=2)) if with_events else [],
        chimerism=draw(st.lists(chimerism(), max_size=2)) if with_events else [],
    )


@st.composite
def cohorts(draw, timeline_strategy=None):
    strategy = timelines() if timeline_strategy is None else timeline_strategy
    items = draw(st.lists(strategy, min_size=1, max_size=4,
                          unique_by=lambda t: t.patient_id))
    return items
