"""Krzyzanski 2010 filgrastim PK/PD in healthy adults: receptor-mediated disposition and ANC.

Krzyzanski W, Wiczling P, Lowe P, Pigeolet E, Fink M, Berghout A, Balser S. Population modeling
of filgrastim PK-PD in healthy adults following intravenous and subcutaneous administrations.
J Clin Pharmacol 2010;50(9 Suppl):101S–112S (doi:10.1177/0091270010376966).

PK: first-order s.c. absorption (bioavailability F) or a 0.5-h i.v. infusion into the plasma;
linear elimination kel and target-mediated elimination by G-CSF receptors on neutrophils in the
quasi-equilibrium approximation — total drug Atot splits into free C and receptor-bound drug with
dissociation constant KD, the receptor pool is proportional to all neutrophils (marrow and blood),
Rtot = ksi·NT, and the complex is internalised at kint. Repeated dosing expands the neutrophil
pool and with it the clearance, hence the falling Cmax on daily dosing.

PD: nine marrow compartments (a transit approximation of the maturation lifespan) feeding the
blood neutrophils NB (eliminated at kmt). G-CSF stimulates the self-renewing first compartment
by H1 = 1 + Smax1·C/(SC50 + C) and speeds marrow transit by H2 = 1 + Smax2·C/(SC50 + C). A third
path of the published structure (direct marrow → blood release, kbb1 with Smax3) is fixed to 0
in the final model and is left out. The endogenous G-CSF baseline C0 sets the initial state,
which is an exact steady state: kin = kel·Vd·C0 + kint·(bound drug at baseline), and the marrow
compartments follow from NB0 and H1(C0), H2(C0).

Parameters are in the paper's units (hours; µg, L, ng/mL = µg/L; ANC 10⁹/L); the equations
convert to days (24 h/day).

Sources. The structure is the authors' NONMEM model deposited with the paper, DDMoRe
DDMODEL00000077 ("PKPD NEUPOGEN"; control stream copied in Calvagone/campsistrans
``tests/testthat/ddmore_models/filgrastim/Executable_simulated_GCSF_dataset.ctl``): the
equations above were checked term by term against its $PK/$DES (kbb1, koff and Smax3 fixed
to 0 there). Its $THETA are initial values for a simulated data set (F 0.666, kel 0.212,
KD 0.104, ksi 0.022, …), not the paper's estimates. The values used here are the final
estimates of the publication as transcribed in the Campsis model library
(Calvagone/campsismod ``data-raw/model_suite/literature/filgrastim_pkpd_krzyzanski/theta.csv``
and ``omega.csv``; the Campsis vignette "Complex PK/PD models from literature" says this
model "was updated with the final parameters from the corresponding publication").

**Not verified against the paper's table**: the J Clin Pharmacol supplement is not in the
pages/docs corpora (searched by title, authors, PMID 20881223, doi) and no other copy of its
table was found. A different set circulates in metrumresearchgroup/page-2018-mrgsolve
``model/gcsf.cpp`` (F 0.626, ka 0.642, kel 0.148, Vd 2.56, KD 1.27, kint 0.101, ksi 0.211,
kmt 0.0723, ktt 0.0102, NB0 1.65, SC50 3.21, Smax1 34.3, Smax2 32.3, baseline 0.0246 ng/mL;
its origin is not stated there); which of the two is the paper's table could not be decided.
Against van der Auwera 2001 (validation/test_krzyzanski2010_auwera.py) the metrum set gives
peak ANC −6 % / +1 % (5 / 10 µg/kg; this set −8 % / −2 %) and the same too-fast decline
after 24 h (72 h: 2.4 / 2.8 ×10⁹/L against 6.1 / 8.4 observed).

Baseline G-CSF C0 is a data covariate (BAS), not a population estimate: in the DDMoRe data
set most subjects have BAS 0.02 ng/mL (individual values up to 0.052) and the model's $PROBLEM
line names 0.0246 ng/mL. C0 = 0.02 (the common value, also the Campsis example's) is the
default; with 0.0246 the van der Auwera peaks are −11 % / −5 %. radivot/myelo has no port of
this model (checked); its ``auwera`` data set is used for validation only.
"""

