"""Conditioning before stem-cell transplantation: myeloablative, reduced-intensity and
non-myeloablative regimens, built from single agents.

Days are numbered relative to the transplant (day 0 = graft infusion) and shifted by
``day0``, the model time of the transplant. Doses go into the twin's central compartments in
their clinical basis (``BU_c``, ``CY_c``, ``ATG_c`` mg/kg; ``FLU_c``, ``MEL_c`` mg/m²) and
radiation into ``RAD`` (a bolus of D Gy is one fraction of D Gy; :mod:`hematwin.twin.drugs`).

Intensity follows the working definitions of Bacigalupo et al., Biol Blood Marrow
Transplant 2009;15:1628 (myeloablative: TBI ≥ 5 Gy single or ≥ 8 Gy fractionated, or
busulfan > 8 mg/kg oral / > 6.4 mg/kg i.v.; reduced intensity: lower alkylator doses with
fludarabine; non-myeloablative: e.g. TBI ≤ 2 Gy ± purine analogue), reviewed by Gyurkocza
& Sandmaier, Blood 2014;124:344.
"""

from __future__ import annotations

from collections.abc import Sequence

from hematwin.errors import RegimenError
from hematwin.therapy._checks import choice, count, days, non_negative, number, positive
from hematwin.therapy.regimen import Dose, Regimen

HOUR = 1.0 / 24.0

# Infusion durations (hours), from the product labels
BUSULFAN_Q6H_INFUSION_H = 2.0  # Busulfex label: 0.8 mg/kg over 2 h every 6 h, 16 doses
BUSULFAN_DAILY_INFUSION_H = 3.0  # once-daily 3.2 mg/kg over 3 h (Russell et al., BBMT 2002;8:468)
CYCLOPHOSPHAMIDE_INFUSION_H = 1.0  # Busulfex label: Cy 60 mg/kg over 1 h daily × 2
FLUDARABINE_INFUSION_H = 0.5  # Fludara label: 30-min i.v. infusion
MELPHALAN_INFUSION_H = 0.5  # Alkeran i.v. label: over 15-30 min
ATG_INFUSION_H = 6.0  # Thymoglobulin label: first infusion over ≥ 6 h, later over ≥ 4 h

TBI_FRACTION_INTERVAL_DAYS = 0.25
"""Fractions given twice a day are ≥ 6 h apart (the usual minimum interval for normal-tissue
repair in fractionated TBI; Clift et al., Blood 1990;76:1867 used 2-Gy fractions)."""

TBI_BEFORE_GRAFT_DAYS = 0.25
"""A TBI fraction on day 0 is given in the morning, about 6 h before the graft (Maris et al.,
Blood 2003;102:2021: 2 Gy TBI on day 0 before infusion); in the twin the fraction is then
fully delivered (k_RAD = 24/day) before the graft arrives."""

INTENSITY = {
    "bu_cy": "myeloablative",
    "cy_tbi": "myeloablative",
    "busulfan_myeloablative": "myeloablative",
    "melphalan200": "myeloablative (autologous)",
    "flu_bu2": "reduced intensity",
    "flu_tbi2": "non-myeloablative",
}
"""Intensity class of each regimen (Bacigalupo et al. 2009)."""


def _days(value: Sequence[float] | float, name: str, where: str, day0: float) -> list[float]:
    return [day0 + d for d in days(value, name, where)]


# --- single agents ----------------------------------------------------------------------


def busulfan(day_numbers: Sequence[float] = (-7, -6, -5, -4), mg_per_kg_day: float = 3.2,
             schedule: str = "q6h", day0: float = 0.0) -> Regimen:
    """I.v. busulfan ``mg_per_kg_day`` mg/kg/day on each day of ``day_numbers``, as four
    2-h infusions every 6 h (``"q6h"``: 0.8 mg/kg q6h, Busulfex label) or one 3-h infusion
    (``"daily"``: 3.2 mg/kg once daily, Russell et al., Biol Blood Marrow Transplant
    2002;8:468)."""
    where = "busulfan"
    d0 = number(day0, "day0", where)
    dose = positive(mg_per_kg_day, "mg_per_kg_day", where)
    sched = choice(schedule, "schedule", where, ("q6h", "daily"))
    items = []
    for t in _days(day_numbers, "day_numbers", where, d0):
        if sched == "q6h":
            items.append(Dose(t, dose / 4, "BU_c", duration=BUSULFAN_Q6H_INFUSION_H * HOUR,
                              ii=0.25, addl=3))
        else:
            items.append(Dose(t, dose, "BU_c", duration=BUSULFAN_DAILY_INFUSION_H * HOUR))
    return Regimen(items)


