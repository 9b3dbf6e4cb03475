"""Tyrosine-kinase inhibitor therapy of CML: daily oral imatinib, and stopping it.

Doses go into the twin's gut compartment ``IM_gut`` in mg (:mod:`hematwin.twin.drugs`).
"""

from __future__ import annotations

import math

from hematwin.errors import RegimenError
from hematwin.therapy._checks import count, number, positive
from hematwin.therapy.regimen import Dose, Regimen


def imatinib(start: float = 0.0, mg: float = 400.0, days: int = 365) -> Regimen:
    """Imatinib ``mg`` mg orally once daily for ``days`` days from ``start`` (one dose every
    day: II = 1 day, ADDL = days − 1). 400 mg/day is the standard first-line dose in chronic
    phase (Druker et al., N Engl J Med 2001;344:1031; O'Brien et al., N Engl J Med
    2003;348:994, IRIS). Dosing ends after the last day: that is how imatinib is stopped."""
    where = "imatinib"
    t = number(start, "start", where)
    dose = positive(mg, "mg", where)
    n = count(days, "days", where)
    return Regimen([Dose(t, dose, "IM_gut", ii=1.0, addl=n - 1)])


def stop_imatinib(regimen: Regimen, day: float) -> Regimen:
    """``regimen`` with every imatinib dose on or after model day ``day`` removed (the
    repeated daily doses are cut short; other items are kept). Stopping means only that
    dosing ends — the drug then washes out with its own PK (treatment-free remission
    attempts: Mahon et al., Lancet Oncol 2010;11:1029, STIM)."""
    where = "stop_imatinib"
    if not isinstance(regimen, Regimen):
        raise RegimenError(f"{where}: regimen must be a Regimen, got {type(regimen).__name__}",
                           field="regimen")
    stop = number(day, "day", where)
    items = []
    for item in regimen.items:
        if not (isinstance(item, Dose) and item.cmt == "IM_gut"):
            items.append(item)
            continue
        if item.time >= stop:
            continue
        if item.addl == 0:
            items.append(item)
            continue
        kept = min(item.addl, math.ceil((stop - item.time) / item.ii) - 1)
        items.append(Dose(item.time, item.amount, item.cmt, item.rate, item.duration,
                          ii=item.ii if kept > 0 else 0.0, addl=kept, reset=item.reset))
    return Regimen(items)
