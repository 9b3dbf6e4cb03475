"""Render every example scenario into docs/reports and index the reports in docs/README.md.

    python scripts/render_examples.py                    # all of examples/scenarios/
    python scripts/render_examples.py --only cml_imatinib_stop --screenshots /tmp/shots

For each ``examples/scenarios/*.yaml`` it writes ``NAME.html`` (the ``hematwin run`` report)
and ``NAME_endpoints.csv``; for each plan comparison in :data:`COMPARISONS` the ``hematwin
compare`` report and CSV. Every scenario is simulated once (the comparisons reuse the runs).
Then it checks that each HTML file is self-contained (no scripts, style sheets or images
fetched from elsewhere) and rewrites the list of reports in ``docs/README.md`` between the
markers ``<!-- examples:start -->`` and ``<!-- examples:end -->``, one line per report with
what it shows and its key endpoints as simulated now. ``--screenshots DIR`` also renders each
report in headless Chromium (``chromium`` on the PATH) into ``DIR/NAME.png``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from hematwin.report.scenario_report import (
    endpoint_table,
    write_compare_files,
    write_run_files,
)
from hematwin.scenario import load_scenario, run_scenario
from hematwin.scenario.runner import ScenarioResult

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "scenarios"
DOCS = ROOT / "docs"
START, END = "<!-- examples:start -->", "<!-- examples:end -->"

COMPARISONS = {
    "with and without pegfilgrastim (50 virtual patients each)":
        ("chemo_leukopenia", "chemo_leukopenia_pegfilgrastim"),
    "the same Cy/TBI patient grafted with blood stem cells, bone marrow or double cord blood":
        ("transplant_peripheral_blood", "transplant_bone_marrow", "transplant_double_cord"),
    "AML transplant without and with pre-emptive donor lymphocyte infusions":
        ("aml_allo_sibling", "aml_allo_sibling_dli"),
}
"""The comparison reports the docs cite: one line on what each compares, the scenario names."""

SHOWS = {
    "aml_allo_sibling": "AML: 7+3, two HiDAC courses, BuCy and a matched-sibling blood stem "
                        "cell transplant; marrow blasts as MRD, chimerism, T-cell recovery",
    "aml_allo_sibling_dli": "the same AML course with donor lymphocyte infusions on days "
                            "250 and 310",
    "autologous_melphalan": "high-dose melphalan and an autologous blood stem cell graft "
                            "(myeloma)",
    "chemo_leukopenia": "docetaxel every 3 weeks × 4, no G-CSF: leukopenia per cycle, "
                        "50 virtual patients",
    "chemo_leukopenia_pegfilgrastim": "the same 4 docetaxel cycles with pegfilgrastim after "
                                      "each, 50 virtual patients",
    "cml_imatinib_stop": "CML on imatinib for 5 years, then stopped: BCR::ABL1 with MMR/MR4/"
                         "MR4.5 and the ELN 2020 milestones",
    "gene_therapy_busulfan": "busulfan conditioning and an ex-vivo gene-corrected autologous "
                             "graft",
    "immune_neutropenia_gcsf": "autoimmune neutropenia treated with filgrastim",
    "ipsc_graft": "busulfan conditioning and an iPSC-derived HSC graft",
    "older_chip_damaged_niche": "a 76-year-old with a clonal-hematopoiesis clone and a "
                                "damaged niche, 5 years",
    "transplant_bone_marrow": "Cy/TBI and an allogeneic bone marrow graft",
    "transplant_double_cord": "Cy/TBI and an allogeneic double cord blood graft",
    "transplant_peripheral_blood": "Cy/TBI and an allogeneic blood stem cell graft",
}
"""One line per example on what its report shows (a new example falls back to its
description)."""

KEY_ENDPOINTS = ("neutrophil_engraftment_day", "platelet_engraftment_day", "aml_best_response",
                 "relapse_day", "eln2020_12mo", "molecular_response_end", "mutant_vaf_pct_end",
                 "anc_nadir", "days_anc_below_0.5")
"""Endpoints quoted in the index, the first three a report has."""

EXTERNAL = re.compile(r"""<script|<link\b|@import|(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|"""
                      r"""url\(\s*["']?(?:https?:)?//""", re.IGNORECASE)


def external_references(text: str) -> list[str]:
    """What in an HTML page would load something from elsewhere (empty: self-contained)."""
    return [m.group(0) for m in EXTERNAL.finditer(text)]


_WORDS = {"anc": "ANC", "aml": "AML", "eln2020": "ELN 2020", "vaf": "VAF", "pct": "",
          "12mo": "at 12 months", "end": "at the end", "0.5": "0.5 ×10⁹/L"}


def key_numbers(result: ScenarioResult) -> str:
    """The report's key endpoints in words: "neutrophil engraftment day 14; ..."."""
    table = endpoint_table(result).set_index("endpoint")
    column = "value" if result.n == 1 else "median"
    parts = []
    for name in [n for n in KEY_ENDPOINTS if n in table.index][:3]:
        value, unit = table.at[name, column], table.at[name, "unit"]
        words = " ".join(x for w in name.split("_") if (x := _WORDS.get(w, w)))
        if isinstance(value, float):
            number = f"{value:.3g}" + ("" if unit in ("", "day", "%") else " ") + \
                ("" if unit == "day" else unit)
        else:
            number = str(value)
        joiner = " " if name.endswith("_day") and isinstance(value, float) else ": "
        parts.append(f"{words}{joiner}{number}")
    prefix = "" if result.n == 1 else "medians: "
    return prefix + "; ".join(parts)


def screenshot(html: Path, png: Path) -> None:
    """Render ``html`` in headless Chromium and crop the white space below the page."""
    from PIL import Image

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("--screenshots needs chromium on the PATH (apt-get install chromium)")
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--screenshot={png}", "--window-size=1400,9000", html.resolve().as_uri()],
                   check=True, capture_output=True, timeout=120)
    image = Image.open(png).convert("RGB")
    ink = np.flatnonzero((np.asarray(image) < 250).any(axis=(1, 2)))
    if ink.size:
        image.crop((0, 0, image.width, min(image.height, int(ink[-1]) + 20))).save(png)


def write_index(lines: list[str], readme: Path) -> None:
    text = readme.read_text(encoding="utf-8")
    block = "\n".join([START, *lines, END])
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    readme.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DOCS / "reports")
    parser.add_argument("--only", nargs="*", default=None, help="scenario names (default all)")
    parser.add_argument("--screenshots", type=Path, default=None,
                        help="folder for headless-Chromium screenshots of every report")
    args = parser.parse_args(argv)
    paths = sorted(EXAMPLES.glob("*.yaml"))
    if args.only:
        paths = [p for p in paths if p.stem in args.only]
    results: dict[str, ScenarioResult] = {}
    sources: dict[str, str] = {}
    written: list[Path] = []
    index: list[str] = []
    for path in paths:
        began = time.perf_counter()
        result = run_scenario(load_scenario(path))
        name = result.scenario.name
        results[name] = result
        sources[name] = str(path.relative_to(ROOT))
        run = write_run_files(result, args.out, source=sources[name])
        written.append(run.files["HTML report"])
        shows = SHOWS.get(name) or (result.scenario.description or name).strip()
        index.append(f"- [{name}](reports/{name}.html) ([endpoints]"
                     f"(reports/{name}_endpoints.csv)): {shows}. {key_numbers(result)}.")
        print(f"{name}: {time.perf_counter() - began:.1f} s -> {run.files['HTML report']}",
              flush=True)
    compares: list[str] = []
    for what, names in COMPARISONS.items():
        if not all(n in results for n in names):
            continue
        run = write_compare_files([results[n] for n in names], args.out,
                                  [sources[n] for n in names])
        html_path = run.files["HTML report"]
        written.append(html_path)
        compares.append(f"- [{' vs '.join(names)}](reports/{html_path.name}) ([endpoints]"
                        f"(reports/{run.files['endpoints (CSV)'].name})): {what}.")
        print(f"compare: {html_path}", flush=True)
    bad = {p.name: refs for p in written
           if (refs := external_references(p.read_text(encoding="utf-8")))}
    if bad:
        print(f"not self-contained: {bad}", file=sys.stderr)
        return 1
    if args.only is None and args.out.resolve() == (DOCS / "reports").resolve():
        write_index(["Scenario reports (`hematwin run`):", "", *index, "",
                     "Comparisons (`hematwin compare`):", "", *compares], DOCS / "README.md")
        print(f"updated the index in {DOCS / 'README.md'}")
    if args.screenshots is not None:
        args.screenshots.mkdir(parents=True, exist_ok=True)
        for html_path in written:
            screenshot(html_path, args.screenshots / f"{html_path.stem}.png")
            print(f"screenshot: {args.screenshots / (html_path.stem + '.png')}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
