"""Curated BioModels of leukemia and hematopoiesis, imported from their SBML files, not rewritten.

Each entry reads ``../shared/data/sbml/BIOMD*.xml`` (the folder next to the repository, as in
``validation/test_biomodels.py``) with :func:`hematwin.model.sbml_import.from_sbml` when it is
first used, so the simulated equations and parameter values are the curated file's own. An
entry behaves like a library module: ``spec()``, ``regimen()`` (the file's time-triggered
events, None when it has none), ``CITATION`` and ``DESCRIPTION``.

The readable names (``precup2012_sbml``…) are the registry keys; the BioModels identifiers
(``biomd0000000800``, any case) are accepted as aliases by :func:`hematwin.library.get`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from hematwin.errors import DataError
from hematwin.model.spec import ModelSpec
from hematwin.therapy.regimen import Regimen

__all__ = ["BIOMODELS", "BioModel", "sbml_dir"]


def sbml_dir() -> Path:
    """``$HEMATWIN_SBML_DIR``, else ``shared/data/sbml`` beside the repository root."""
    root = os.environ.get("HEMATWIN_SBML_DIR")
    if root:
        return Path(root)
    return Path(__file__).resolve().parents[4] / "shared" / "data" / "sbml"


@cache
def _imported(path: Path):
    from hematwin.model.sbml_import import from_sbml

    if not path.is_file():
        raise DataError(f"BioModels file not found: {path} (set HEMATWIN_SBML_DIR to the "
                        "folder holding the BIOMD*.xml files)", file=str(path))
    return from_sbml(path)


@dataclass(frozen=True)
class BioModel:
    """One curated BioModels entry: where its SBML file is and what it is."""

    biomodels_id: str  # e.g. BIOMD0000000800
    description: str
    citation: str
    default_days: float  # horizon of the default run, in the model's time unit
    default_note: str

    @property
    def CITATION(self) -> str:  # noqa: N802 - same attribute as the library modules
        return f"{self.citation} (BioModels {self.biomodels_id}, imported from SBML)"

    @property
    def DESCRIPTION(self) -> str:  # noqa: N802
        return self.description

    @property
    def path(self) -> Path:
        return sbml_dir() / f"{self.biomodels_id}.xml"

    def spec(self) -> ModelSpec:
        """The model as imported from the curated SBML file (a typed error if it is absent)."""
        return _imported(self.path).spec

    def regimen(self) -> Regimen | None:
        """The file's time-triggered events as a regimen; None when it has none."""
        return _imported(self.path).regimen


# Citations: the reference each BioModels file is annotated with (bqbiol:isDescribedBy).
BIOMODELS: dict[str, BioModel] = {
    "sharp2019_sbml": BioModel(
        "BIOMD0000000798",
        "AML stem-cell model with an immune response (Sharp 2019), as curated in BioModels",
        "Sharp JA, Browning AP, Mapder T, Burrage K, Simpson MJ. J Theor Biol 2019;470:30-42 "
        "(PubMed 30853393)",
        200.0, "curated parameters (immune term a = 0.015): leukemic stem cells cleared"),
    "cucuianu2010_sbml": BioModel(
        "BIOMD0000000799",
        "Normal vs leukemic stem-cell competition in AML (Cucuianu 2010), as curated in "
        "BioModels",
        "Cucuianu A, Precup R. Comput Math Methods Med 2010;11:49-65 "
        "(doi:10.1080/17486700902973751)",
        200.0, "curated parameters (identical for both lines): x/y ratio conserved"),
    "precup2012_sbml": BioModel(
        "BIOMD0000000800",
        "Host normal, host leukemic and donor cells after allogeneic transplant (Precup "
        "2012), as curated in BioModels",
        "Precup R, Arghirescu S, Cucuianu A, Serban M. Int J Biomath 2012;5:1250026 "
        "(doi:10.1142/S1793524511001684)",
        365.0, "host, leukemic and donor cells after alloBMT, the curated file"),
    "andersen2017_sbml": BioModel(
        "BIOMD0000000852",
        "MPN development driven by chronic inflammation (Andersen 2017), as curated in "
        "BioModels",
        "Andersen M, Sajid Z, Pedersen RK et al. PLoS One 2017;12:e0183620 "
        "(PubMed 28859112)",
        7300.0, "curated parameters: the malignant clone over 20 years"),
    "jiao2018_sbml": BioModel(
        "BIOMD0000000898",
        "Feedback-regulated HSC lineage with an AML lineage (Jiao 2018), as curated in "
        "BioModels",
        "Jiao J, Luo M, Wang R. BMC Syst Biol 2018;12(Suppl 4):43 (PubMed 29745850)",
        300.0, "curated parameters: the leukemic lineage takes over"),
}
