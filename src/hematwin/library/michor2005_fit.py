"""Per-patient biphasic fit of BCR-ABL/BCR under imatinib (Michor 2005, Fig. 3 / Fig. 5 data).

The data (``../shared/data/cml/michor.csv``, columns ``Days, Prct, Pt``: BCR-ABL/BCR % of 68
patients during their first year of imatinib) were digitised from Michor et al., Nature
2005;435:1267 by radivot/myelo (``myelo/data/michor.rda``).

Model fitted to each patient, by ordinary least squares on the natural log of the ratio (the
paper's slopes, 0.05 and 0.008 per day, are rates of e-fold decline — they are the death
rates d2 and d1 of the model in :mod:`hematwin.library.michor2005`)::

    ln R(t) = c − s1·min(t, τ) − s2·max(t − τ, 0)

a continuous two-segment line ("hinge") with initial level c, first slope s1, second slope
s2 and breakpoint τ. For each τ on a 1-day grid between the second and the second-to-last
sampling day the problem is linear in (c, s1, s2); the τ with the least squared error wins.
This is the simplest description of a biphasic decline that does not presuppose where the
phases meet; it is not the paper's own estimator (which we could not retrieve), so the
medians are what the data say under this choice. Slopes are positive when the ratio falls.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from hematwin.errors import DataError

#: Where the data live relative to the project root.
DEFAULT_DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "cml" / "michor.csv"


def load(path: str | Path = DEFAULT_DATA) -> pd.DataFrame:
    """The Michor 2005 patient data as a table ``Days, Prct, Pt`` (checked)."""
    path = Path(path)
    try:
        frame = pd.read_csv(path)
    except FileNotFoundError:
        raise DataError(f"Michor 2005 data not found at {path}", file=str(path)) from None
    missing = {"Days", "Prct", "Pt"} - set(frame.columns)
    if missing:
        raise DataError(f"columns {sorted(missing)} missing; expected Days, Prct, Pt",
                        file=str(path))
    bad = frame.index[~(frame["Prct"] > 0)]
    if len(bad):
        raise DataError(f"BCR-ABL % must be > 0 to take its log (row {int(bad[0]) + 2})",
                        file=str(path), row=int(bad[0]) + 2, field="Prct")
    return frame


def fit_biphasic(days: np.ndarray, ratio: np.ndarray, *, step: float = 1.0) -> dict[str, float]:
    """Least-squares hinge fit of ln(ratio) against days (see module docstring).

    Returns ``intercept`` (ln ratio at day 0), ``slope1``, ``slope2`` (1/day, positive =
    decline), ``breakpoint`` (day), ``sse`` and ``n``. Needs at least 4 points.
    """
    t = np.asarray(days, dtype=float)
    y = np.log(np.asarray(ratio, dtype=float))
    order = np.argsort(t)
    t, y = t[order], y[order]
    if t.size < 4:
        raise DataError(f"a biphasic fit needs at least 4 points, got {t.size}")
    best = None
    for tau in np.arange(t[1], t[-2] + step / 2, step):
        design = np.column_stack([np.ones_like(t), -np.minimum(t, tau),
                                  -np.maximum(t - tau, 0.0)])
        coef, *_ = np.linalg.lstsq(design, y, rcond=None)
        sse = float(np.sum((design @ coef - y) ** 2))
        if best is None or sse < best[0]:
            best = (sse, tau, coef)
    sse, tau, coef = best
    return {"intercept": float(coef[0]), "slope1": float(coef[1]), "slope2": float(coef[2]),
            "breakpoint": float(tau), "sse": sse, "n": int(t.size)}


def fit_patients(data: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per patient: ``Pt`` and the fields of :func:`fit_biphasic`."""
    data = load() if data is None else data
    rows = []
    for pt, group in data.groupby("Pt", sort=True):
        rows.append({"Pt": pt, **fit_biphasic(group["Days"].to_numpy(),
                                              group["Prct"].to_numpy())})
    return pd.DataFrame(rows)


def summarize(fits: pd.DataFrame) -> pd.DataFrame:
    """The distribution of both slopes over the fitted patients (rows ``slope1``,
    ``slope2``): ``n`` fitted, ``median``, quartiles ``q1``/``q3`` (linear interpolation),
    ``min``, ``max``, ``mean``, ``sd`` (n − 1) and ``n_rising`` (slopes < 0: the ratio rose
    in that phase)."""
    out = {}
    for col in ("slope1", "slope2"):
        x = fits[col].dropna()
        q = x.quantile([0.25, 0.5, 0.75])
        out[col] = {"n": int(x.size), "median": q[0.5], "q1": q[0.25], "q3": q[0.75],
                    "min": x.min(), "max": x.max(), "mean": x.mean(), "sd": x.std(ddof=1),
                    "n_rising": int((x < 0).sum())}
    return pd.DataFrame(out).T
