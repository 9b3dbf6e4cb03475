"""CTCAE laboratory grading of blood counts, version 5.0 or 6.0.

Sources (our own threshold table, transcribed from the published criteria; the
machine-readable admiral metadata in ``../shared/data/ctcae/`` is used only as a test oracle):

* NCI. Common Terminology Criteria for Adverse Events (CTCAE) **v5.0**. U.S. Department of
  Health and Human Services, NIH, National Cancer Institute; published 27 November 2017.
* NCI. Common Terminology Criteria for Adverse Events (CTCAE) **v6.0**. Published 22 July 2025.

Canonical units (DESIGN.md): counts in 10^9/L, hemoglobin in g/dL. The CTCAE tables give the
same cut-offs per mm3 (x 10^-3), and hemoglobin also in g/L (x 10) and mmol/L.

Rules, as in the CTCAE tables and their admiral encoding:

* Boundaries are strict: grade g when the value is ``< cut-off`` (``>`` for the "increased"
  terms). A value exactly on a cut-off belongs to the milder grade.
* The most severe grade whose cut-off is passed wins, so a value below the grade-2 cut-off is
  never grade 1, and a lower count never gets a lower grade (monotone).
* Grade 1 of most "decreased" terms is "<LLN"; it needs the lab's lower limit of normal. If
  no LLN is given and the value is not already grade >= 2, the result is :data:`NEEDS_LLN`
  rather than a guess. (The v6.0 "Neutrophil count decreased" term has a fixed grade-1 cut-off
  of 1.5 x 10^9/L and needs no LLN.)
* A missing value (NaN) grades as :data:`MISSING`.
* Values are rounded to 15 significant digits before they are compared, so that float noise
  from a unit conversion (e.g. 80 g/L / 10 = 7.999999999999999 g/dL) cannot move a value
  across a cut-off. This follows admiral's ``signif_dig`` (default 15; pharmaverse admiral,
  ``derive_var_atoxgr_dir``), whose metadata is our test oracle.
* Grades 4 and 5 of anemia and leukocytosis and grades 4-5 of febrile neutropenia are
  clinical ("life-threatening consequences", "death"); no count can give them.

Version differences that matter for blood counts (v5.0 -> v6.0):

* "Neutrophil count decreased" is re-banded: grade 1 <1.5, 2 <1.0, 3 <0.5, 4 <0.1 x 10^9/L
  (v5.0: grade 1 <LLN, 2 <1.5, 3 <1.0, 4 <0.5).
* "Platelet count decreased" (SOC Investigations) is replaced by "Thrombocytopenia" (SOC
  Blood and lymphatic system disorders) with grade 4 <10 x 10^9/L (v5.0: <25).
* "Lymphocyte count decreased" has no v6.0 term.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

import numpy as np
import pandas as pd

from hematwin.clinic.fever import CTCAE_FEBRILE_NEUTROPENIA, febrile_neutropenic_readings
from hematwin.errors import DataError

__all__ = [
    "CtcaeVersion",
    "Term",
    "GradeStatus",
    "LabCriterion",
    "CtcaeGrade",
    "NEEDS_LLN",
    "MISSING",
    "SIGNIFICANT_DIGITS",
    "criterion",
    "terms",
    "decreased_term",
    "grade",
    "grade_value",
    "grade_febrile_neutropenia",
]

#: Code in a grade array: grade 1 would need the lower limit of normal, which was not given.
NEEDS_LLN = -1
#: Code in a grade array: the value is missing (NaN) and cannot be graded.
MISSING = -2
#: Significant digits kept before comparing with a cut-off (admiral's default, see above).
SIGNIFICANT_DIGITS = 15


class CtcaeVersion(StrEnum):
    V5 = "5.0"
    V6 = "6.0"


class Term(StrEnum):
    """CTCAE terms graded from blood counts (names as in the CTCAE tables)."""

    WHITE_BLOOD_CELL_DECREASED = "White blood cell decreased"
    NEUTROPHIL_COUNT_DECREASED = "Neutrophil count decreased"
    LYMPHOCYTE_COUNT_DECREASED = "Lymphocyte count decreased"
    LYMPHOCYTE_COUNT_INCREASED = "Lymphocyte count increased"
    PLATELET_COUNT_DECREASED = "Platelet count decreased"
    THROMBOCYTOPENIA = "Thrombocytopenia"
    ANEMIA = "Anemia"
    LEUKOCYTOSIS = "Leukocytosis"
    FEBRILE_NEUTROPENIA = "Febrile neutropenia"


class GradeStatus(StrEnum):
    GRADED = "graded"
    NEEDS_LLN = "needs LLN"
    MISSING = "missing value"


Analyte = Literal["wbc", "anc", "lymphocytes", "platelets", "hemoglobin"]


@dataclass(frozen=True)
class LabCriterion:
    """One CTCAE lab term in one version, in canonical units.

    ``cutoffs`` lists ``(grade, cut-off)`` from the most severe grade down; a value strictly
    below (``direction == "low"``) or above (``"high"``) a cut-off has at least that grade.
    ``grade1_below_lln``: grade 1 is "<LLN" (used only when no fixed grade-1 cut-off exists).
    """

    term: Term
    version: CtcaeVersion
    analyte: Analyte
    unit: str
    direction: Literal["low", "high"]
    cutoffs: tuple[tuple[int, float], ...]
    grade1_below_lln: bool
    source: str

    def cutoff(self, grade_: int) -> float | None:
        """The cut-off of ``grade_``, or None if that grade has no count-based cut-off."""
        return dict(self.cutoffs).get(grade_)


_V5 = "NCI CTCAE v5.0 (27 Nov 2017)"
_V6 = "NCI CTCAE v6.0 (22 Jul 2025)"
_COUNT = "10^9/L"
_HB = "g/dL"


def _low(term: Term, version: CtcaeVersion, analyte: Analyte, unit: str, cuts: dict[int, float],
         *, lln: bool, soc: str) -> LabCriterion:
    source = f"{_V5 if version is CtcaeVersion.V5 else _V6}, SOC {soc}, term '{term}'"
    ordered = tuple(sorted(cuts.items(), reverse=True))
    return LabCriterion(term, version, analyte, unit, "low", ordered, lln, source)


def _high(term: Term, version: CtcaeVersion, analyte: Analyte, cuts: dict[int, float],
          *, soc: str) -> LabCriterion:
    source = f"{_V5 if version is CtcaeVersion.V5 else _V6}, SOC {soc}, term '{term}'"
    ordered = tuple(sorted(cuts.items(), reverse=True))
    return LabCriterion(term, version, analyte, _COUNT, "high", ordered, False, source)


_INV = "Investigations"
_BLOOD = "Blood and lymphatic system disorders"
T = Term


def _table(v: CtcaeVersion) -> dict[Term, LabCriterion]:
    common = [
        # WBC: grade 1 <LLN-3000/mm3, 2 <3000-2000, 3 <2000-1000, 4 <1000 (v5.0 and v6.0).
        _low(T.WHITE_BLOOD_CELL_DECREASED, v, "wbc", _COUNT, {2: 3.0, 3: 2.0, 4: 1.0},
             lln=True, soc=_INV),
        # Anemia: grade 1 <LLN-10.0 g/dL, 2 <10.0-8.0, 3 <8.0; grade 4-5 clinical only.
        _low(T.ANEMIA, v, "hemoglobin", _HB, {2: 10.0, 3: 8.0}, lln=True, soc=_BLOOD),
        # Leukocytosis: grade 3 >100,000/mm3; grade 4 is clinical (leucostasis).
        _high(T.LEUKOCYTOSIS, v, "wbc", {3: 100.0}, soc=_BLOOD),
        # Lymphocyte count increased: grade 2 >4000-20,000/mm3, grade 3 >20,000/mm3.
        _high(T.LYMPHOCYTE_COUNT_INCREASED, v, "lymphocytes", {2: 4.0, 3: 20.0}, soc=_INV),
    ]
    if v is CtcaeVersion.V5:
        specific = [
            # v5.0: <LLN-1500/mm3, <1500-1000, <1000-500, <500.
            _low(T.NEUTROPHIL_COUNT_DECREASED, v, "anc", _COUNT, {2: 1.5, 3: 1.0, 4: 0.5},
                 lln=True, soc=_INV),
            # v5.0: <LLN-800/mm3, <800-500, <500-200, <200.
            _low(T.LYMPHOCYTE_COUNT_DECREASED, v, "lymphocytes", _COUNT,
                 {2: 0.8, 3: 0.5, 4: 0.2}, lln=True, soc=_INV),
            # v5.0: <LLN-75,000/mm3, <75,000-50,000, <50,000-25,000, <25,000.
            _low(T.PLATELET_COUNT_DECREASED, v, "platelets", _COUNT,
                 {2: 75.0, 3: 50.0, 4: 25.0}, lln=True, soc=_INV),
        ]
    else:
        specific = [
            # v6.0: <1500-1000/mm3, <1000-500, <500-100, <100 (grade 1 no longer "<LLN").
            _low(T.NEUTROPHIL_COUNT_DECREASED, v, "anc", _COUNT,
                 {1: 1.5, 2: 1.0, 3: 0.5, 4: 0.1}, lln=False, soc=_INV),
            # v6.0: <LLN-75,000/mm3, <75,000-50,000, <50,000-10,000, <10,000.
            _low(T.THROMBOCYTOPENIA, v, "platelets", _COUNT, {2: 75.0, 3: 50.0, 4: 10.0},
                 lln=True, soc=_BLOOD),
        ]
    return {c.term: c for c in common + specific}


_CRITERIA: dict[CtcaeVersion, dict[Term, LabCriterion]] = {v: _table(v) for v in CtcaeVersion}

_DECREASED: dict[CtcaeVersion, dict[str, Term]] = {
    CtcaeVersion.V5: {"wbc": T.WHITE_BLOOD_CELL_DECREASED, "anc": T.NEUTROPHIL_COUNT_DECREASED,
                      "lymphocytes": T.LYMPHOCYTE_COUNT_DECREASED,
                      "platelets": T.PLATELET_COUNT_DECREASED, "hemoglobin": T.ANEMIA},
    CtcaeVersion.V6: {"wbc": T.WHITE_BLOOD_CELL_DECREASED, "anc": T.NEUTROPHIL_COUNT_DECREASED,
                      "platelets": T.THROMBOCYTOPENIA, "hemoglobin": T.ANEMIA},
}


def _version(version: CtcaeVersion | str | int | float) -> CtcaeVersion:
    text = str(version).strip().lower().removeprefix("v")
    for v in CtcaeVersion:
        if text in (v.value, v.value.split(".")[0]):
            return v
    raise DataError(f"unknown CTCAE version {version!r}; expected '5.0' or '6.0'",
                    field="version")


def _term(term: Term | str) -> Term:
    try:
        return Term(term)
    except ValueError:
        for t in Term:
            if t.value.lower() == str(term).strip().lower():
                return t
    raise DataError(f"unknown CTCAE term {term!r}; expected one of "
                    f"{', '.join(t.value for t in Term)}", field="term")


def terms(version: CtcaeVersion | str = CtcaeVersion.V5) -> tuple[Term, ...]:
    """The count-graded lab terms of ``version`` (febrile neutropenia is separate)."""
    return tuple(_CRITERIA[_version(version)])


def criterion(term: Term | str, version: CtcaeVersion | str = CtcaeVersion.V5) -> LabCriterion:
    """The lab criterion of ``term`` in ``version``; `DataError` if the version lacks it."""
    v, t = _version(version), _term(term)
    try:
        return _CRITERIA[v][t]
    except KeyError:
        hint = ""
        if t is T.PLATELET_COUNT_DECREASED and v is CtcaeVersion.V6:
            hint = "; v6.0 grades platelets as 'Thrombocytopenia'"
        elif t is T.THROMBOCYTOPENIA and v is CtcaeVersion.V5:
            hint = "; v5.0 grades platelets as 'Platelet count decreased'"
        elif t is T.FEBRILE_NEUTROPENIA:
            hint = "; it needs temperatures: use grade_febrile_neutropenia()"
        raise DataError(f"CTCAE v{v} has no lab term '{t}'{hint}", field="term") from None


def decreased_term(analyte: Analyte, version: CtcaeVersion | str = CtcaeVersion.V5) -> Term:
    """The "decreased" term for an analyte in ``version`` (platelets: v5 vs v6 names)."""
    v = _version(version)
    try:
        return _DECREASED[v][analyte]
    except KeyError:
        raise DataError(f"CTCAE v{v} has no 'decreased' term for {analyte!r}",
                        field="analyte") from None


def _signif(x: np.ndarray, digits: int) -> np.ndarray:
    """Round to ``digits`` significant digits (R's ``signif``); NaN and 0 pass through."""
    x = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        magnitude = np.floor(np.log10(np.abs(x)))
    exponent = digits - 1 - np.where(np.isfinite(magnitude), magnitude, 0.0)
    # Beyond 1e+-300 the scale overflows; such values are far from any cut-off anyway.
    safe = np.abs(exponent) <= 300
    scale = 10.0 ** np.where(safe, exponent, 0.0)
    return np.where(safe, np.round(x * scale) / scale, x)


def grade(
    term: Term | str,
    values: object,
    *,
    lln: object = None,
    version: CtcaeVersion | str = CtcaeVersion.V5,
    significant_digits: int = SIGNIFICANT_DIGITS,
) -> np.ndarray | pd.Series | int:
    """CTCAE grade of each value: 0-4, :data:`NEEDS_LLN` or :data:`MISSING` (int8 codes).

    Parameters
    ----------
    term, version:
        The CTCAE term and version ("5.0" default, or "6.0").
    values:
        Counts in 10^9/L (hemoglobin in g/dL): a scalar, an array of any shape (e.g. patients
        x times) or a pandas Series (returned as a Series with the same index). NaN grades as
        :data:`MISSING`; a negative count raises `DataError`.
    lln:
        Lower limit of normal in the same unit, a scalar or an array broadcastable to
        ``values``; None or NaN where unknown. Only used for a "<LLN" grade 1.
    """
    crit = criterion(term, version)
    index = values.index if isinstance(values, pd.Series) else None
    scalar = np.ndim(values) == 0 and index is None
    try:
        x = np.asarray(values.to_numpy() if index is not None else values, dtype=float)
    except (TypeError, ValueError):
        raise DataError("expected numbers", field="values") from None
    if np.any(x < 0):
        raise DataError("a count cannot be negative", field="values")
    if np.any(np.isinf(x)):
        raise DataError("values must be finite or NaN", field="values")
    xs = _signif(x, significant_digits)
    out = np.zeros(x.shape, dtype=np.int8)
    decided = np.isnan(x)
    out[decided] = MISSING
    for g, cut in crit.cutoffs:
        hit = (xs < cut) if crit.direction == "low" else (xs > cut)
        hit &= ~decided
        out[hit] = g
        decided |= hit
    if crit.grade1_below_lln and crit.cutoff(1) is None:
        try:
            limit = np.broadcast_to(np.asarray(np.nan if lln is None else lln, dtype=float),
                                    x.shape)
        except (TypeError, ValueError):
            raise DataError(f"the lower limit of normal must be a number or an array "
                            f"broadcastable to the values' shape {x.shape}", field="lln") from None
        if np.any(limit[np.isfinite(limit)] <= 0):
            raise DataError("the lower limit of normal must be positive", field="lln")
        unknown = ~decided & np.isnan(limit)
        out[unknown] = NEEDS_LLN
        below = ~decided & ~unknown & (xs < _signif(limit, significant_digits))
        out[below] = 1
    if scalar:
        return int(out)
    if index is not None:
        return pd.Series(out, index=index, name=crit.term.value)
    return out


@dataclass(frozen=True)
class CtcaeGrade:
    """The grade of one value: ``grade`` is None unless ``status`` is GRADED."""

    term: Term
    version: CtcaeVersion
    value: float
    grade: int | None
    status: GradeStatus

    def __str__(self) -> str:
        shown = f"grade {self.grade}" if self.grade is not None else str(self.status)
        return f"{self.term} (CTCAE v{self.version}): {shown}"


def grade_value(
    term: Term | str,
    value: float,
    *,
    lln: float | None = None,
    version: CtcaeVersion | str = CtcaeVersion.V5,
) -> CtcaeGrade:
    """Grade one value and say why when no grade can be given."""
    crit = criterion(term, version)
    code = int(grade(crit.term, value, lln=lln, version=crit.version))
    if code == NEEDS_LLN:
        return CtcaeGrade(crit.term, crit.version, float(value), None, GradeStatus.NEEDS_LLN)
    if code == MISSING:
        return CtcaeGrade(crit.term, crit.version, float(value), None, GradeStatus.MISSING)
    return CtcaeGrade(crit.term, crit.version, float(value), code, GradeStatus.GRADED)


def grade_febrile_neutropenia(
    anc: object,
    anc_days: object | None,
    temperature: object,
    temperature_days: object | None,
    *,
    version: CtcaeVersion | str = CtcaeVersion.V5,
    anc_window_days: float = 1.0,
) -> np.ndarray:
    """CTCAE "Febrile neutropenia" grade at each temperature reading: 3, 0 or :data:`MISSING`.

    Grade 3 in v5.0 and v6.0 (the term has no grades 1-2): ANC <1.0 x 10^9/L with a single
    temperature >38.3 °C or >=38.0 °C sustained for more than one hour (see
    :mod:`hematwin.clinic.fever` for how readings are paired). Grades 4-5 need clinical
    information. A fever with no ANC within ``anc_window_days`` is :data:`MISSING`.
    """
    _version(version)
    readings = febrile_neutropenic_readings(
        anc, anc_days, temperature, temperature_days,
        definition=CTCAE_FEBRILE_NEUTROPENIA, anc_window_days=anc_window_days,
    )
    out = np.zeros(readings.fever.shape, dtype=np.int8)
    out[readings.fever & np.isnan(readings.anc_at_reading)] = MISSING
    out[readings.febrile_neutropenia] = 3
    return out
