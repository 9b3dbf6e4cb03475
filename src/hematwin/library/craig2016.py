"""Craig 2016 granulopoiesis with G-CSF binding and internalisation (constant-delay reduction).

Craig M, Humphries AR, Mackey MC. A mathematical model of granulopoiesis incorporating the
negative feedback dynamics and kinetics of G-CSF/neutrophil binding and internalization.
Bull Math Biol 2016;78:2304–2357 (arXiv:1512.06896).

The published model: stem cells Q (constant delay τS), neutrophil precursors that proliferate
for τNP at the G-CSF-dependent rate ηNP(G1) and then mature, the maturation *speed* VN(G1) being
G-CSF dependent, so the maturation time τNM(t) is a **state-dependent delay**
(∫_{t−τNM}^{t} VN(G1(s)) ds = aNM); a marrow reserve Nr released into the circulation N at
φNr(GBF), GBF being the fraction of G-CSF receptors bound; free (G1) and neutrophil-bound (G2)
G-CSF with renal clearance and receptor-mediated internalisation; filgrastim by first-order
s.c. absorption.

**What is not the paper's.** hematwin integrates constant delays only, and state-dependent
delays cannot be expressed, so the maturation phase is approximated here:

* proliferation is kept exact: precursors leave proliferation at κ*·Q(t − τNP)·exp(E(t)), where
  E(t) = ∫_{t−τNP}^{t} ηNP(G1(s)) ds is carried as a state, dE/dt = ηNP(G1(t)) − ηNP(G1(t − τNP))
  (a constant delay). In the paper the proliferation window ends at t − τNM(t); here it ends
  when the cells enter maturation, which is the same cohort bookkeeping with the maturation
  shift moved into the transit chain below;
* maturation is a chain of ``n_maturation`` transit compartments (default 20) with the
  G-CSF-dependent transit rate n·VN(G1(t))/aNM, so that the mean maturation time is
  aNM/VN(G1) as in the paper when G1 is constant; the per-compartment death rate
  γ' = (n/aNM)·(exp(γNM·aNM/n) − 1) makes the homeostatic survival exactly exp(−γNM·aNM), the
  paper's value. The chain spreads the maturation time (Erlang, CV 1/√n) where the paper has a
  sharp one: transients after a G-CSF dose are smoothed relative to the paper.

The homeostatic state of the paper (Table 5: Q* = 1.1×10⁶/kg, N_R* = 2.26×10⁹/kg,
N* = 0.3761×10⁹/kg, free G-CSF 0.025 ng/mL) is an exact steady state: as in the paper's
Section 4 (equation constraints) the dependent constants are derived from it — κδ from the
stem-cell balance, φNr* = γN·N*/N_R*, γNr = 1/τNr − φNr* (τNr = 2.7 days, Table 5),
A_N* = N_R*/(κ*·Q*·τNr) and from it η*NP = (ln A_N* + γNM·aNM)/τNP, G2* from the binding
equilibrium and G_prod = k_ren·G1* + k_int·G2*. The derived values agree with the paper's
tabulated ones to < 1 % (κδ 0.01469 vs 0.0146, γNr 0.006336 vs 0.0063661, φNr* 0.36404 vs
0.3640, A_N* 103 777 vs 1.0378×10⁵, η*NP 1.66474 vs 1.6647, G_prod 0.014160 vs 0.014161).

The paper's chemotherapy part (four-compartment cytotoxic PK and its effects on proliferation
and stem cells) is not included. Parameters: the paper's Tables 4–6 as transcribed in radivot/myelo
``inst/doc/craigPars16.R`` (its κmin equals κ*, so κN is constant); the filgrastim s.c. PK
(F, ka, Vd) depends on the dose in the paper (Table 6: 300, 375, 750 µg sets).
"""

from __future__ import annotations

import math

from hematwin.errors import ParameterError
from hematwin.model.spec import Definition, Equation, ModelSpec, Output, Parameter, State
from hematwin.therapy.regimen import Dose, Regimen

CITATION = "Craig M, Humphries AR, Mackey MC. Bull Math Biol 2016;78:2304–2357"
INF = math.inf
T4 = "Craig 2016, Table 4 (radivot/myelo craigPars16.R)"
T5 = "Craig 2016, Table 5 homeostasis (radivot/myelo craigPars16.R)"
T6 = "Craig 2016, Table 6 filgrastim s.c. PK (radivot/myelo craigPars16.R)"

