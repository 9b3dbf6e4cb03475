"""Diagnostic blood sampling and the EPO lesion after myeloablative conditioning
(hematwin.therapy.support.diagnostic_phlebotomy, hematwin.twin.erythroid; issue 5)."""

from __future__ import annotations

import numpy as np
import pytest

from hematwin.errors import RegimenError
from hematwin.therapy.chemotherapy import seven_plus_three
from hematwin.therapy.conditioning import bu_cy
from hematwin.therapy.regimen import Covariate
from hematwin.therapy.support import PHLEBOTOMY_WARD, diagnostic_phlebotomy


def test_phlebotomy_sets_and_clears_the_covariate():
    reg = diagnostic_phlebotomy(-8.0, 28.0)
    assert reg.items == (Covariate(-8.0, "phlebotomy", PHLEBOTOMY_WARD),
                         Covariate(28.0, "phlebotomy", 0.0))
    assert diagnostic_phlebotomy(0, 5, 33.5).items[0].value == 33.5


@pytest.mark.parametrize(("args", "field"), [((5.0, 5.0), "end"), ((0.0, 3.0, -1.0), "ml_per_day"),
                                             (("a", 3.0), "start")])
def test_phlebotomy_rejects_bad_input(args, field):
    with pytest.raises(RegimenError, match=field):
        diagnostic_phlebotomy(*args)


@pytest.fixture(scope="module")
def model():
    from hematwin.engine import Model
    from hematwin.twin import twin_spec

    return Model(twin_spec())


@pytest.mark.slow
def test_sampling_removes_the_drawn_share_of_red_cells(model):
    """100 mL/day for 5 days from 5 L of blood: Hb × exp(−0.02·5) before the marrow's EPO
    answer reaches the blood (erythroid transit ~7 days)."""
    res = model.simulate(regimen=diagnostic_phlebotomy(0.0, 5.0, 100.0), times=[0.0, 5.0],
                         record=["hb", "epo_lesion"])
    hb0, hb5 = res["hb"][0]
    assert hb5 == pytest.approx(hb0 * np.exp(-100.0 / 5000.0 * 5.0), rel=0.01)
    assert np.all(res["epo_lesion"][0] == 0)  # sampling leaves EPO production intact


@pytest.mark.slow
def test_epo_lesion_follows_myeloablation_not_7_plus_3(model):
    t = np.array([-10.0, 30.0])
    ablative = model.simulate(regimen=bu_cy(0.0), times=t, t0=-10.0,
                              record=["epo_lesion"])["epo_lesion"][0, -1]
    induction = model.simulate(regimen=seven_plus_three(-10.0), times=t, t0=-10.0,
                               record=["epo_lesion"])["epo_lesion"][0, -1]
    assert ablative > 0.8
    assert induction < 0.1