from __future__ import annotations

import math

from hematwin.errors import RegimenError
from hematwin.model.spec import Definition, Equation, ModelSpec, Output, Parameter, State
from hematwin.therapy.regimen import Dose, Regimen

CITATION = "Krzyzanski W et al., J Clin Pharmacol 2010;50(9 Suppl):101S"
DESCRIPTION = "Filgrastim PK/PD in healthy adults with receptor-mediated disposition"

INF = math.inf
K10 = ("Krzyzanski 2010 final estimates as transcribed in the Campsis model library "
       "(campsismod filgrastim_pkpd_krzyzanski/theta.csv; structure DDMODEL00000077; "
       "paper table not read)")
N_MARROW = 9
#: i.v. 5 µg/kg infusion duration: Campsis theta D2 = 0.5 h (fixed); the DDMoRe control
#: stream fixes D2 at 6.77 h instead (unverified which one the paper used)
IV_INFUSION_HOURS = 0.5

#: ω (SD of log-normal η): Krzyzanski 2010 via Campsis ``omega.csv`` (variances; unverified)
IIV = {"NB0": 0.109**0.5, "kel": 0.194**0.5, "Vd": 0.138**0.5, "ksi": 0.0587**0.5,
       "SC50": 0.764**0.5, "Smax1": 0.000188**0.5}

_PARAMETERS = [
    Parameter("F", 0.602, "1", 0, 1, "s.c. bioavailability", K10),
    Parameter("ka", 0.651, "1/h", 0, INF, "s.c. absorption rate constant", K10),
    Parameter("kel", 0.152, "1/h", 0, INF, "linear elimination rate constant", K10),
    Parameter("Vd", 2.42, "L", 0, INF, "volume of distribution", K10),
    Parameter("KD", 1.44, "ng/mL", 0, INF, "G-CSF–receptor dissociation constant", K10),
    Parameter("kint", 0.105, "1/h", 0, INF, "internalisation of the G-CSF–receptor complex",
              K10),
    Parameter("ksi", 0.181, "ng/mL per 1e9/L", 0, INF,
              "receptor density: total receptors per neutrophil count", K10),
    Parameter("kmt", 0.0728, "1/h", 0, INF, "elimination of blood neutrophils", K10),
    Parameter("ktt", 0.00862, "1/h", 0, INF, "transit rate between marrow compartments", K10),
    Parameter("NB0", 1.55, "1e9/L", 0, INF, "baseline ANC", K10),
    Parameter("SC50", 3.15, "ng/mL", 0, INF, "G-CSF concentration of half-maximal stimulation",
              K10),
    Parameter("Smax1", 34.7, "1", 0, INF, "maximal stimulation of marrow proliferation", K10),
    Parameter("Smax2", 32.2, "1", 0, INF, "maximal acceleration of marrow transit", K10),
    Parameter("C0", 0.02, "ng/mL", 0, INF, "baseline endogenous G-CSF",
              "DDMODEL00000077 data covariate BAS (0.02 ng/mL in most subjects; $PROBLEM: "
              "0.0246 ng/mL), not a population estimate"),
]

_MARROW = [f"BM{i}" for i in range(1, N_MARROW + 1)]


def _initial_definitions() -> list[Definition]:
    defs = [
        Definition("H10", "1 + Smax1*C0/(SC50 + C0)", "1", "H1 at baseline"),
        Definition("H20", "1 + Smax2*C0/(SC50 + C0)", "1", "H2 at baseline"),
        Definition("kinb", "kmt*NB0/H10", "1e9/(L*h)", "basal marrow production"),
        Definition("BM10", "kinb*H10/(ktt*H20)", "1e9/L", "baseline of every marrow compartment"),
        Definition("NT0", f"{N_MARROW}*BM10 + NB0", "1e9/L", "baseline of all neutrophils"),
        Definition("Atot0", "Vd*C0*(1 + ksi*NT0/(KD + C0))", "ug",
                   "baseline G-CSF amount, free and receptor-bound"),
        Definition("kin", "kel*Vd*C0 + kint*Vd*C0*ksi*NT0/(KD + C0)", "ug/h",
                   "endogenous G-CSF production balancing elimination at baseline"),
    ]
    return defs


