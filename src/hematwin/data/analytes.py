"""The controlled vocabulary of analytes a patient timeline may hold.

Each analyte has one canonical unit (DESIGN.md, "Units"): blood counts in 10^9/L,
hemoglobin in g/dL, temperature in degrees Celsius, fractions in percent. Readers convert
every value to the canonical unit on the way in (:mod:`hematwin.data.units`), so code
downstream (grading, engraftment, fitting) never sees another unit.

``lower`` and ``upper`` are the bounds of a value that can exist at all (a count cannot be
negative, a fraction of leukocytes cannot exceed 100 %); they are not reference ranges.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

UnitKind = Literal["count", "mass_concentration", "temperature", "percent"]

COUNT_UNIT = "10^9/L"
HEMOGLOBIN_UNIT = "g/dL"
TEMPERATURE_UNIT = "degC"
PERCENT_UNIT = "%"

CANONICAL_UNIT: dict[UnitKind, str] = {
    "count": COUNT_UNIT,
    "mass_concentration": HEMOGLOBIN_UNIT,
    "temperature": TEMPERATURE_UNIT,
    "percent": PERCENT_UNIT,
}


@dataclass(frozen=True)
class Analyte:
    """One measurable quantity: name, what it is, the kind of its unit and its hard bounds."""

    name: str
    description: str
    kind: UnitKind
    lower: float | None = 0.0
    upper: float | None = None

    @property
    def unit(self) -> str:
        """The canonical unit every value of this analyte is stored in."""
        return CANONICAL_UNIT[self.kind]


def _analytes(*items: Analyte) -> dict[str, Analyte]:
    return {a.name: a for a in items}


ANALYTES: dict[str, Analyte] = _analytes(
    # blood counts, 10^9/L
    Analyte("wbc", "leukocytes (white blood cells) in blood", "count"),
    Analyte("anc", "absolute neutrophil count in blood", "count"),
    Analyte("lymphocytes", "absolute lymphocyte count in blood", "count"),
    Analyte("monocytes", "absolute monocyte count in blood", "count"),
    Analyte("platelets", "platelets in blood", "count"),
    Analyte("blasts_blood", "absolute blast count in blood", "count"),
    Analyte("cd34_blood", "CD34+ cells in blood (mobilisation)", "count"),
    Analyte("cd4", "CD3+CD4+ T cells in blood", "count"),
    Analyte("cd8", "CD3+CD8+ T cells in blood", "count"),
    Analyte("nk", "CD3-CD56+ natural killer cells in blood", "count"),
    Analyte("b_cells", "CD19+ B cells in blood", "count"),
    # mass concentration
    Analyte("hemoglobin", "hemoglobin in blood", "mass_concentration"),
    # temperature: bounds catch Fahrenheit values labelled as Celsius (and the reverse);
    # 25-46 degC spans every temperature compatible with a living patient.
    Analyte("temperature", "body temperature", "temperature", lower=25.0, upper=46.0),
    # percentages
    Analyte("blasts_blood_pct", "blasts per 100 leukocytes in blood", "percent", upper=100.0),
    # BCR::ABL1/ABL1 on the International Scale can exceed 100 % at diagnosis.
    Analyte("bcr_abl1_is_pct", "BCR::ABL1 transcripts, International Scale", "percent"),
    Analyte("mrd_flow_pct", "measurable residual disease by flow cytometry", "percent",
            upper=100.0),
    # qPCR MRD is a ratio of leukemic to reference transcripts or cells; stored in percent
    # so that 10^-4 is 0.01 %.
    Analyte("mrd_qpcr", "measurable residual disease by qPCR (ratio, in percent)", "percent"),
)


def analyte(name: str) -> Analyte:
    """The :class:`Analyte` called ``name``; ``KeyError`` lists the known names."""
    try:
        return ANALYTES[name]
    except KeyError:
        raise KeyError(
            f"unknown analyte {name!r}; expected one of {', '.join(sorted(ANALYTES))}"
        ) from None
