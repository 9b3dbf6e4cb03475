"""Craig 2016 granulopoiesis with G-CSF binding and internalisation, with its delays.

Craig M, Humphries AR, Mackey MC. A mathematical model of granulopoiesis incorporating the
negative feedback dynamics and kinetics of G-CSF/neutrophil binding and internalization.
Bull Math Biol 2016;78:2304–2357 (arXiv:1512.06896).

Stem cells Q re-enter the cycle at β(Q) and divide after the constant delay τS. Cells leave
the stem compartment into the neutrophil line at κN(G1), proliferate for τNP at the
G-CSF-dependent rate ηNP(G1) and then mature; the maturation *speed* VN(G1) depends on
G-CSF, so the maturation time τNM(t) is a **state-dependent delay**, defined by
∫_{t−τNM(t)}^{t} VN(G1(s)) ds = aNM. Mature cells enter the marrow reserve Nr, which releases
them into the circulation N at φNr(GBF), GBF the fraction of neutrophil G-CSF receptors
bound. Free (G1) and neutrophil-bound (G2) G-CSF follow binding, unbinding, renal
clearance and receptor-mediated internalisation; filgrastim is absorbed from the s.c.
depot Gs at first order.

The delays are the paper's (its Section 2); the maturation-time integral and the
amplification exponent are carried in differentiated form:

* τNM is a state, dτNM/dt = 1 − VN(G1(t))/VN(G1(t − τNM(t))), τNM(0) = aNM/VN(G1*) = aNM;
  the whole marrow transit is τN(t) = τNP + τNM(t);
* the amplification of a cohort reaching the reserve at t is
  A_N(t) = exp(∫_{t−τN(t)}^{t−τNM(t)} ηNP(G1(s)) ds − γNM·τNM(t)); the integral (the log
  proliferative gain) is the state E, whose derivative is
  dE/dt = [ηNP(G1(t − τNM)) − ηNP(G1(t − τN))]·VN(G1(t))/VN(G1(t − τNM));
* the flux into the reserve is A_N(t)·κN(G1(t − τN))·Q(t − τN)·VN(G1(t))/VN(G1(t − τNM)).

History: the homeostatic state for t < 0 (the initial state). The shortest state-dependent
lag is τNM ≥ aNM/Vmax (VN < Vmax), the longest τN ≤ τNP + aNM/VN(0), declared to the engine
as ``min_lag`` / ``max_lag``.

The homeostatic state of the paper (Table 5: Q* = 1.1×10⁶/kg, N_R* = 2.26×10⁹/kg,
N* = 0.3761×10⁹/kg, free G-CSF 0.025 ng/mL) is an exact steady state: as in the paper's
Section 4 (equation constraints) the dependent constants are derived from it — κδ from the
stem-cell balance, φNr* = γN·N*/N_R*, γNr = 1/τNr − φNr* (τNr = 2.7 days, Table 5),
A_N* = N_R*/(κ*·Q*·τNr) and from it η*NP = (ln A_N* + γNM·aNM)/τNP, G2* from the binding
equilibrium and G_prod = k_ren·G1* + k_int·G2*. The derived values agree with the paper's
tabulated ones to < 1 % (κδ 0.01469 vs 0.0146, γNr 0.006336 vs 0.0063661, φNr* 0.36404 vs
0.3640, A_N* 103 777 vs 1.0378×10⁵, η*NP 1.66474 vs 1.6647, G_prod 0.014160 vs 0.014161).

The paper's chemotherapy part (four-compartment cytotoxic PK and its effects on proliferation
and stem cells) is not included. Parameters: the paper's Tables 4–6 as transcribed in
radivot/myelo ``inst/doc/craigPars16.R`` (its κmin equals κ*, so κN is constant at the
paper's values); the filgrastim s.c. PK (F, ka, Vd) depends on the dose in the paper
(Table 6: 300, 375, 750 µg sets).
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
              "homeostatic differentiation into the neutrophil line κ*", T4),
    Parameter("kapmin", 0.0073325, "1/day", 0, INF,
              "minimal differentiation into the neutrophil line κmin (= κ* in the table)", T4),
    Parameter("s1", 1.5, "1", 0, INF, "Hill coefficient of G-CSF on differentiation", T4),
    # proliferation and maturation of neutrophil precursors
    Parameter("etaNPmin", 1.4060, "1/day", 0, INF, "minimal proliferation rate", T4),
    Parameter("bNP", 0.022868, "ng/mL", 0, INF, "G-CSF half-effect on proliferation", T4),
    Parameter("tauNP", 7.3074, "day", 0, INF, "proliferation duration τNP", T4),
    Parameter("aNM", 3.9, "day", 0, INF,
              "maturation age to reach, ∫VN ds over the maturation (homeostatic τNM)", T4),
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
    Definition("ANss", "1000*Nrss/(tauNr*kapss*Qss)", "1",
               "homeostatic neutrophil amplification A_N* (A_N*·κ*·Q* = N_R*/τNr)"),
    Definition("etaNPss", "(log(ANss) + gamNM*aNM)/tauNP", "1/day",
               "homeostatic proliferation rate η*NP (A_N* = exp(η*NP·τNP − γNM·aNM))"),
    Definition("phiNrss", "gamN*Nss/Nrss", "1/day", "homeostatic reserve release rate"),
    Definition("gamNr", "1/tauNr - phiNrss", "1/day", "death rate in the reserve"),
    Definition("G2ss", "k12g*V*(Nrss + Nss)*G1ss^Pow/(kint + k21g + k12g*G1ss^Pow)", "ng/mL",
               "homeostatic bound G-CSF"),
    Definition("Gprod", "kren*G1ss + kint*G2ss", "ng/(mL*day)", "endogenous G-CSF production"),
    Definition("GBFss", "G2ss/(V*(Nrss + Nss))", "1", "homeostatic bound fraction"),
    Definition("beta", "fQ/(1 + (Q/the2)^s2)", "1/day", "stem-cell re-entry rate β(Q)"),
    Definition("QS", "Q(t - tauS)", "1e6/kg", "stem cells one cycle ago"),
    Definition("kapN", "kapss + (kapss - kapmin)*(G1^s1 - G1ss^s1)/(G1^s1 + G1ss^s1)", "1/day",
               "differentiation into the neutrophil line κN(G1)"),
    Definition("G1M", "G1(t - tauNM)", "ng/mL",
               "free G-CSF when today's reserve entrants began maturing"),
    Definition("G1P", "G1(t - tauNM - tauNP)", "ng/mL",
               "free G-CSF when today's reserve entrants began proliferating"),
    Definition("QP", "Q(t - tauNM - tauNP)", "1e6/kg",
               "stem cells when today's reserve entrants differentiated"),
    Definition("VN", "1 + (Vmax - 1)*(G1 - G1ss)/(G1 - G1ss + bV)", "1",
               "maturation velocity VN(G1)"),
    Definition("VNM", "1 + (Vmax - 1)*(G1M - G1ss)/(G1M - G1ss + bV)", "1",
               "maturation velocity at the start of maturation VN(G1(t − τNM))"),
    Definition("etaM", "etaNPss + (etaNPss - etaNPmin)*(bNP/G1ss)*(G1M - G1ss)/(G1M + bNP)",
               "1/day", "proliferation rate at the end of proliferation ηNP(G1(t − τNM))"),
    Definition("etaP", "etaNPss + (etaNPss - etaNPmin)*(bNP/G1ss)*(G1P - G1ss)/(G1P + bNP)",
               "1/day", "proliferation rate at the start of proliferation ηNP(G1(t − τN))"),
    Definition("kapNP", "kapss + (kapss - kapmin)*(G1P^s1 - G1ss^s1)/(G1P^s1 + G1ss^s1)",
               "1/day", "differentiation rate κN(G1(t − τN))"),
    Definition("AN", "exp(E - gamNM*tauNM)", "1",
               "neutrophil amplification A_N(t) (proliferation gain × maturation survival)"),
    Definition("GBF", "G2/(V*(Nr + N))", "1", "fraction of receptors bound"),
    Definition("phiNr", "phiNrss + (phiNrmax - phiNrss)*(GBF - GBFss)/(GBF - GBFss + bG)",
               "1/day", "reserve release rate φNr(GBF)"),
]


def spec(dose_set: str = "750") -> ModelSpec:
    """The model; ``dose_set`` picks the filgrastim PK of Table 6 ("300", "375", "750")."""
    if dose_set not in FILGRASTIM_PK:
        raise ParameterError(f"unknown filgrastim dose set {dose_set!r}; "
                             f"choose one of {sorted(FILGRASTIM_PK)}",
                             model="craig2016", field="dose_set")
    pk = FILGRASTIM_PK[dose_set]
    params = []
    for p in _PARAMETERS:
        if p.name in pk:
            p = Parameter(p.name, pk[p.name], p.unit, p.lower, p.upper, p.description,
                          f"{T6}, {dose_set} µg")
        params.append(p)
    states = (
        State("Q", "Qss", "1e6/kg", "hematopoietic stem cells"),
        State("Nr", "Nrss", "1e9/kg", "marrow neutrophil reserve"),
        State("N", "Nss", "1e9/kg", "circulating (total blood) neutrophils"),
        State("G1", "G1ss", "ng/mL", "free G-CSF"),
        State("G2", "G2ss", "ng/mL", "neutrophil-bound G-CSF"),
        State("tauNM", "aNM", "day", "maturation time τNM(t) (state-dependent delay)"),
        State("E", "etaNPss*tauNP", "1",
              "log proliferative gain ∫ ηNP(G1(s)) ds over [t − τN(t), t − τNM(t)]"),
        State("Gs", 0.0, "ug", "filgrastim at the s.c. injection site"),
    )
    equations = (
        Equation("Q", "-(beta + kapN + kapDel)*Q + AQ*fQ/(1 + (QS/the2)^s2)*QS"),
        Equation("Nr", "AN*kapNP*QP/1000*VN/VNM - (gamNr + phiNr)*Nr"),
        Equation("N", "phiNr*Nr - gamN*N"),
        Equation("G1", "Gprod + 1000*F*ka*Gs/Vd - kren*G1"
                       " - k12g*((Nr + N)*V - G2)*G1^Pow + k21g*G2"),
        Equation("G2", "k12g*((Nr + N)*V - G2)*G1^Pow - (kint + k21g)*G2"),
        Equation("tauNM", "1 - VN/VNM"),
        Equation("E", "(etaM - etaP)*VN/VNM"),
        Equation("Gs", "-ka*Gs"),
    )
    outputs = (
        Output("anc", "anc_per_N*N", "1e9/L", "absolute neutrophil count"),
        Output("circulating", "N", "1e9/kg", "circulating neutrophils"),
        Output("reserve", "Nr", "1e9/kg", "marrow neutrophil reserve"),
        Output("gcsf", "G1", "ng/mL", "free (serum) G-CSF"),
        Output("gcsf_bound", "G2", "ng/mL", "neutrophil-bound G-CSF"),
        Output("stem", "Q", "1e6/kg", "stem cells"),
        Output("maturation_time", "tauNM", "day", "maturation time τNM"),
        Output("amplification", "exp(E - gamNM*tauNM)", "1", "neutrophil amplification A_N"),
    )
    return ModelSpec(
        name="craig2016",
        description=("Craig 2016 granulopoiesis with G-CSF binding/internalisation and the "
                     f"state-dependent maturation delay (filgrastim {dose_set} µg PK)"),
        citation=CITATION,
        time_unit="day",
        method="dp5",
        states=states,
        parameters=tuple(params),
        definitions=tuple(_DEFINITIONS),
        equations=equations,
        outputs=outputs,
        # VN(G1) lies in (VN(0), Vmax): τNM in (aNM/Vmax, aNM/VN(0))
        min_lag="aNM/Vmax",
        max_lag="tauNP + aNM/(1 - (Vmax - 1)*G1ss/(bV - G1ss))",
        meta={"dose_set": dose_set},
    )


def regimen(dose_ug: float = 750.0, days: int = 1, every_days: float = 1.0) -> Regimen:
    """``days`` s.c. filgrastim injections of ``dose_ug`` µg, ``every_days`` apart."""
    return Regimen.cycles(Dose(0.0, dose_ug, "Gs"), days, every_days)
