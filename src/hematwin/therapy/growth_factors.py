"""G-CSF: filgrastim (daily s.c.), pegfilgrastim (once per cycle s.c.), donor mobilisation.

Doses go into the twin's s.c. depots ``FILG_sc`` and ``PEG_sc`` in µg per kg of body weight
(:mod:`hematwin.twin.myeloid`); ``start``/``day`` are model days.
"""

from __future__ import annotations

from hematwin.errors import RegimenError
from hematwin.therapy._checks import count, number, positive
from hematwin.therapy.patient import Patient
from hematwin.therapy.regimen import Dose, Regimen


def filgrastim(start: float = 0.0, ug_per_kg: float = 5.0, days: int = 10) -> Regimen:
    """Filgrastim ``ug_per_kg`` µg/kg s.c. once daily for ``days`` days from ``start``.

    5 µg/kg/day is the labelled dose after myelosuppressive chemotherapy and after
    transplantation, continued until neutrophil recovery (Neupogen label; Smith et al.,
    J Clin Oncol 2015;33:3199, ASCO guideline). The twin has no count-triggered stop, so
    the number of days is given; 10-14 days covers the usual nadir.
    """
    where = "filgrastim"
    t = number(start, "start", where)
    dose = positive(ug_per_kg, "ug_per_kg", where)
    n = count(days, "days", where)
    return Regimen([Dose(t, dose, "FILG_sc", ii=1.0, addl=n - 1)])


def pegfilgrastim(day: float = 1.0, mg: float = 6.0, weight_kg: float | None = None, *,
                  patient: Patient | None = None, cycles: int = 1, every_days: float = 21.0
                  ) -> Regimen:
    """Pegfilgrastim ``mg`` mg s.c. once per chemotherapy cycle (6 mg fixed dose, given
    ≥ 24 h after chemotherapy: Neulasta label; Smith et al., J Clin Oncol 2015;33:3199). The
    twin doses µg/kg, so the weight is needed (``weight_kg`` or a :class:`Patient`)."""
    where = "pegfilgrastim"
    t = number(day, "day", where)
    amount = positive(mg, "mg", where)
    if (weight_kg is None) == (patient is None):
        raise RegimenError(f"{where}: give the body weight (weight_kg) or a patient, "
                           "exactly one of them", field="weight_kg")
    w = patient.weight_kg if patient is not None else positive(weight_kg, "weight_kg", where)
    n = count(cycles, "cycles", where)
    every = positive(every_days, "every_days", where)
    return Regimen.cycles(Dose(t, 1000.0 * amount / w, "PEG_sc"), n, every)


def mobilisation(start: float = 0.0, ug_per_kg: float = 10.0, days: int = 5) -> Regimen:
    """Mobilisation of a (donor's) blood CD34+ cells with filgrastim ``ug_per_kg`` µg/kg s.c.
    daily for ``days`` days; apheresis on the last day (10 µg/kg/day for ≥ 4 days before the
    first leukapheresis: Neupogen label; blood CD34+ peak on days 4-6: To et al., Blood
    1997;89:2233). Read the twin's ``cd34_blood`` output on the morning of day 5."""
    where = "mobilisation"
    return filgrastim(number(start, "start", where), positive(ug_per_kg, "ug_per_kg", where),
                      count(days, "days", where))
