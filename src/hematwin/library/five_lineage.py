"""Five blood lineages of the Friberg chain sharing one stem compartment and one drug (benchmark).

A 27-state model built for the engine benchmark (issue 2, point 9): docetaxel three-compartment
PK (3 states), one shared, drug-sensitive, self-renewing stem pool (1 state) and five lineages
of the Friberg 2002 chain (23 states): neutrophils, platelets and red cells with a
proliferating pool, 3 transit compartments and the circulating cells; monocytes and
lymphocytes with 2 transit compartments. The stem pool scales every lineage's proliferation
by ``(Stem/Stem0)^b_x``; an optional peripheral-demand feedback on the stem (exponent ``dS``,
weights ``w_x``) is off by default (``dS = 0``): with the slow stem (MTT 7 d) it forms a
long-delay loop that inflates the rebound and, for larger ``dS``, destabilises the system.

**This is not a fitted model.** Only the neutrophil lineage and the PK are published values;
the other lineages are illustrative and the couplings are design assumptions, chosen to make
the benchmark non-trivially coupled and stiff (stiffness ratio ≈ 9·10⁴ at the steady state).
Translated from the colleague's text model ``benchmarks/reference/five_lineage_model.txt``
(time in hours there; here parameters keep their hour units and the equations convert to
days, 24 h/day, as in :mod:`hematwin.library.friberg2002`). Sources, as given there:

- [F02] Friberg LE et al., J Clin Oncol 2002;20:4713, Table 4 first row (docetaxel, ANC):
  Circ0 5.05 ×10⁹/L, MTT 88.7 h, γ 0.161, slope 8.58 µM⁻¹, kcirc = ktr (transcribed from
  radivot/myelo ``fribergPars02.R``).
- [B96] Bruno R et al., J Pharmacokinet Biopharm 1996;24:153, Table II (first column):
  k10 5.2, k12 1.06, k21 1.51, k13 1.26, k31 0.084 h⁻¹, V1 7.4 L; MW 0.808 mg/µmol.
- [CTS] platelet Friberg-type MTT 134 h, γ 0.217 from the PumasAI-Labs CTS-Workshop platelet
  model (teaching values, not a docetaxel fit) — illustrative.
- [P17] Patel AA et al., J Exp Med 2017;214:1913: classical monocytes ≈ 1.6 d post-mitotic
  marrow maturation, ≈ 1 d in blood (quoted, not re-checked) — illustrative.
- [RBC] red-cell lifespan ≈ 120 d, ≈ 5 d erythroid marrow maturation (textbook) —
  illustrative.
- [ASM] design assumption of the benchmark, no literature estimate (stem parameters,
  couplings ``b_x``, lineage drug sensitivities ``r_x``, the lymphocyte lineage as a whole:
  lymphopoiesis is not Friberg-like).

One change from the text model: the demand signal is divided by the sum of the weights, so
that the steady state holds for any weights, not only weights summing to 1 (identical at the
defaults, which sum to 1).

Properties (checked in the tests and in ``benchmarks/reference/five_lineage_check.py``):
the initial values are an exact steady state without drug, for any parameter values; with
``fS = 0`` (and ``dS = 0``), or with ``b_N = 0``, the states (A1..A3, Prol_N..Circ_N) are
exactly the Friberg 2002 docetaxel model. Default parameters, 180 mg bolus: ANC nadir 0.835
×10⁹/L at day 7.75, rebound 5.83 at day 20.3; stem minimum 0.974 at day 1.0.
"""

from __future__ import annotations

from hematwin.model.spec import Definition, Equation, ModelSpec, Output, Parameter, State
from hematwin.therapy.regimen import Dose, Regimen

CITATION = ("hematwin benchmark model (issue 2); neutrophil lineage Friberg LE et al., "
            "J Clin Oncol 2002;20:4713; PK Bruno R et al., J Pharmacokinet Biopharm "
            "1996;24:153")

INF = float("inf")
F02 = "[F02] Friberg 2002, Table 4 first row (docetaxel, ANC), via radivot/myelo"
B96 = "[B96] Bruno 1996, Table II first column"
CTS = "[CTS] PumasAI-Labs CTS-Workshop platelet model (illustrative)"
P17 = "[P17] Patel 2017 J Exp Med 214:1913 (illustrative)"
RBC = "[RBC] red-cell lifespan ~120 d, ~5 d marrow maturation, textbook (illustrative)"
ASM = "[ASM] benchmark design assumption, no literature estimate"

