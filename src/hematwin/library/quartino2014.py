"""Quartino 2014 neutropenia model with endogenous G-CSF feedback (docetaxel).

Quartino AL, Karlsson MO, Lindman H, Friberg LE. Characterization of endogenous G-CSF and the
inverse correlation to chemotherapy-induced neutropenia in patients with breast cancer using
population modeling. Pharm Res 2014;31:3390–3403.

A Friberg-type chain — a proliferating pool (Prol), four maturation transits and the
circulating neutrophils (Circ) — in which the Friberg feedback (Circ0/Circ)^γ is replaced by
endogenous G-CSF: (G/G0)^γ stimulates proliferation and (G/G0)^β speeds maturation (every
transit, including the exit from Prol). G-CSF is produced at a constant rate kin and removed by
a first-order (renal) route ke and by neutrophils (receptor-mediated, kANC·Circ):

    dG/dt = kin − (ke + kANC·Circ)·G,    kin = (ke + kANC·Circ0)·G0

so that the initial state (G0, Circ0, Prol0 = Transit_i0 = kcirc·Circ0/ktr) is an exact
steady state. radivot/myelo ``demo/quartino14.R`` writes the G-CSF equation as
kin − (ke + kANC·Circ·G), which does not balance at baseline; this module uses the intended
form above.

Parameters are kept in the paper's units (hours); the equations convert to days (24 h/day):
Circ0 3.53 ×10⁹/L, MTT 133 h with ktr = (n + 1)/MTT for n = 4 transits, circulating half-life
fixed to 7 h, γ 0.444, β 0.234, docetaxel slope 17.2 L/µmol, ke 0.592 h⁻¹,
kANC 5.64 L/(10⁹ cells·h), G0 24.3 ng/L.

Provenance — **not verified against the paper's parameter table**, which could not be read
with the project's search tools (searched: pages/docs corpora by title, authors, PMID
24919931 and DOI 10.1007/s11095-014-1429-9 — no full text or table found; code corpus,
nlmixr2lib, DDMoRe and metrumresearchgroup files — no port of this model). All values are as
transcribed in radivot/myelo ``demo/quartino14.R``. A second, independent transcription that
cites the Springer article (AMLDT/Venex_Neutropenia_Models, tellurium model with lenograstim)
agrees on ke 0.592 h⁻¹, kANC 5.64, β 0.234 and the 7-h circulating half-life, and gives
G0 24.4 instead of 24.3; Circ0, MTT, γ and the slope have no second source. myelo labels G0
"ng/ml"; endogenous G-CSF is of the order of 25 pg/mL (Krzyzanski 2010's DDMoRe model
DDMODEL00000077 states a baseline of 0.0246 ng/mL = 24.6 ng/L), so G0 is taken in ng/L.
myelo's initial state also puts Circ at 3.630645 instead of Circ0 = 3.53; here the initial
state is the steady state.
Docetaxel PK is that of :mod:`hematwin.library.friberg2002` (Bruno 1996), reused unchanged.
Not included: the corticosteroid-induced G-CSF input of the paper (kcort, t½ 25.5 h), whose
size per premedication dose is not in the sources available here.
"""

from __future__ import annotations

import math

from hematwin.library import friberg2002
from hematwin.model.spec import Definition, Equation, ModelSpec, Output, Parameter, State
from hematwin.therapy.regimen import Regimen

CITATION = "Quartino AL et al., Pharm Res 2014;31:3390"
DESCRIPTION = "Docetaxel neutropenia with endogenous G-CSF feedback (Quartino 2014)"

INF = math.inf
Q14 = ("Quartino 2014 final model as transcribed in radivot/myelo demo/quartino14.R "
       "(paper table not read; unverified)")
#: the values that a second transcription (AMLDT/Venex_Neutropenia_Models) confirms
Q14_TWICE = f"{Q14}; same value in AMLDT/Venex_Neutropenia_Models"
N_TRANSIT = 4

