"""Precup 2012 host normal / host leukemic / donor cell dynamics after allogeneic transplant.

Precup R, Arghirescu S, Cucuianu A, Şerban M. Mathematical modeling of cell dynamics after
allogeneic bone marrow transplantation. Int J Biomath 2012;5(2):1250026,
doi:10.1142/S1793524511001684. Curated in BioModels as BIOMD0000000800 (Meyer 2019).

Three populations share the marrow: normal host cells ``x``, leukemic host cells ``y`` and
donor cells ``z``. Each grows with a crowding-limited rate a/(1 + b·(x + y + z)) and is
removed at a constant rate c. Donor cells suppress host growth (graft-versus-host and
graft-versus-leukemia effect, factor (x + y + ε)/(x + y + ε + g·z)); host cells resist the
graft (factor 1 − h·(x + y)/(z + ε + h·(x + y))).

Written natively here from the equations and the parameter values of the BioModels file
(``../shared/data/sbml/BIOMD0000000800.xml``: reactions ``*_Growth`` / ``*_Removal`` and their
function definitions; the paper gives the same values). The SBML import of that file is a
separate library entry; both must agree.

Analytic fact used as a test oracle: with no host cells left, the donor line settles at
z* = (a/c − 1)/b = (0.23/0.01 − 1)/2.2e-8 = 1.0e9 cells.
"""

from __future__ import annotations

from hematwin.model.spec import Definition, Equation, ModelSpec, Output, Parameter, State

CITATION = "Precup R et al., Int J Biomath 2012;5:1250026 (BioModels BIOMD0000000800)"
DESCRIPTION = "Host normal, host leukemic and donor cells after allogeneic transplant"

_SRC = "Precup 2012 / BIOMD0000000800 (global parameters)"
_SRC_IC = "Precup 2012 / BIOMD0000000800 (initial species amounts)"
_INF = float("inf")


def spec() -> ModelSpec:
    """The Precup 2012 three-population model; time in days, cells in absolute numbers."""
    parameters = (
        Parameter("a", 0.23, "1/day", 0, _INF, "maximal growth rate, normal and donor cells",
                  _SRC),
        Parameter("A", 0.45, "1/day", 0, _INF, "maximal growth rate, leukemic cells", _SRC),
        Parameter("b", 2.2e-8, "1/cell", 0, _INF, "crowding constant, normal and donor cells",
                  _SRC),
        Parameter("B", 2.2e-8, "1/cell", 0, _INF, "crowding constant, leukemic cells", _SRC),
        Parameter("c", 0.01, "1/day", 0, _INF, "removal rate, normal and donor cells", _SRC),
        Parameter("C", 0.01, "1/day", 0, _INF, "removal rate, leukemic cells", _SRC),
        Parameter("epsilon", 1.0, "cell", 0, _INF,
                  "small constant keeping the interaction terms defined", _SRC),
        Parameter("g", 2.0, "1", 0, _INF, "graft-versus-host effect on normal host cells",
                  _SRC),
        Parameter("G", 2.0, "1", 0, _INF, "graft-versus-leukemia effect", _SRC),
        Parameter("h", 2.0, "1", 0, _INF, "host-versus-graft effect on donor cells", _SRC),
        Parameter("x0", 2.0e8, "cell", 0, _INF, "normal host cells at transplant", _SRC_IC),
        Parameter("y0", 1.0e8, "cell", 0, _INF, "leukemic host cells at transplant", _SRC_IC),
        Parameter("z0", 4.0e8, "cell", 0, _INF, "donor cells at transplant", _SRC_IC),
    )
    states = (
        State("x", "x0", "cell", "normal host cells"),
        State("y", "y0", "cell", "leukemic host cells"),
        State("z", "z0", "cell", "donor cells"),
    )
    definitions = (
        Definition("total", "x + y + z", "cell", "all cells competing for the marrow"),
        Definition("host", "x + y", "cell", "host cells, normal and leukemic"),
        Definition("gvh", "(host + epsilon)/(host + epsilon + g*z)", "1",
                   "donor suppression of normal host growth"),
        Definition("gvl", "(host + epsilon)/(host + epsilon + G*z)", "1",
                   "donor suppression of leukemic growth"),
        Definition("hvg", "1 - h*host/(z + epsilon + h*host)", "1",
                   "host resistance to donor growth"),
    )
    equations = (
        Equation("x", "a/(1 + b*total)*gvh*x - c*x"),
        Equation("y", "A/(1 + B*total)*gvl*y - C*y"),
        Equation("z", "a/(1 + b*total)*hvg*z - c*z"),
    )
    outputs = (
        Output("normal_host", "x", "cell", "normal host cells"),
        Output("leukemic", "y", "cell", "leukemic host cells"),
        Output("donor", "z", "cell", "donor cells"),
        Output("donor_chimerism", "z/total", "1", "donor fraction of all cells"),
    )
    return ModelSpec(
        name="precup2012",
        description=DESCRIPTION,
        citation=CITATION,
        time_unit="day",
        method="ros23",
        states=states,
        parameters=parameters,
        definitions=definitions,
        equations=equations,
        outputs=outputs,
    )


def donor_steady_state(a: float = 0.23, b: float = 2.2e-8, c: float = 0.01) -> float:
    """z* = (a/c − 1)/b, the donor level once no host cells are left (cells)."""
    return (a / c - 1.0) / b