# lineage → (Circ0, unit, MTT h, gamma, r, number of transit compartments,
#            circulating residence time in h or None for kcirc = ktr, sources, label)
LINEAGES = {
    "N": (5.05, "1e9/L", 88.7, 0.161, 1.0, 3, None, F02, "neutrophils"),
    "P": (250.0, "1e9/L", 134.0, 0.217, 0.2, 3, None, CTS, "platelets"),
    "E": (4.7, "1e12/L", 120.0, 0.161, 0.5, 3, 2880.0, RBC, "red cells"),
    "M": (0.45, "1e9/L", 60.0, 0.161, 1.0, 2, 24.0, P17, "monocytes"),
    "L": (2.0, "1e9/L", 240.0, 0.1, 0.3, 2, 720.0, ASM, "lymphocytes (placeholder)"),
}
_DEMAND_WEIGHT = {"N": 0.4, "P": 0.2, "E": 0.2, "M": 0.1, "L": 0.1}
_OUTPUT = {"N": "anc", "P": "plt", "E": "rbc", "M": "mono", "L": "lymph"}


def _pk() -> tuple[list, list, list, list]:
    params = [
        Parameter("k10", 5.2, "1/h", 0, INF, "elimination rate constant", B96),
        Parameter("k12", 1.06, "1/h", 0, INF, "central → peripheral 1", B96),
        Parameter("k21", 1.51, "1/h", 0, INF, "peripheral 1 → central", B96),
        Parameter("k13", 1.26, "1/h", 0, INF, "central → peripheral 2", B96),
        Parameter("k31", 0.084, "1/h", 0, INF, "peripheral 2 → central", B96),
        Parameter("V1", 7.4, "L", 0, INF, "central volume", B96),
        Parameter("MW", 0.808, "mg/umol", 0, INF, "molar mass of docetaxel",
                  "docetaxel C43H53NO14, 807.9 g/mol"),
        Parameter("slope", 8.58, "L/umol", 0, INF,
                  "linear drug effect on neutrophil-lineage proliferation (reference)", F02),
    ]
    states = [
        State("A1", 0.0, "mg", "docetaxel, central compartment"),
        State("A2", 0.0, "mg", "docetaxel, shallow peripheral"),
        State("A3", 0.0, "mg", "docetaxel, deep peripheral"),
    ]
    definitions = [Definition("Cc", "A1/V1/MW", "umol/L", "plasma concentration")]
    equations = [
        Equation("A1", "24*(-(k10 + k12 + k13)*A1 + k21*A2 + k31*A3)"),
        Equation("A2", "24*(k12*A1 - k21*A2)"),
        Equation("A3", "24*(k13*A1 - k31*A3)"),
    ]
    return params, states, definitions, equations


def _stem() -> tuple[list, list, list, list]:
    params = [
        Parameter("Stem0", 1.0, "1", 0, INF, "baseline stem pool (dimensionless)", ASM),
        Parameter("MTT_S", 168.0, "h", 0, INF,
                  "mean residence time of the early multipotent pool (7 d)", ASM),
        Parameter("gS", 0.5, "1", 0, INF, "stem self-feedback exponent", ASM),
        Parameter("dS", 0.0, "1", 0, INF,
                  "exponent of the peripheral demand signal on the stem (0 = off)", ASM),
        Parameter("fS", 0.1, "1", 0, INF,
                  "stem drug sensitivity relative to slope (quiescent cells spared)", ASM),
    ] + [
        Parameter(f"w_{x}", w, "1", 0, 1, f"demand weight of the {LINEAGES[x][8]} "
                  "(normalised by the sum of the weights)", ASM)
        for x, w in _DEMAND_WEIGHT.items()
    ]
    # normalised by the sum of the weights, so that Demand = 1 at the steady state for any
    # weights (the text model assumes they sum to 1; identical at the defaults)
    demand = (" + ".join(f"w_{x}*Circ0_{x}/Circ_{x}" for x in LINEAGES)
              + ")/(" + " + ".join(f"w_{x}" for x in LINEAGES))
    demand = f"({demand})"
    definitions = [
        Definition("kS", "24/MTT_S", "1/day", "stem turnover rate"),
        Definition("E_S", "fS*slope*Cc", "1", "drug effect on the stem pool"),
        Definition("Demand", demand, "1",
                   "peripheral demand signal, weighted mean of Circ0_x/Circ_x (1 at the "
                   "steady state)"),
    ]
    states = [State("Stem", "Stem0", "1", "shared stem / multipotent progenitor pool")]
    equations = [
        Equation("Stem", "kS*Stem*(1 - E_S)*(Stem0/Stem)^gS*Demand^dS - kS*Stem"),
    ]
    return params, states, definitions, equations