#: filgrastim s.c. PK by dose (Craig 2016 Table 6): F, ka (1/day), Vd (mL)
FILGRASTIM_PK: dict[str, dict[str, float]] = {
    "300": {"F": 0.64466, "ka": 8.0236, "Vd": 4754.7},
    "375": {"F": 0.49964, "ka": 6.6133, "Vd": 2322.9},
    "750": {"F": 0.75, "ka": 5.143, "Vd": 2178.0},
}

_PARAMETERS = [
    # stem cells
    Parameter("Qss", 1.1, "1e6/kg", 0, INF, "homeostatic stem cells Q*", T5),
    Parameter("gamS", 0.1, "1/day", 0, INF, "stem-cell apoptosis rate γS", T4),
    Parameter("tauS", 2.8, "day", 0, INF, "stem-cell cycle duration τS", T4),
    Parameter("fQ", 8.0, "1/day", 0, INF, "maximal stem-cell re-entry rate", T4),
    Parameter("the2", 0.0809, "1e6/kg", 0, INF, "half-effect stem-cell number θ2", T4),
    Parameter("s2", 2.0, "1", 0, INF, "Hill coefficient of stem-cell re-entry", T4),
    Parameter("kapss", 0.0073325, "1/day", 0, INF,
              "differentiation into the neutrophil line κ* (κmin = κ*: constant)", T4),
    # proliferation and maturation of neutrophil precursors
    Parameter("etaNPmin", 1.4060, "1/day", 0, INF, "minimal proliferation rate", T4),
    Parameter("bNP", 0.022868, "ng/mL", 0, INF, "G-CSF half-effect on proliferation", T4),
    Parameter("tauNP", 7.3074, "day", 0, INF, "proliferation duration τNP", T4),
    Parameter("aNM", 3.9, "day", 0, INF, "maturation 'age' to reach (homeostatic τNM)", T4),
    Parameter("gamNM", 0.1577, "1/day", 0, INF, "apoptosis rate during maturation γNM", T4),
    Parameter("Vmax", 7.8670, "1", 0, INF, "maximal maturation velocity", T4),
    Parameter("bV", 0.24611, "ng/mL", 0, INF, "G-CSF half-effect on maturation velocity", T4),
    # reserve and circulation
    Parameter("Nrss", 2.26, "1e9/kg", 0, INF, "homeostatic marrow reserve N_R*", T5),
    Parameter("tauNr", 2.7, "day", 0, INF, "homeostatic mean time in the reserve τNr", T5),
    Parameter("Nss", 0.3761, "1e9/kg", 0, INF, "homeostatic circulating neutrophils N*", T5),
    Parameter("gamN", 2.1875, "1/day", 0, INF,
              "removal of circulating neutrophils γN (half-life 7.6 h)", T4),
    Parameter("phiNrmax", 4.1335, "1/day", 0, INF, "maximal reserve release rate", T4),
    Parameter("bG", 1.8924e-4, "1", 0, INF, "half-effect of bound fraction on release", T4),
    # G-CSF
    Parameter("G1ss", 0.025, "ng/mL", 0, INF, "homeostatic free G-CSF", T5),
    Parameter("V", 0.525, "ng/mL per 1e9/kg", 0, INF,
              "receptor capacity per neutrophil (bound G-CSF conversion)", T4),
    Parameter("kren", 0.16139, "1/day", 0, INF, "renal clearance of free G-CSF", T4),
    Parameter("kint", 462.42, "1/day", 0, INF, "internalisation of bound G-CSF", T4),
    Parameter("k12g", 2.2423, "(ng/mL)^-Pow/day", 0, INF, "G-CSF–receptor binding", T4),
    Parameter("k21g", 184.87, "1/day", 0, INF, "G-CSF–receptor unbinding", T4),
    Parameter("Pow", 1.4608, "1", 0, INF, "binding cooperativity exponent", T4),
    # filgrastim s.c. (defaults: the 750 µg set)
    Parameter("F", 0.75, "1", 0, 1, "s.c. bioavailability", T6 + ", 750 µg"),
    Parameter("ka", 5.143, "1/day", 0, INF, "s.c. absorption rate", T6 + ", 750 µg"),
    Parameter("Vd", 2178.0, "mL", 0, INF, "volume of distribution", T6 + ", 750 µg"),
    Parameter("anc_per_N", 8.19, "(1e9/L)/(1e9/kg)", 0, INF,
              "ANC per circulating neutrophils per kg",
              "radivot/myelo craig16.R output ANC = 8.19·N"),
]