_PD_PARAMETERS = [
    Parameter("Circ0", 3.53, "1e9/L", 0, INF, "baseline circulating neutrophils", Q14),
    Parameter("MTT", 133.0, "h", 0, INF, "mean transit time Prol → Circ (5 compartments)", Q14),
    Parameter("t_half_circ", 7.0, "h", 0, INF, "half-life of circulating neutrophils",
              f"{Q14_TWICE} (fixed in the paper)"),
    Parameter("gamma", 0.444, "1", 0, INF, "G-CSF feedback exponent on proliferation", Q14),
    Parameter("beta", 0.234, "1", 0, INF, "G-CSF feedback exponent on maturation", Q14_TWICE),
    Parameter("slope", 17.2, "L/umol", 0, INF, "linear docetaxel effect on proliferation", Q14),
    Parameter("GCSF0", 24.3, "ng/L", 0, INF, "baseline endogenous G-CSF",
              f"{Q14}; AMLDT/Venex_Neutropenia_Models has 24.4"),
    Parameter("ke", 0.592, "1/h", 0, INF, "first-order (renal) G-CSF elimination", Q14_TWICE),
    Parameter("kANC", 5.64, "L/(1e9*h)", 0, INF, "G-CSF elimination per circulating neutrophil",
              Q14_TWICE),
]

_TRANSITS = [f"Transit{i}" for i in range(1, N_TRANSIT + 1)]


def _pd_states() -> list[State]:
    prol0 = "kcirc*Circ0/ktr"
    states = [State("Prol", prol0, "1e9/L", "proliferating neutrophil progenitors")]
    states += [State(name, prol0, "1e9/L", f"maturing neutrophils, transit {i}")
               for i, name in enumerate(_TRANSITS, start=1)]
    states += [
        State("Circ", "Circ0", "1e9/L", "circulating neutrophils"),
        State("GCSF", "GCSF0", "ng/L", "endogenous G-CSF in plasma"),
    ]
    return states


def _pd_equations() -> list[Equation]:
    eqs = [Equation("Prol", "ktr*Prol*(1 - Edrug)*FBprol - ktr*FBtr*Prol")]
    previous = "Prol"
    for name in _TRANSITS:
        eqs.append(Equation(name, f"ktr*FBtr*{previous} - ktr*FBtr*{name}"))
        previous = name
    eqs += [
        Equation("Circ", f"ktr*FBtr*{previous} - kcirc*Circ"),
        Equation("GCSF", "24*kin - 24*(ke + kANC*Circ)*GCSF"),
    ]
    return eqs


_PD_DEFINITIONS = [
    Definition("ktr", f"24*{N_TRANSIT + 1}/MTT", "1/day", "transit rate constant, (n+1)/MTT"),
    Definition("kcirc", "24*log(2)/t_half_circ", "1/day", "loss of circulating neutrophils"),
    Definition("kin", "(ke + kANC*Circ0)*GCSF0", "ng/(L*h)",
               "G-CSF production that balances elimination at baseline"),
    Definition("FBprol", "(GCSF/GCSF0)^gamma", "1", "G-CSF stimulation of proliferation"),
    Definition("FBtr", "(GCSF/GCSF0)^beta", "1", "G-CSF acceleration of maturation"),
    Definition("Edrug", "slope*Conc", "1", "linear drug effect"),
]


def spec() -> ModelSpec:
    """The Quartino 2014 model with docetaxel (Bruno 1996 PK from :mod:`friberg2002`)."""
    base = friberg2002.spec("docetaxel")
    pk_states = [s for s in base.states if s.name in ("A1", "A2", "A3")]
    pk_equations = [e for e in base.equations if e.state in ("A1", "A2", "A3")]
    pk_parameters = [p for p in base.parameters
                     if p.name in ("k10", "k12", "k21", "k13", "k31", "V1", "MW")]
    pk_definitions = [d for d in base.definitions if d.name == "Conc"]
    return ModelSpec(
        name="quartino2014",
        description=DESCRIPTION,
        citation=CITATION,
        time_unit="day",
        method="dp5",
        states=tuple(pk_states + _pd_states()),
        parameters=tuple(pk_parameters + _PD_PARAMETERS),
        definitions=tuple(pk_definitions + _PD_DEFINITIONS),
        equations=tuple(pk_equations + _pd_equations()),
        outputs=(
            Output("anc", "Circ", "1e9/L", "circulating neutrophils"),
            Output("gcsf", "GCSF", "ng/L", "endogenous G-CSF"),
            Output("conc", "Conc", "umol/L", "docetaxel plasma concentration"),
        ),
        meta={"drug": "docetaxel", "count_output": "anc"},
    )


def regimen(dose_mg: float = 180.0, cycles: int = 1, every_days: float = 21.0,
            infusion_hours: float = 1.0) -> Regimen:
    """Docetaxel 100 mg/m² (× 1.8 m² = 180 mg) as a 1-h infusion every 3 weeks."""
    return friberg2002.regimen("docetaxel", dose_mg, cycles, every_days,
                               infusion_hours=infusion_hours)
