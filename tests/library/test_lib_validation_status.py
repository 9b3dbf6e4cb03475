"""The validation status of library models is derived from their tests (record or static)."""

from __future__ import annotations

import json

import pytest

from hematwin import library
from hematwin.library import validation


@pytest.fixture()
def record_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("HEMATWIN_CACHE_DIR", str(tmp_path))
    return tmp_path


def test_every_model_declares_its_checks_and_every_declared_test_exists():
    names = {*library.MODELS, *library.STOCHASTIC_MODELS}
    assert set(validation.PAPER_CHECKS) == names
    for name, prefixes in validation.PAPER_CHECKS.items():
        found = {c.nodeid for c in validation.declared_checks(name)}
        for prefix in prefixes:  # a renamed test or file must not silently drop out
            assert any(validation._matches(n, prefix) for n in found), prefix


def test_static_reading_finds_the_xfail_markers_and_their_reasons():
    checks = validation.declared_checks("colijn_mackey2005")
    xfails = [c for c in checks if c.xfail_reason is not None]
    assert len(xfails) >= 1 and all(c.xfail_reason for c in xfails)
    assert all(c.xfail_reason is None for c in validation.declared_checks("precup2012"))


def test_without_a_record_the_status_lists_the_declared_checks(record_dir):
    text = validation.status("precup2012_sbml")
    assert text.startswith("not run since last change: 2 checks declared")
    assert validation.status("andersen2017_sbml") == "no check against the paper declared"
    assert validation.status("five_lineage") == "no check against the paper declared"


def _record_all(name: str, outcome: str, reason: str = "") -> None:
    validation.update_record({c.nodeid: {"outcome": outcome, "reason": reason}
                              for c in validation.declared_checks(name)})


def test_a_complete_fresh_record_gives_the_outcomes(record_dir):
    _record_all("precup2012", "passed")
    assert validation.record_path().parent == record_dir
    n = len(validation.declared_checks("precup2012"))
    assert validation.status("precup2012").startswith(f"validated: {n} pass [run ")
    _record_all("precup2012", "failed")
    assert validation.status("precup2012").startswith(f"FAILING: {n} fail")
    _record_all("michor2005", "xfailed", "slope 0.009 vs 0.008")
    assert "xfail (slope 0.009 vs 0.008)" in validation.status("michor2005")


def test_a_stale_record_is_not_used(record_dir):
    _record_all("precup2012", "passed")
    record = json.loads(validation.record_path().read_text())
    for result in record.values():
        result["source_sha"] = {k: "changed" for k in result["source_sha"]}
    validation.record_path().write_text(json.dumps(record))
    assert validation.status("precup2012").startswith("not run since last change")


def test_an_incomplete_record_is_not_used(record_dir):
    first = validation.declared_checks("hsc_clonal")[0]
    validation.update_record({first.nodeid: {"outcome": "passed", "reason": ""}})
    assert validation.status("hsc_clonal").startswith("not run since last change")
