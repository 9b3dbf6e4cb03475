"""The patient's body size, for converting clinical doses into the twin's dosing basis.

The twin doses most agents in their clinical basis already (mg/m², mg/kg, µg/kg; see
:mod:`hematwin.twin.drugs`); a body size is needed only where the clinical dose is a fixed
amount (pegfilgrastim 6 mg) or the twin's basis differs from the clinical one (docetaxel in
total mg, dosed clinically in mg/m²).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from hematwin.therapy._checks import positive

REFERENCE_WEIGHT_KG = 70.0
"""The reference adult of the transfusion increments (Wiesen et al., Ann Intern Med
1994;121:278: one red-cell unit raises Hb by ~1 g/dL in a 70-kg adult)."""


def bsa_mosteller(weight_kg: float, height_cm: float) -> float:
    """Body-surface area in m² by Mosteller's formula, √(height·weight/3600)
    (Mosteller, N Engl J Med 1987;317:1098)."""
    w = positive(weight_kg, "weight_kg", "bsa_mosteller")
    h = positive(height_cm, "height_cm", "bsa_mosteller")
    return math.sqrt(h * w / 3600.0)


@dataclass(frozen=True)
class Patient:
    """Body weight (kg) and height (cm); ``bsa`` by Mosteller."""

    weight_kg: float
    height_cm: float

    def __post_init__(self) -> None:
        positive(self.weight_kg, "weight_kg", "Patient")
        positive(self.height_cm, "height_cm", "Patient")

    @property
    def bsa(self) -> float:
        return bsa_mosteller(self.weight_kg, self.height_cm)
