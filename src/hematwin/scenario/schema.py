"""The scenario file: a patient, a treatment plan, a horizon, outputs and variability.

A scenario is YAML validated by these pydantic models (``hematwin.scenario.loader`` reads the
file and maps every validation error to its line). Doses carry the units clinicians write
(``"100 mg/m2"``, ``"5 ug/kg"``, ``"5e6 cells/kg"``, ``"2 Gy"``) and are converted with pint
to the unit of the catalogue function (:mod:`hematwin.scenario.catalogue`); durations read
``"2 years"``, ``"400 d"``, ``"3 w"``. Example::

    name: aml_allo_sibling
    patient: {age: 45, sex: female, weight: 70 kg, height: 168 cm, disease: aml}
    treatment:
      - {type: seven_plus_three, day: 0, cytarabine: 100 mg/m2, daunorubicin: 60 mg/m2}
      - {type: bu_cy, day: 150}
      - {type: stem_cell_transplant, day: 150, source: peripheral_blood}
    horizon: 2 years

Errors raised inside validators carry, in their context, ``at``: the path of the key at
fault below the model being validated, so the loader can point at that key's line.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from hematwin.errors import RegimenError, UnitError
from hematwin.scenario.catalogue import TREATMENTS
from hematwin.scenario.units import convert
from hematwin.therapy import Regimen
from hematwin.therapy.patient import Patient as BodySize

__all__ = ["Modifiers", "Patient", "Scenario", "Support", "TreatmentItem", "Variability",
           "DEFAULT_OUTPUTS", "MODIFIER_PARAMETERS"]


@lru_cache(maxsize=1)
def _twin() -> Any:
    from hematwin.twin import twin_spec

    return twin_spec()


def _fail(at: str, message: str) -> PydanticCustomError:
    """An error at the key ``at`` (dotted path below the model validated)."""
    return PydanticCustomError("scenario", "{message}", {"at": at, "message": message})


def _quantity(unit: str, example: str) -> BeforeValidator:
    def read(value: Any) -> float:
        try:
            return convert(value, unit, field="", example=example)
        except UnitError as exc:
            raise ValueError(exc.message) from None
    return BeforeValidator(read)


Days = Annotated[float, _quantity("day", "e.g. '400 d', '2 years', '3 w' or a number of days")]
Kilograms = Annotated[float, _quantity("kg", "e.g. '70 kg'")]
Centimetres = Annotated[float, _quantity("cm", "e.g. '170 cm'")]
Years = Annotated[float, _quantity("year", "e.g. 45 or '45 years'")]
PerDay = Annotated[float, _quantity("1/day", "e.g. '2 /day'")]


class _Strict(BaseModel):
    """Unknown keys are errors that list the valid ones."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        if isinstance(data, dict) and cls.model_config.get("extra") == "forbid":
            valid = list(cls.model_fields)
            for key in data:
                if key not in valid:
                    raise _fail(str(key), f"unknown field {key!r}; valid fields: "
                                          f"{', '.join(valid)}")
        return data


# --- patient ----------------------------------------------------------------------------

MODIFIER_PARAMETERS = {
    "niche_quality": "q_niche",
    "chip_fraction": "chip_fraction",
    "chip_advantage": "chip_advantage",
    "prior_therapy_damage": "hsc_damage",
    "autoimmune_neutrophil_destruction": "k_auto",
    "leukemic_self_renewal": "a_L",
}
"""Patient modifiers → the twin parameters they set (:mod:`hematwin.twin`)."""


class Modifiers(_Strict):
    """Patient modifiers (each sets one twin parameter; its range is the parameter's)."""

    niche_quality: float | None = Field(None, description="marrow niche capacity, 1 = healthy")
    chip_fraction: float | None = Field(None, description="HSC carrying a CHIP mutation at t0")
    chip_advantage: float | None = Field(None, description="self-renewal advantage of CHIP")
    prior_therapy_damage: float | None = Field(None, description="fraction of HSC lost")
    autoimmune_neutrophil_destruction: PerDay | None = Field(
        None, description="antibody-mediated neutrophil destruction rate (immune neutropenia)")
    leukemic_self_renewal: float | None = Field(
        None, description="maximal self-renewal probability of leukemic stem cells")

    @model_validator(mode="after")
    def _in_range(self) -> Modifiers:
        bounds = {p.name: (p.lower, p.upper) for p in _twin().parameters}
        for key, param in MODIFIER_PARAMETERS.items():
            value = getattr(self, key)
            lo, hi = bounds[param]
            if value is not None and not lo <= value <= hi:
                raise _fail(key, f"expected a value in [{lo:g}, {hi:g}] (twin parameter "
                                 f"{param}), got {value:g}")
        return self

    def parameters(self) -> dict[str, float]:
        return {MODIFIER_PARAMETERS[k]: float(v) for k, v in self.model_dump().items()
                if v is not None}