def _definitions() -> list[Definition]:
    marrow = " + ".join(_MARROW)
    return _initial_definitions() + [
        Definition("NT", f"{marrow} + NB", "1e9/L", "all neutrophils, marrow and blood"),
        Definition("Rtot", "ksi*NT", "ng/mL", "total G-CSF receptors"),
        Definition("Bq", "Atot/Vd - KD - Rtot", "ng/mL", "quasi-equilibrium coefficient"),
        Definition("Cfree", "(Bq + sqrt(Bq^2 + 4*KD*Atot/Vd))/2", "ng/mL",
                   "free G-CSF in plasma (quasi-equilibrium binding)"),
        Definition("Bound", "Vd*Cfree*Rtot/(KD + Cfree)", "ug", "receptor-bound G-CSF"),
        Definition("H1", "1 + Smax1*Cfree/(SC50 + Cfree)", "1",
                   "G-CSF stimulation of marrow proliferation"),
        Definition("H2", "1 + Smax2*Cfree/(SC50 + Cfree)", "1",
                   "G-CSF acceleration of marrow transit"),
    ]


def _equations() -> list[Equation]:
    eqs = [
        Equation("Depot", "-24*ka*Depot"),
        Equation("Atot", "24*(F*ka*Depot + kin - kel*Vd*Cfree - kint*Bound)"),
        Equation("BM1", "24*(kinb*H1*BM1/BM10 - ktt*H2*BM1)"),
    ]
    for prev, name in zip(_MARROW[:-1], _MARROW[1:], strict=True):
        eqs.append(Equation(name, f"24*ktt*H2*({prev} - {name})"))
    eqs.append(Equation("NB", f"24*(ktt*H2*{_MARROW[-1]} - kmt*NB)"))
    return eqs


def _states() -> list[State]:
    states = [
        State("Depot", 0.0, "ug", "filgrastim at the s.c. injection site (full dose; F applies on "
              "absorption)"),
        State("Atot", "Atot0", "ug", "G-CSF in plasma, free and receptor-bound"),
    ]
    states += [State(name, "BM10", "1e9/L", f"marrow neutrophil precursors, compartment {i}")
               for i, name in enumerate(_MARROW, start=1)]
    states.append(State("NB", "NB0", "1e9/L", "blood neutrophils (ANC)"))
    return states


def spec() -> ModelSpec:
    """The Krzyzanski 2010 filgrastim model (typical values)."""
    return ModelSpec(
        name="krzyzanski2010",
        description=DESCRIPTION,
        citation=CITATION,
        time_unit="day",
        method="ros23",
        states=tuple(_states()),
        parameters=tuple(_PARAMETERS),
        definitions=tuple(_definitions()),
        equations=tuple(_equations()),
        outputs=(
            Output("anc", "NB", "1e9/L", "absolute neutrophil count"),
            Output("gcsf", "Cfree", "ng/mL", "free G-CSF in plasma"),
        ),
        meta={"drug": "filgrastim", "count_output": "anc"},
    )


def regimen(dose_ug_per_kg: float = 5.0, weight_kg: float = 70.0, days: int = 7,
            route: str = "sc") -> Regimen:
    """Filgrastim ``dose_ug_per_kg`` once daily for ``days`` days (K10: 2.5/5/10 µg/kg s.c.
    daily × 7; i.v. as 0.5-h infusions)."""
    if route not in ("sc", "iv"):
        raise RegimenError(f"route must be 'sc' or 'iv', got {route!r}", field="route")
    if days < 1:
        raise RegimenError(f"days must be ≥ 1, got {days}", field="days")
    amount = dose_ug_per_kg * weight_kg
    if route == "sc":
        dose = Dose(0.0, amount, "Depot")
    else:
        dose = Dose(0.0, amount, "Atot", duration=IV_INFUSION_HOURS / 24.0)
    return Regimen.cycles(dose, days, 1.0)
