"""The files in examples/ that the README shows load and agree with the library."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hematwin.engine import Model
from hematwin.library import friberg2002
from hematwin.model import load_model

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_friberg_yaml_matches_the_library_model():
    days = np.arange(0.0, 43.0, 0.5)
    regimen = friberg2002.regimen("docetaxel", 180.0, cycles=2, every_days=21.0)
    from_file = Model(load_model(EXAMPLES / "friberg2002_docetaxel.yaml"))
    library = Model(friberg2002.spec("docetaxel"))
    a = from_file.simulate(regimen=regimen, times=days, record=["anc"])["anc"]
    b = library.simulate(regimen=regimen, times=days, record=["anc"])["anc"]
    np.testing.assert_allclose(a, b, rtol=1e-9)


# --- the example scenarios, their rendered reports and the README's commands -------------

ROOT = EXAMPLES.parent
SCENARIOS = sorted((EXAMPLES / "scenarios").glob("*.yaml"))


def _render_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("render_examples",
                                                  ROOT / "scripts" / "render_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_example_scenario_loads():
    from hematwin.scenario import load_scenario

    assert len(SCENARIOS) >= 13
    for path in SCENARIOS:
        assert load_scenario(path).name == path.stem


def test_docs_index_links_a_rendered_report_for_every_example():
    import re

    index = (ROOT / "docs" / "README.md").read_text(encoding="utf-8")
    links = set(re.findall(r"\]\((reports/[^)]+)\)", index))
    for path in SCENARIOS:
        for name in (f"reports/{path.stem}.html", f"reports/{path.stem}_endpoints.csv"):
            assert name in links, f"docs/README.md does not link {name}"
    for link in links:
        assert (ROOT / "docs" / link).is_file(), f"docs/README.md links a missing {link}"
    render = _render_script()
    for names in render.COMPARISONS.values():
        assert f"reports/compare_{'_vs_'.join(names)}.html" in links


def test_rendered_reports_are_self_contained():
    render = _render_script()
    assert render.external_references('<script src="https://cdn.example/x.js"></script>')
    assert render.external_references('<img src="//cdn.example/a.png">')
    assert not render.external_references('<img src="data:image/png;base64,AAAA">')
    for page in (ROOT / "docs" / "reports").glob("*.html"):
        assert render.external_references(page.read_text(encoding="utf-8")) == [], page.name


def test_readme_commands_name_existing_files_and_commands():
    import shlex

    from hematwin.cli import app

    commands = {c.name or c.callback.__name__ for c in app.registered_commands}
    lines = [line.strip() for line in (ROOT / "README.md").read_text(encoding="utf-8")
             .splitlines() if line.startswith("    hematwin ")]
    assert any(line.startswith("hematwin run examples/scenarios/aml_allo_sibling.yaml")
               for line in lines)
    for line in lines:
        words = shlex.split(line.split("#")[0])
        assert words[1] in commands | {"sbml"}, line
        for word in words[2:]:
            if word.endswith((".yaml", ".csv")) and not word.startswith("../"):
                assert (ROOT / word).is_file(), f"README names a missing file: {word}"
    demo = (ROOT / "scripts" / "demo.sh").read_text(encoding="utf-8")
    assert "hematwin run examples/scenarios/aml_allo_sibling.yaml --out out/" in demo
