#!/usr/bin/env bash
# Installs hematwin with its test dependencies and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"
python3 -m ruff check src tests validation benchmarks
python3 -m pytest -n 2 -q