def _lineage(x: str) -> tuple[list, list, list, list]:
    circ0, unit, mtt, gamma, r, n_transit, residence, src, label = LINEAGES[x]
    params = [
        Parameter(f"Circ0_{x}", circ0, unit, 0, INF, f"baseline circulating {label}", src),
        Parameter(f"MTT_{x}", mtt, "h", 0, INF, f"mean transit time, {label}", src),
        Parameter(f"g_{x}", gamma, "1", 0, INF, f"feedback exponent, {label}", src),
        Parameter(f"r_{x}", r, "1", 0, INF,
                  f"drug sensitivity of the {label} relative to slope",
                  F02 if x == "N" else ASM),
        Parameter(f"b_{x}", 1.0, "1", 0, INF,
                  f"stem-support exponent on {label} proliferation", ASM),
    ]
    definitions = [
        Definition(f"ktr_{x}", f"24*{n_transit + 1}/MTT_{x}", "1/day",
                   f"transit rate constant, (n+1)/MTT with n = {n_transit}"),
    ]
    if residence is None:
        definitions.append(Definition(f"kcirc_{x}", f"ktr_{x}", "1/day",
                                      "circulating elimination = ktr (Friberg 2002)"))
    else:
        params.append(Parameter(f"Tcirc_{x}", residence, "h", 0, INF,
                                f"mean circulating residence time, {label}", src))
        definitions.append(Definition(f"kcirc_{x}", f"24/Tcirc_{x}", "1/day",
                                      f"circulating elimination rate, {label}"))
    definitions += [
        Definition(f"Prol0_{x}", f"kcirc_{x}*Circ0_{x}/ktr_{x}", unit,
                   "steady-state proliferating pool"),
        Definition(f"E_{x}", f"r_{x}*slope*Cc", "1", f"linear drug effect, {label}"),
    ]
    chain = [f"Prol_{x}"] + [f"Tr{i}_{x}" for i in range(1, n_transit + 1)] + [f"Circ_{x}"]
    states = [State(f"Prol_{x}", f"Prol0_{x}", unit, f"proliferating {label} progenitors")]
    states += [State(f"Tr{i}_{x}", f"Prol0_{x}", unit, f"maturing {label}, transit {i}")
               for i in range(1, n_transit + 1)]
    states.append(State(f"Circ_{x}", f"Circ0_{x}", unit, f"circulating {label}"))
    k = f"ktr_{x}"
    equations = [Equation(
        f"Prol_{x}",
        f"{k}*Prol_{x}*(1 - E_{x})*(Circ0_{x}/Circ_{x})^g_{x}*(Stem/Stem0)^b_{x} - {k}*Prol_{x}",
    )]
    equations += [Equation(b, f"{k}*{a} - {k}*{b}") for a, b in zip(chain[:-2], chain[1:-1],
                                                                   strict=True)]
    equations.append(Equation(chain[-1], f"{k}*{chain[-2]} - kcirc_{x}*{chain[-1]}"))
    return params, states, definitions, equations


def spec() -> ModelSpec:
    """The 27-state five-lineage model (time in days; 180 mg docetaxel → ``regimen``)."""
    parts = [_pk(), _stem()] + [_lineage(x) for x in LINEAGES]
    outputs = [Output(_OUTPUT[x], f"Circ_{x}", LINEAGES[x][1], f"circulating {LINEAGES[x][8]}")
               for x in LINEAGES]
    outputs.append(Output("conc", "Cc", "umol/L", "docetaxel plasma concentration"))
    return ModelSpec(
        name="five_lineage",
        description="Five Friberg lineages sharing one stem pool and one drug (benchmark, "
                    "27 states)",
        citation=CITATION,
        time_unit="day",
        method="ros23",
        states=tuple(s for p in parts for s in p[1]),
        parameters=tuple(q for p in parts for q in p[0]),
        definitions=tuple(d for p in parts for d in p[2]),
        equations=tuple(e for p in parts for e in p[3]),
        outputs=tuple(outputs),
        meta={"drug": "docetaxel", "count_output": "anc"},
    )


def regimen(dose_mg: float = 180.0, cycles: int = 1, every_days: float = 21.0) -> Regimen:
    """``cycles`` i.v. docetaxel boluses of ``dose_mg`` into ``A1`` every ``every_days``."""
    return Regimen.cycles(Dose(0.0, dose_mg, "A1"), cycles, every_days)
