#!/usr/bin/env bash
# Installs hematwin with its test dependencies and runs the whole test suite.
# R with deSolve is the independent delay-equation solver the DDE tests compare against
# (Debian packages; installed when missing, which needs root as on CI).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! Rscript -e 'library(deSolve)' >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq r-base-core r-cran-desolve >/dev/null
fi
python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"
python3 -m ruff check src tests validation benchmarks
python3 -m pytest -n 2 -q
