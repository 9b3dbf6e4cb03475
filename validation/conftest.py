"""Records the outcome of every validation test run, for ``hematwin models``.

Each test's outcome (and its xfail or skip reason) is merged into the validation record
(:func:`hematwin.library.validation.update_record`) when the session ends, so the library's
validation status is derived from the last run of its tests, never typed by hand. Under
pytest-xdist the controller gathers the workers' reports and writes once.
"""

from __future__ import annotations

import pytest

from hematwin.library.validation import update_record

_RESULTS: dict[str, dict[str, str]] = {}


def _reason(report: pytest.TestReport) -> str:
    if hasattr(report, "wasxfail"):
        return str(report.wasxfail)
    if report.skipped and isinstance(report.longrepr, tuple):
        return str(report.longrepr[2]).removeprefix("Skipped: ")
    return ""


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if hasattr(report, "wasxfail"):
        outcome = "xpassed" if report.passed else "xfailed"
    elif report.failed:
        outcome = "failed" if report.when == "call" else "error"
    elif report.skipped:
        outcome = "skipped"
    elif report.when == "call":
        outcome = "passed"
    else:
        return  # a passing setup or teardown says nothing yet
    if report.when == "teardown" and outcome != "error":
        return
    _RESULTS[report.nodeid] = {"outcome": outcome, "reason": _reason(report)}


def pytest_sessionfinish(session: pytest.Session) -> None:
    if hasattr(session.config, "workerinput") or not _RESULTS:
        return  # an xdist worker: the controller writes
    update_record(_RESULTS)
