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