Disease = Literal["none", "aml", "cml", "all", "myeloma", "lymphoma", "immune_neutropenia",
                  "solid_tumor"]


class Patient(_Strict):
    """Who is treated: covariates, disease and modifiers."""

    age: Years = Field(40.0, ge=0, le=100)
    sex: Literal["female", "male"] = "female"
    weight: Kilograms = Field(70.0, gt=0, le=400)
    height: Centimetres = Field(170.0, gt=0, le=250)
    disease: Disease = "none"
    risk: Literal["favorable", "intermediate", "adverse"] | None = None
    marrow_blasts_pct: float | None = Field(
        None, gt=0, lt=100, description="AML: marrow blasts at diagnosis (default 60 %)")
    modifiers: Modifiers = Field(default_factory=Modifiers)
    parameters: dict[str, float] = Field(
        default_factory=dict, description="any other twin parameter, by name (experts)")

    @field_validator("parameters")
    @classmethod
    def _parameters_exist(cls, values: dict[str, float]) -> dict[str, float]:
        spec = {p.name: p for p in _twin().parameters}
        for name, value in values.items():
            if name not in spec:
                raise _fail(name, f"unknown twin parameter {name!r}; see "
                                  "hematwin.twin.twin_spec().parameter_names")
            p = spec[name]
            if not p.lower <= value <= p.upper:
                raise _fail(name, f"expected a value in [{p.lower:g}, {p.upper:g}] "
                                  f"({p.unit}), got {value:g}")
        return values

    @model_validator(mode="after")
    def _disease_needs(self) -> Patient:
        if self.marrow_blasts_pct is not None and self.disease != "aml":
            raise _fail("marrow_blasts_pct", "marrow_blasts_pct is for disease: aml")
        if (self.disease == "immune_neutropenia"
                and self.modifiers.autoimmune_neutrophil_destruction is None):
            raise _fail("modifiers", "disease immune_neutropenia needs "
                                     "modifiers.autoimmune_neutrophil_destruction "
                                     "(e.g. '2 /day')")
        return self

    @property
    def body(self) -> BodySize:
        return BodySize(self.weight, self.height)


# --- treatment plan ---------------------------------------------------------------------

TreatmentType = Literal[tuple(TREATMENTS)]  # type: ignore[valid-type]


class TreatmentItem(BaseModel):
    """One treatment: a catalogue ``type``, its ``day`` (model day; for conditioning the
    transplant day) and the keys of that type (:data:`~hematwin.scenario.catalogue.TREATMENTS`)."""

    model_config = ConfigDict(extra="allow", frozen=True)
    type: TreatmentType
    day: Days
    label: str | None = None
    _kwargs: dict[str, Any] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _read_arguments(self) -> TreatmentItem:
        entry = TREATMENTS[self.type]
        for key, value in (self.model_extra or {}).items():
            arg = entry.args.get(key)
            if arg is None:
                valid = ", ".join(["day", "label", *entry.args])
                raise _fail(key, f"unknown key {key!r} for {self.type}; valid keys: {valid}")
            try:
                self._kwargs[arg.target] = arg.read(value, key)
            except UnitError as exc:
                raise _fail(key, exc.message) from None
            except ValueError as exc:
                raise _fail(key, str(exc)) from None
        return self

    @property
    def arguments(self) -> dict[str, Any]:
        """Keyword arguments of the catalogue function, in its units."""
        return dict(self._kwargs)

    def key_of(self, target: str) -> str:
        """The scenario key that feeds the catalogue argument ``target``."""
        for key, arg in TREATMENTS[self.type].args.items():
            if arg.target == target:
                return key
        return "day" if target == TREATMENTS[self.type].day_arg else target

    def regimen(self, patient: Patient) -> Regimen:
        entry = TREATMENTS[self.type]
        kwargs = self.arguments
        kwargs[entry.day_arg] = [self.day] if entry.day_arg == "day_numbers" else self.day
        if "patient" in entry.needs:
            kwargs["patient"] = patient.body
        if "weight_kg" in entry.needs:
            kwargs["weight_kg"] = patient.weight
        return entry.build(**kwargs)


class Support(_Strict):
    """Transfusions whenever a daily count falls below its trigger
    (:func:`hematwin.therapy.support.transfuse_on_triggers`); ``None`` turns a product off."""

    platelet_trigger: float | None = Field(10.0, gt=0, description="×10⁹/L")
    hb_trigger: float | None = Field(7.0, gt=0, description="g/dL")


