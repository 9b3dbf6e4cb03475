"""The treatment types a scenario file may name, mapped onto :mod:`hematwin.therapy`.

Each entry says which catalogue function builds the regimen, which argument receives the
item's ``day`` and, for every other key an item may carry, the function argument it feeds
and how its value is read: a quantity in the function's unit (pint, :mod:`.units`), a whole
number, a choice from a list, a duration in days, or a list of day numbers. Nothing here
re-implements a therapy: doses and schedules are the catalogue's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from hematwin.scenario.units import convert, pretty
from hematwin.therapy import chemotherapy, conditioning, growth_factors, support, tki, transplant

__all__ = ["Arg", "Treatment", "TREATMENTS", "CATEGORY", "DISPLAY_NAMES"]


@dataclass(frozen=True)
class Arg:
    """One key of a treatment item: the function argument it feeds and how it is read.

    kind: ``quantity`` (``unit``; ``per_day`` accepts a daily rate), ``int``, ``choice``
    (``choices``), ``days`` (a duration, converted to days; ``whole`` rounds to whole days),
    ``day_list`` (day numbers), ``number`` (a plain number in [``low``, ``high``]).
    """

    target: str
    kind: str
    unit: str = ""
    per_day: bool = False
    choices: tuple[str, ...] = ()
    whole: bool = False
    low: float = float("-inf")
    high: float = float("inf")
    example: str = ""

    def describe(self) -> str:
        if self.kind == "quantity":
            return f"a quantity in {pretty(self.unit)}" + (" (per day)" if self.per_day else "")
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        if self.kind == "days":
            return "a duration (e.g. '10 d', '5 years')"
        if self.kind == "day_list":
            return "a list of day numbers"
        if self.kind == "int":
            return "a whole number"
        return f"a number in [{self.low:g}, {self.high:g}]"

    def read(self, value: Any, name: str) -> Any:
        """The value for the catalogue function (raises ``ValueError`` with the reason)."""
        if self.kind == "quantity":
            return convert(value, self.unit, field=name, per_day=self.per_day,
                           example=self.example or None)
        if self.kind == "days":
            days = convert(value, "day", field=name, example="e.g. '10 d', '3 w', '5 years'")
            return int(round(days)) if self.whole else days
        if self.kind == "choice":
            if value not in self.choices:
                raise ValueError(f"expected one of {', '.join(self.choices)}; got {value!r}")
            return value
        if self.kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"expected a whole number, got {value!r}")
            return value
        if self.kind == "day_list":
            items = value if isinstance(value, list) else [value]
            if not items or not all(isinstance(v, int | float) and not isinstance(v, bool)
                                    for v in items):
                raise ValueError(f"expected a list of day numbers, got {value!r}")
            return [float(v) for v in items]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"expected a number, got {value!r}")
        if not self.low <= value <= self.high:
            raise ValueError(f"expected a number in [{self.low:g}, {self.high:g}], got {value}")
        return float(value)


@dataclass(frozen=True)
class Treatment:
    """A treatment type: its builder, the argument that takes ``day``, its keys."""

    build: Callable[..., Any]
    day_arg: str
    args: Mapping[str, Arg] = field(default_factory=dict)
    needs: tuple[str, ...] = ()
    """Patient values passed to the builder: ``patient`` (weight and height), ``weight_kg``."""
    day_meaning: str = "day 1 of the treatment"
    category: str = "chemotherapy"


def _q(target: str, unit: str, per_day: bool = False, example: str = "") -> Arg:
    return Arg(target, "quantity", unit=unit, per_day=per_day, example=example)


_MG_M2 = "mg/m**2"
_MG_KG = "mg/kg"
_CELLS_KG = "1/kg"
_CELLS_EXAMPLE = "e.g. '5e6 cells/kg'"
_ATG = _q("atg_mg_per_kg_day", _MG_KG, per_day=True, example="e.g. '2.5 mg/kg'")
_CYCLES = Arg("cycles", "int")
_EVERY = Arg("every_days", "days")
_SOURCES = tuple(transplant.SOURCES)
_DONORS = tuple(transplant.DONORS)
_PROPHYLAXIS = tuple(transplant.PROPHYLAXIS_LEVEL)

TREATMENTS: dict[str, Treatment] = {
    # chemotherapy
    "seven_plus_three": Treatment(chemotherapy.seven_plus_three, "start", {
        "cytarabine": _q("cytarabine_mg_m2", _MG_M2, per_day=True, example="e.g. '100 mg/m2'"),
        "daunorubicin": _q("daunorubicin_mg_m2", _MG_M2, per_day=True,
                           example="e.g. '60 mg/m2'")}),
    "high_dose_cytarabine": Treatment(chemotherapy.high_dose_cytarabine, "start", {
        "dose": _q("g_m2", "g/m**2", example="e.g. '3 g/m2'"), "cycles": _CYCLES,
        "every": _EVERY, "infusion": Arg("infusion_hours", "quantity", unit="h")}),
    "docetaxel": Treatment(chemotherapy.docetaxel, "start", {
        "dose": _q("mg_m2", _MG_M2, example="e.g. '75 mg/m2'"), "cycles": _CYCLES,
        "every": _EVERY, "infusion": Arg("infusion_hours", "quantity", unit="h")},
        needs=("patient",)),
    # conditioning (day = the transplant day, day 0)
    "bu_cy": Treatment(conditioning.bu_cy, "day0", {
        "busulfan": _q("busulfan_mg_per_kg_day", _MG_KG, per_day=True),
        "busulfan_schedule": Arg("busulfan_schedule", "choice", choices=("q6h", "daily")),
        "cyclophosphamide": _q("cyclophosphamide_mg_per_kg_day", _MG_KG, per_day=True),
        "atg": _ATG}, day_meaning="the transplant day (day 0)", category="conditioning"),
    "cy_tbi": Treatment(conditioning.cy_tbi, "day0", {
        "cyclophosphamide": _q("cyclophosphamide_mg_per_kg_day", _MG_KG, per_day=True),
        "tbi": _q("tbi_total_gy", "Gy", example="e.g. '12 Gy'"),
        "tbi_fractions": Arg("tbi_fractions", "int"), "atg": _ATG},
        day_meaning="the transplant day (day 0)", category="conditioning"),
    "flu_bu2": Treatment(conditioning.flu_bu2, "day0", {
        "fludarabine": _q("fludarabine_mg_m2_day", _MG_M2, per_day=True),
        "busulfan": _q("busulfan_mg_per_kg_day", _MG_KG, per_day=True), "atg": _ATG},
        day_meaning="the transplant day (day 0)", category="conditioning"),
    "flu_tbi2": Treatment(conditioning.flu_tbi2, "day0", {
        "fludarabine": _q("fludarabine_mg_m2_day", _MG_M2, per_day=True),
        "tbi": _q("tbi_gy", "Gy", example="e.g. '2 Gy'")},
        day_meaning="the transplant day (day 0)", category="conditioning"),
    "melphalan200": Treatment(conditioning.melphalan200, "day0", {
        "dose": _q("mg_m2", _MG_M2, example="e.g. '200 mg/m2'"),
        "day_number": Arg("day_number", "number", low=-30, high=0)},
        day_meaning="the transplant day (day 0)", category="conditioning"),
    "busulfan_myeloablative": Treatment(conditioning.busulfan_myeloablative, "day0", {
        "busulfan": _q("mg_per_kg_day", _MG_KG, per_day=True),
        "day_numbers": Arg("day_numbers", "day_list")},
        day_meaning="the transplant day (day 0)", category="conditioning"),
    # grafts
    "stem_cell_transplant": Treatment(transplant.stem_cell_transplant, "day", {
        "source": Arg("source", "choice", choices=_SOURCES),
        "donor": Arg("donor", "choice", choices=_DONORS),
        "cd34": _q("cd34_per_kg", _CELLS_KG, example=_CELLS_EXAMPLE),
        "cd3": _q("cd3_per_kg", _CELLS_KG, example="e.g. '2e8 cells/kg'"),
        "prophylaxis": Arg("prophylaxis", "choice", choices=_PROPHYLAXIS),
        "homing_fraction": Arg("homing_fraction", "number", low=0, high=1),
        "hla_disparity": Arg("hla_disparity", "number", low=0, high=1)},
        day_meaning="the day of the graft infusion", category="transplant"),
    "dli": Treatment(transplant.dli, "day", {
        "cd3": _q("cd3_per_kg", _CELLS_KG, example="e.g. '1e7 cells/kg'")},
        day_meaning="the day of the infusion", category="dli"),
    "gene_therapy_graft": Treatment(transplant.gene_therapy_graft, "day", {
        "cd34": _q("cd34_per_kg", _CELLS_KG, example=_CELLS_EXAMPLE),
        "corrected_fraction": Arg("corrected_fraction", "number", low=0, high=1),
        "homing_fraction": Arg("homing_fraction", "number", low=0, high=1)},
        day_meaning="the day of the graft infusion", category="transplant"),
    "ipsc_graft": Treatment(transplant.ipsc_graft, "day", {
        "cd34": _q("cd34_per_kg", _CELLS_KG, example=_CELLS_EXAMPLE),
        "potency": Arg("potency", "number", low=0, high=1),
        "homing_fraction": Arg("homing_fraction", "number", low=0, high=1)},
        day_meaning="the day of the graft infusion", category="transplant"),
    # growth factors
    "filgrastim": Treatment(growth_factors.filgrastim, "start", {
        "dose": _q("ug_per_kg", "ug/kg", per_day=True, example="e.g. '5 ug/kg'"),
        "duration": Arg("days", "days", whole=True)},
        day_meaning="the first injection", category="g_csf"),
    "pegfilgrastim": Treatment(growth_factors.pegfilgrastim, "day", {
        "dose": _q("mg", "mg", example="e.g. '6 mg'"), "cycles": _CYCLES, "every": _EVERY},
        needs=("patient",), day_meaning="the (first) injection", category="g_csf"),
    "mobilisation": Treatment(growth_factors.mobilisation, "start", {
        "dose": _q("ug_per_kg", "ug/kg", per_day=True, example="e.g. '10 ug/kg'"),
        "duration": Arg("days", "days", whole=True)},
        day_meaning="the first injection", category="g_csf"),
    # tyrosine-kinase inhibitor
    "imatinib": Treatment(tki.imatinib, "start", {
        "dose": _q("mg", "mg", per_day=True, example="e.g. '400 mg'"),
        "duration": Arg("days", "days", whole=True)},
        day_meaning="the first dose", category="tki"),
    # transfusions on set days (see also the scenario's `support` block for triggers)
    "platelet_transfusion": Treatment(support.platelet_transfusion, "day_numbers", {
        "units": Arg("units", "int")}, needs=("weight_kg",), day_meaning="the transfusion",
        category="transfusion"),
    "red_cell_transfusion": Treatment(support.red_cell_transfusion, "day_numbers", {
        "units": Arg("units", "int")}, needs=("weight_kg",), day_meaning="the transfusion",
        category="transfusion"),
    # blood drawn for laboratory tests during a hospital stay (removes red cells)
    "blood_sampling": Treatment(support.ward_blood_sampling, "start", {
        "duration": Arg("stay_days", "days"),
        "volume": _q("ml_per_day", "mL", per_day=True,
                     example="e.g. '12.4 mL/day' (ward) or '33.5 mL/day' (intensive care)")},
        day_meaning="the first day of the hospital stay", category="sampling"),
}

CATEGORY = {name: t.category for name, t in TREATMENTS.items()}

DISPLAY_NAMES = {
    "seven_plus_three": "7+3", "high_dose_cytarabine": "HiDAC", "docetaxel": "docetaxel",
    "bu_cy": "BuCy", "cy_tbi": "Cy/TBI", "flu_bu2": "Flu/Bu2", "flu_tbi2": "Flu/TBI",
    "melphalan200": "high-dose melphalan", "busulfan_myeloablative": "busulfan",
    "stem_cell_transplant": "HSCT", "dli": "DLI", "gene_therapy_graft": "gene-corrected graft",
    "ipsc_graft": "iPSC-derived graft", "filgrastim": "filgrastim",
    "pegfilgrastim": "pegfilgrastim", "mobilisation": "G-CSF mobilisation",
    "imatinib": "imatinib", "platelet_transfusion": "platelet transfusion",
    "red_cell_transfusion": "red cell transfusion", "blood_sampling": "blood sampling",
}
"""The name a clinician reads on a timeline (report labels); every catalogue type has one."""
