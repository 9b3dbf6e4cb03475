"""Cytotoxic chemotherapy: AML induction ("7+3"), high-dose cytarabine consolidation,
docetaxel.

Each function returns a :class:`~hematwin.therapy.regimen.Regimen` of doses into the twin's
central compartments, in the twin's dosing basis (``ARAC_c`` and ``DNR_c`` in mg/m²,
``DTX_c`` in mg; :mod:`hematwin.twin.drugs`). ``start`` is the model time (days) of day 1 of
the cycle, so "days 1-7" are ``start`` … ``start + 6``.
"""

from __future__ import annotations

from hematwin.errors import RegimenError
from hematwin.therapy._checks import count, number, positive
from hematwin.therapy.patient import Patient
from hematwin.therapy.regimen import Dose, Regimen

HOUR = 1.0 / 24.0

DAUNORUBICIN_INFUSION_H = 0.5
"""Daunorubicin is given as a short i.v. infusion (Cerubidine label: i.v. over minutes; the
twin's daunorubicin kills through its two-compartment PK, so minutes vs 30 min matter little)."""


def seven_plus_three(start: float = 0.0, cytarabine_mg_m2: float = 100.0,
                     daunorubicin_mg_m2: float = 60.0) -> Regimen:
    """AML induction "7+3": cytarabine ``cytarabine_mg_m2`` per day by continuous i.v.
    infusion on days 1-7 and daunorubicin ``daunorubicin_mg_m2`` i.v. on days 1-3.

    Doses: cytarabine 100-200 mg/m²/day continuous infusion days 1-7 with daunorubicin
    60 mg/m² days 1-3 (Döhner et al., Blood 2022;140:1345, 2022 ELN recommendations, Table
    of induction regimens); daunorubicin 90 mg/m² is the dose-intensified option (Fernandez
    et al., N Engl J Med 2009;361:1249).
    """
    where = "seven_plus_three"
    t = number(start, "start", where)
    ara = positive(cytarabine_mg_m2, "cytarabine_mg_m2", where)
    dnr = positive(daunorubicin_mg_m2, "daunorubicin_mg_m2", where)
    return Regimen([
        Dose(t, 7 * ara, "ARAC_c", duration=7.0),
        Dose(t, dnr, "DNR_c", duration=DAUNORUBICIN_INFUSION_H * HOUR, ii=1.0, addl=2),
    ])


def high_dose_cytarabine(start: float = 0.0, g_m2: float = 3.0, cycles: int = 1,
                         every_days: float = 28.0, infusion_hours: float = 3.0) -> Regimen:
    """High-dose cytarabine (HiDAC) consolidation: ``g_m2`` g/m² over ``infusion_hours`` h
    every 12 h on days 1, 3 and 5 (6 doses per cycle), ``cycles`` cycles ``every_days``
    apart.

    Mayer et al., N Engl J Med 1994;331:896 (CALGB 8525: 3 g/m² over 3 h q12h days 1, 3, 5;
    four courses). The interval between courses is set by count recovery, about 4-5 weeks in
    CALGB 8525; 28 days is the default here.
    """
    where = "high_dose_cytarabine"
    t = number(start, "start", where)
    mg = 1000.0 * positive(g_m2, "g_m2", where)
    n = count(cycles, "cycles", where)
    every = positive(every_days, "every_days", where)
    hours = positive(infusion_hours, "infusion_hours", where)
    if hours >= 12:
        raise RegimenError(f"{where}: infusion_hours must be < 12 (doses are 12 h apart), "
                           f"got {hours}", field="infusion_hours")
    if n > 1 and every < 5:
        raise RegimenError(f"{where}: every_days must be ≥ 5 (a cycle spans days 1-5), "
                           f"got {every}", field="every_days")
    items = []
    for c in range(n):
        for day in (0.0, 2.0, 4.0):  # days 1, 3, 5
            items.append(Dose(t + c * every + day, mg, "ARAC_c", duration=hours * HOUR,
                              ii=0.5, addl=1))
    return Regimen(items)


def docetaxel(start: float = 0.0, mg_m2: float = 75.0, bsa: float | None = None, *,
              patient: Patient | None = None, cycles: int = 1, every_days: float = 21.0,
              infusion_hours: float = 1.0) -> Regimen:
    """Docetaxel ``mg_m2`` mg/m² as a 1-h i.v. infusion every 3 weeks; the twin doses the
    total amount in mg (``DTX_c``), so the body-surface area is needed: ``bsa`` in m², or a
    :class:`Patient` (Mosteller BSA).

    75-100 mg/m² every 3 weeks as a 1-h infusion (Taxotere label); the twin's docetaxel
    effect follows Friberg et al., J Clin Oncol 2002;20:4713. ``infusion_hours=0`` gives the
    bolus of Friberg's published simulations.
    """
    where = "docetaxel"
    t = number(start, "start", where)
    dose = positive(mg_m2, "mg_m2", where)
    if (bsa is None) == (patient is None):
        raise RegimenError(f"{where}: give the body-surface area (bsa, m²) or a patient, "
                           "exactly one of them", field="bsa")
    area = patient.bsa if patient is not None else positive(bsa, "bsa", where)
    n = count(cycles, "cycles", where)
    every = positive(every_days, "every_days", where)
    hours = number(infusion_hours, "infusion_hours", where)
    if hours < 0:
        raise RegimenError(f"{where}: infusion_hours must be ≥ 0, got {hours}",
                           field="infusion_hours")
    return Regimen.cycles(Dose(t, dose * area, "DTX_c", duration=hours * HOUR), n, every)