class Variability(_Strict):
    """Virtual patients: ``n`` draws of log-normal parameter variability (``omega``: ω per
    parameter, or ``"default"`` for :data:`hematwin.scenario.runner.DEFAULT_OMEGA`)."""

    n: int = Field(1, ge=1, le=1_000_000)
    seed: int = 1
    omega: Literal["default"] | dict[str, float] = "default"
    chunk_size: int = Field(500, ge=1)

    @field_validator("omega")
    @classmethod
    def _omega_names(cls, omega: Any) -> Any:
        if isinstance(omega, dict):
            names = set(_twin().parameter_names)
            for name, w in omega.items():
                if name not in names:
                    raise _fail(name, f"unknown twin parameter {name!r}")
                if not w >= 0:
                    raise _fail(name, f"ω must be ≥ 0, got {w}")
        return omega


DEFAULT_OUTPUTS = ("anc", "wbc", "lymphocytes", "platelets", "hb", "cd4", "cd8", "nk",
                   "b_cells", "marrow_blasts_pct", "blasts_blood", "bcr_abl_pct",
                   "donor_myeloid_pct", "donor_t_pct", "donor_b_pct", "donor_nk_pct",
                   "donor_wb_pct", "autograft_myeloid_pct", "autograft_t_pct",
                   "autograft_b_pct", "autograft_nk_pct", "autograft_wb_pct", "mutant_vaf_pct",
                   "p_infection", "p_bleeding", "p_gvhd", "p_sos", "nrm", "survival")


class Scenario(_Strict):
    """A patient, a treatment plan and what to simulate."""

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    description: str = ""
    patient: Patient = Field(default_factory=Patient)
    treatment: list[TreatmentItem] = Field(default_factory=list)
    start: Days = Field(0.0, description="first simulated day (negative: before day 0)")
    horizon: Days = Field(gt=0, description="last simulated day")
    outputs: list[str] = Field(default_factory=lambda: list(DEFAULT_OUTPUTS))
    assessments: list[Days] | None = Field(
        None, description="marrow assessment days (default: from the plan)")
    support: Support | None = None
    variability: Variability = Field(default_factory=Variability)

    @field_validator("outputs")
    @classmethod
    def _outputs_exist(cls, outputs: list[str]) -> list[str]:
        valid = [o.name for o in _twin().outputs]
        for i, name in enumerate(outputs):
            if name not in valid:
                raise _fail(str(i), f"unknown output {name!r}; valid outputs: "
                                    f"{', '.join(valid)}")
        return outputs

    @model_validator(mode="after")
    def _plan_builds(self) -> Scenario:
        if self.horizon <= self.start:
            raise _fail("horizon", f"the horizon (day {self.horizon:g}) must come after the "
                                   f"start (day {self.start:g})")
        for i, item in enumerate(self.treatment):
            if not self.start <= item.day <= self.horizon:
                raise _fail(f"treatment.{i}.day", f"day {item.day:g} is outside the simulated "
                            f"days [{self.start:g}, {self.horizon:g}]")
            try:
                item.regimen(self.patient)
            except RegimenError as exc:
                key = item.key_of(exc.field) if exc.field else "type"
                raise _fail(f"treatment.{i}.{key}", exc.message) from None
        return self

    def regimen(self) -> Regimen:
        """The whole plan as one regimen (the catalogue functions' regimens added)."""
        total = Regimen()
        for item in self.treatment:
            total = total + item.regimen(self.patient)
        return total

    @property
    def transplant_day(self) -> float | None:
        """Day of the first graft infusion, if the plan has one."""
        days = [t.day for t in self.treatment
                if TREATMENTS[t.type].category == "transplant"]
        return min(days) if days else None

    @property
    def graft_chimerism(self) -> tuple[str, ...]:
        """Which graft-derived shares the plan calls for, as the prefixes of the twin's
        chimerism outputs: ``"donor"`` after an allogeneic graft or donor lymphocytes (donor
        chimerism), ``"autograft"`` after an autologous, gene-corrected or iPSC-derived
        graft (the share of cells it makes); both, donor first, when the plan has both."""
        kinds = set()
        for t in self.treatment:
            if t.type == "dli" or (t.type == "stem_cell_transplant"
                                   and t.arguments.get("donor") != "autologous"):
                kinds.add("donor")
            elif TREATMENTS[t.type].category == "transplant":
                kinds.add("autograft")
        return tuple(k for k in ("donor", "autograft") if k in kinds)
