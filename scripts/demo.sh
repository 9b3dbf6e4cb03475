#!/usr/bin/env bash
# Installs hematwin and runs the demo: 1000 virtual patients on 4 cycles of docetaxel 180 mg
# every 21 days (Friberg 2002 model with inter-individual variability). Prints the nadir table
# and writes out/friberg2002_docetaxel_anc.parquet, ..._metrics.parquet and ..._anc.png.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -e .
python3 -m hematwin simulate friberg2002 --drug docetaxel --dose 180mg --cycles 4 --every 21d \
    --patients 1000 --iiv --seed 1 --out out/
