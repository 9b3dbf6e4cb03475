"""Chimerism in scenario results and reports: donor chimerism after an allograft, the
graft-derived share after an autologous (gene-corrected) graft, and both for a patient who
has both (here a gene-corrected and a T-cell-depleted sibling graft after BuCy, which leaves
few host T cells to reject the allograft). Values are compared with the simulated outputs,
never hard-coded."""

from __future__ import annotations

import numpy as np
import pytest

from hematwin.report.scenario_report import endpoint_table, scenario_figure
from hematwin.scenario import parse_scenario, run_scenario

pytestmark = pytest.mark.slow  # compiles the twin on a cold Numba cache

BOTH = """\
name: gene_therapy_then_allograft
patient: {age: 30, sex: female, weight: 60 kg, height: 165 cm, disease: none}
treatment:
  - {type: bu_cy, day: 0}
  - {type: gene_therapy_graft, day: 0, cd34: 5e6 cells/kg, corrected_fraction: 1.0}
  - {type: stem_cell_transplant, day: 0, source: peripheral_blood, cd34: 5e6 cells/kg,
     cd3: 0 cells/kg}
start: -8 d
horizon: 40 d
"""


@pytest.fixture(scope="module")
def both():
    return run_scenario(parse_scenario(BOTH))


def test_a_plan_with_both_grafts_reports_both_shares(both):
    assert both.scenario.graft_chimerism == ("donor", "autograft")
    day30 = int(np.flatnonzero(both.times == 30.0)[0])
    for kind in ("donor", "autograft"):
        for lineage in ("myeloid", "t"):
            name = f"{kind}_{lineage}_pct"
            assert both.endpoint(f"{name}_d30") == pytest.approx(both.values[name][0, day30])
        # each graft makes a real share of the myeloid cells
        assert both.values[f"{kind}_myeloid_pct"][0, day30] > 10
    meanings = endpoint_table(both).set_index("endpoint")["meaning"]
    assert "graft-derived" in meanings["autograft_myeloid_pct_d30"]
    assert "donor" in meanings["donor_myeloid_pct_d30"]


def test_the_chimerism_panel_draws_donor_and_graft_derived_lines(both):
    fig = scenario_figure(both)
    labels = {line.get_label() for ax in fig.axes for line in ax.get_lines()}
    for kind in ("donor", "graft-derived"):
        for lineage in ("myeloid", "B cells (CD19)", "NK cells (CD56)"):
            assert f"{kind}: {lineage}" in labels


def test_an_autologous_only_plan_reports_the_graft_derived_share_only():
    only = parse_scenario(BOTH.replace("name: gene_therapy_then_allograft", "name: gene_only")
                          .split("  - {type: stem_cell_transplant")[0]
                          + "start: -8 d\nhorizon: 40 d\n")
    assert only.graft_chimerism == ("autograft",)
