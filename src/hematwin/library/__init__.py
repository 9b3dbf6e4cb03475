"""Published models, one module each: ``spec(...)``, ``CITATION`` and a parameter table.

:data:`MODELS` is the registry the CLI and reports read: model name → its module. A module in
the registry provides ``spec(...) -> ModelSpec`` and ``CITATION``; its description is the first
line of its docstring (see :func:`description`). The curated BioModels
(:mod:`hematwin.library.biomodels`) are registered beside them as objects with the same
face, imported from their SBML files on first use. :data:`STOCHASTIC_MODELS` are reaction
networks (``simulate(...)``, no ODE spec). What checks each model against its paper, and
how those checks last ended, is :mod:`hematwin.library.validation`.
"""

from __future__ import annotations

from types import ModuleType

from hematwin.errors import ModelError
from hematwin.library import (
    colijn_mackey2005,
    craig2016,
    five_lineage,
    friberg2002,
    hsc_clonal,
    kloft2006,
    krzyzanski2010,
    michor2005,
    precup2012,
    quartino2014,
    stiehl2015,
)
from hematwin.library.biomodels import BIOMODELS, BioModel

__all__ = ["MODELS", "STOCHASTIC_MODELS", "canonical_name", "description", "get"]

MODELS: dict[str, ModuleType | BioModel] = {
    "friberg2002": friberg2002,
    "kloft2006": kloft2006,
    "quartino2014": quartino2014,
    "krzyzanski2010": krzyzanski2010,
    "stiehl2015": stiehl2015,
    "michor2005": michor2005,
    "precup2012": precup2012,
    "colijn_mackey2005": colijn_mackey2005,
    "craig2016": craig2016,
    "five_lineage": five_lineage,
    **BIOMODELS,
}

# Reaction networks simulated with hematwin.engine.stochastic (no ODE spec)
STOCHASTIC_MODELS: dict[str, ModuleType] = {
    "hsc_clonal": hsc_clonal,
}


def canonical_name(name: str) -> str:
    """``name`` itself, or the registry name of a BioModels id (``BIOMD0000000800``, any
    case, → ``precup2012_sbml``); unknown names are returned unchanged."""
    by_id = {entry.biomodels_id.lower(): key for key, entry in BIOMODELS.items()}
    return by_id.get(name.lower(), name)


def get(name: str) -> ModuleType | BioModel:
    """The library model registered as ``name`` (or a BioModels id); a typed error lists the
    known names."""
    try:
        return MODELS[canonical_name(name)]
    except KeyError:
        raise ModelError(f"unknown library model {name!r}; available: {sorted(MODELS)}",
                         field="model") from None


def description(module: ModuleType | BioModel) -> str:
    """One line saying what the model is (the first line of the module docstring)."""
    if isinstance(module, BioModel):
        return module.description
    doc = (module.__doc__ or "").strip()
    return doc.splitlines()[0].rstrip(".") if doc else ""