def cyclophosphamide(day_numbers: Sequence[float] = (-3, -2), mg_per_kg_day: float = 60.0,
                     day0: float = 0.0) -> Regimen:
    """I.v. cyclophosphamide ``mg_per_kg_day`` mg/kg as a 1-h infusion on each day of
    ``day_numbers`` (60 mg/kg/day × 2 in BuCy and CyTBI: Busulfex label; Santos et al.,
    N Engl J Med 1983;309:1347; Thomas et al., Blood 1977;49:511)."""
    where = "cyclophosphamide"
    d0 = number(day0, "day0", where)
    dose = positive(mg_per_kg_day, "mg_per_kg_day", where)
    return Regimen([Dose(t, dose, "CY_c", duration=CYCLOPHOSPHAMIDE_INFUSION_H * HOUR)
                    for t in _days(day_numbers, "day_numbers", where, d0)])


def fludarabine(day_numbers: Sequence[float] = (-6, -5, -4, -3, -2), mg_m2_day: float = 30.0,
                day0: float = 0.0) -> Regimen:
    """I.v. fludarabine ``mg_m2_day`` mg/m² as a 30-min infusion on each day of
    ``day_numbers`` (30 mg/m²/day in RIC regimens: Slavin et al., Blood 1998;91:756; Maris
    et al., Blood 2003;102:2021)."""
    where = "fludarabine"
    d0 = number(day0, "day0", where)
    dose = positive(mg_m2_day, "mg_m2_day", where)
    return Regimen([Dose(t, dose, "FLU_c", duration=FLUDARABINE_INFUSION_H * HOUR)
                    for t in _days(day_numbers, "day_numbers", where, d0)])


def melphalan(day_number: float = -2.0, mg_m2: float = 200.0, day0: float = 0.0) -> Regimen:
    """High-dose i.v. melphalan ``mg_m2`` mg/m² as a 30-min infusion on ``day_number``."""
    where = "melphalan"
    d0 = number(day0, "day0", where)
    return Regimen([Dose(d0 + number(day_number, "day_number", where),
                         positive(mg_m2, "mg_m2", where), "MEL_c",
                         duration=MELPHALAN_INFUSION_H * HOUR)])


def atg(day_numbers: Sequence[float] = (-3, -2, -1), mg_per_kg_day: float = 2.5,
        day0: float = 0.0) -> Regimen:
    """Rabbit anti-thymocyte globulin (Thymoglobulin) ``mg_per_kg_day`` mg/kg as a 6-h
    infusion on each day of ``day_numbers``: 2.5 mg/kg on days −3 to −1 (7.5 mg/kg in all)
    is the lower dose of Bacigalupo et al., Blood 2001;98:2942 (GITMO, unrelated donors:
    7.5 vs 15 mg/kg)."""
    where = "atg"
    d0 = number(day0, "day0", where)
    dose = positive(mg_per_kg_day, "mg_per_kg_day", where)
    return Regimen([Dose(t, dose, "ATG_c", duration=ATG_INFUSION_H * HOUR)
                    for t in _days(day_numbers, "day_numbers", where, d0)])


def tbi(total_gy: float, fractions: int, day_numbers: Sequence[float],
        fractions_per_day: int = 1, day0: float = 0.0) -> Regimen:
    """Total-body irradiation: ``total_gy`` Gy in ``fractions`` equal fractions, given
    ``fractions_per_day`` a day (≥ 6 h apart) on the days of ``day_numbers``. A fraction on
    day 0 is moved to 6 h before the graft (``TBI_BEFORE_GRAFT_DAYS``)."""
    where = "tbi"
    d0 = number(day0, "day0", where)
    total = positive(total_gy, "total_gy", where)
    n = count(fractions, "fractions", where)
    per_day = count(fractions_per_day, "fractions_per_day", where)
    if per_day * TBI_FRACTION_INTERVAL_DAYS > 1:
        raise RegimenError(f"{where}: at most {int(1 / TBI_FRACTION_INTERVAL_DAYS)} "
                           f"fractions a day, got {per_day}", field="fractions_per_day")
    when = days(day_numbers, "day_numbers", where)
    if len(when) * per_day != n:
        raise RegimenError(f"{where}: {len(when)} days × {per_day} fractions a day ≠ "
                           f"{n} fractions", field="fractions")
    items = []
    for d in when:
        for k in range(per_day):
            t = d + k * TBI_FRACTION_INTERVAL_DAYS
            if d == 0:  # day-0 fractions precede the graft
                t = -TBI_BEFORE_GRAFT_DAYS - (per_day - 1 - k) * TBI_FRACTION_INTERVAL_DAYS
            items.append(Dose(d0 + t, total / n, "RAD"))
    return Regimen(items)


def _with_atg(regimen: Regimen, atg_mg_per_kg_day: float, day0: float, where: str) -> Regimen:
    dose = non_negative(atg_mg_per_kg_day, "atg_mg_per_kg_day", where)
    return regimen + atg(mg_per_kg_day=dose, day0=day0) if dose > 0 else regimen


# --- regimens ---------------------------------------------------------------------------


