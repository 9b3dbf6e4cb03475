"""The default run of each library model: its parameter set, regimen and horizon.

``hematwin simulate MODEL`` (without a dose) runs this, so every model in the library can be
looked at in one command. Horizons cover the dynamics each paper shows. The curated BioModels
run with their own (file) parameter values; the stochastic HSC model runs an SSA ensemble
(:func:`stochastic_default_run`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from hematwin.engine.stochastic import StochasticResult
from hematwin.errors import ModelError
from hematwin.library import MODELS, STOCHASTIC_MODELS, canonical_name
from hematwin.library.biomodels import BIOMODELS
from hematwin.model.spec import ModelSpec
from hematwin.therapy.regimen import Regimen


@dataclass(frozen=True)
class DefaultRun:
    spec_kwargs: dict[str, Any]
    regimen_kwargs: dict[str, Any] | None  # None: the model has no treatment
    days: float
    note: str


DEFAULT_RUNS: dict[str, DefaultRun] = {
    "friberg2002": DefaultRun({"drug": "docetaxel"}, {"drug": "docetaxel", "dose_mg": 180.0},
                              21.0, "one 180 mg docetaxel cycle"),
    "kloft2006": DefaultRun({}, {}, 21.0, "one 180 mg docetaxel cycle, reference covariates"),
    "quartino2014": DefaultRun({}, {}, 21.0, "one docetaxel cycle; G-CSF rises at the nadir"),
    "krzyzanski2010": DefaultRun({}, {}, 14.0, "filgrastim 5 ug/kg s.c. daily for 7 days"),
    "stiehl2015": DefaultRun({}, {}, 60.0, "engraftment after 5e6 CD34+/kg"),
    "michor2005": DefaultRun({}, {}, 365.0, "one year of imatinib"),
    "precup2012": DefaultRun({}, None, 365.0, "host, leukemic and donor cells after alloBMT"),
    "colijn_mackey2005": DefaultRun({"parameter_set": "pcml"}, None, 400.0,
                                    "periodic CML parameter set"),
    "craig2016": DefaultRun({}, {}, 10.0, "one 750 ug filgrastim dose"),
    "five_lineage": DefaultRun({}, {}, 21.0, "one 180 mg docetaxel cycle, five lineages"),
    # the BioModels: the file's own parameters and events (regimen() is None without events)
    **{name: DefaultRun({}, {}, entry.default_days, entry.default_note)
       for name, entry in BIOMODELS.items()},
}


@dataclass(frozen=True)
class StochasticDefaultRun:
    simulate_kwargs: dict[str, Any]
    years: float
    points: int
    note: str


STOCHASTIC_DEFAULT_RUNS: dict[str, StochasticDefaultRun] = {
    # hsc_clonal.simulate's own defaults (one neutral marked HSC in the pool of 385), as an
    # ensemble: drift makes most marked clones vanish and a few grow.
    "hsc_clonal": StochasticDefaultRun({"n_runs": 1000, "seed": 1}, 40.0, 81,
                                       "one neutral marked HSC among 385, 1000 SSA runs"),
}


def default_run(name: str) -> tuple[ModelSpec, Regimen | None, float, str]:
    """(spec, regimen, days, note) of the default run of library model ``name`` (a registry
    name or a BioModels id)."""
    name = canonical_name(name)
    if name in STOCHASTIC_MODELS:
        raise ModelError(f"{name!r} is a stochastic model without an ODE spec; run it with "
                         "stochastic_default_run() or hematwin.library.hsc_clonal.simulate()",
                         field="model")
    if name not in MODELS:
        raise ModelError(f"unknown library model {name!r}; available: "
                         f"{sorted([*MODELS, *STOCHASTIC_MODELS])}", field="model")
    if name not in DEFAULT_RUNS:
        raise ModelError(f"library model {name!r} has no default run", field="model")
    run = DEFAULT_RUNS[name]
    module = MODELS[name]
    spec = module.spec(**run.spec_kwargs)
    regimen = None if run.regimen_kwargs is None else module.regimen(**run.regimen_kwargs)
    return spec, regimen, run.days, run.note


def stochastic_default_run(name: str) -> tuple[StochasticResult, str]:
    """(ensemble result, note) of the default SSA run of stochastic library model ``name``."""
    if name not in STOCHASTIC_DEFAULT_RUNS:
        raise ModelError(f"unknown stochastic library model {name!r}; available: "
                         f"{sorted(STOCHASTIC_DEFAULT_RUNS)}", field="model")
    run = STOCHASTIC_DEFAULT_RUNS[name]
    years = np.linspace(0.0, run.years, run.points)
    return STOCHASTIC_MODELS[name].simulate(years, **run.simulate_kwargs), run.note