_DEFINITIONS = [
    Definition("AQ", "2*exp(-gamS*tauS)", "1", "stem-cell amplification"),
    Definition("betass", "fQ/(1 + (Qss/the2)^s2)", "1/day", "homeostatic re-entry rate"),
    Definition("kapDel", "(AQ - 1)*betass - kapss", "1/day",
               "differentiation into other lines κδ (from the stem-cell balance)"),
    Definition("Rin", "Nrss/tauNr", "1e9/(kg*day)",
               "homeostatic flux into the reserve, A_N*·κ*·Q* = N_R*/τNr"),
    Definition("ANss", "1000*Rin/(kapss*Qss)", "1", "homeostatic neutrophil amplification A_N*"),
    Definition("etaNPss", "(log(ANss) + gamNM*aNM)/tauNP", "1/day",
               "homeostatic proliferation rate η*NP (A_N* = exp(η*NP·τNP − γNM·aNM))"),
    Definition("Jss", "Rin*exp(gamNM*aNM)", "1e9/(kg*day)",
               "homeostatic flux out of proliferation"),
    Definition("phiNrss", "gamN*Nss/Nrss", "1/day", "homeostatic reserve release rate"),
    Definition("gamNr", "1/tauNr - phiNrss", "1/day", "death rate in the reserve"),
    Definition("G2ss", "k12g*V*(Nrss + Nss)*G1ss^Pow/(kint + k21g + k12g*G1ss^Pow)", "ng/mL",
               "homeostatic bound G-CSF"),
    Definition("Gprod", "kren*G1ss + kint*G2ss", "ng/(mL*day)", "endogenous G-CSF production"),
    Definition("GBFss", "G2ss/(V*(Nrss + Nss))", "1", "homeostatic bound fraction"),
    Definition("beta", "fQ/(1 + (Q/the2)^s2)", "1/day", "stem-cell re-entry rate"),
    Definition("eta", "etaNPss + (etaNPss - etaNPmin)*(bNP/G1ss)*(G1 - G1ss)/(G1 + bNP)", "1/day",
               "proliferation rate ηNP(G1)"),
    Definition("VN", "1 + (Vmax - 1)*(G1 - G1ss)/(G1 - G1ss + bV)", "1",
               "maturation velocity VN(G1)"),
    Definition("GBF", "G2/(V*(Nr + N))", "1", "fraction of receptors bound"),
    Definition("phiNr", "phiNrss + (phiNrmax - phiNrss)*(GBF - GBFss)/(GBF - GBFss + bG)",
               "1/day", "reserve release rate φNr(GBF)"),
]


