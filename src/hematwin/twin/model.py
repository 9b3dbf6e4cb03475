"""The integrated twin: one model of blood formation from the niche to the blood count.

:func:`twin_spec` assembles the components of :mod:`hematwin.twin` (niche and clones,
granulopoiesis with G-CSF, thrombopoiesis, erythropoiesis, lymphocytes and transplant
immunology, the leukemic line, drugs and radiation, hazards) into one
:class:`~hematwin.model.spec.ModelSpec`. At the default parameters a healthy 40-year-old is
at an exact steady state (every baseline count is a parameter; the amplification constants
are derived from them). Cell numbers inside the marrow are per kg body weight; blood counts
are in 10⁹/L (Hb in g/dL). Time in days.
"""

from __future__ import annotations

from functools import lru_cache

from hematwin.model.spec import ModelSpec
from hematwin.twin.drugs import drug_component
from hematwin.twin.erythroid import erythroid_component
from hematwin.twin.hazards import hazard_component
from hematwin.twin.leukemia import leukemia_component
from hematwin.twin.lymphoid import lymphoid_component
from hematwin.twin.myeloid import myeloid_component
from hematwin.twin.parts import T_ORIGINS, Parts
from hematwin.twin.platelets import platelet_component
from hematwin.twin.stem import stem_component

GRAFT_CHIMERISM = (("d", "donor", "donor chimerism"),
                   ("a", "autograft", "share derived from the autologous graft"))
"""Chimerism outputs ``<prefix>_<lineage>_pct`` of each graft clone: donor chimerism of an
allograft, and the share of cells made by an autologous graft (gene-corrected, iPSC-derived
or unmanipulated) — both at once in a patient who carries both."""

COMPONENTS = (stem_component, myeloid_component, platelet_component, erythroid_component,
              lymphoid_component, leukemia_component, drug_component, hazard_component)


def _chimerism_and_counts() -> Parts:
    p = Parts()
    p.param("mono_ratio", 0.12, "1", 0.05, 0.3, "monocytes per neutrophil",
            "assumption: typical adult monocyte to neutrophil counts (~0.5 vs ~4 ×10⁹/L); no "
            "reference interval checked; it only enters the WBC and whole-blood chimerism outputs")
    p.output("wbc", "ANC*(1 + mono_ratio) + LYMPH + LPB", "1e9/L",
             "white blood cells (neutrophils, monocytes, lymphocytes, blasts)")
    for clone, prefix, what in GRAFT_CHIMERISM:
        lineages = {"myeloid": (f"N_{clone}", "(ANC + 1e-12)", "myeloid"),
                    "t": (f"T_{clone}", "Ttot", "T cells (CD3)"),
                    "b": (f"BC_{clone}", "(BC + 1e-12)", "B cells (CD19)"),
                    "nk": (f"NK_{clone}", "(NK + 1e-12)", "NK cells (CD56)")}
        for lineage, (part, whole, name) in lineages.items():
            p.output(f"{prefix}_{lineage}_pct", f"100*{part}/{whole}", "%", f"{what}, {name}")
        # whole blood: neutrophils, monocytes and T cells (as before B and NK had clones)
        p.output(f"{prefix}_wb_pct", f"100*(N_{clone}*(1 + mono_ratio) + T_{clone})"
                 f"/(ANC*(1 + mono_ratio) + {' + '.join(f'T_{o}' for o in T_ORIGINS)} + 1e-12)",
                 "%", f"{what}, whole blood")
    p.output("mutant_vaf_pct", "50*N_m/(ANC + 1e-12)", "%",
             "variant allele fraction of the clonal-hematopoiesis mutation (heterozygous)")
    return p


@lru_cache(maxsize=1)
def twin_spec() -> ModelSpec:
    parts = Parts()
    for component in COMPONENTS:
        parts.extend(component())
    parts.extend(_chimerism_and_counts())
    return ModelSpec(
        name="twin",
        description="hematwin integrated model of hematopoiesis, leukemia, therapy and "
                    "transplantation",
        citation="hematwin (see the parameter table for the sources of each value)",
        time_unit="day",
        method="dp5",
        states=tuple(parts.states),
        parameters=tuple(parts.parameters),
        definitions=tuple(parts.definitions),
        equations=tuple(parts.equations),
        outputs=tuple(parts.outputs),
    )
