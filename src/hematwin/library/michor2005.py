"""Michor 2005 CML model: normal, imatinib-sensitive and resistant lineages under imatinib.

Michor F, Hughes TP, Iwasa Y, Branford S, Shah NP, Sawyers CL, Nowak MA. Dynamics of chronic
myeloid leukaemia. Nature 2005;435:1267–1270, doi:10.1038/nature03669 (equations and
parameter values in the main text, Fig. 2–4, and the Supplementary Information).

Each lineage has four compartments: stem cells (0), progenitors (1), differentiated cells (2)
and terminally differentiated cells (3); ``x`` normal, ``y`` leukemic imatinib-sensitive,
``z`` leukemic imatinib-resistant (arising from ``y`` at rate u per division)::

    x0' = (λ(x0) − d0)·x0        y0' = (ry·(1 − u) − d0)·y0     z0' = (rz − d0)·z0 + ry·u·y0
    x1' = ax·x0 − d1·x1          y1' = ay·y0 − d1·y1            z1' = az·z0 − d1·z1
    x2' = bx·x1 − d2·x2          y2' = by·y1 − d2·y2            z2' = bz·z1 − d2·z2
    x3' = cx·x2 − d3·x3          y3' = cy·y2 − d3·y3            z3' = cz·z2 − d3·z3

Imatinib divides the leukemic differentiation rates ay by 100 and by by 750 (Michor 2005);
resistant cells are unaffected. The parameter ``imatinib`` (0 off, 1 on) is switched by
:func:`regimen` with :class:`~hematwin.therapy.regimen.Covariate` events. The decline of
the BCR-ABL ratio is then biphasic: its slopes are d2 = 0.05/day (differentiated cells wash
out) and d1 = 0.008/day (progenitors wash out), natural-log units — the paper chose d1, d2
to match these two slopes in its patients.

λ(x0): the paper requires only a decreasing function holding normal stem cells at
homeostasis; here λ(x0) = 2·d0/(1 + x0/x0_star) (hematwin's choice: λ(x0_star) = d0, so the
normal lineage starts and stays at its steady state; no result depends on its shape).

**BCR-ABL ratio.** radivot/myelo has two Michor ports that disagree: the R functions use
(y3 + z3)/(y3 + z3 + x3), the compiled C port (y3 + z3)/(y3 + z3 + 2·x3). We use the second,
because the measured quantity is the transcript ratio BCR-ABL/BCR: a Philadelphia-positive
cell carries one BCR-ABL fusion and one normal BCR allele, a normal cell two normal BCR
alleles, so BCR-ABL/BCR = L/(L + 2·N) with L, N the leukemic and normal terminally
differentiated cells (the convention of the model-based CML literature that followed, e.g.
the Stein 2011 port in myelo, ratio = L/(L + 2·N)). We could not retrieve the text of the
paper's Supplement through the project's search tool to quote it, so this is a reasoned
choice, not a transcription. The two definitions coincide up to a factor 2 once
y3 ≪ x3, so the slopes of the biphasic decline do not depend on the choice; only the first
weeks, when leukemic cells dominate, do.

Parameter values (Michor 2005, main text and Supplement, as transcribed in radivot/myelo
``michor05.R``): d0 0.003, d1 0.008, d2 0.05, d3 1 /day; ax 0.8, bx 5, cx 100; ay 1.6,
by 10, cy 100; ry 0.008, rz 0.023 /day; az 1.6, bz 10, cz 100; u 4e-8; imatinib ay/100,
by/750. Initial leukemic burden y0 = 2.5e5 with y1..y3 at their pre-treatment balance, and
x0_star = 1e6 normal stem cells (x3 = 1e12 cells), as in the myelo reproduction of Fig. 4.
"""

from __future__ import annotations

from hematwin.model.spec import Definition, Equation, ModelSpec, Output, Parameter, State
from hematwin.therapy.regimen import Covariate, Regimen

CITATION = "Michor F et al., Nature 2005;435:1267"
DESCRIPTION = "CML normal/leukemic/resistant four-compartment lineages under imatinib"

_INF = float("inf")
_P = "Michor 2005, Supplementary Information (via radivot/myelo michor05.R)"
_IM = "Michor 2005, main text: imatinib reduces ay 100-fold and by 750-fold"

#: Slopes of the biphasic decline reported by Michor 2005 (natural log per day).
PAPER_SLOPES = {"first": 0.05, "second": 0.008}


