#!/usr/bin/env bash
# Installs hematwin and runs the AML transplant scenario (examples/scenarios/aml_allo_sibling.yaml:
# 7+3 induction, two courses of high-dose cytarabine, BuCy and a matched-sibling blood stem cell
# transplant, two years). Prints the endpoint table and writes out/aml_allo_sibling.html (the
# report; open it in a browser) and out/aml_allo_sibling_endpoints.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -e .
python3 -m hematwin run examples/scenarios/aml_allo_sibling.yaml --out out/
echo "report: $PWD/out/aml_allo_sibling.html"
