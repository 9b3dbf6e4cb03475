"""Published models, one module each: ``spec(...)``, ``CITATION`` and a parameter table.

:data:`MODELS` is the registry the CLI and reports read: model name → its module. A module in
the registry provides ``spec(...) -> ModelSpec`` and ``CITATION``; its description is the first
line of its docstring (see :func:`description`).
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

__all__ = ["MODELS", "STOCHASTIC_MODELS", "description", "get"]

MODELS: dict[str, ModuleType] = {
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
}

# Reaction networks simulated with hematwin.engine.stochastic (no ODE spec)
STOCHASTIC_MODELS: dict[str, ModuleType] = {
    "hsc_clonal": hsc_clonal,
}


def get(name: str) -> ModuleType:
    """The library module registered as ``name``; a typed error lists the known names."""
    try:
        return MODELS[name]
    except KeyError:
        raise ModelError(f"unknown library model {name!r}; available: {sorted(MODELS)}",
                         field="model") from None


def description(module: ModuleType) -> str:
    """One line saying what the model is (the first line of the module docstring)."""
    doc = (module.__doc__ or "").strip()
    return doc.splitlines()[0].rstrip(".") if doc else ""
