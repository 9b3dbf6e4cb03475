"""The patient: body size, for converting clinical doses into the twin's dosing basis, and
the patient modifiers of the twin's marrow (age, niche quality, prior therapy damage).

The twin doses most agents in their clinical basis already (mg/m², mg/kg, µg/kg; see
:mod:`hematwin.twin.drugs`); a body size is needed only where the clinical dose is a fixed
amount (pegfilgrastim 6 mg) or the twin's basis differs from the clinical one (docetaxel in
total mg, dosed clinically in mg/m²).

The marrow modifiers map onto the twin's parameters (:mod:`hematwin.twin.stem`): ``age``
(HSC self-renewal and the lymphoid share fall with age; thymic output in
:mod:`hematwin.twin.lymphoid`), ``q_niche`` (niche quality) and ``hsc_damage`` (HSC lost to
prior chemo- or radiotherapy). Both of the latter lower the marrow reserve: counts at rest
stay normal, nadirs deepen and engraftment slows. The defaults are the twin's calibrated
reference, a 40-year-old with a healthy marrow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from hematwin.errors import RegimenError
from hematwin.therapy._checks import fraction, non_negative, positive

REFERENCE_WEIGHT_KG = 70.0
"""The reference adult of the transfusion increments (Wiesen et al., Ann Intern Med
1994;121:278: one red-cell unit raises Hb by ~1 g/dL in a 70-kg adult)."""


HB_SEX_OFFSET_G_DL = {"female": -0.95, "male": 0.95}
"""Shift of the baseline hemoglobin from the twin's sex-neutral reference (``HB0``, 14 g/dL):
iron-replete men aged 18-44 have 1.9 g/dL more hemoglobin than women (1.895 g/dL in NHANES I;
Am J Epidemiol 1991;134:1410), split evenly around the reference, which gives 13.05 g/dL for
a woman and 14.95 g/dL for a man — near the middle of the usual sex-specific reference
intervals (lower limits ~12.2 and ~13.7 g/dL: Beutler & Waalen, Blood 2006;107:1747)."""


def baseline_hb(sex: str, reference_hb: float) -> float:
    """Baseline hemoglobin (g/dL) of a patient of this sex, from the sex-neutral reference."""
    if sex not in HB_SEX_OFFSET_G_DL:
        raise RegimenError(f"Patient: sex must be one of {sorted(HB_SEX_OFFSET_G_DL)}, got "
                           f"{sex!r}", field="sex")
    return reference_hb + HB_SEX_OFFSET_G_DL[sex]


MAX_AGE_YEARS = 120.0
"""Upper bound of a plausible age (the oldest documented human lifespans are ~120 years)."""


def bsa_mosteller(weight_kg: float, height_cm: float) -> float:
    """Body-surface area in m² by Mosteller's formula, √(height·weight/3600)
    (Mosteller, N Engl J Med 1987;317:1098)."""
    w = positive(weight_kg, "weight_kg", "bsa_mosteller")
    h = positive(height_cm, "height_cm", "bsa_mosteller")
    return math.sqrt(h * w / 3600.0)


@dataclass(frozen=True)
class Patient:
    """Body weight (kg) and height (cm), ``bsa`` by Mosteller; age (years), marrow niche
    quality (0-1, 1 healthy) and the fraction of HSC lost to prior therapy ([0, 1))."""

    weight_kg: float
    height_cm: float
    age_years: float = 40.0
    niche_quality: float = 1.0
    prior_therapy_hsc_loss: float = 0.0

    def __post_init__(self) -> None:
        where = "Patient"
        positive(self.weight_kg, "weight_kg", where)
        positive(self.height_cm, "height_cm", where)
        if non_negative(self.age_years, "age_years", where) > MAX_AGE_YEARS:
            raise RegimenError(f"{where}: age_years must be ≤ {MAX_AGE_YEARS:g}, got "
                               f"{self.age_years}", field="age_years")
        fraction(self.niche_quality, "niche_quality", where, open_low=True)
        if fraction(self.prior_therapy_hsc_loss, "prior_therapy_hsc_loss", where) == 1:
            raise RegimenError(f"{where}: prior_therapy_hsc_loss must be < 1 (no HSC left), "
                               f"got 1", field="prior_therapy_hsc_loss")

    def twin_parameters(self) -> dict[str, float]:
        """The twin's patient-modifier parameters (overrides for ``Model.simulate``)."""
        return {"age": float(self.age_years), "q_niche": float(self.niche_quality),
                "hsc_damage": float(self.prior_therapy_hsc_loss)}

    @property
    def bsa(self) -> float:
        return bsa_mosteller(self.weight_kg, self.height_cm)
