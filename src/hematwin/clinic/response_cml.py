"""CML response: hematologic response, molecular response on the IS, ELN 2020 milestones.

Sources
-------
- Hochhaus A, Baccarani M, Silver RT, et al. European LeukemiaNet 2020 recommendations for
  treating chronic myeloid leukemia. Leukemia 2020;34:966-984, Table 5 (milestones as
  BCR::ABL1 on the International Scale, IS).
- Cross NCP, White HE, Colomer D, et al. Laboratory recommendations for scoring deep
  molecular responses following treatment for CML. Leukemia 2015;29:999-1003 (MR4, MR4.5,
  MR5 by level or by undetectable BCR::ABL1 with enough ABL1 control copies).
- Baccarani M, Deininger MW, Rosti G, et al. ELN recommendations for the management of CML:
  2013. Blood 2013;122:872-884, Table 3 (complete hematologic response; the 2013 definition
  of loss of MMR, confirmed in two consecutive tests).

Conventions
-----------
BCR::ABL1 in percent on the IS. Months are 365.25/12 days. A value reported as "< x" (below
the limit of detection or quantification) is passed as x with ``below_limit=True``: the true
value is at most x, so the class given is the one x earns (never deeper than proven).

Milestones (3, 6, 12 months) are judged on the measurement nearest to the milestone within
± ``window_months`` (default 1 month; a tie goes to the later measurement), because
monitoring is rarely on the exact day. No measurement in the window: "not assessable".
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hematwin.errors import DataError

DAYS_PER_MONTH = 365.25 / 12.0

# Molecular response depth on the IS (Cross 2015; Hochhaus 2020). "≤" at every boundary.
MR1_PCT = 10.0
MR2_PCT = 1.0
MMR_PCT = 0.1  # MR3, major molecular response
MR4_PCT = 0.01
MR45_PCT = 0.0032
MR5_PCT = 0.001
# Cross 2015: undetectable BCR::ABL1 scores MR4 / MR4.5 / MR5 with at least 10,000 /
# 32,000 / 100,000 ABL1 control-gene copies in the same volume of cDNA.
ABL1_COPIES_MR4 = 10_000
ABL1_COPIES_MR45 = 32_000
ABL1_COPIES_MR5 = 100_000

# Hochhaus 2020 (ELN 2020), Table 5: milestone cut-offs (optimal ≤, failure >).
#   3 mo: optimal ≤ 10 %, warning > 10 %, failure > 10 % if confirmed within 1-3 months
#   6 mo: optimal ≤ 1 %,  warning > 1-10 %, failure > 10 %
#  12 mo: optimal ≤ 0.1 %, warning > 0.1-1 %, failure > 1 %
#  any time (after 12 mo): optimal ≤ 0.1 %, warning > 0.1-1 % / loss of MMR, failure > 1 %
ELN2020_CUTOFFS: dict[int, tuple[float, float]] = {
    3: (10.0, math.inf),  # failure at 3 months only if > 10 % is confirmed
    6: (1.0, 10.0),
    12: (0.1, 1.0),
}
CONFIRM_3MO_MIN_MONTHS = 1.0
CONFIRM_3MO_MAX_MONTHS = 3.0

# Baccarani 2013 (ELN 2013), Table 3: complete hematologic response.
CHR_WBC_MAX = 10.0  # WBC < 10 × 10^9/L
CHR_PLATELETS_MAX = 450.0  # platelets < 450 × 10^9/L
CHR_BASOPHILS_MAX_PCT = 5.0  # basophils < 5 %


class MolecularResponse(enum.IntEnum):
    """Depth of molecular response; a larger value is a deeper response."""

    NONE = 0  # BCR::ABL1 > 10 %
    MR1 = 1  # ≤ 10 %
    MR2 = 2  # ≤ 1 %
    MMR = 3  # ≤ 0.1 % (MR3)
    MR4 = 4  # ≤ 0.01 %
    MR4_5 = 5  # ≤ 0.0032 %
    MR5 = 6  # ≤ 0.001 %

    @property
    def label(self) -> str:
        return {0: "> 10 %", 1: "MR1", 2: "MR2", 3: "MMR", 4: "MR4", 5: "MR4.5", 6: "MR5"}[
            int(self)
        ]


class Verdict(enum.Enum):
    OPTIMAL = "optimal"
    WARNING = "warning"
    FAILURE = "failure"
    NOT_ASSESSABLE = "not assessable"


def molecular_response(
    value_pct: float | None,
    *,
    below_limit: bool = False,
    undetectable: bool = False,
    abl1_copies: float | None = None,
) -> MolecularResponse | None:
    """Molecular response class of one BCR::ABL1 IS measurement.

    ``value_pct``: BCR::ABL1 IS %; with ``below_limit`` it is the limit the true value is
    below. ``undetectable`` with ``abl1_copies``: depth by the ABL1 copies (Cross 2015);
    without enough copies (< 10,000) an undetectable result is no deeper than its limit, and
    with neither a limit nor copies it cannot be scored (None).
    """
    if value_pct is not None and (not math.isfinite(value_pct) or value_pct < 0):
        raise DataError(f"BCR::ABL1 must be a finite percentage ≥ 0, got {value_pct!r}",
                        field="bcr_abl1_is_pct")
    by_copies: MolecularResponse | None = None
    if undetectable and abl1_copies is not None:
        # Cross 2015: sensitivity set by the control-gene copies.
        if abl1_copies >= ABL1_COPIES_MR5:
            by_copies = MolecularResponse.MR5
        elif abl1_copies >= ABL1_COPIES_MR45:
            by_copies = MolecularResponse.MR4_5
        elif abl1_copies >= ABL1_COPIES_MR4:
            by_copies = MolecularResponse.MR4
    by_value = None if value_pct is None else _by_level(value_pct)
    if by_copies is None:
        return by_value
    if by_value is None:
        return by_copies
    return max(by_copies, by_value)


def _by_level(v: float) -> MolecularResponse:
    if v <= MR5_PCT:
        return MolecularResponse.MR5
    if v <= MR45_PCT:
        return MolecularResponse.MR4_5
    if v <= MR4_PCT:
        return MolecularResponse.MR4
    if v <= MMR_PCT:
        return MolecularResponse.MMR
    if v <= MR2_PCT:
        return MolecularResponse.MR2
    if v <= MR1_PCT:
        return MolecularResponse.MR1
    return MolecularResponse.NONE


def eln2020_verdict(month: int, value_pct: float, *, confirmed_above_10: bool = False) -> Verdict:
    """ELN 2020 verdict on a BCR::ABL1 IS value at milestone ``month`` (3, 6, 12 or later).

    Months beyond 12 use the "any time" row of Hochhaus 2020, Table 5. At 3 months, > 10 %
    is a failure only when ``confirmed_above_10`` (a repeat test 1-3 months later > 10 %).
    """
    if month < 3:
        raise ValueError("ELN 2020 sets no BCR::ABL1 milestone before 3 months")
    key = 3 if month < 6 else 6 if month < 12 else 12
    optimal_max, warning_max = ELN2020_CUTOFFS[key]
    if value_pct <= optimal_max:
        return Verdict.OPTIMAL
    if key == 3:
        return Verdict.FAILURE if confirmed_above_10 else Verdict.WARNING
    if value_pct <= warning_max:
        return Verdict.WARNING
    return Verdict.FAILURE


def complete_hematologic_response(
    wbc: float,
    platelets: float,
    basophils_pct: float,
    *,
    immature_granulocytes: bool,
    spleen_palpable: bool,
) -> bool:
    """Complete hematologic response (Baccarani 2013, Table 3).

    Platelets < 450, WBC < 10 (10^9/L), no immature granulocytes in the differential,
    basophils < 5 %, spleen not palpable.
    """
    for name, v in (("wbc", wbc), ("platelets", platelets), ("basophils_pct", basophils_pct)):
        if not math.isfinite(v) or v < 0:
            raise DataError(f"expected a finite value ≥ 0, got {v!r}", field=name)
    return (
        wbc < CHR_WBC_MAX
        and platelets < CHR_PLATELETS_MAX
        and basophils_pct < CHR_BASOPHILS_MAX_PCT
        and not immature_granulocytes
        and not spleen_palpable
    )


# --- one patient's series ------------------------------------------------------------


@dataclass(frozen=True)
class CMLResponseTable:
    """Per-measurement classes and milestone verdicts for one patient."""

    measurements: pd.DataFrame
    milestones: pd.DataFrame
    mmr_day: float | None
    mmr_loss_day: float | None


def cml_response_table(
    days: Sequence[float] | pd.Series,
    values_pct: Sequence[float] | pd.Series | None = None,
    *,
    below_limit: Sequence[bool] | None = None,
    window_months: float = 1.0,
    milestones: Sequence[int] = (3, 6, 12),
) -> CMLResponseTable:
    """Classify a BCR::ABL1 IS series (days since TKI start → %).

    ``days`` may be a pandas Series indexed by day (values = %), or two sequences.
    Returns the measurement table (day, month, value, below_limit, response, depth) and the
    milestone table (milestone month, target day, day and value used, verdict, note).
    Loss of MMR: after MMR was reached, two consecutive tests > 0.1 % (Baccarani 2013); its
    ELN 2020 verdict is "warning", or "failure" when either test is > 1 % (Hochhaus 2020).
    """
    if values_pct is None:
        if not isinstance(days, pd.Series):
            raise DataError("give a Series (day → %) or days and values", field="values_pct")
        series = days
        days, values_pct = series.index.to_numpy(float), series.to_numpy(float)
    d = np.asarray(days, dtype=float)
    v = np.asarray(values_pct, dtype=float)
    lim = np.zeros(len(d), bool) if below_limit is None else np.asarray(below_limit, bool)
    if not (len(d) == len(v) == len(lim)):
        raise DataError("days, values and below_limit differ in length", field="values_pct")
    for i, (di, vi) in enumerate(zip(d, v, strict=True)):
        if not math.isfinite(di):
            raise DataError(f"day must be finite, got {di!r}", row=i, field="day")
        if not math.isfinite(vi) or vi < 0:
            raise DataError(f"BCR::ABL1 must be a finite percentage ≥ 0, got {vi!r}", row=i,
                            field="bcr_abl1_is_pct")
    order = np.argsort(d, kind="stable")
    d, v, lim = d[order], v[order], lim[order]
    if len(np.unique(d)) != len(d):
        dup = d[np.nonzero(np.diff(d) == 0)[0][0]]
        raise DataError(f"two measurements on day {dup:g}", field="day")

    classes = [molecular_response(x, below_limit=b) for x, b in zip(v, lim, strict=True)]
    meas = pd.DataFrame(
        {
            "day": d,
            "month": d / DAYS_PER_MONTH,
            "bcr_abl1_is_pct": v,
            "below_limit": lim,
            "response": [c.label for c in classes],
            "depth": [int(c) for c in classes],
            "mmr": [c >= MolecularResponse.MMR for c in classes],
        }
    )
    meas["eln2020_any_time"] = [
        eln2020_verdict(12, x).value if m > 12.0 + window_months else None
        for x, m in zip(v, meas["month"], strict=True)
    ]

    rows = []
    for month in milestones:
        rows.append(_milestone_row(month, d, v, window_months))
    miles = pd.DataFrame(rows, columns=["milestone_month", "target_day", "day", "value_pct",
                                        "verdict", "note"])

    mmr_day = next((float(x) for x, c in zip(d, classes, strict=True)
                    if c >= MolecularResponse.MMR), None)
    loss_day = None
    if mmr_day is not None:
        after = np.nonzero(d > mmr_day)[0]
        for i, j in zip(after[:-1], after[1:], strict=True):
            # Baccarani 2013: loss of MMR confirmed by two consecutive tests above 0.1 %.
            # A value given as "< x" with x > 0.1 is not proof of loss.
            if v[i] > MMR_PCT and v[j] > MMR_PCT and not lim[i] and not lim[j]:
                loss_day = float(d[i])
                break
    return CMLResponseTable(meas, miles, mmr_day, loss_day)


def _milestone_row(month: int, d: np.ndarray, v: np.ndarray, window: float) -> list:
    target = month * DAYS_PER_MONTH
    half = window * DAYS_PER_MONTH
    near = np.nonzero(np.abs(d - target) <= half)[0]
    if len(near) == 0:
        return [month, target, None, None, Verdict.NOT_ASSESSABLE.value,
                f"no measurement within ± {window:g} month(s)"]
    dist = np.abs(d[near] - target)
    best = near[np.nonzero(dist == dist.min())[0][-1]]  # tie: the later measurement
    value = float(v[best])
    note = ""
    confirmed = False
    if month < 6 and value > ELN2020_CUTOFFS[3][0]:
        lo = d[best] + CONFIRM_3MO_MIN_MONTHS * DAYS_PER_MONTH
        hi = d[best] + CONFIRM_3MO_MAX_MONTHS * DAYS_PER_MONTH
        follow = np.nonzero((d >= lo) & (d <= hi))[0]
        if len(follow):
            confirmed = bool(v[follow[0]] > ELN2020_CUTOFFS[3][0])
            note = (f"> 10 % {'confirmed' if confirmed else 'not confirmed'} on day "
                    f"{d[follow[0]]:g}")
        else:
            note = "> 10 %, no repeat test 1-3 months later"
    verdict = eln2020_verdict(month, value, confirmed_above_10=confirmed)
    return [month, target, float(d[best]), value, verdict.value, note]


def cml_cohort_table(
    frame: pd.DataFrame,
    *,
    day: str = "Days",
    value: str = "Prct",
    patient: str = "Pt",
    below_limit: str | None = None,
    window_months: float = 1.0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply `cml_response_table` to every patient of a long table.

    Defaults fit ``shared/data/cml/michor.csv`` (columns ``Days, Prct, Pt``). Returns the
    long measurement table and the milestone table, each with a ``patient`` column; the
    milestone table also carries the day MMR was first reached and lost.
    """
    missing = [c for c in (day, value, patient) if c not in frame.columns]
    if missing:
        raise DataError(f"missing column(s) {missing}; have {list(frame.columns)}",
                        field=missing[0])
    meas_parts, mile_parts = [], []
    for pt, group in frame.groupby(patient, sort=True):
        try:
            res = cml_response_table(
                group[day].to_numpy(float),
                group[value].to_numpy(float),
                below_limit=None if below_limit is None else group[below_limit].to_numpy(bool),
                window_months=window_months,
            )
        except DataError as exc:
            raise DataError(f"patient {pt}: {exc.message}", row=exc.row,
                            field=exc.field) from None
        if isinstance(pt, float) and pt.is_integer():
            pt = int(pt)  # michor.csv stores patient numbers as 1.0, 2.0…
        m = res.measurements.assign(patient=pt)
        s = res.milestones.assign(patient=pt, mmr_day=res.mmr_day, mmr_loss_day=res.mmr_loss_day)
        meas_parts.append(m)
        mile_parts.append(s)
    first = ["patient"]
    meas = pd.concat(meas_parts, ignore_index=True)
    miles = pd.concat(mile_parts, ignore_index=True)
    return (meas[first + [c for c in meas.columns if c not in first]],
            miles[first + [c for c in miles.columns if c not in first]])


__all__ = [
    "CMLResponseTable",
    "MolecularResponse",
    "Verdict",
    "cml_cohort_table",
    "cml_response_table",
    "complete_hematologic_response",
    "eln2020_verdict",
    "molecular_response",
]
