"""Kloft 2006 patient covariates on the Friberg 2002 docetaxel neutropenia model.

Kloft C, Wallin J, Henningsson A, Chatelut E, Karlsson MO. Population pharmacokinetic-
pharmacodynamic model for neutropenia with patient subgroup identification: comparison across
anticancer drugs. Clin Cancer Res 2006;12(18):5481–5490 (doi:10.1158/1078-0432.CCR-06-0815).

The structure is :func:`hematwin.library.friberg2002.spec` ("docetaxel") unchanged: its states,
equations, PK (Bruno 1996) and outputs are reused as they are. Kloft's covariate model turns
two of its parameters into definitions (NONMEM ``BACOV`` / ``SLCOV``):

    Circ0 = TVCirc0 · (1 + θ_sex·SEXF) · (1 + θ_PS·PS) · (1 + θ_prior·PRIOR)
                    · (1 + θ_AAG,low·min(AAG − 1.34, 0) + θ_AAG,high·max(AAG − 1.34, 0))
    slope = TVslope · (1 + θ_AAG,slope · (AAG − 1.34))

With every covariate at its reference (male, ECOG 0, no prior anticancer therapy, AAG 1.34 g/L,
the cohort median) both factors are exactly 1 and the model *is* Friberg 2002 with Kloft's
typical values. For docetaxel Kloft retained sex, performance status, prior therapy and AAG
(on baseline) and AAG (on the drug slope); the abstract names age, albumin, bilirubin and
liver enzymes as covariates of *other* drugs in the same analysis or as clinically minor, so
they are not part of the docetaxel model.

Sources. The paper's docetaxel estimates were read from the DDMoRe model DDMODEL00000224
(Netterberg 2017; its ``$THETA`` block is labelled "Parameter estimates as according to Kloft
et al., 2006" and is evaluated with MAXEVALS=0), as transcribed in nlmixr2lib
``Netterberg_2017_docetaxel``: BA 5.21965 ×10⁹/L, MTT 84.1791 h, slope 15.5711 L/µmol,
γ 0.144543, θ 6–11 below; ω² BA 0.0639703, MTT 0.0191785, slope 0.128412 (ω² of γ 0.0216 in the
paper, fixed to 0 in the DDMoRe file). nlmixr2lib ``Netterberg_2017_docetaxel`` records that the
bundle's MAXEVALS=0 output reproduces them to 3 significant figures; it did not have the paper
either.

**Not verified against the paper's table**: searched the pages/docs corpora (title, authors,
doi 10.1158/1078-0432.CCR-06-0815; the AACR full text is not stored) and the code corpus;
no copy of the paper's parameter table was found. The DDMoRe file comes from the authors'
group (Uppsala) and labels its $THETA as the paper's estimates, so the values are kept with
that citation. radivot/myelo
``demo/kloft06.R`` uses different rounded values (5.3, 83.9 h, 0.144, 14.5) without a stated
source; they are not used.
"""

from __future__ import annotations

import math
from dataclasses import replace

from hematwin.errors import ParameterError
from hematwin.library import friberg2002
from hematwin.model.spec import Definition, ModelSpec, Parameter
from hematwin.therapy.regimen import Regimen

CITATION = "Kloft C et al., Clin Cancer Res 2006;12:5481"
DESCRIPTION = "Docetaxel neutropenia (Friberg 2002) with Kloft 2006 patient covariates"

INF = math.inf
K06 = ("Kloft 2006 docetaxel final model as fixed in DDMoRe DDMODEL00000224 $THETA "
       "(labelled 'according to Kloft et al., 2006'; paper table not read)")
AAG_REF = 1.34  # g/L, median AAG of Kloft's docetaxel cohort (DDMODEL00000224 $PK)

#: typical values: Kloft 2006 (default) or Friberg 2002 (the reduction check)
TYPICAL = {
    "kloft2006": dict(Circ0=5.21965, MTT=84.1791, gamma=0.144543, slope=15.5711),
    "friberg2002": dict(Circ0=5.05, MTT=88.7, gamma=0.161, slope=8.58),
}

#: ω (SD of log-normal η), Kloft 2006 via DDMODEL00000224 $OMEGA (variances)
IIV = {"TVCirc0": 0.0639703**0.5, "MTT": 0.0191785**0.5, "TVslope": 0.128412**0.5}

