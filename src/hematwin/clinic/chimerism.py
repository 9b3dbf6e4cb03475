"""Donor chimerism after allogeneic HCT: full, mixed, graft loss, split by lineage, trend.

Source: Kharfan-Dabaja MA, Kumar A, Ayala E, et al. Standardizing definitions of
hematopoietic recovery, graft rejection, graft failure, poor graft function, and donor
chimerism in allogeneic hematopoietic cell transplantation: a report on behalf of the ASTCT.
Transplant Cell Ther 2021;27:642-649 (consensus table of definitions):
full donor chimerism > 95 % donor cells (myeloid and lymphoid lineages), mixed/partial
chimerism 5-95 %, loss of the graft (rejection) < 5 % donor cells.

"Split" chimerism (lineages in different categories, typically mixed T cells with full
donor myeloid cells) and the trend rule below are descriptive conventions of this module:
the consensus fixes no numeric rule for a falling donor fraction. We flag a decrease when
the donor fraction falls on two consecutive samples by ``min_drop_pct`` percentage points
or more in total (default 5, about the reproducibility of STR-PCR chimerism assays).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from hematwin.errors import DataError

# Kharfan-Dabaja 2021 (ASTCT): full donor > 95 %; mixed 5-95 % (inclusive); loss < 5 %.
FULL_DONOR_ABOVE_PCT = 95.0
GRAFT_LOSS_BELOW_PCT = 5.0


class Chimerism(enum.Enum):
    FULL_DONOR = "full donor"
    MIXED = "mixed"
    GRAFT_LOSS = "graft loss"


def classify_chimerism(donor_pct: float, *, field: str = "donor_pct") -> Chimerism:
    """ASTCT 2021 category of one donor-chimerism percentage."""
    if not isinstance(donor_pct, int | float) or not math.isfinite(donor_pct) \
            or not 0.0 <= donor_pct <= 100.0:
        raise DataError(f"donor chimerism must be a percentage in [0, 100], got {donor_pct!r}",
                        field=field)
    if donor_pct > FULL_DONOR_ABOVE_PCT:
        return Chimerism.FULL_DONOR
    if donor_pct < GRAFT_LOSS_BELOW_PCT:
        return Chimerism.GRAFT_LOSS
    return Chimerism.MIXED


@dataclass(frozen=True)
class LineageChimerism:
    """Categories per lineage (e.g. ``{"CD3": MIXED, "CD33": FULL_DONOR}``)."""

    by_lineage: dict[str, Chimerism]

    @property
    def split(self) -> bool:
        """True when lineages fall in different categories (split chimerism)."""
        return len(set(self.by_lineage.values())) > 1

    @property
    def overall(self) -> Chimerism:
        """Full donor only if every lineage is; graft loss only if every lineage is."""
        cats = set(self.by_lineage.values())
        if cats == {Chimerism.FULL_DONOR}:
            return Chimerism.FULL_DONOR
        if cats == {Chimerism.GRAFT_LOSS}:
            return Chimerism.GRAFT_LOSS
        return Chimerism.MIXED


def lineage_chimerism(donor_pct_by_lineage: Mapping[str, float]) -> LineageChimerism:
    """Classify each lineage (T cells, myeloid, whole blood…) and detect split chimerism."""
    if not donor_pct_by_lineage:
        raise DataError("no lineage given", field="donor_pct_by_lineage")
    return LineageChimerism({name: classify_chimerism(v, field=name)
                             for name, v in donor_pct_by_lineage.items()})


@dataclass(frozen=True)
class ChimerismTrend:
    categories: pd.Series  # day → category value
    decreasing: bool
    decrease_day: float | None  # day of the sample that completed the flagged decline


def chimerism_trend(donor_pct: pd.Series, *, min_drop_pct: float = 5.0) -> ChimerismTrend:
    """Categories over time and a flag for a falling donor fraction (see module notes)."""
    s = donor_pct.sort_index()
    if s.index.has_duplicates:
        raise DataError("two chimerism samples on the same day", field="day")
    cats = pd.Series([classify_chimerism(float(v)).value for v in s.to_numpy()], index=s.index,
                     name="chimerism")
    v = s.to_numpy(float)
    day = None
    for i in range(2, len(v)):
        if v[i] < v[i - 1] < v[i - 2] and v[i - 2] - v[i] >= min_drop_pct:
            day = float(s.index[i])
            break
    return ChimerismTrend(cats, day is not None, day)


__all__ = [
    "Chimerism",
    "ChimerismTrend",
    "LineageChimerism",
    "chimerism_trend",
    "classify_chimerism",
    "lineage_chimerism",
]
