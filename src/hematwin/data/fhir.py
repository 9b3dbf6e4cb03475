"""FHIR Bundles (JSON) of Patient, Observation, Procedure and MedicationAdministration.

FHIR version: **R4B** (4.3). ``fhir.resources`` 8 defaults to R5 and ships no pure R4
package; R4B has the same Observation, Procedure, MedicationAdministration and Bundle
elements as R4 for everything written here, so an R4 consumer reads these bundles. Each
entry is validated with ``fhir.resources.R4B`` before its values are used.

Mapping

* Patient: ``identifier`` (system :data:`PATIENT_SYSTEM`) is the patient id; extensions
  carry the reference event (``valueString``) and reference date (``valueDate``).
* Observation: ``code`` is LOINC where a verified code exists (:data:`LOINC`), otherwise a
  hematwin code (:data:`ANALYTE_SYSTEM`); ``valueQuantity`` in UCUM with ``comparator``
  ``<``/``>`` for censored values; ``referenceRange.low/high`` are LLN/ULN;
  ``effectiveDateTime`` the date; the study day is the extension :data:`STUDY_DAY`.
  Marrow assessments and chimerism are Observations with hematwin codes (components for
  blast % and cellularity %; an extension for the chimerism lineage).
* MedicationAdministration: chemotherapy and G-CSF (``category`` says which; drug in
  ``medicationCodeableConcept.text``; ``dosage.dose``). R4 requires ``effective[x]``: with
  no calendar date it is an ``effectivePeriod`` holding only a data-absent-reason.
* Procedure: transfusions, HSCT, DLI (``code`` = the record type); graft source, donor and
  cell doses are extensions.

Rows are bundle entries, numbered from 1. A subject is referenced by identifier, so any
patient id (not only FHIR ``id`` characters) is kept exactly. FHIR date-times with a time
must carry a UTC offset: writing a naive date-time is an error naming the record.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pydantic
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.medicationadministration import MedicationAdministration
from fhir.resources.R4B.observation import Observation as FhirObservation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.procedure import Procedure

from hematwin.data.analytes import ANALYTES
from hematwin.data.parsing import is_missing, parse_date
from hematwin.data.read_report import (
    ReadReport,
    RowGate,
    TimelineBuilder,
    data_error_from_validation,
)
from hematwin.data.timeline import (
    DLI,
    EVENT_TYPES,
    GCSF,
    HSCT,
    Chemotherapy,
    Chimerism,
    MarrowAssessment,
    Observation,
    Record,
    Timeline,
    Transfusion,
)
from hematwin.data.units import conversion
from hematwin.errors import DataError

LOINC_SYSTEM = "http://loinc.org"
UCUM_SYSTEM = "http://unitsofmeasure.org"
_BASE = "https://hematwin.org/fhir"
PATIENT_SYSTEM = f"{_BASE}/patient-id"
ANALYTE_SYSTEM = f"{_BASE}/CodeSystem/analyte"
RECORD_SYSTEM = f"{_BASE}/CodeSystem/record-type"
STUDY_DAY = f"{_BASE}/StructureDefinition/study-day"
STUDY_END_DAY = f"{_BASE}/StructureDefinition/study-end-day"
REFERENCE_EVENT = f"{_BASE}/StructureDefinition/reference-event"
REFERENCE_DATE = f"{_BASE}/StructureDefinition/reference-date"
SPECIMEN = f"{_BASE}/StructureDefinition/specimen"
LINEAGE = f"{_BASE}/StructureDefinition/chimerism-lineage"
GRAFT_SOURCE = f"{_BASE}/StructureDefinition/graft-source"
DONOR = f"{_BASE}/StructureDefinition/donor"
CD34_PER_KG = f"{_BASE}/StructureDefinition/cd34-per-kg"
CD3_PER_KG = f"{_BASE}/StructureDefinition/cd3-per-kg"
PRODUCT_DOSE = f"{_BASE}/StructureDefinition/product-dose"
DATA_ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"

# LOINC codes read, with the meaning each has in LOINC (long common names checked against
# loinc.org and published FHIR implementation guides, 2025: loinc.org panel 24318-8
# "Manual Differential panel - Blood"; HL7 US Core 7.0 example "cbc-leukocytes"; the
# German GECCO IG (num-codex) lab value sets). Findings: 26446-5 and 709-6, given to us as
# "blasts in blood", are *percentages* (blasts per 100 leukocytes), not counts; the
# absolute blast count is 30376-8. 26464-8, 26499-4, 26474-7 and 26515-7 name no method
# (LOINC's mapping guidance sends automated counts to 6690-2 etc.). Every code matched the
# analyte it was given for.
LOINC: dict[str, tuple[str, str]] = {
    "6690-2": ("wbc", "Leukocytes [#/volume] in Blood by Automated count"),
    "26464-8": ("wbc", "Leukocytes [#/volume] in Blood"),
    "804-5": ("wbc", "Leukocytes [#/volume] in Blood by Manual count"),
    "751-8": ("anc", "Neutrophils [#/volume] in Blood by Automated count"),
    "26499-4": ("anc", "Neutrophils [#/volume] in Blood"),
    "753-4": ("anc", "Neutrophils [#/volume] in Blood by Manual count"),
    "731-0": ("lymphocytes", "Lymphocytes [#/volume] in Blood by Automated count"),
    "26474-7": ("lymphocytes", "Lymphocytes [#/volume] in Blood"),
    "732-8": ("lymphocytes", "Lymphocytes [#/volume] in Blood by Manual count"),
    "777-3": ("platelets", "Platelets [#/volume] in Blood by Automated count"),
    "26515-7": ("platelets", "Platelets [#/volume] in Blood"),
    "778-1": ("platelets", "Platelets [#/volume] in Blood by Manual count"),
    "718-7": ("hemoglobin", "Hemoglobin [Mass/volume] in Blood"),
    "26446-5": ("blasts_blood_pct", "Blasts/100 leukocytes in Blood"),
    "709-6": ("blasts_blood_pct", "Blasts/100 leukocytes in Blood by Manual count"),
    "30376-8": ("blasts_blood", "Blasts [#/volume] in Blood"),
}
# the code written for each analyte (automated count where there is one)
LOINC_FOR: dict[str, str] = {
    "wbc": "6690-2", "anc": "751-8", "lymphocytes": "731-0", "platelets": "777-3",
    "hemoglobin": "718-7", "blasts_blood_pct": "26446-5", "blasts_blood": "30376-8",
}
UCUM_FOR_KIND = {"count": "10*9/L", "mass_concentration": "g/dL", "temperature": "Cel",
                 "percent": "%"}
_RESOURCES = {
    "Patient": Patient, "Observation": FhirObservation, "Procedure": Procedure,
    "MedicationAdministration": MedicationAdministration,
}


# --- writing --------------------------------------------------------------------------


def _ext(url: str, key: str, value: Any) -> dict[str, Any]:
    return {"url": url, key: value}


def _fhir_time(value: dt.date | dt.datetime, what: str, patient_id: str) -> str:
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        raise DataError(
            f"{what} {value.isoformat()} of patient {patient_id!r} has a time but no UTC "
            "offset, which FHIR requires", field="date",
        )
    return value.isoformat()


def _subject(patient_id: str) -> dict[str, Any]:
    return {"identifier": {"system": PATIENT_SYSTEM, "value": patient_id}}


def _day_extensions(record: Record) -> list[dict[str, Any]]:
    out = []
    if record.day is not None:
        out.append(_ext(STUDY_DAY, "valueDecimal", record.day))
    end_day = getattr(record, "end_day", None)
    if end_day is not None:
        out.append(_ext(STUDY_END_DAY, "valueDecimal", end_day))
    return out


def _quantity(value: float, unit: str, censor: str | None = None) -> dict[str, Any]:
    q: dict[str, Any] = {"value": value, "unit": unit, "system": UCUM_SYSTEM, "code": unit}
    if censor is not None:
        q["comparator"] = censor
    return q


def _observation_resource(pid: str, obs: Observation) -> dict[str, Any]:
    code = LOINC_FOR.get(obs.analyte)
    coding = (
        {"system": LOINC_SYSTEM, "code": code, "display": LOINC[code][1]}
        if code is not None else {"system": ANALYTE_SYSTEM, "code": obs.analyte}
    )
    ucum = UCUM_FOR_KIND[ANALYTES[obs.analyte].kind]
    res: dict[str, Any] = {
        "resourceType": "Observation", "status": "final", "code": {"coding": [coding]},
        "subject": _subject(pid), "valueQuantity": _quantity(obs.value, ucum, obs.censor),
    }
    ext = _day_extensions(obs)
    if obs.specimen is not None:
        ext.append(_ext(SPECIMEN, "valueCode", obs.specimen))
    if ext:
        res["extension"] = ext
    if obs.date is not None:
        res["effectiveDateTime"] = _fhir_time(obs.date, "date", pid)
    if obs.lln is not None or obs.uln is not None:
        rr: dict[str, Any] = {}
        if obs.lln is not None:
            rr["low"] = _quantity(obs.lln, ucum)
        if obs.uln is not None:
            rr["high"] = _quantity(obs.uln, ucum)
        res["referenceRange"] = [rr]
    return res


def _local_observation(pid: str, record: Record, code: str) -> dict[str, Any]:
    res: dict[str, Any] = {
        "resourceType": "Observation", "status": "final",
        "code": {"coding": [{"system": RECORD_SYSTEM, "code": code}]},
        "subject": _subject(pid),
    }
    ext = _day_extensions(record)
    if ext:
        res["extension"] = ext
    if record.date is not None:
        res["effectiveDateTime"] = _fhir_time(record.date, "date", pid)
    return res


def _marrow_resource(pid: str, m: MarrowAssessment) -> dict[str, Any]:
    res = _local_observation(pid, m, "marrow")
    comps = []
    if m.blasts_pct is not None:
        comps.append({"code": {"coding": [{"system": RECORD_SYSTEM, "code": "blasts_pct"}]},
                      "valueQuantity": _quantity(m.blasts_pct, "%", m.blasts_censor)})
    if m.cellularity_pct is not None:
        comps.append({"code": {"coding": [{"system": RECORD_SYSTEM,
                                           "code": "cellularity_pct"}]},
                      "valueQuantity": _quantity(m.cellularity_pct, "%")})
    res["component"] = comps
    return res


def _chimerism_resource(pid: str, c: Chimerism) -> dict[str, Any]:
    res = _local_observation(pid, c, "chimerism")
    res.setdefault("extension", []).append(_ext(LINEAGE, "valueCode", c.lineage))
    res["valueQuantity"] = _quantity(c.donor_pct, "%", c.censor)
    return res


def _period(record: Record, pid: str) -> dict[str, Any] | None:
    end = getattr(record, "end_date", None)
    if record.date is None and end is None:
        return None
    period: dict[str, Any] = {}
    if record.date is not None:
        period["start"] = _fhir_time(record.date, "date", pid)
    if end is not None:
        period["end"] = _fhir_time(end, "end_date", pid)
    return period


def _event_resource(pid: str, event: Record) -> dict[str, Any]:
    kind = event.record_type  # type: ignore[attr-defined]
    ext = _day_extensions(event)
    period = _period(event, pid)
    if isinstance(event, Chemotherapy | GCSF):
        res: dict[str, Any] = {
            "resourceType": "MedicationAdministration", "status": "completed",
            "category": {"coding": [{"system": RECORD_SYSTEM, "code": kind}]},
            "medicationCodeableConcept": {"text": event.drug}, "subject": _subject(pid),
            "effectivePeriod": period if period is not None else {
                "extension": [_ext(DATA_ABSENT, "valueCode", "unknown")]},
        }
        if event.dose is not None or event.dose_unit is not None:
            dose: dict[str, Any] = {}
            if event.dose is not None:
                dose["value"] = event.dose
            if event.dose_unit is not None:
                dose["unit"] = event.dose_unit
            res["dosage"] = {"dose": dose}
    else:
        res = {
            "resourceType": "Procedure", "status": "completed",
            "code": {"coding": [{"system": RECORD_SYSTEM, "code": kind}]},
            "subject": _subject(pid),
        }
        if period is not None:
            res["performedPeriod"] = period
        if isinstance(event, HSCT):
            ext.append(_ext(GRAFT_SOURCE, "valueCode", event.graft_source))
            ext.append(_ext(DONOR, "valueCode", event.donor))
            if event.cd34_per_kg is not None:
                ext.append(_ext(CD34_PER_KG, "valueDecimal", event.cd34_per_kg))
        elif isinstance(event, DLI) and event.cd3_per_kg is not None:
            ext.append(_ext(CD3_PER_KG, "valueDecimal", event.cd3_per_kg))
        elif isinstance(event, Transfusion) and (
            event.dose is not None or event.dose_unit is not None
        ):
            q: dict[str, Any] = {}
            if event.dose is not None:
                q["value"] = event.dose
            if event.dose_unit is not None:
                q["unit"] = event.dose_unit
            ext.append(_ext(PRODUCT_DOSE, "valueQuantity", q))
    if ext:
        res["extension"] = ext
    return res


def timeline_resources(timeline: Timeline) -> list[dict[str, Any]]:
    """The FHIR resources (as JSON dicts) of one timeline, Patient first."""
    pid = timeline.patient_id
    patient: dict[str, Any] = {"resourceType": "Patient",
                               "identifier": [{"system": PATIENT_SYSTEM, "value": pid}]}
    ext = []
    if timeline.reference_event is not None:
        ext.append(_ext(REFERENCE_EVENT, "valueString", timeline.reference_event))
    if timeline.reference_date is not None:
        ext.append(_ext(REFERENCE_DATE, "valueDate", timeline.reference_date.isoformat()))
    if ext:
        patient["extension"] = ext
    out = [patient]
    out += [_observation_resource(pid, o) for o in timeline.observations]
    out += [_event_resource(pid, e) for e in timeline.events]
    out += [_marrow_resource(pid, m) for m in timeline.marrow]
    out += [_chimerism_resource(pid, c) for c in timeline.chimerism]
    return out


def to_bundle(timelines: Iterable[Timeline] | Timeline) -> Bundle:
    """A validated R4B ``collection`` Bundle of the timelines."""
    if isinstance(timelines, Timeline):
        timelines = [timelines]
    entries = []
    n = 0
    for t in timelines:
        for res in timeline_resources(t):
            n += 1
            entries.append({"fullUrl": f"urn:uuid:00000000-0000-4000-8000-{n:012d}",
                            "resource": res})
    return Bundle.model_validate({"resourceType": "Bundle", "type": "collection",
                                  "entry": entries})


def write_fhir(timelines: Iterable[Timeline] | Timeline, path: str | Path) -> Path:
    """Write the timelines as an R4B Bundle JSON file; returns the path."""
    path = Path(path)
    path.write_text(to_bundle(timelines).model_dump_json(indent=1), encoding="utf-8")
    return path


# --- reading --------------------------------------------------------------------------


def _decimal(value: Any) -> float:
    return float(Decimal(str(value)))


def _extension(res: Mapping[str, Any], url: str, key: str) -> Any:
    for e in res.get("extension", []) or []:
        if e.get("url") == url:
            return e.get(key)
    return None


def read_fhir(path: str | Path, *, lenient: bool = False) -> ReadReport:
    """Read a FHIR R4/R4B Bundle (JSON) into timelines; entries are the rows."""
    file = str(path)
    try:
        bundle = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"not a readable JSON file: {exc}", file=file) from None
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise DataError("expected a FHIR Bundle", file=file, field="resourceType")
    entries = bundle.get("entry") or []
    if not isinstance(entries, list):
        raise DataError("Bundle.entry must be a list", file=file, field="entry")
    gate = RowGate(file=file, lenient=lenient)
    builder = TimelineBuilder(gate)
    for i, entry in enumerate(entries, start=1):
        gate.rows_read += 1
        res = entry.get("resource") if isinstance(entry, dict) else None
        try:
            try:
                _read_entry(res, file, i, builder)
            except (TypeError, AttributeError, KeyError, ValueError) as exc:
                # a shape the R4B schema let through but hematwin's mapping cannot use
                raise DataError(f"malformed resource: {exc!r}", file=file, row=i,
                                field="resource") from None
        except DataError as exc:
            gate.reject(exc, {"resource": json.dumps(res)[:500]})
    return gate.report(builder.build())


def _read_entry(res: Any, file: str, row: int, builder: TimelineBuilder) -> None:
    def fail(field: str, message: str) -> DataError:
        return DataError(message, file=file, row=row, field=field)

    if not isinstance(res, dict):
        raise fail("resource", "entry has no resource")
    rtype = res.get("resourceType")
    if not isinstance(rtype, str) or rtype not in _RESOURCES:
        raise fail("resourceType", f"unsupported resource type {rtype!r}; expected one of "
                                   f"{', '.join(_RESOURCES)}")
    try:
        _RESOURCES[rtype].model_validate(res)
    except pydantic.ValidationError as exc:
        err = data_error_from_validation(exc, file=file, row=row)
        raise fail(err.field or rtype, f"invalid {rtype}: {err.message}") from None
    if rtype == "Patient":
        ids = [i.get("value") for i in res.get("identifier", []) if i.get("system") ==
               PATIENT_SYSTEM]
        if not ids or is_missing(ids[0]):
            raise fail("identifier", f"Patient has no identifier with system {PATIENT_SYSTEM}")
        ref_date = _extension(res, REFERENCE_DATE, "valueDate")
        builder.add_patient(
            ids[0], row=row, reference_event=_extension(res, REFERENCE_EVENT, "valueString"),
            reference_date=parse_date(ref_date, file=file, row=row, field="reference_date"),
            raw={"resourceType": rtype},
        )
        return
    ident = (res.get("subject") or {}).get("identifier") or {}
    if ident.get("system") != PATIENT_SYSTEM or is_missing(ident.get("value")):
        raise fail("subject", f"subject must be an identifier with system {PATIENT_SYSTEM}")
    pid = ident["value"]
    record = _record_from(rtype, res, file, row, fail)
    builder.add(pid, row, record, {"resourceType": rtype})


def _times(res: Mapping[str, Any], file: str, row: int, period_key: str | None,
           dt_key: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    day = _extension(res, STUDY_DAY, "valueDecimal")
    if day is not None:
        out["day"] = _decimal(day)
    end_day = _extension(res, STUDY_END_DAY, "valueDecimal")
    if end_day is not None:
        out["end_day"] = _decimal(end_day)
    if dt_key and res.get(dt_key) is not None:
        out["date"] = parse_date(res[dt_key], file=file, row=row, field=dt_key)
    if period_key and res.get(period_key) is not None:
        period = res[period_key]
        if period.get("start") is not None:
            out["date"] = parse_date(period["start"], file=file, row=row,
                                     field=f"{period_key}.start")
        if period.get("end") is not None:
            out["end_date"] = parse_date(period["end"], file=file, row=row,
                                         field=f"{period_key}.end")
    return out


def _value(q: Mapping[str, Any] | None, field: str, fail: Any) -> tuple[float, str | None, str]:
    if not q or q.get("value") is None:
        raise fail(field, "a value is required")
    comparator = q.get("comparator")
    if comparator not in (None, "<", ">"):
        raise fail(f"{field}.comparator", f"comparator {comparator!r}: only '<' and '>' are "
                                          "understood")
    unit = q.get("code") if q.get("system") == UCUM_SYSTEM and q.get("code") else q.get("unit")
    return _decimal(q["value"]), comparator, unit or ""


def _record_from(rtype: str, res: Mapping[str, Any], file: str, row: int, fail: Any) -> Record:
    names = {"value": "valueQuantity", "day": "extension", "date": "effectiveDateTime"}
    try:
        if rtype == "Observation":
            return _observation_from(res, file, row, fail)
        if rtype == "MedicationAdministration":
            codes = [c.get("code") for c in (res.get("category") or {}).get("coding", [])
                     if c.get("system") == RECORD_SYSTEM]
            kind = codes[0] if codes else None
            if kind not in ("chemotherapy", "g_csf"):
                raise fail("category", f"category {kind!r}: expected chemotherapy or g_csf")
            fields = _times(res, file, row, "effectivePeriod", "effectiveDateTime")
            dose = (res.get("dosage") or {}).get("dose") or {}
            cls = EVENT_TYPES[kind]
            return cls(drug=(res.get("medicationCodeableConcept") or {}).get("text"),
                       dose=_decimal(dose["value"]) if dose.get("value") is not None else None,
                       dose_unit=dose.get("unit"), source={"file": file, "row": row}, **fields)
        codes = [c.get("code") for c in (res.get("code") or {}).get("coding", [])
                 if c.get("system") == RECORD_SYSTEM]
        kind = codes[0] if codes else None
        if kind not in ("platelet_transfusion", "red_cell_transfusion", "hsct", "dli"):
            raise fail("code", f"procedure code {kind!r} is not a hematwin record type")
        fields = _times(res, file, row, "performedPeriod", "performedDateTime")
        fields["source"] = {"file": file, "row": row}
        if kind == "hsct":
            cd34 = _extension(res, CD34_PER_KG, "valueDecimal")
            return HSCT(graft_source=_extension(res, GRAFT_SOURCE, "valueCode"),
                        donor=_extension(res, DONOR, "valueCode"),
                        cd34_per_kg=None if cd34 is None else _decimal(cd34), **fields)
        if kind == "dli":
            cd3 = _extension(res, CD3_PER_KG, "valueDecimal")
            return DLI(cd3_per_kg=None if cd3 is None else _decimal(cd3), **fields)
        q = _extension(res, PRODUCT_DOSE, "valueQuantity") or {}
        return Transfusion(record_type=kind, dose=None if q.get("value") is None else
                           _decimal(q["value"]), dose_unit=q.get("unit"), **fields)
    except pydantic.ValidationError as exc:
        raise data_error_from_validation(exc, file=file, row=row, field_names=names) from None


def _observation_from(res: Mapping[str, Any], file: str, row: int, fail: Any) -> Record:
    codings = (res.get("code") or {}).get("coding") or []
    times = _times(res, file, row, None, "effectiveDateTime")
    source = {"file": file, "row": row}
    for c in codings:
        if c.get("system") == RECORD_SYSTEM and c.get("code") == "marrow":
            fields: dict[str, Any] = {}
            for comp in res.get("component", []) or []:
                code = ((comp.get("code") or {}).get("coding") or [{}])[0].get("code")
                value, censor, _unit = _value(comp.get("valueQuantity"), "component", fail)
                if code == "blasts_pct":
                    fields["blasts_pct"], fields["blasts_censor"] = value, censor
                elif code == "cellularity_pct":
                    fields["cellularity_pct"] = value
                else:
                    raise fail("component", f"unknown marrow component {code!r}")
            return MarrowAssessment(**fields, **times, source=source)
        if c.get("system") == RECORD_SYSTEM and c.get("code") == "chimerism":
            value, censor, unit = _value(res.get("valueQuantity"), "valueQuantity", fail)
            if unit not in ("%", ""):
                raise fail("valueQuantity.unit", f"chimerism is in %, got {unit!r}")
            return Chimerism(lineage=_extension(res, LINEAGE, "valueCode"), donor_pct=value,
                             censor=censor, **times, source=source)
    analyte = None
    for c in codings:
        if c.get("system") == LOINC_SYSTEM and c.get("code") in LOINC:
            analyte = LOINC[c["code"]][0]
            break
        if c.get("system") == ANALYTE_SYSTEM and c.get("code") in ANALYTES:
            analyte = c["code"]
            break
    if analyte is None:
        shown = [f"{c.get('system')}|{c.get('code')}" for c in codings]
        loinc = [c.get("code") for c in codings if c.get("system") == LOINC_SYSTEM]
        what = f"unknown LOINC code {loinc[0]!r}" if loinc else f"unknown code {shown}"
        raise fail("code", f"{what}; known LOINC codes: {', '.join(LOINC)}")
    value, censor, unit = _value(res.get("valueQuantity"), "valueQuantity", fail)
    convert = conversion(unit, analyte, file=file, row=row, field="valueQuantity.unit")
    fields = {"analyte": analyte, "value": convert(value), "censor": censor, **times}
    for rr in (res.get("referenceRange") or [])[:1]:
        for key, name in (("low", "lln"), ("high", "uln")):
            if rr.get(key) is not None:
                v, _c, u = _value(rr[key], f"referenceRange.{key}", fail)
                fields[name] = conversion(u or unit, analyte, file=file, row=row,
                                          field=f"referenceRange.{key}.unit")(v)
    specimen = _extension(res, SPECIMEN, "valueCode")
    if specimen is not None:
        fields["specimen"] = specimen
    return Observation(**fields, source=source)
