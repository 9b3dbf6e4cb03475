"""Integration of compiled models under regimens, for one patient or millions."""

from __future__ import annotations

__all__ = ["Model", "SimulationResult"]


def __getattr__(name: str):
    # lazy, so that low-level modules (events, status) import without the whole engine
    if name == "Model":
        from hematwin.engine.simulate import Model

        return Model
    if name == "SimulationResult":
        from hematwin.engine.results import SimulationResult

        return SimulationResult
    raise AttributeError(name)
