"""Patient data: the timeline model, unit normalisation, and readers/writers.

Formats: tidy CSV (:mod:`.csv_io`), NONMEM-style datasets (:mod:`.nonmem`), FHIR R4B
bundles (:mod:`.fhir`), CDISC SDTM LB (:mod:`.sdtm`). Every timeline reader returns a
:class:`ReadReport` (accepted timelines, rejected rows, reconciled counts).
"""

from hematwin.data.analytes import ANALYTES, Analyte
from hematwin.data.csv_io import (
    MICHOR,
    ColumnMapping,
    read_csv,
    read_mapped_csv,
    read_michor_like,
    write_csv,
)
from hematwin.data.fhir import read_fhir, to_bundle, write_fhir
from hematwin.data.nonmem import NonmemDataset, nonmem_to_timelines, read_nonmem, write_nonmem
from hematwin.data.read_report import ReadReport
from hematwin.data.sdtm import read_sdtm_lb, write_sdtm_lb
from hematwin.data.timeline import (
    DLI,
    GCSF,
    HSCT,
    Chemotherapy,
    Chimerism,
    MarrowAssessment,
    Observation,
    SourceLocation,
    Timeline,
    Transfusion,
)
from hematwin.data.units import to_canonical

__all__ = [
    "ANALYTES", "Analyte", "MICHOR", "ColumnMapping", "read_csv", "read_mapped_csv",
    "read_michor_like", "write_csv", "read_fhir", "to_bundle", "write_fhir", "NonmemDataset",
    "nonmem_to_timelines", "read_nonmem", "write_nonmem", "ReadReport", "read_sdtm_lb",
    "write_sdtm_lb", "DLI", "GCSF", "HSCT", "Chemotherapy", "Chimerism", "MarrowAssessment",
    "Observation", "SourceLocation", "Timeline", "Transfusion", "to_canonical",
]