#: covariate values at which the model reduces to Friberg 2002
REFERENCE_COVARIATES = {"SEXF": 0.0, "PS": 0.0, "PRIOR": 0.0, "AAG": AAG_REF}


def _covariate_parameters() -> list[Parameter]:
    return [
        Parameter("SEXF", 0.0, "1", 0, 1, "female sex (1) or male (0)", "covariate"),
        Parameter("PS", 0.0, "1", 0, 1, "ECOG/WHO performance status ≥ 1 (1) or 0 (0)",
                  "covariate"),
        Parameter("PRIOR", 0.0, "1", 0, 1, "previous anticancer therapy (1) or none (0)",
                  "covariate"),
        Parameter("AAG", AAG_REF, "g/L", 0, INF, "alpha1-acid glycoprotein in plasma",
                  "covariate; reference = Kloft 2006 cohort median"),
        Parameter("th_sex", -0.121451, "1", -0.999, INF,
                  "fractional change of baseline ANC in women", f"{K06} θ11"),
        Parameter("th_ps", 0.130406, "1", -0.999, INF,
                  "fractional change of baseline ANC with performance status ≥ 1", f"{K06} θ8"),
        Parameter("th_prior", -0.146837, "1", -0.999, INF,
                  "fractional change of baseline ANC after previous anticancer therapy",
                  f"{K06} θ7"),
        Parameter("th_aag_lo", 0.174677, "L/g", -INF, INF,
                  "baseline ANC change per g/L of AAG below 1.34 g/L", f"{K06} θ9"),
        Parameter("th_aag_hi", 0.494618, "L/g", -INF, INF,
                  "baseline ANC change per g/L of AAG above 1.34 g/L", f"{K06} θ10"),
        Parameter("th_aag_slope", -0.350693, "L/g", -INF, INF,
                  "fractional change of the drug slope per g/L of AAG", f"{K06} θ6"),
    ]


_DEFINITIONS = [
    Definition("Circ0",
               "TVCirc0*(1 + th_sex*SEXF)*(1 + th_ps*PS)*(1 + th_prior*PRIOR)"
               "*(1 + th_aag_lo*min(AAG - 1.34, 0) + th_aag_hi*max(AAG - 1.34, 0))",
               "1e9/L", "individual baseline ANC (Kloft 2006 BACOV)"),
    Definition("slope", "TVslope*(1 + th_aag_slope*(AAG - 1.34))", "L/umol",
               "individual drug slope (Kloft 2006 SLCOV)"),
]


def spec(typical: str = "kloft2006") -> ModelSpec:
    """Friberg 2002 docetaxel model with Kloft 2006 covariates.

    ``typical`` picks the typical values of Circ0, MTT, γ and slope: ``"kloft2006"`` (the
    paper's docetaxel estimates) or ``"friberg2002"`` (then, at the reference covariates, the
    model is Friberg 2002 exactly).
    """
    if typical not in TYPICAL:
        raise ParameterError(f"unknown typical-value set {typical!r}; known: {list(TYPICAL)}",
                             model="kloft2006", field="typical")
    values = TYPICAL[typical]
    source = K06 if typical == "kloft2006" else "Friberg 2002, Table 4 (docetaxel)"
    base = friberg2002.spec("docetaxel")
    params = []
    for p in base.parameters:
        if p.name in ("Circ0", "slope"):
            params.append(replace(p, name=f"TV{p.name}", default=values[p.name],
                                  description=f"typical {p.description}", citation=source))
        elif p.name in ("MTT", "gamma"):
            params.append(replace(p, default=values[p.name], citation=source))
        else:
            params.append(p)
    return replace(
        base,
        name="kloft2006",
        description=DESCRIPTION,
        citation=f"{CITATION}; structure {friberg2002.CITATION}",
        parameters=tuple(params) + tuple(_covariate_parameters()),
        definitions=tuple(_DEFINITIONS) + base.definitions,
        meta={**base.meta, "typical": typical, "reference_covariates": REFERENCE_COVARIATES},
    )


def regimen(dose_mg: float = 180.0, cycles: int = 1, every_days: float = 21.0,
            infusion_hours: float = 1.0) -> Regimen:
    """Docetaxel i.v. every ``every_days`` days; default 100 mg/m² × 1.8 m² as a 1-h infusion
    (the clinical schedule of Kloft's docetaxel trials)."""
    return friberg2002.regimen("docetaxel", dose_mg, cycles, every_days,
                               infusion_hours=infusion_hours)