def bu_cy(day0: float = 0.0, busulfan_mg_per_kg_day: float = 3.2, busulfan_schedule: str = "q6h",
          cyclophosphamide_mg_per_kg_day: float = 60.0, atg_mg_per_kg_day: float = 0.0
          ) -> Regimen:
    """Myeloablative busulfan-cyclophosphamide (BuCy2): i.v. busulfan 3.2 mg/kg/day on days
    −7 to −4 (0.8 mg/kg q6h × 16, or once daily), then cyclophosphamide 60 mg/kg/day on days
    −3 and −2 (Busulfex label; oral-busulfan original: Santos et al., N Engl J Med
    1983;309:1347; Tutschka et al., Blood 1987;70:1382). ``atg_mg_per_kg_day`` > 0 adds
    rabbit ATG on days −3 to −1."""
    where = "bu_cy"
    d0 = number(day0, "day0", where)
    reg = (busulfan((-7, -6, -5, -4), busulfan_mg_per_kg_day, busulfan_schedule, d0)
           + cyclophosphamide((-3, -2), cyclophosphamide_mg_per_kg_day, d0))
    return _with_atg(reg, atg_mg_per_kg_day, d0, where)


def cy_tbi(day0: float = 0.0, cyclophosphamide_mg_per_kg_day: float = 60.0,
           tbi_total_gy: float = 12.0, tbi_fractions: int = 6, atg_mg_per_kg_day: float = 0.0
           ) -> Regimen:
    """Myeloablative cyclophosphamide + TBI: cyclophosphamide 60 mg/kg/day on days −6 and −5,
    then TBI 12 Gy in 6 fractions of 2 Gy, twice daily on days −3 to −1 (Clift et al., Blood
    1990;76:1867: Cy 120 mg/kg + TBI 12 Gy in six 2-Gy fractions; Thomas et al., Blood
    1977;49:511)."""
    where = "cy_tbi"
    d0 = number(day0, "day0", where)
    n = count(tbi_fractions, "tbi_fractions", where)
    if n % 3:
        raise RegimenError(f"{where}: tbi_fractions must be a multiple of 3 (days −3 to −1), "
                           f"got {n}", field="tbi_fractions")
    reg = (cyclophosphamide((-6, -5), cyclophosphamide_mg_per_kg_day, d0)
           + tbi(tbi_total_gy, n, (-3, -2, -1), n // 3, d0))
    return _with_atg(reg, atg_mg_per_kg_day, d0, where)


def flu_bu2(day0: float = 0.0, fludarabine_mg_m2_day: float = 30.0,
            busulfan_mg_per_kg_day: float = 3.2, atg_mg_per_kg_day: float = 0.0) -> Regimen:
    """Reduced-intensity fludarabine + busulfan ×2 ("FluBu2"): fludarabine 30 mg/m²/day on
    days −6 to −2 and i.v. busulfan 3.2 mg/kg/day (once daily) on days −5 and −4 (6.4 mg/kg
    i.v. ≈ 8 mg/kg oral, the RIC ceiling of Bacigalupo et al. 2009; fludarabine-busulfan RIC
    after Slavin et al., Blood 1998;91:756)."""
    where = "flu_bu2"
    d0 = number(day0, "day0", where)
    reg = (fludarabine((-6, -5, -4, -3, -2), fludarabine_mg_m2_day, d0)
           + busulfan((-5, -4), busulfan_mg_per_kg_day, "daily", d0))
    return _with_atg(reg, atg_mg_per_kg_day, d0, where)


def flu_tbi2(day0: float = 0.0, fludarabine_mg_m2_day: float = 30.0, tbi_gy: float = 2.0
             ) -> Regimen:
    """Non-myeloablative fludarabine 30 mg/m²/day on days −4 to −2 and a single 2-Gy TBI
    fraction on day 0, 6 h before the graft (Maris et al., Blood 2003;102:2021; Seattle
    protocol, with ciclosporin + mycophenolate after grafting)."""
    where = "flu_tbi2"
    d0 = number(day0, "day0", where)
    return (fludarabine((-4, -3, -2), fludarabine_mg_m2_day, d0)
            + tbi(tbi_gy, 1, (0,), 1, d0))


def melphalan200(day0: float = 0.0, mg_m2: float = 200.0, day_number: float = -2.0) -> Regimen:
    """High-dose melphalan 200 mg/m² on day −2 before an autologous transplant (Moreau et
    al., Blood 2002;99:731, IFM 9502; Attal et al., N Engl J Med 1996;335:91)."""
    return melphalan(day_number, mg_m2, number(day0, "day0", "melphalan200"))


def busulfan_myeloablative(day0: float = 0.0, mg_per_kg_day: float = 3.2,
                           day_numbers: Sequence[float] = (-5, -4, -3, -2)) -> Regimen:
    """Myeloablative single-agent i.v. busulfan (4 days of 3.2 mg/kg/day, once daily) before
    ex-vivo gene therapy (Cavazzana-Calvo et al., Nature 2010;467:318; Biffi et al., Science
    2013;341:1233158, where the dose is adjusted to a target exposure)."""
    return busulfan(day_numbers, mg_per_kg_day, "daily",
                    number(day0, "day0", "busulfan_myeloablative"))