def spec() -> ModelSpec:
    """The Michor 2005 model; time in days, cells in absolute numbers."""
    p = [
        Parameter("d0", 0.003, "1/day", 0, _INF, "death rate, stem cells", _P),
        Parameter("d1", 0.008, "1/day", 0, _INF, "death rate, progenitors (second slope)", _P),
        Parameter("d2", 0.05, "1/day", 0, _INF,
                  "death rate, differentiated cells (first slope)", _P),
        Parameter("d3", 1.0, "1/day", 0, _INF, "death rate, terminally differentiated", _P),
        Parameter("ax", 0.8, "1/day", 0, _INF, "normal stem → progenitor production", _P),
        Parameter("bx", 5.0, "1/day", 0, _INF, "normal progenitor → differentiated", _P),
        Parameter("cx", 100.0, "1/day", 0, _INF, "normal differentiated → terminal", _P),
        Parameter("ry", 0.008, "1/day", 0, _INF, "leukemic stem-cell division rate", _P),
        Parameter("ay", 1.6, "1/day", 0, _INF, "leukemic stem → progenitor production", _P),
        Parameter("by", 10.0, "1/day", 0, _INF, "leukemic progenitor → differentiated", _P),
        Parameter("cy", 100.0, "1/day", 0, _INF, "leukemic differentiated → terminal", _P),
        Parameter("rz", 0.023, "1/day", 0, _INF, "resistant stem-cell division rate", _P),
        Parameter("az", 1.6, "1/day", 0, _INF, "resistant stem → progenitor production", _P),
        Parameter("bz", 10.0, "1/day", 0, _INF, "resistant progenitor → differentiated", _P),
        Parameter("cz", 100.0, "1/day", 0, _INF, "resistant differentiated → terminal", _P),
        Parameter("u", 4e-8, "1/division", 0, 1, "resistance mutation rate per division", _P),
        Parameter("inh_a", 100.0, "1", 1, _INF, "imatinib fold-reduction of ay", _IM),
        Parameter("inh_b", 750.0, "1", 1, _INF, "imatinib fold-reduction of by", _IM),
        Parameter("imatinib", 0.0, "1", 0, 1, "imatinib on (1) or off (0)",
                  "switched by the regimen"),
        Parameter("x0_star", 1e6, "cell", 0, _INF, "normal stem cells at homeostasis",
                  "myelo reproduction of Michor 2005 Fig. 4 (x3 = 1e12)"),
        Parameter("y0_init", 2.5e5, "cell", 0, _INF, "leukemic stem cells at diagnosis",
                  "myelo reproduction of Michor 2005 Fig. 4A"),
        Parameter("z0_init", 0.0, "cell", 0, _INF, "resistant stem cells at diagnosis",
                  "Michor 2005 Fig. 4C uses a small resistant clone; 0 by default"),
    ]
    states = [
        State("x0", "x0_star", "cell", "normal stem cells"),
        State("x1", "ax*x0_star/d1", "cell", "normal progenitors"),
        State("x2", "bx*ax*x0_star/(d1*d2)", "cell", "normal differentiated cells"),
        State("x3", "cx*bx*ax*x0_star/(d1*d2*d3)", "cell", "normal terminally differentiated"),
        State("y0", "y0_init", "cell", "leukemic stem cells"),
        State("y1", "ay*y0_init/d1", "cell", "leukemic progenitors"),
        State("y2", "by*ay*y0_init/(d1*d2)", "cell", "leukemic differentiated cells"),
        State("y3", "cy*by*ay*y0_init/(d1*d2*d3)", "cell",
              "leukemic terminally differentiated"),
        State("z0", "z0_init", "cell", "resistant stem cells"),
        State("z1", "az*z0_init/d1", "cell", "resistant progenitors"),
        State("z2", "bz*az*z0_init/(d1*d2)", "cell", "resistant differentiated cells"),
        State("z3", "cz*bz*az*z0_init/(d1*d2*d3)", "cell",
              "resistant terminally differentiated"),
    ]
    definitions = [
        Definition("lam", "2*d0/(1 + x0/x0_star)", "1/day",
                   "normal stem-cell division rate, decreasing in x0"),
        Definition("ay_eff", "ay*(1 - imatinib + imatinib/inh_a)", "1/day",
                   "leukemic progenitor production under imatinib"),
        Definition("by_eff", "by*(1 - imatinib + imatinib/inh_b)", "1/day",
                   "leukemic differentiated-cell production under imatinib"),
    ]
    equations = [
        Equation("x0", "(lam - d0)*x0"),
        Equation("x1", "ax*x0 - d1*x1"),
        Equation("x2", "bx*x1 - d2*x2"),
        Equation("x3", "cx*x2 - d3*x3"),
        Equation("y0", "(ry*(1 - u) - d0)*y0"),
        Equation("y1", "ay_eff*y0 - d1*y1"),
        Equation("y2", "by_eff*y1 - d2*y2"),
        Equation("y3", "cy*y2 - d3*y3"),
        Equation("z0", "(rz - d0)*z0 + ry*u*y0"),
        Equation("z1", "az*z0 - d1*z1"),
        Equation("z2", "bz*z1 - d2*z2"),
        Equation("z3", "cz*z2 - d3*z3"),
    ]
    outputs = [
        Output("bcr_abl_pct", "100*(y3 + z3)/(y3 + z3 + 2*x3)", "%",
               "BCR-ABL/BCR transcript ratio: one BCR per Ph+ cell, two per normal cell"),
        Output("leukemic_stem", "y0 + z0", "cell", "leukemic stem cells"),
        Output("resistant", "z0 + z1 + z2 + z3", "cell", "imatinib-resistant cells"),
    ]
    return ModelSpec(
        name="michor2005",
        description=DESCRIPTION,
        citation=CITATION,
        time_unit="day",
        method="ros23",
        states=tuple(states),
        parameters=tuple(p),
        definitions=tuple(definitions),
        equations=tuple(equations),
        outputs=tuple(outputs),
    )


def regimen(start_day: float = 0.0, stop_day: float | None = None) -> Regimen:
    """Imatinib from ``start_day`` (and off again at ``stop_day``, as in Michor 2005 Fig. 4B)."""
    items = [Covariate(start_day, "imatinib", 1.0)]
    if stop_day is not None:
        items.append(Covariate(stop_day, "imatinib", 0.0))
    return Regimen(items)
