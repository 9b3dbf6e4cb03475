"""Validation status of each library model, derived from its tests, never typed by hand.

Every library model declares here the tests that check it against its paper
(:data:`PAPER_CHECKS`: pytest node ids or id prefixes under ``validation/``). Its status is
read from two places:

1. **The validation record** — ``validation/conftest.py`` writes the outcome of every
   validation test it runs (passed, failed, xfailed with its reason, skipped) to
   ``$HEMATWIN_CACHE_DIR/validation_record.json`` (default ``~/.cache/hematwin``), each with
   the SHA-256 of its test file and of the model's own source (library module, or the
   BioModels loader and SBML file). A model's recorded outcomes are used only when all its
   declared tests were recorded and neither hash has changed since; the status then reads
   ``validated: 5 pass, 1 xfail (reason)`` or ``FAILING: …``. Changes to the engine are not
   hashed: the record date is printed with the status.
2. **The test files themselves**, when the record is missing or stale: the declared test
   functions and their ``xfail`` markers are read statically (``ast``, nothing is run), and
   the status says they are declared, not that they passed.

A model with no declared check says so.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from hematwin.library.biomodels import BioModel

__all__ = ["PAPER_CHECKS", "declared_checks", "record_path", "status", "update_record"]

#: Repository root (validation/ lives there; absent in an installed wheel).
ROOT = Path(__file__).resolve().parents[3]

_BIOMODELS_TESTS = "validation/test_biomodels.py"
#: library model → the tests that check it against its paper (node ids or prefixes)
PAPER_CHECKS: dict[str, tuple[str, ...]] = {
    "friberg2002": ("validation/test_friberg2002.py",),
    "kloft2006": ("validation/test_kloft2006_covariates.py",),
    "quartino2014": ("validation/test_quartino2014_gcsf.py",),
    "krzyzanski2010": ("validation/test_krzyzanski2010_auwera.py",),
    "stiehl2015": ("validation/test_stiehl2015_paper.py",),
    "michor2005": ("validation/test_michor2005_paper.py",),
    "precup2012": ("validation/test_precup2012_paper.py",),
    "colijn_mackey2005": ("validation/test_colijn_mackey2005.py",),
    "craig2016": ("validation/test_craig2016.py",),
    "five_lineage": (),
    "hsc_clonal": ("validation/test_hsc_clonal.py",),
    "sharp2019_sbml": (f"{_BIOMODELS_TESTS}::test_sharp2019_immune_control_clears_leukemia",),
    "cucuianu2010_sbml": (
        f"{_BIOMODELS_TESTS}::test_cucuianu2010_identical_lines_conserve_their_ratio",),
    "precup2012_sbml": (f"{_BIOMODELS_TESTS}::test_precup2012_donor_steady_state",
                        "validation/test_precup2012_paper.py::"
                        "test_hand_written_model_agrees_with_the_biomodels_file"),
    "andersen2017_sbml": (),
    "jiao2018_sbml": (f"{_BIOMODELS_TESTS}::test_jiao2018_leukemic_takeover",),
}


@dataclass(frozen=True)
class DeclaredCheck:
    """One test function found statically under a declared prefix."""

    nodeid: str  # file::function
    xfail_reason: str | None  # None: not marked xfail


def record_path() -> Path:
    root = os.environ.get("HEMATWIN_CACHE_DIR")
    base = Path(root) if root else Path.home() / ".cache" / "hematwin"
    return base / "validation_record.json"


def _sha(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.name).encode())
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    return digest.hexdigest()[:16]


def source_files(entry: ModuleType | BioModel) -> list[Path]:
    """The files whose change invalidates the recorded validation of a library entry."""
    if isinstance(entry, BioModel):
        return [Path(inspect.getsourcefile(BioModel)), entry.path]
    return [Path(inspect.getsourcefile(entry))]


def _matches(nodeid: str, prefix: str) -> bool:
    return (nodeid == prefix or nodeid.startswith(prefix + "[")
            or ("::" not in prefix and nodeid.startswith(prefix + "::")))


def _xfail_reason(decorator: ast.expr) -> str | None:
    """The reason of a ``pytest.mark.xfail(...)`` decorator; None for other decorators."""
    call = decorator if isinstance(decorator, ast.Call) else None
    target = call.func if call else decorator
    if not (isinstance(target, ast.Attribute) and target.attr == "xfail"):
        return None
    for kw in call.keywords if call else ():
        if kw.arg == "reason":
            try:
                return str(ast.literal_eval(kw.value))
            except ValueError:
                return "reason computed in the test"
    return "no reason given"


def declared_checks(name: str) -> list[DeclaredCheck]:
    """The test functions declared for library model ``name``, read from the test files."""
    checks: list[DeclaredCheck] = []
    for prefix in PAPER_CHECKS.get(name, ()):
        file, _, function = prefix.partition("::")
        path = ROOT / file
        if not path.is_file():
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if not (isinstance(node, ast.FunctionDef) and node.name.startswith("test_")):
                continue
            if function and node.name != function:
                continue
            reasons = [r for r in map(_xfail_reason, node.decorator_list) if r is not None]
            checks.append(DeclaredCheck(f"{file}::{node.name}", reasons[0] if reasons else None))
    return checks


def _read_record() -> dict:
    try:
        return json.loads(record_path().read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def update_record(results: dict[str, dict[str, str]]) -> Path:
    """Merge ``nodeid → {"outcome", "reason"}`` of validation tests just run into the record,
    stamping each with the hashes its status will be compared against."""
    from hematwin.library import MODELS, STOCHASTIC_MODELS

    entries = {**MODELS, **STOCHASTIC_MODELS}
    record = _read_record()
    now = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    for nodeid, result in results.items():
        owners = [m for m, prefixes in PAPER_CHECKS.items()
                  if m in entries and any(_matches(nodeid, p) for p in prefixes)]
        if not owners:
            continue
        test_file = ROOT / nodeid.split("::")[0]
        record[nodeid] = {
            **result, "time": now, "test_sha": _sha([test_file]),
            "source_sha": {m: _sha(source_files(entries[m])) for m in owners},
        }
    path = record_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)
    return path


def _short(reason: str, width: int = 70) -> str:
    reason = " ".join(reason.split())
    return reason if len(reason) <= width else reason[: width - 1] + "…"


def _recorded_status(name: str, entry, checks: list[DeclaredCheck]) -> str | None:
    """The status from the record, or None when the record is missing or stale."""
    declared = {c.nodeid for c in checks}
    nodes = {k: v for k, v in _read_record().items() if k.split("[")[0] in declared}
    if {k.split("[")[0] for k in nodes} != declared:
        return None
    source_sha = _sha(source_files(entry))
    for nodeid, result in nodes.items():
        if (result.get("test_sha") != _sha([ROOT / nodeid.split("::")[0]])
                or result.get("source_sha", {}).get(name) != source_sha):
            return None
    counts: dict[str, int] = {}
    for result in nodes.values():
        counts[result["outcome"]] = counts.get(result["outcome"], 0) + 1
    words = {"passed": "pass", "failed": "fail", "error": "error", "xfailed": "xfail",
             "xpassed": "xpass", "skipped": "skipped"}
    parts = [f"{counts[k]} {w}" for k, w in words.items() if counts.get(k)]
    head = "FAILING" if counts.get("failed") or counts.get("error") else (
        "validated" if counts.get("passed") else "not validated")
    text = f"{head}: {', '.join(parts)}"
    reasons = sorted({r["reason"] for r in nodes.values()
                      if r["outcome"] in ("xfailed", "skipped") and r.get("reason")})
    if reasons:
        text += f" ({'; '.join(_short(r) for r in reasons)})"
    oldest = min(r["time"] for r in nodes.values())
    return f"{text} [run {oldest}]"


def status(name: str) -> str:
    """One line: how library model ``name`` fares against its paper (see module docstring)."""
    from hematwin.library import MODELS, STOCHASTIC_MODELS, canonical_name

    name = canonical_name(name)
    entry = {**MODELS, **STOCHASTIC_MODELS}.get(name)
    if entry is None or not PAPER_CHECKS.get(name):
        return "no check against the paper declared"
    checks = declared_checks(name)
    if not checks:
        return "validation tests not found (installed without the repository)"
    recorded = _recorded_status(name, entry, checks)
    if recorded is not None:
        return recorded
    xfails = [c for c in checks if c.xfail_reason is not None]
    text = (f"not run since last change: {len(checks)} "
            f"check{'' if len(checks) == 1 else 's'} declared")
    if xfails:
        text += f", {len(xfails)} xfail ({'; '.join(_short(c.xfail_reason) for c in xfails)})"
    return text
