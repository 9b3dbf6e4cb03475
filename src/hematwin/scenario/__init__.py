"""Scenarios: a patient and a treatment plan in one file, run through the twin and judged by
the clinic's standards (:func:`load_scenario`, :func:`run_scenario`)."""

from hematwin.scenario.loader import load_scenario, parse_scenario
from hematwin.scenario.schema import Scenario

__all__ = ["Scenario", "load_scenario", "parse_scenario", "run_scenario"]


def __getattr__(name: str):
    if name == "run_scenario":  # lazily: the runner imports the engine
        from hematwin.scenario.runner import run_scenario

        return run_scenario
    raise AttributeError(name)
