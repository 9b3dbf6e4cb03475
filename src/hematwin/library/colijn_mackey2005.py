"""Colijn & Mackey 2005 hematopoiesis delay model: periodic CML and cyclical neutropenia.

Colijn C, Mackey MC. A mathematical model of hematopoiesis — I. Periodic chronic myelogenous
leukemia. J Theor Biol 2005;237:117–132. II. Cyclical neutropenia. J Theor Biol
2005;237:133–146.

States (scaled units of the myelo port): Q stem cells (10⁶/kg), N neutrophils (10⁸/kg),
R erythrocytes (10¹¹/kg), P platelets (10¹⁰/kg). Stem cells re-enter the cycle at the rate
β(Q) = k0/(1 + (Q/θ2)^s), spend τS proliferating (apoptosis γS, so 2·exp(−γS·τS) cells come
back per cell) and differentiate into the three lines at κN(N) = f0/(1 + (N/θ1)^n),
κR(R) = K̄r/(1 + Kr·R^m), κP(P) = K̄p/(1 + Kp·P^r). Neutrophils appear τNM after
differentiation (amplification An) and die at γN; erythrocytes enter the circulating pool
τRM + τRet after differentiation and leave it at age τSum (plus random loss γR); platelets
appear τPM after differentiation and live τPS (plus random loss γP). Every delay is constant:
the engine integrates them exactly (method of steps, history = the initial state).

Sources. The equations and the two "normal" parameter sets are those of radivot/myelo
(``R/colijn05a.R``, ``inst/doc/colijnPars05a.R`` and ``colijnPars05b.R``, which cite Table 1 of
papers I and II). myelo computes κR from P instead of R in one place (``kRt``; unused in its
paper-I right-hand side but used in its paper-II one); here κR is computed from R throughout.
The papers' own text, tables and pathological (patient-fitted) parameter sets could not be
retrieved for this port: myelo carries only the two normal sets; the stored copies of the
PubMed abstract of paper I, of the Colijn, Dale, Foley & Mackey review (Math Model Nat Phenom
2006;1:45) and of the public code indexes hold no PCML patient table (paper I) and no grey-collie
or human CN fit (paper II). No number below is taken from those tables, so:

* ``"normal_pcml"`` / ``"normal_cn"``: myelo's sets for papers I and II. Their published
  "steady-state" values (Q 1.1, N 7, R 3.5, P 2.14 / 2.94) are not exact equilibria; the initial
  state here is the exact equilibrium, computed by :func:`steady_state`.
* ``"pcml"`` and ``"cn"``: **this project's** pathological sets, built the way the papers
  describe the disease mechanisms (stem-cell apoptosis γS raised; for PCML also a larger
  differentiation rate into the leukocyte line f0), not the papers' tables. ``"cn"`` sits just
  past the Hopf bifurcation of the paper-II set in γS (0.113/day; the steady state loses
  stability between 0.111 and 0.113); ``"pcml"`` raises γS to 0.12/day and f0 fourfold to 1.6/day
  on the paper-I set. Both start from the healthy equilibrium of their paper's normal set, as a
  patient whose stem-cell kinetics change at t = 0.

Measured periods (``validation/test_colijn_mackey2005.py``): ``"cn"`` oscillates with a period
of 18.8 days while it leaves the unstable steady state (human CN: 19–21 days; grey collie 11–15
days; Hearn, Haurie & Mackey, J Theor Biol 1998;192:167, abstract), and later settles into a
large-amplitude irregular cycle; ``"pcml"`` settles into a sustained oscillation of period
≈ 36.3 days with an elevated mean neutrophil count (PCML: leukocyte periods 37–83 days in the
12 significantly periodic published cases, Fortin & Mackey, Br J Haematol 1999;104:336,
abstract). Neither period can be compared with the periods the papers report for their fitted
sets, since those are not available here.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import brentq

from hematwin.errors import ParameterError
from hematwin.model.spec import Definition, Equation, ModelSpec, Output, Parameter, State

CITATION = "Colijn C, Mackey MC. J Theor Biol 2005;237:117–132 and 133–146"
INF = math.inf

_MYELO_A = "radivot/myelo colijnPars05a (Colijn & Mackey 2005 I, Table 1)"
_MYELO_B = "radivot/myelo colijnPars05b (Colijn & Mackey 2005 II, Table 1)"

#: name → (value in the paper-I set, unit, description)
_NORMAL_I: dict[str, tuple[float, str, str]] = {
    "gamS": (0.1, "1/day", "apoptosis rate of proliferating stem cells γS"),
    "tauS": (2.8, "day", "duration of the stem-cell proliferative phase τS"),
    "k0": (3.0, "1/day", "maximal re-entry rate of stem cells into proliferation"),
    "the2": (0.5, "1e6/kg", "stem-cell number of half-maximal re-entry θ2"),
    "s": (4.0, "1", "Hill coefficient of stem-cell re-entry"),
    "gamN": (2.4, "1/day", "neutrophil removal rate γN"),
    "tauNM": (3.5, "day", "neutrophil maturation delay τNM"),
    "An": (752.0, "1e2", "neutrophil amplification (scaled: 10⁸ neutrophils per 10⁶ stem cells)"),
    "f0": (0.40, "1/day", "maximal differentiation rate into the neutrophil line"),
    "the1": (0.36, "1e8/kg", "neutrophil number of half-maximal differentiation θ1"),
    "n": (1.0, "1", "Hill coefficient of neutrophil feedback"),
    "gamR": (0.001, "1/day", "random loss rate of erythrocytes γR"),
    "tauRM": (6.0, "day", "erythroid maturation delay τRM"),
    "tauSum": (120.0, "day", "age at which erythrocytes leave the circulation"),
    "tauRet": (2.8, "day", "reticulocyte stage τRet"),
    "Ar": (5.63, "1e5", "erythroid amplification (scaled)"),
    "Krbar": (1.1, "1/day", "maximal differentiation rate into the erythroid line"),
    "Kr": (0.0382, "(1e11/kg)^-m", "erythroid feedback constant"),
    "m": (6.96, "1", "erythroid feedback exponent"),
    "gamP": (0.15, "1/day", "random loss rate of platelets γP"),
    "tauPM": (7.0, "day", "megakaryocyte maturation delay τPM"),
    "tauPS": (9.5, "day", "platelet lifespan τPS"),
    "Kpbar": (0.372, "1/day", "maximal differentiation rate into the megakaryocyte line"),
    "Ap": (28.2, "1e4", "platelet amplification (scaled)"),
    "Kp": (11.66, "(1e10/kg)^-r", "platelet feedback constant"),
    "r": (1.29, "1", "platelet feedback exponent"),
}
#: paper II's normal set differs from paper I's in these values (myelo colijnPars05b)
_NORMAL_II_CHANGES = {"gamS": 0.07, "k0": 8.0, "the2": 0.3, "Krbar": 1.17}

PARAMETER_SETS: dict[str, dict[str, float]] = {
    "normal_pcml": {k: v[0] for k, v in _NORMAL_I.items()},
}
PARAMETER_SETS["normal_cn"] = {**PARAMETER_SETS["normal_pcml"], **_NORMAL_II_CHANGES}
PARAMETER_SETS["pcml"] = {**PARAMETER_SETS["normal_pcml"], "gamS": 0.12, "f0": 1.6}
PARAMETER_SETS["cn"] = {**PARAMETER_SETS["normal_cn"], "gamS": 0.113}

#: the normal set whose equilibrium is the initial state of each set
_BASELINE = {"normal_pcml": "normal_pcml", "pcml": "normal_pcml",
             "normal_cn": "normal_cn", "cn": "normal_cn"}
_SOURCE = {
    "normal_pcml": _MYELO_A,
    "normal_cn": _MYELO_B,
    "pcml": "hematwin PCML set (γS, f0 changed from the paper-I normal set; not the paper's "
            "table)",
    "cn": "hematwin CN set (γS raised past the Hopf point of the paper-II normal set; not the "
          "paper's table)",
}


def _feedbacks(p: dict[str, float]):
    def kN(N):
        return p["f0"] / (1 + (N / p["the1"]) ** p["n"])

    def kR(R):
        return p["Krbar"] / (1 + p["Kr"] * R ** p["m"])

    def kP(P):
        return p["Kpbar"] / (1 + p["Kp"] * P ** p["r"])

    return kN, kR, kP


def steady_state(params: dict[str, float]) -> tuple[float, float, float, float]:
    """The positive equilibrium (Q, N, R, P) of the model with ``params``.

    Given Q, each lineage equation is monotone in its own count and solved alone; Q then
    solves (2·exp(−γS·τS) − 1)·β(Q) = κN(N) + κR(R) + κP(P). When there are several positive
    roots (the paper-I set also has one near Q = 0.002) the largest one is returned.
    """
    p = params
    kN, kR, kP = _feedbacks(p)
    er = p["Ar"] * (math.exp(-p["gamR"] * p["tauRet"]) - math.exp(-p["gamR"] * p["tauSum"]))
    ep = p["Ap"] * (1 - math.exp(-p["gamP"] * p["tauPS"]))

    def lines(Q):
        N = brentq(lambda x: p["gamN"] * x - p["An"] * kN(x) * Q, 0.0, 1e9, xtol=1e-15)
        R = brentq(lambda x: p["gamR"] * x - er * kR(x) * Q, 0.0, 1e9, xtol=1e-15)
        P = brentq(lambda x: p["gamP"] * x - ep * kP(x) * Q, 0.0, 1e9, xtol=1e-15)
        return N, R, P

    aq = 2 * math.exp(-p["gamS"] * p["tauS"])

    def balance(Q):
        N, R, P = lines(Q)
        beta = p["k0"] / (1 + (Q / p["the2"]) ** p["s"])
        return (aq - 1) * beta - (kN(N) + kR(R) + kP(P))

    grid = np.geomspace(1e-6, 1e3, 2000)
    f = np.array([balance(q) for q in grid])
    sign_change = np.nonzero(np.sign(f[:-1]) != np.sign(f[1:]))[0]
    if sign_change.size == 0:
        raise ParameterError("no positive equilibrium: stem cells die out with these parameters",
                             model="colijn_mackey2005")
    i = sign_change[-1]
    Q = brentq(balance, grid[i], grid[i + 1], xtol=1e-15, rtol=1e-15)
    return (Q, *lines(Q))


def spec(parameter_set: str = "normal_pcml") -> ModelSpec:
    """The model with one of :data:`PARAMETER_SETS` as defaults.

    The initial state (parameters ``Q0``, ``N0``, ``R0``, ``P0``) is the equilibrium of the
    set's normal baseline (:func:`steady_state`); it is also the history for t < 0.
    """
    if parameter_set not in PARAMETER_SETS:
        raise ParameterError(
            f"unknown parameter set {parameter_set!r}; choose one of {sorted(PARAMETER_SETS)}",
            model="colijn_mackey2005", field="parameter_set")
    values = PARAMETER_SETS[parameter_set]
    base = PARAMETER_SETS[_BASELINE[parameter_set]]
    q0, n0, r0, p0 = steady_state(base)
    src = _SOURCE[parameter_set]
    base_src = _MYELO_A if _BASELINE[parameter_set] == "normal_pcml" else _MYELO_B
    params = [
        Parameter(name, values[name], unit, 0.0, INF, desc,
                  src if values[name] != base[name] else base_src)
        for name, (_, unit, desc) in _NORMAL_I.items()
    ]
    init_src = f"equilibrium of {_BASELINE[parameter_set]} (steady_state)"
    params += [
        Parameter("Q0", q0, "1e6/kg", 0.0, INF, "initial stem cells", init_src),
        Parameter("N0", n0, "1e8/kg", 0.0, INF, "initial neutrophils", init_src),
        Parameter("R0", r0, "1e11/kg", 0.0, INF, "initial erythrocytes", init_src),
        Parameter("P0", p0, "1e10/kg", 0.0, INF, "initial platelets", init_src),
    ]
    states = (
        State("Q", "Q0", "1e6/kg", "hematopoietic stem cells (G0)"),
        State("N", "N0", "1e8/kg", "circulating neutrophils"),
        State("R", "R0", "1e11/kg", "circulating erythrocytes"),
        State("P", "P0", "1e10/kg", "circulating platelets"),
    )
    definitions = (
        Definition("beta", "k0/(1 + (Q/the2)^s)", "1/day", "stem-cell re-entry rate β(Q)"),
        Definition("kN", "f0/(1 + (N/the1)^n)", "1/day", "differentiation into neutrophils"),
        Definition("kR", "Krbar/(1 + Kr*R^m)", "1/day", "differentiation into erythrocytes"),
        Definition("kP", "Kpbar/(1 + Kp*P^r)", "1/day", "differentiation into megakaryocytes"),
    )
    equations = (
        Equation("Q", "-(beta + kN + kR + kP)*Q"
                      " + 2*exp(-gamS*tauS)*k0/(1 + (Q(t - tauS)/the2)^s)*Q(t - tauS)"),
        Equation("N", "-gamN*N + An*f0/(1 + (N(t - tauNM)/the1)^n)*Q(t - tauNM)"),
        Equation("R", "-gamR*R + Ar*("
                      "exp(-gamR*tauRet)*Krbar/(1 + Kr*R(t - tauRM - tauRet)^m)"
                      "*Q(t - tauRM - tauRet)"
                      " - exp(-gamR*tauSum)*Krbar/(1 + Kr*R(t - tauSum)^m)*Q(t - tauSum))"),
        Equation("P", "-gamP*P + Ap*(Kpbar/(1 + Kp*P(t - tauPM)^r)*Q(t - tauPM)"
                      " - exp(-gamP*tauPS)*Kpbar/(1 + Kp*P(t - tauPM - tauPS)^r)"
                      "*Q(t - tauPM - tauPS))"),
    )
    outputs = (
        Output("stem", "Q", "1e6/kg", "stem cells"),
        Output("neutrophils", "N", "1e8/kg", "circulating neutrophils"),
        Output("erythrocytes", "R", "1e11/kg", "circulating erythrocytes"),
        Output("platelets", "P", "1e10/kg", "circulating platelets"),
    )
    return ModelSpec(
        name="colijn_mackey2005",
        description=f"Colijn & Mackey 2005 hematopoiesis model ({parameter_set})",
        citation=CITATION,
        time_unit="day",
        method="dp5",
        states=states,
        parameters=tuple(params),
        definitions=definitions,
        equations=equations,
        outputs=outputs,
        meta={"parameter_set": parameter_set},
    )


def oscillation_period(times, values, min_correlation: float = 0.5) -> float:
    """Period of a sampled oscillation: first autocorrelation maximum after its first zero.

    ``times`` must be evenly spaced; the peak is refined by a parabola through three samples.
    Returns NaN when the series does not oscillate (no negative autocorrelation, or the
    maximum is below ``min_correlation``).
    """
    t = np.asarray(times, dtype=float)
    x = np.asarray(values, dtype=float) - np.mean(values)
    n = x.size
    c = np.correlate(x, x, "full")[n - 1:]
    if c[0] == 0:
        return math.nan
    c = c / c[0]
    negative = np.nonzero(c < 0)[0]
    if negative.size == 0:
        return math.nan
    lo = negative[0]
    j = lo + int(np.argmax(c[lo:n // 2]))
    if c[j] < min_correlation:
        return math.nan
    dt = t[1] - t[0]
    if 0 < j < n - 1:
        a, b, d = c[j - 1], c[j], c[j + 1]
        denom = a - 2 * b + d
        shift = 0.5 * (a - d) / denom if denom != 0 else 0.0
        return (j + shift) * dt
    return j * dt