def spec(dose_set: str = "750", n_maturation: int = 20) -> ModelSpec:
    """The model; ``dose_set`` picks the filgrastim PK of Table 6 ("300", "375", "750")."""
    if dose_set not in FILGRASTIM_PK:
        raise ParameterError(f"unknown filgrastim dose set {dose_set!r}; "
                             f"choose one of {sorted(FILGRASTIM_PK)}",
                             model="craig2016", field="dose_set")
    if int(n_maturation) != n_maturation or n_maturation < 1:
        raise ParameterError(f"n_maturation must be a positive integer, got {n_maturation}",
                             model="craig2016", field="n_maturation")
    n = int(n_maturation)
    pk = FILGRASTIM_PK[dose_set]
    params = []
    for p in _PARAMETERS:
        if p.name in pk:
            p = Parameter(p.name, pk[p.name], p.unit, p.lower, p.upper, p.description,
                          f"{T6}, {dose_set} µg")
        params.append(p)
    params.append(Parameter("nM", float(n), "1", 1, INF,
                            "number of maturation transit compartments (approximation)",
                            "hematwin transit approximation of the state-dependent delay"))
    definitions = list(_DEFINITIONS) + [
        Definition("kM", "nM*VN/aNM", "1/day", "transit rate through maturation"),
        Definition("kMss", "nM/aNM", "1/day", "homeostatic transit rate"),
        Definition("gamM", "nM/aNM*(exp(gamNM*aNM/nM) - 1)", "1/day",
                   "per-compartment death: exact homeostatic survival exp(-γNM·aNM)"),
        Definition("JP", "kapss*Q(t - tauNP)*exp(E)/1000", "1e9/(kg*day)",
                   "flux of precursors out of proliferation"),
    ]
    mat = [f"M{i}" for i in range(1, n + 1)]
    states = [
        State("Q", "Qss", "1e6/kg", "hematopoietic stem cells"),
        State("E", "etaNPss*tauNP", "1", "∫ ηNP over the last τNP (log proliferative gain)"),
    ]
    for i, name in enumerate(mat):
        states.append(State(
            name, f"Jss/(kMss + gamM)*(kMss/(kMss + gamM))^{i}", "1e9/kg",
            f"maturing neutrophils, transit compartment {i + 1}"))
    states += [
        State("Nr", "Nrss", "1e9/kg", "marrow neutrophil reserve"),
        State("N", "Nss", "1e9/kg", "circulating (total blood) neutrophils"),
        State("G1", "G1ss", "ng/mL", "free G-CSF"),
        State("G2", "G2ss", "ng/mL", "neutrophil-bound G-CSF"),
        State("Gs", 0.0, "ug", "filgrastim at the s.c. injection site"),
    ]
    equations = [
        Equation("Q", "-(beta + kapss + kapDel)*Q"
                      " + AQ*fQ/(1 + (Q(t - tauS)/the2)^s2)*Q(t - tauS)"),
        Equation("E", "eta - (etaNPss + (etaNPss - etaNPmin)*(bNP/G1ss)"
                      "*(G1(t - tauNP) - G1ss)/(G1(t - tauNP) + bNP))"),
        Equation(mat[0], f"JP - (kM + gamM)*{mat[0]}"),
    ]
    equations += [Equation(mat[i], f"kM*{mat[i - 1]} - (kM + gamM)*{mat[i]}")
                  for i in range(1, n)]
    equations += [
        Equation("Nr", f"kM*{mat[-1]} - (gamNr + phiNr)*Nr"),
        Equation("N", "phiNr*Nr - gamN*N"),
        Equation("G1", "Gprod + 1000*F*ka*Gs/Vd - kren*G1"
                       " - k12g*((Nr + N)*V - G2)*G1^Pow + k21g*G2"),
        Equation("G2", "k12g*((Nr + N)*V - G2)*G1^Pow - (kint + k21g)*G2"),
        Equation("Gs", "-ka*Gs"),
    ]
    outputs = (
        Output("anc", "anc_per_N*N", "1e9/L", "absolute neutrophil count"),
        Output("circulating", "N", "1e9/kg", "circulating neutrophils"),
        Output("reserve", "Nr", "1e9/kg", "marrow neutrophil reserve"),
        Output("gcsf", "G1", "ng/mL", "free (serum) G-CSF"),
        Output("gcsf_bound", "G2", "ng/mL", "neutrophil-bound G-CSF"),
        Output("stem", "Q", "1e6/kg", "stem cells"),
    )
    return ModelSpec(
        name="craig2016",
        description=("Craig 2016 granulopoiesis with G-CSF binding/internalisation "
                     f"(transit-maturation approximation, filgrastim {dose_set} µg PK)"),
        citation=CITATION,
        time_unit="day",
        method="dp5",
        states=tuple(states),
        parameters=tuple(params),
        definitions=tuple(definitions),
        equations=tuple(equations),
        outputs=outputs,
        meta={"dose_set": dose_set, "n_maturation": n},
    )


def regimen(dose_ug: float = 750.0, days: int = 1, every_days: float = 1.0) -> Regimen:
    """``days`` s.c. filgrastim injections of ``dose_ug`` µg, ``every_days`` apart."""
    return Regimen.cycles(Dose(0.0, dose_ug, "Gs"), days, every_days)
