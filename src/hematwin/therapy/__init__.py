"""Therapy: what clinicians do, as regimens of the twin's events.

One module per idea — :mod:`~hematwin.therapy.chemotherapy`,
:mod:`~hematwin.therapy.conditioning`, :mod:`~hematwin.therapy.transplant`,
:mod:`~hematwin.therapy.growth_factors`, :mod:`~hematwin.therapy.support`,
:mod:`~hematwin.therapy.tki`, :mod:`~hematwin.therapy.disease` — each function taking doses
in clinical units and returning a :class:`~hematwin.therapy.regimen.Regimen` in the twin's
units. Regimens add: ``bu_cy() + stem_cell_transplant()``.
"""

from hematwin.therapy.regimen import Covariate, Dose, Regimen, Replace, Reset

__all__ = ["Covariate", "Dose", "Regimen", "Replace", "Reset"]
