"""Import an SBML document (Level 2 or 3 core) as a :class:`~hematwin.model.spec.ModelSpec`.

The mapping follows the SBML L3V2 core specification (sections 4.5–4.12):

- a species changed by reactions or a rate rule, a parameter or compartment with a rate rule,
  and a species changed by events → a **state**. A species' value is its concentration unless
  ``hasOnlySubstanceUnits`` (or its compartment has 0 dimensions): reactions change the amount,
  so ``d[S]/dt = Σ stoichiometry · rate / V`` (times the conversion factor, if any).
- each reaction → a **definition** named after the reaction (its rate, as SBML defines a
  reaction id in math); local parameters become global parameters ``<reaction>_<local>``.
- an assignment rule → a **definition** when other math uses its variable, else an
  **output**; a constant parameter or compartment set by an initial assignment → a
  definition of parameters; every other constant quantity → a **parameter**.
- function definitions are expanded in place (lambda substitution on the SymPy form).
- time-triggered events (``time >= T``) whose assignments are dose-like (``X + amount``,
  ``X = value``, ``p = value``, every state back to its initial value) → a
  :class:`~hematwin.therapy.regimen.Regimen`.

MathML is walked node by node into SymPy (no printing and re-parsing of SBML infix), then
printed as hematwin expression text; SBML functions outside hematwin's expression language
are rewritten with allowed ones (``sinh(x)`` → ``(exp(x) - exp(-x))/2``...). Ids that
hematwin cannot use as names (``t``, function names, Python keywords) are renamed by appending
``_``; :attr:`ImportedModel.renamed` records the mapping.

A document written by :func:`hematwin.model.sbml_export.to_sbml` carries a ``hematwin:info``
annotation on every element: the import restores from it the role of each quantity (state,
definition, output, infusion rate), units, bounds, descriptions, citations and the solver
method, so that export → import gives back the same model.

What cannot be represented is a :class:`~hematwin.errors.ModelError` naming the SBML element:
algebraic rules, fast reactions, ``rateOf``, ``delay`` of anything but a state by a
constant (``delay(X, tau)`` becomes hematwin's ``X(t - tau)``), events triggered by states or
with delays, variable stoichiometry, species in compartments of changing size, SBML packages.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import libsbml
import sympy as sp
from sympy.printing.str import StrPrinter

from hematwin.errors import ModelError
from hematwin.model.sbml_export import ANNOTATION_NS, INFUSION_SUFFIX
from hematwin.model.spec import Definition, Equation, ModelSpec, Output, Parameter, State
from hematwin.model.symbolic import FUNCTIONS, TIME, _reserved_ok, parse_expression
from hematwin.therapy.regimen import Covariate, Dose, Regimen, Replace, Reset

AVOGADRO = 6.02214076e23
# names the expression parser itself needs (auto_number writes Float(...), Integer(...))
_PARSER_NAMES = {"Integer", "Float", "Rational", "Symbol"}


@dataclass(frozen=True)
class ImportedModel:
    """The result of :func:`from_sbml`.

    Attributes
    ----------
    spec: the model.
    regimen: the document's time-triggered events as a regimen (None if it has none).
    renamed: SBML id → hematwin name, for every id that had to change.
    reactions: ids of the reactions converted (each is a definition of the same name).
    roles: hematwin name → what it became (state, parameter, definition, output).
    notes: what the import assumed or left out, one sentence each.
    source: the file read, if any.
    """

    spec: ModelSpec
    regimen: Regimen | None = None
    renamed: dict[str, str] = field(default_factory=dict)
    reactions: tuple[str, ...] = ()
    roles: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    source: str | None = None

    def summary(self) -> dict[str, object]:
        """Counts and lists for a one-screen report (the CLI prints this)."""
        spec = self.spec
        return {
            "model": spec.name,
            "states": spec.state_names,
            "parameters": len(spec.parameters),
            "definitions": len(spec.definitions),
            "outputs": spec.output_names,
            "reactions": list(self.reactions),
            "events": 0 if self.regimen is None else len(self.regimen),
            "renamed": dict(self.renamed),
            "notes": list(self.notes),
        }


def from_sbml(path_or_text: str | Path) -> ImportedModel:
    """Read an SBML document (a file path, or the XML text itself) into a hematwin model.

    Raises :class:`~hematwin.errors.ModelError` naming the file, line or SBML element for a
    document libsbml cannot read or a construct hematwin cannot represent.
    """
    file: str | None = None
    if isinstance(path_or_text, Path) or not str(path_or_text).lstrip().startswith("<"):
        file = str(path_or_text)
        if not Path(file).is_file():
            raise ModelError("no such SBML file", file=file)
        doc = libsbml.readSBMLFromFile(file)
    else:
        doc = libsbml.readSBMLFromString(str(path_or_text))
    _check_read(doc, file)
    return _Importer(doc, file).run()


def _check_read(doc: libsbml.SBMLDocument, file: str | None) -> None:
    errors = [doc.getError(i) for i in range(doc.getNumErrors())
              if doc.getError(i).getSeverity() >= libsbml.LIBSBML_SEV_ERROR]
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ModelError(f"not a readable SBML document: {first.getMessage().strip()}{more}",
                         file=file, line=first.getLine() or None)
    if doc.getModel() is None:
        raise ModelError("the SBML document has no <model>", file=file)


# --- SymPy → hematwin expression text -----------------------------------------------------


class _TextPrinter(StrPrinter):
    """Prints SymPy in the notation :func:`hematwin.model.symbolic.parse_expression` reads
    back to the same expression (floats at full precision, no names outside FUNCTIONS)."""

    def _print_Float(self, expr: sp.Float) -> str:
        value = float(expr)
        if not math.isfinite(value):
            raise ValueError(f"the number {value} has no hematwin form")
        return repr(value)

    def _print_Exp1(self, expr: sp.Expr) -> str:
        return "exp(1)"

    def _print_Equality(self, expr: sp.Expr) -> str:
        a, b = (self._print(x) for x in expr.args)
        return f"(({a} <= {b}) & ({a} >= {b}))"

    def _print_Unequality(self, expr: sp.Expr) -> str:
        a, b = (self._print(x) for x in expr.args)
        return f"(({a} < {b}) | ({a} > {b}))"

    def _print_Heaviside(self, expr: sp.Expr) -> str:
        return self._print(expr.rewrite(sp.Piecewise))

    def _unrepresentable(self, expr: sp.Expr) -> str:
        raise ValueError(f"{expr} has no hematwin form")

    _print_Infinity = _print_NegativeInfinity = _print_NaN = _unrepresentable
    _print_ComplexInfinity = _print_ImaginaryUnit = _unrepresentable


_PRINTER = _TextPrinter()


def expression_text(expr: sp.Expr) -> str:
    """SymPy expression → hematwin expression text (see :class:`_TextPrinter`)."""
    return _PRINTER.doprint(expr)


# --- MathML (libsbml AST) → SymPy ---------------------------------------------------------


def _x(args: list[sp.Expr]) -> sp.Expr:
    return args[0]


# SBML functions without a hematwin counterpart, written with allowed ones
_UNARY: dict[int, Callable[[sp.Expr], sp.Expr]] = {
    libsbml.AST_FUNCTION_ABS: sp.Abs,
    libsbml.AST_FUNCTION_EXP: sp.exp,
    libsbml.AST_FUNCTION_LN: sp.log,
    libsbml.AST_FUNCTION_SIN: sp.sin,
    libsbml.AST_FUNCTION_COS: sp.cos,
    libsbml.AST_FUNCTION_TAN: sp.tan,
    libsbml.AST_FUNCTION_TANH: sp.tanh,
    libsbml.AST_FUNCTION_ARCTAN: sp.atan,
    libsbml.AST_FUNCTION_SEC: lambda x: 1 / sp.cos(x),
    libsbml.AST_FUNCTION_CSC: lambda x: 1 / sp.sin(x),
    libsbml.AST_FUNCTION_COT: lambda x: 1 / sp.tan(x),
    libsbml.AST_FUNCTION_SINH: lambda x: (sp.exp(x) - sp.exp(-x)) / 2,
    libsbml.AST_FUNCTION_COSH: lambda x: (sp.exp(x) + sp.exp(-x)) / 2,
    libsbml.AST_FUNCTION_SECH: lambda x: 2 / (sp.exp(x) + sp.exp(-x)),
    libsbml.AST_FUNCTION_CSCH: lambda x: 2 / (sp.exp(x) - sp.exp(-x)),
    libsbml.AST_FUNCTION_COTH: lambda x: 1 / sp.tanh(x),
    libsbml.AST_FUNCTION_ARCSIN: lambda x: 2 * sp.atan(x / (1 + sp.sqrt(1 - x**2))),
    libsbml.AST_FUNCTION_ARCCOS: lambda x: sp.pi / 2 - 2 * sp.atan(x / (1 + sp.sqrt(1 - x**2))),
    libsbml.AST_FUNCTION_ARCCOT: lambda x: sp.atan(1 / x),
    libsbml.AST_FUNCTION_ARCSINH: lambda x: sp.log(x + sp.sqrt(x**2 + 1)),
    libsbml.AST_FUNCTION_ARCCOSH: lambda x: sp.log(x + sp.sqrt(x**2 - 1)),
    libsbml.AST_FUNCTION_ARCTANH: lambda x: sp.log((1 + x) / (1 - x)) / 2,
}
_RELATIONS = {
    libsbml.AST_RELATIONAL_EQ: sp.Eq,
    libsbml.AST_RELATIONAL_NEQ: sp.Ne,
    libsbml.AST_RELATIONAL_GT: sp.StrictGreaterThan,
    libsbml.AST_RELATIONAL_LT: sp.StrictLessThan,
    libsbml.AST_RELATIONAL_GEQ: sp.GreaterThan,
    libsbml.AST_RELATIONAL_LEQ: sp.LessThan,
}
_CSYMBOL_ERRORS = {
    libsbml.AST_FUNCTION_RATE_OF: "the rateOf csymbol",
}


@dataclass
class _Function:
    args: tuple[sp.Dummy, ...]
    body: sp.Expr


class _MathConverter:
    """Walks libsbml ASTs into SymPy; ``where`` names the SBML element in errors."""

    def __init__(self, functions: dict[str, libsbml.FunctionDefinition], file: str | None,
                 model_name: str) -> None:
        self.sources = functions
        self.functions: dict[str, _Function] = {}
        self.t = sp.Symbol(TIME, real=True)
        self.file = file
        self.model_name = model_name
        self._expanding: list[str] = []

    def error(self, message: str, where: str) -> ModelError:
        return ModelError(f"SBML {where}: {message}", file=self.file, model=self.model_name)

    def function(self, fid: str, where: str) -> _Function:
        if fid in self.functions:
            return self.functions[fid]
        if fid not in self.sources:
            raise self.error(f"call of undefined function {fid!r}", where)
        if fid in self._expanding:
            raise self.error(f"function definitions call each other in a cycle: "
                             f"{' -> '.join([*self._expanding, fid])}", where)
        fd = self.sources[fid]
        lam = fd.getMath()
        here = f"functionDefinition {fid!r}"
        if lam is None or lam.getType() != libsbml.AST_LAMBDA:
            raise self.error("its math is not a lambda", here)
        n = lam.getNumBvars()
        names = [lam.getChild(i).getName() for i in range(n)]
        dummies = tuple(sp.Dummy(name, real=True) for name in names)
        self._expanding.append(fid)
        try:
            body = self.convert(lam.getChild(n), dict(zip(names, dummies, strict=True)), here)
        finally:
            self._expanding.pop()
        self.functions[fid] = _Function(dummies, body)
        return self.functions[fid]

    def convert(self, node: libsbml.ASTNode | None, scope: dict[str, sp.Expr],
                where: str) -> sp.Expr:
        if node is None:
            raise self.error("no math", where)
        try:
            return self._convert(node, scope, where)
        except (TypeError, ValueError, AttributeError) as exc:
            text = libsbml.formulaToL3String(node)
            raise self.error(f"cannot convert {text!r}: {exc}", where) from None

    def _convert(self, node: libsbml.ASTNode, scope: dict[str, sp.Expr],
                 where: str) -> sp.Expr:
        kind = node.getType()
        kids = [node.getChild(i) for i in range(node.getNumChildren())]

        def args() -> list[sp.Expr]:
            return [self._convert(k, scope, where) for k in kids]

        if kind == libsbml.AST_INTEGER:
            return sp.Integer(node.getInteger())
        if kind in (libsbml.AST_REAL, libsbml.AST_REAL_E):
            value = node.getReal()
            if not math.isfinite(value):
                raise self.error(f"the number {value} cannot be used in a hematwin model",
                                 where)
            return sp.Float(value)
        if kind == libsbml.AST_RATIONAL:
            return sp.Rational(node.getNumerator(), node.getDenominator())
        if kind == libsbml.AST_NAME:
            name = node.getName()
            if name not in scope:
                raise self.error(f"unknown id {name!r}", where)
            return scope[name]
        if kind == libsbml.AST_NAME_TIME:
            return self.t
        if kind == libsbml.AST_NAME_AVOGADRO:
            return sp.Float(AVOGADRO)
        if kind == libsbml.AST_CONSTANT_PI:
            return sp.pi
        if kind == libsbml.AST_CONSTANT_E:
            return sp.E
        if kind == libsbml.AST_CONSTANT_TRUE:
            return sp.true
        if kind == libsbml.AST_CONSTANT_FALSE:
            return sp.false
        if kind == libsbml.AST_FUNCTION_DELAY:
            # delay(X, tau) → X(t - tau), hematwin's delayed state (build_symbolic checks that
            # X is a state and tau a positive expression of parameters, or of states)
            x, tau = args()
            if not isinstance(x, sp.Symbol) or self.t in tau.free_symbols:
                raise self.error("the delay csymbol is supported for a variable delayed by a "
                                 "constant expression only", where)
            return sp.Function(x.name)(self.t - tau)
        if kind in _CSYMBOL_ERRORS:
            raise self.error(f"{_CSYMBOL_ERRORS[kind]} is not supported", where)
        if kind == libsbml.AST_PLUS:
            return sp.Add(*args()) if kids else sp.Integer(0)
        if kind == libsbml.AST_TIMES:
            return sp.Mul(*args()) if kids else sp.Integer(1)
        if kind == libsbml.AST_MINUS:
            a = args()
            return -a[0] if len(a) == 1 else a[0] - a[1]
        if kind == libsbml.AST_DIVIDE:
            a, b = args()
            return a / b
        if kind in (libsbml.AST_POWER, libsbml.AST_FUNCTION_POWER):
            a, b = args()
            return a**b
        if kind == libsbml.AST_FUNCTION_ROOT:
            a = args()
            if len(a) == 1:
                return sp.sqrt(a[0])
            degree, x = a
            return x ** (sp.Integer(1) / degree)
        if kind == libsbml.AST_FUNCTION_LOG:
            a = args()
            return sp.log(a[0], 10) if len(a) == 1 else sp.log(a[1], a[0])
        if kind in _UNARY:
            (a,) = args()
            return _UNARY[kind](a)
        if kind == libsbml.AST_FUNCTION_MIN:
            return sp.Min(*args())
        if kind == libsbml.AST_FUNCTION_MAX:
            return sp.Max(*args())
        if kind == libsbml.AST_FUNCTION_PIECEWISE:
            a = args()
            pieces = [(a[i], a[i + 1]) for i in range(0, len(a) - 1, 2)]
            if len(a) % 2:
                pieces.append((a[-1], sp.true))
            return sp.Piecewise(*pieces)
        if kind in _RELATIONS:
            a = args()
            rel = _RELATIONS[kind]
            return sp.And(*(rel(a[i], a[i + 1]) for i in range(len(a) - 1)))
        if kind == libsbml.AST_LOGICAL_AND:
            return sp.And(*args())
        if kind == libsbml.AST_LOGICAL_OR:
            return sp.Or(*args())
        if kind == libsbml.AST_LOGICAL_NOT:
            (a,) = args()
            return sp.Not(a)
        if kind == libsbml.AST_LOGICAL_XOR:  # odd number of true arguments
            result = sp.false
            for a in args():
                result = sp.Or(sp.And(result, sp.Not(a)), sp.And(sp.Not(result), a))
            return result
        if kind == libsbml.AST_LOGICAL_IMPLIES:
            a, b = args()
            return sp.Or(sp.Not(a), b)
        if kind == libsbml.AST_FUNCTION:
            fn = self.function(node.getName(), where)
            a = args()
            if len(a) != len(fn.args):
                raise self.error(f"function {node.getName()!r} takes {len(fn.args)} "
                                 f"arguments, got {len(a)}", where)
            return fn.body.xreplace(dict(zip(fn.args, a, strict=True)))
        name = node.getName() or libsbml.formulaToL3String(node)
        raise self.error(f"the MathML element {name!r} has no hematwin form (allowed "
                         f"functions: {', '.join(sorted(FUNCTIONS))})", where)


# --- units ---------------------------------------------------------------------------------

_TIME_NAMES = {1.0: "s", 60.0: "min", 3600.0: "h", 86400.0: "day", 604800.0: "week"}
_PREFIX = {0: "", -1: "d", -2: "c", -3: "m", -6: "u", -9: "n", -12: "p", -15: "f", 3: "k"}
_KIND_SYMBOL = {
    libsbml.UNIT_KIND_LITRE: "L", libsbml.UNIT_KIND_LITER: "L", libsbml.UNIT_KIND_GRAM: "g",
    libsbml.UNIT_KIND_MOLE: "mol", libsbml.UNIT_KIND_METRE: "m", libsbml.UNIT_KIND_METER: "m",
    libsbml.UNIT_KIND_ITEM: "item", libsbml.UNIT_KIND_KELVIN: "K",
}


def _fmt_number(x: float) -> str:
    return f"{x:.15g}"


def unit_string(ud: libsbml.UnitDefinition | None) -> str | None:
    """A unit definition as a hematwin unit string (``1/day``, ``item/mL``), None if none."""
    if ud is None:
        return None
    num: list[str] = []
    den: list[str] = []
    factor = 1.0
    for i in range(ud.getNumUnits()):
        u = ud.getUnit(i)
        kind, exponent = u.getKind(), u.getExponentAsDouble()
        scale, mult = u.getScale(), u.getMultiplier()
        if kind == libsbml.UNIT_KIND_DIMENSIONLESS:
            factor *= (mult * 10.0**scale) ** exponent
            continue
        if kind == libsbml.UNIT_KIND_SECOND and (mult * 10.0**scale) in _TIME_NAMES:
            symbol = _TIME_NAMES[mult * 10.0**scale]
        elif kind == libsbml.UNIT_KIND_GRAM and scale == 3 and mult == 1.0:
            symbol = "kg"
        elif kind in _KIND_SYMBOL or kind == libsbml.UNIT_KIND_SECOND:
            base = "s" if kind == libsbml.UNIT_KIND_SECOND else _KIND_SYMBOL[kind]
            if scale in _PREFIX and base != "item":
                symbol = _PREFIX[scale] + base
            else:
                symbol = base
                factor *= (10.0**scale) ** exponent
            factor *= mult**exponent
        else:
            symbol = libsbml.UnitKind_toString(kind)
            factor *= (mult * 10.0**scale) ** exponent
        power = abs(exponent)
        text = symbol if power == 1 else f"{symbol}^{_fmt_number(power)}"
        (num if exponent > 0 else den).append(text)
    head = "*".join(num)
    if factor != 1.0:
        head = _fmt_number(factor) + (f"*{head}" if head else "")
    text = head or "1"
    for d in den:
        text += f"/{d}"
    return text


_BUILTIN_UNITS = {"second": "s", "dimensionless": "1", "litre": "L", "liter": "L",
                  "mole": "mol", "gram": "g", "kilogram": "kg", "item": "item", "metre": "m"}


# --- annotations ---------------------------------------------------------------------------


def hematwin_info(sbase: libsbml.SBase) -> dict[str, str]:
    """The attributes of the ``hematwin:info`` annotation written by our exporter."""
    ann = sbase.getAnnotation() if sbase.isSetAnnotation() else None
    if ann is None:
        return {}
    for i in range(ann.getNumChildren()):
        child = ann.getChild(i)
        if child.getURI() == ANNOTATION_NS and child.getName() == "info":
            attrs = child.getAttributes()
            return {attrs.getName(k): attrs.getValue(k) for k in range(attrs.getLength())}
    return {}


def _float_or_none(text: str | None) -> float | None:
    try:
        return None if text is None else float(text)
    except ValueError:
        return None


def _compact(items: list) -> list:
    """Equal doses at a constant interval → one dose with II/ADDL (NONMEM style)."""
    out: list = []
    for item in items:
        prev = out[-1] if out else None
        if isinstance(item, Dose) and isinstance(prev, Dose) and not item.reset and \
                not prev.reset and (item.amount, item.cmt, item.rate, item.duration) == \
                (prev.amount, prev.cmt, prev.rate, prev.duration):
            step = item.time - prev.times()[-1]
            ii = prev.ii if prev.addl else step
            if step > 0 and prev.time + (prev.addl + 1) * ii == item.time:
                out[-1] = Dose(prev.time, prev.amount, prev.cmt, prev.rate, prev.duration,
                               ii=ii, addl=prev.addl + 1)
                continue
        out.append(item)
    return out


# --- the importer ----------------------------------------------------------------------------


@dataclass
class _Quantity:
    """One SBML variable (species, compartment, parameter) and what it becomes."""

    sid: str
    name: str
    element: libsbml.SBase
    kind: str  # species | compartment | parameter
    role: str = "parameter"  # state | parameter | definition | output | infusion
    unit: str = "1"
    value: float | None = None  # its SBML initial value (concentration or amount as used)
    initial: sp.Expr | None = None  # from an initial assignment
    rate: sp.Expr | None = None  # rate rule
    rule: sp.Expr | None = None  # assignment rule
    info: dict[str, str] = field(default_factory=dict)


class _Importer:
    def __init__(self, doc: libsbml.SBMLDocument, file: str | None) -> None:
        self.doc = doc
        self.model: libsbml.Model = doc.getModel()
        self.file = file
        self.level = doc.getLevel()
        self.notes: list[str] = []
        self.renamed: dict[str, str] = {}
        self.taken: set[str] = set()
        model_info = hematwin_info(self.model)
        self.model_info = model_info
        self.name = self.model.getId() or (Path(file).stem if file else "sbml_model")
        functions = {fd.getId(): fd for fd in self.model.getListOfFunctionDefinitions()}
        self.math = _MathConverter(functions, file, self.name)
        self.t = self.math.t

    # --- helpers ------------------------------------------------------------------------
    def error(self, message: str, where: str) -> ModelError:
        return self.math.error(message, where)

    def _name_for(self, sid: str) -> str:
        name = sid
        while not (_reserved_ok(name) and name != TIME and name not in _PARSER_NAMES) \
                or name in self.taken:
            name += "_"
        if name != sid:
            self.renamed[sid] = name
        self.taken.add(name)
        return name

    def _units(self, uid: str) -> str | None:
        if not uid:
            return None
        if uid in _BUILTIN_UNITS:
            return _BUILTIN_UNITS[uid]
        return unit_string(self.model.getUnitDefinition(uid))

    def _default_units(self, attribute: str, builtin: str) -> str | None:
        """Model-wide units (L3 model attributes; L2 redefinitions of built-in units)."""
        if self.level >= 3:
            getter = getattr(self.model, f"get{attribute}")
            return self._units(getter())
        return self._units(builtin) if self.model.getUnitDefinition(builtin) else None

    # --- the steps ----------------------------------------------------------------------
    def run(self) -> ImportedModel:
        self._reject_unsupported()
        self._collect()
        self._rules()
        self._classify()
        self._reactions()
        regimen = self._events()
        spec = self._spec()
        roles = {q.name: q.role for q in self.quantities.values()}
        roles.update({self.flux_names[r]: "definition" for r in self.flux_names})
        return ImportedModel(spec=spec, regimen=regimen, renamed=dict(self.renamed),
                             reactions=tuple(self.flux_names), roles=roles,
                             notes=tuple(self.notes), source=self.file)

    def _reject_unsupported(self) -> None:
        m = self.model
        for i in range(self.doc.getNumPlugins() if self.level >= 3 else 0):
            prefix = self.doc.getPlugin(i).getPackageName()
            # libsbml's built-in extension for L3V2 core math is no real package
            if prefix and prefix != "l3v2extendedmath" and \
                    self.doc.isPackageURIEnabled(self.doc.getPlugin(i).getURI()) and \
                    self.doc.getPackageRequired(prefix):
                raise self.error("the SBML package is required but not supported",
                                 f"package {prefix!r}")
        for k, rule in enumerate(m.getListOfRules()):
            if rule.isAlgebraic():
                rid = rule.getId() or rule.getMetaId() or f"#{k + 1}"
                raise self.error("algebraic rules (implicit equations) are not supported",
                                 f"algebraicRule {rid}")
        for r in m.getListOfReactions():
            if r.isSetFast() and r.getFast():
                raise self.error("fast reactions (rapid equilibrium) are not supported",
                                 f"reaction {r.getId()!r}")
        if m.getNumConstraints():
            self.notes.append(f"{m.getNumConstraints()} constraint(s) ignored "
                              "(they do not change a simulation)")

    def _collect(self) -> None:
        m = self.model
        self.quantities: dict[str, _Quantity] = {}
        volume = self._default_units("VolumeUnits", "volume")
        substance = self._default_units("SubstanceUnits", "substance")
        for c in m.getListOfCompartments():
            q = _Quantity(c.getId(), self._name_for(c.getId()), c, "compartment")
            q.unit = self._units(c.getUnits()) or volume or "1"
            if c.isSetSize():
                q.value = c.getSize()
            elif self.level < 3:
                q.value = 1.0
            self.quantities[q.sid] = q
        for s in m.getListOfSpecies():
            q = _Quantity(s.getId(), self._name_for(s.getId()), s, "species")
            comp = m.getCompartment(s.getCompartment())
            if comp is None:
                raise self.error(f"compartment {s.getCompartment()!r} does not exist",
                                 f"species {s.getId()!r}")
            amount_unit = self._units(s.getSubstanceUnits()) or substance
            comp_unit = self.quantities[comp.getId()].unit
            size = self.quantities[comp.getId()].value
            q.unit = (amount_unit or "1") if self._amounts(s) or comp_unit == "1" else \
                f"{amount_unit or '1'}/{comp_unit}"
            if s.isSetInitialConcentration():
                conc = s.getInitialConcentration()
                q.value = conc * size if self._amounts(s) and size is not None else conc
            elif s.isSetInitialAmount():
                amount = s.getInitialAmount()
                q.value = amount if self._amounts(s) or size is None else amount / size
            self.quantities[q.sid] = q
        for p in m.getListOfParameters():
            q = _Quantity(p.getId(), self._name_for(p.getId()), p, "parameter")
            q.unit = self._units(p.getUnits()) or "1"
            q.value = p.getValue() if p.isSetValue() else None
            self.quantities[q.sid] = q
        for q in self.quantities.values():
            q.info = hematwin_info(q.element)
            if "unit" in q.info:
                q.unit = q.info["unit"]
            exact = _float_or_none(q.info.get("exact"))
            if exact is not None and q.value is not None and \
                    abs(exact - q.value) <= 1e-14 * abs(exact):
                q.value = exact  # libsbml writes 15 digits; our exporter keeps them all
        # reaction ids stand for their rates in math
        self.flux_names = {r.getId(): self._name_for(r.getId())
                           for r in m.getListOfReactions()}
        self.symbols: dict[str, sp.Symbol] = {
            sid: sp.Symbol(q.name, real=True) for sid, q in self.quantities.items()}
        self.symbols.update({rid: sp.Symbol(n, real=True) for rid, n in self.flux_names.items()})
        self.local_parameters: list[Parameter] = []

    def _amounts(self, s: libsbml.Species) -> bool:
        """True if the species' symbol means its amount (not its concentration)."""
        comp = self.model.getCompartment(s.getCompartment())
        return s.getHasOnlySubstanceUnits() or comp.getSpatialDimensionsAsDouble() == 0

    def _rules(self) -> None:
        m = self.model
        scope = dict(self.symbols)
        for rule in m.getListOfRules():
            var = rule.getVariable()
            kind = "rateRule" if rule.isRate() else "assignmentRule"
            where = f"{kind} for {var!r}"
            if var not in self.quantities:
                raise self.error("its variable is not a species, compartment or parameter "
                                 "(variable stoichiometry is not supported)", where)
            expr = self.math.convert(rule.getMath(), scope, where)
            if rule.isRate():
                self.quantities[var].rate = expr
            else:
                self.quantities[var].rule = expr
        for ia in m.getListOfInitialAssignments():
            var = ia.getSymbol()
            where = f"initialAssignment for {var!r}"
            if var not in self.quantities:
                raise self.error("its symbol is not a species, compartment or parameter "
                                 "(variable stoichiometry is not supported)", where)
            self.quantities[var].initial = self.math.convert(ia.getMath(), scope, where)

    def _event_targets(self) -> set[str]:
        if not hasattr(self, "_targets"):
            self._targets = {ea.getVariable() for ev in self.model.getListOfEvents()
                             for ea in ev.getListOfEventAssignments()}
        return self._targets

    def _used_symbols(self) -> set[sp.Symbol]:
        """Symbols used by any math (to tell definitions from outputs)."""
        used: set[sp.Symbol] = set()
        for q in self.quantities.values():
            for e in (q.rate, q.rule, q.initial):
                if e is not None:
                    used |= e.free_symbols
        scope = dict(self.symbols)
        for r in self.model.getListOfReactions():
            kl = r.getKineticLaw()
            if kl is not None and kl.isSetMath():
                local = {p.getId(): sp.Dummy(p.getId()) for p in self._locals(kl)}
                used |= self.math.convert(kl.getMath(), {**scope, **local},
                                          f"kineticLaw of reaction {r.getId()!r}").free_symbols
        for ev in self.model.getListOfEvents():
            where = f"event {ev.getId() or ev.getMetaId()!r}"
            if ev.isSetTrigger():
                used |= self.math.convert(ev.getTrigger().getMath(), scope, where).free_symbols
            for ea in ev.getListOfEventAssignments():
                used |= self.math.convert(ea.getMath(), scope, where).free_symbols
        return used

    def _locals(self, kl: libsbml.KineticLaw) -> list[libsbml.SBase]:
        if self.level >= 3:
            return list(kl.getListOfLocalParameters())
        return list(kl.getListOfParameters())

    def _changed_by_reactions(self) -> set[str]:
        changed = set()
        for r in self.model.getListOfReactions():
            for ref in (*r.getListOfReactants(), *r.getListOfProducts()):
                changed.add(ref.getSpecies())
        return changed

    def _classify(self) -> None:
        event_targets = self._event_targets()
        in_reactions = self._changed_by_reactions()
        used = self._used_symbols()
        for q in self.quantities.values():
            declared = q.info.get("kind")
            constant = q.element.getConstant() if q.kind != "species" else \
                q.element.getConstant()
            if declared == "infusion_rate":
                q.role = "infusion"
            elif q.rate is not None:
                q.role = "state"
            elif q.rule is not None:
                if declared in ("definition", "output"):
                    q.role = declared
                else:
                    q.role = "definition" if self.symbols[q.sid] in used else "output"
            elif q.kind == "species" and not constant and (
                    (not q.element.getBoundaryCondition() and q.sid in in_reactions)
                    or q.sid in event_targets):
                q.role = "state"
            elif declared == "state":
                q.role = "state"
            else:
                q.role = "parameter"
            if q.role == "state" and q.rate is None and q.kind != "species":
                q.rate = sp.Integer(0)
        for q in self.quantities.values():
            if q.kind == "compartment" and (q.role != "parameter" or q.sid in event_targets):
                for s in self.model.getListOfSpecies():
                    if s.getCompartment() == q.sid and not self._amounts(s) and \
                            self.quantities[s.getId()].role == "state" and \
                            s.getId() in in_reactions:
                        raise self.error(
                            f"species {s.getId()!r} is a concentration changed by reactions in "
                            "a compartment whose size changes; not supported",
                            f"compartment {q.sid!r}")

    def _reactions(self) -> None:
        m = self.model
        self.fluxes: dict[str, sp.Expr] = {}
        self.changes: dict[str, list[tuple[float, str]]] = {}
        for r in m.getListOfReactions():
            rid = r.getId()
            where = f"reaction {rid!r}"
            kl = r.getKineticLaw()
            if kl is None or not kl.isSetMath():
                raise self.error("it has no kinetic law (rate)", where)
            scope = dict(self.symbols)
            for lp in self._locals(kl):
                name = self._name_for(f"{rid}_{lp.getId()}")
                scope[lp.getId()] = sp.Symbol(name, real=True)
                info = f"local parameter {lp.getId()!r} of reaction {rid!r}"
                self.local_parameters.append(Parameter(
                    name, lp.getValue() if lp.isSetValue() else 0.0,
                    unit=self._units(lp.getUnits()) or "1", description=info))
                self.renamed[f"{rid}.{lp.getId()}"] = name  # local ids are scoped
            self.fluxes[rid] = self.math.convert(kl.getMath(), scope,
                                                 f"kineticLaw of reaction {rid!r}")
            for sign, refs in ((-1.0, r.getListOfReactants()), (1.0, r.getListOfProducts())):
                for ref in refs:
                    sid = ref.getSpecies()
                    rwhere = f"{where}, species reference to {sid!r}"
                    if sid not in self.quantities:
                        raise self.error("the species does not exist", rwhere)
                    if self.level < 3 and ref.isSetStoichiometryMath():
                        raise self.error("stoichiometryMath (variable stoichiometry) is not "
                                         "supported", rwhere)
                    if self.level >= 3 and (not ref.getConstant()) and ref.isSetId():
                        raise self.error("variable stoichiometry is not supported", rwhere)
                    stoich = ref.getStoichiometry() if (self.level < 3 or
                                                        ref.isSetStoichiometry()) else 1.0
                    if not math.isfinite(stoich):
                        stoich = 1.0
                    q = self.quantities[sid]
                    if q.role == "state" and q.rate is None:
                        self.changes.setdefault(sid, []).append((sign * stoich, rid))

    # --- states ------------------------------------------------------------------------
    def _species_equation(self, q: _Quantity) -> str:
        """``Σ stoichiometry · rate`` (reactions in document order) [· factor] [/ V]."""
        s = q.element
        text = ""
        for c, rid in self.changes.get(q.sid, []):
            name = self.flux_names[rid]
            term = name if abs(c) == 1.0 else f"{_fmt_number(abs(c))}*{name}"
            text += (f" - {term}" if c < 0 else f" + {term}") if text else \
                (f"-{term}" if c < 0 else term)
        if not text:
            return "0"
        factor = s.getConversionFactor() if self.level >= 3 and s.isSetConversionFactor() \
            else (self.model.getConversionFactor() if self.level >= 3 else "")
        if factor:
            text = f"({text})*{self.quantities[factor].name}"
        if not self._amounts(s):
            volume = self.quantities[s.getCompartment()].name
            text = f"({text})/{volume}" if " " in text else f"{text}/{volume}"
        return text

    # --- events → regimen --------------------------------------------------------------
    def _events(self) -> Regimen | None:
        m = self.model
        if not m.getNumEvents():
            return None
        scope = dict(self.symbols)
        params = {self.symbols[q.sid]: q for q in self.quantities.values()
                  if q.role == "parameter"}
        current = {sym: self._parameter_value(q) for sym, q in params.items()}
        timed: list[tuple[float, float, int, libsbml.Event, str]] = []
        for k, ev in enumerate(m.getListOfEvents()):
            eid = ev.getId() or ev.getMetaId() or f"#{k + 1}"
            where = f"event {eid!r}"
            if ev.isSetDelay():
                raise self.error("events with a delay are not supported", where)
            if not ev.isSetTrigger():
                raise self.error("it has no trigger", where)
            trig = self.math.convert(ev.getTrigger().getMath(), scope, where)
            time, strict = self._trigger_time(trig, current, where)
            exact = _float_or_none(hematwin_info(ev).get("time"))
            if exact is not None and abs(exact - time) <= 1e-14 * max(abs(exact), 1.0):
                time = exact
            init_true = ev.getTrigger().getInitialValue() if self.level >= 3 else True
            if time < 0 or (time == 0 and not strict):
                if init_true:
                    self.notes.append(f"{where} is true at t = 0 with initialValue true: "
                                      "it never fires and was left out")
                    continue
                time = 0.0
            priority = 0.0
            if self.level >= 3 and ev.isSetPriority():
                value = self._number(self.math.convert(ev.getPriority().getMath(), scope,
                                                       where), current, where)
                priority = -value
            timed.append((time, priority, k, ev, eid))
        timed.sort(key=lambda x: (x[0], x[1], x[2]))
        states = [q for q in self.quantities.values() if q.role == "state"]
        initial = {self.symbols[q.sid]: self._initial_expr(q) for q in states}
        infusions = {self.symbols[q.sid]: q for q in self.quantities.values()
                     if q.role == "infusion"}
        rates: dict[sp.Symbol, list[tuple[float, float]]] = {r: [(0.0, 0.0)] for r in infusions}
        items: list = []
        for time, _, _, ev, eid in timed:
            where = f"event {eid!r}"
            assigned = {}
            for ea in ev.getListOfEventAssignments():
                var = ea.getVariable()
                if var not in self.quantities:
                    raise self.error(f"assignment to {var!r}, which is not a species, "
                                     "compartment or parameter", where)
                assigned[var] = self.math.convert(ea.getMath(), scope, where)
            items += self._event_items(time, assigned, current, initial, rates, where,
                                       hematwin_info(ev))
        for r, changes in rates.items():
            items += self._infusion_doses(infusions[r], changes)
        if not items:
            return None
        return Regimen(_compact(sorted(items, key=lambda it: it.time)))

    def _parameter_value(self, q: _Quantity) -> float:
        """A parameter's default: its value, or its initial assignment evaluated."""
        if q.initial is None and q.value is not None:
            return float(q.value)
        values = {self.symbols[p.sid]: p.value for p in self.quantities.values()
                  if p.role == "parameter" and p.initial is None and p.value is not None}
        return self._number(self._initial_expr(q), values, f"{q.kind} {q.sid!r}")

    def _number(self, expr: sp.Expr, values: dict[sp.Symbol, float], where: str,
                time: float | None = None) -> float:
        expr = self._expand_definitions(expr)
        if time is not None:
            expr = expr.xreplace({self.t: sp.Float(time)})
        expr = expr.xreplace({s: sp.Float(v) for s, v in values.items()})
        if expr.free_symbols:
            names = sorted(str(s) for s in expr.free_symbols)
            raise self.error(f"a dose-like event needs values of parameters only; this "
                             f"depends on {names}", where)
        value = float(expr)
        if not math.isfinite(value):
            raise self.error(f"value {value} is not finite", where)
        return value

    def _trigger_time(self, trig: sp.Expr, current: dict, where: str) -> tuple[float, bool]:
        """``time >= T`` (or ``>``, or the mirrored forms) → (T, strict)."""
        if isinstance(trig, sp.GreaterThan | sp.StrictGreaterThan | sp.LessThan |
                      sp.StrictLessThan):
            diff = sp.expand(trig.gts - trig.lts)
            rest = sp.expand(diff - self.t)
            if self.t not in rest.free_symbols:
                strict = isinstance(trig, sp.StrictGreaterThan | sp.StrictLessThan)
                return -self._number(rest, current, where), strict
        raise self.error(f"trigger {expression_text(trig)!r} is not of the form "
                         "'time >= T' (state-triggered events are not supported)", where)

    def _event_items(self, time: float, assigned: dict[str, sp.Expr], current: dict,
                     initial: dict[sp.Symbol, sp.Expr], rates: dict, where: str,
                     event_info: dict[str, str]) -> list:
        items: list = []
        states = {sid for sid, q in self.quantities.items() if q.role == "state"}
        # every value is computed from the values before the event (SBML semantics)
        before = dict(current)
        new_params = {}
        for sid, expr in assigned.items():
            q = self.quantities[sid]
            sym = self.symbols[sid]
            if q.role == "parameter":
                if expr.free_symbols & {self.symbols[s] for s in states}:
                    raise self.error(f"assignment to parameter {sid!r} depends on states",
                                     where)
                new_params[sym] = self._number(expr, before, f"{where}, assignment to {sid!r}",
                                               time)
                items.append(Covariate(time, q.name, new_params[sym]))
            elif q.role not in ("state", "infusion"):
                raise self.error(f"assignment to {sid!r}, which is a {q.role} here", where)
        current.update(new_params)
        state_items: list = []
        targets = [sid for sid in assigned if self.quantities[sid].role == "state"]
        # every state back to its initial value (then, from our exporter, doses): a reset
        reset = bool(targets) and set(targets) == states
        extra: dict[str, float] = {}
        if reset:
            for sid in targets:
                diff = assigned[sid] - initial[self.symbols[sid]]
                try:
                    extra[sid] = self._number(diff, current, where, time)
                except ModelError:
                    reset = False
                    break
                scale = abs(self._number(assigned[sid], current, where, time))
                if abs(extra[sid]) <= 1e-12 * scale:
                    extra[sid] = 0.0
            reset = reset and (all(v == 0.0 for v in extra.values()) or (
                "reset" in event_info.get("items", "") and min(extra.values()) >= 0))
        if reset:
            state_items.append(Reset(time))
            state_items += [self._bolus(time, sid, amount, where)
                            for sid, amount in extra.items() if amount]
        if not reset:
            for sid in targets:
                sym = self.symbols[sid]
                expr = assigned[sid]
                here = f"{where}, assignment to {sid!r}"
                others = expr.free_symbols & ({self.symbols[s] for s in states} - {sym})
                if others:
                    raise self.error(f"the new value depends on other states "
                                     f"{sorted(map(str, others))}; not dose-like", here)
                if sym in expr.free_symbols:
                    amount = self._number(expr - sym, before, here, time)
                    if amount:
                        state_items.append(self._bolus(time, sid, amount, here))
                else:
                    value = self._number(expr, before, here, time)
                    state_items.append(Replace(time, self.quantities[sid].name, value))
        items += state_items
        for sid, expr in assigned.items():
            q = self.quantities[sid]
            if q.role == "infusion":
                sym = self.symbols[sid]
                value = self._number(expr, {**before, sym: rates[sym][-1][1]},
                                     f"{where}, assignment to {sid!r}", time)
                rates[sym].append((time, value))
        if reset:  # a reset ends every infusion
            for sym, changes in rates.items():
                if self._by_name()[sym.name].sid not in assigned:
                    changes.append((time, 0.0))
        return items

    def _bolus(self, time: float, sid: str, amount: float, where: str) -> Dose:
        if amount < 0:
            raise self.error(f"subtracts {-amount:g} from {sid!r}; only additions (doses) "
                             "are dose-like", where)
        return Dose(time, amount, self.quantities[sid].name)

    def _infusion_doses(self, q: _Quantity, changes: list[tuple[float, float]]) -> list:
        """A piecewise-constant infusion rate → one zero-order Dose per constant piece."""
        target = q.name[: -len(INFUSION_SUFFIX)] if q.name.endswith(INFUSION_SUFFIX) \
            else q.info.get("state", "")
        doses = []
        for (t0, r0), (t1, _) in zip(changes, changes[1:], strict=False):
            if r0 > 0 and t1 > t0:
                doses.append(Dose(t0, r0 * (t1 - t0), target, duration=t1 - t0))
            elif r0 < 0:
                raise self.error("negative infusion rate", f"parameter {q.sid!r}")
        if changes[-1][1] > 0:
            raise self.error("an infusion is never stopped", f"parameter {q.sid!r}")
        return doses

    # --- definitions and initial values -----------------------------------------------
    def _by_name(self) -> dict[str, _Quantity]:
        return {q.name: q for q in self.quantities.values()}

    def _flux_by_name(self) -> dict[str, sp.Expr]:
        return {n: self.fluxes.get(rid, sp.nan) for rid, n in self.flux_names.items()}

    def _is_ia_definition(self, q: _Quantity) -> bool:
        """A constant set by an initial assignment: it becomes a definition of parameters."""
        return q.role == "parameter" and q.initial is not None and \
            q.sid not in self._event_targets()

    def _expand_definitions(self, expr: sp.Expr) -> sp.Expr:
        """Substitute rules, reaction rates and constants set by initial assignments."""
        rules = {self.symbols[q.sid]: q.rule for q in self.quantities.values()
                 if q.rule is not None}
        rules.update({self.symbols[q.sid]: self._initial_expr(q)
                      for q in self.quantities.values() if self._is_ia_definition(q)})
        rules.update({self.symbols[rid]: f for rid, f in self.fluxes.items()})
        for _ in range(200):
            hit = expr.free_symbols & set(rules)
            if not hit:
                return expr
            expr = expr.xreplace({s: rules[s] for s in hit})
        raise self.error("assignment rules depend on each other in a cycle", "model")

    def _dynamic(self, s: sp.Symbol, seen: frozenset = frozenset()) -> bool:
        """True if ``s`` changes with time (a state, time, or a rule that uses them)."""
        if s == self.t or s.name in self._flux_by_name():
            return True
        q = self._by_name().get(s.name)
        if q is None or s.name in seen:
            return False
        if q.role == "state":
            return True
        if q.rule is not None:
            return any(self._dynamic(x, seen | {s.name}) for x in q.rule.free_symbols)
        return False

    def _initial_expr(self, q: _Quantity) -> sp.Expr:
        """The value of ``q`` at t = 0 as an expression of parameters (and of definitions of
        parameters): states, time and time-dependent rules are substituted."""
        where = f"{q.kind} {q.sid!r}"
        if q.initial is not None:
            expr = q.initial
        elif q.rule is not None:
            expr = q.rule
        elif q.value is not None:
            return sp.Float(q.value)
        else:
            raise self.error("it has no initial value (no value, no initial assignment, no "
                             "rule)", where)
        by_name, fluxes = self._by_name(), self._flux_by_name()
        for _ in range(200):
            subs: dict[sp.Symbol, sp.Expr] = {}
            for s in expr.free_symbols:
                if not self._dynamic(s):
                    continue
                if s == self.t:
                    subs[s] = sp.Integer(0)
                elif s.name in fluxes:
                    subs[s] = fluxes[s.name]
                else:
                    other = by_name[s.name]
                    if other.initial is not None:
                        subs[s] = other.initial
                    elif other.rule is not None:
                        subs[s] = other.rule
                    elif other.value is not None:
                        subs[s] = sp.Float(other.value)
                    else:
                        raise self.error("it has no initial value",
                                         f"{other.kind} {other.sid!r}")
            if not subs:
                return expr
            expr = expr.xreplace(subs)
        raise self.error("initial values depend on each other in a cycle", where)

    # --- the spec ----------------------------------------------------------------------
    def _text(self, expr: sp.Expr, where: str) -> str:
        try:
            return expression_text(expr)
        except ValueError as exc:
            raise self.error(str(exc), where) from None

    def _spec(self) -> ModelSpec:
        parameters: list[Parameter] = []
        states: list[State] = []
        equations: list[Equation] = []
        definitions: list[Definition] = []
        outputs: list[Output] = []
        known = {q.name: self.symbols[q.sid] for q in self.quantities.values()}
        known.update({n: sp.Symbol(n, real=True) for n in self.flux_names.values()})
        known.update({p.name: sp.Symbol(p.name, real=True) for p in self.local_parameters})
        known[TIME] = self.t
        probe = ModelSpec(name=self.name, states=(), parameters=(), equations=(),
                          file=self.file)

        def text_of(expr: sp.Expr, q: _Quantity, where: str) -> str:
            """The exporter's original text where it means the same; else printed math."""
            original = q.info.get("expression")
            if original:
                try:
                    if parse_expression(original, known, spec=probe, line=None,
                                        context=original) == expr:
                        return original
                except ModelError:
                    pass
            return self._text(expr, where)

        def describe(q: _Quantity) -> str:
            if "description" in q.info:
                return q.info["description"]
            name = q.element.getName() if q.element.isSetName() else ""
            return name if name and name != q.sid else ""

        # states first in document order: species, then compartments and parameters
        order = sorted(self.quantities.values(),
                       key=lambda q: {"species": 0, "compartment": 1, "parameter": 2}[q.kind])
        for q in order:
            where = f"{q.kind} {q.sid!r}"
            if q.role != "state":
                continue
            init = self._initial_expr(q)
            initial: str | float = float(init) if init.is_Number else self._text(init, where)
            states.append(State(q.name, initial, unit=q.unit, description=describe(q)))
            if q.rate is not None:
                rhs = q.rate
                for inf in self.quantities.values():
                    if inf.role == "infusion" and inf.name == q.name + INFUSION_SUFFIX:
                        rhs = rhs - self.symbols[inf.sid]
                        if self.symbols[inf.sid] in rhs.free_symbols:
                            raise self.error("the infusion rate is not a term of the "
                                             "equation", f"rateRule for {q.sid!r}")
                equations.append(Equation(q.name, self._text(rhs, f"rateRule for {q.sid!r}")))
            else:
                equations.append(Equation(q.name, self._species_equation(q)))
        params_seen = []
        for q in self.quantities.values():
            where = f"{q.kind} {q.sid!r}"
            if q.role == "parameter":
                if q.initial is not None and q.sid not in self._event_targets():
                    init = self._initial_expr(q)
                    if not init.is_Number:  # a constant set from other quantities
                        definitions.append(Definition(q.name, self._text(init, where),
                                                      unit=q.unit, description=describe(q)))
                        continue
                value = self._parameter_value(q)
                info = q.info
                parameters.append(Parameter(
                    q.name, value, unit=q.unit,
                    lower=float(info.get("lower", -math.inf)),
                    upper=float(info.get("upper", math.inf)),
                    description=describe(q), citation=info.get("citation", "")))
                params_seen.append(q.name)
            elif q.role in ("definition", "output"):
                expr = q.rule
                cls = Definition if q.role == "definition" else Output
                item = cls(q.name, text_of(expr, q, f"assignmentRule for {q.sid!r}"),
                           unit=q.unit, description=describe(q))
                (definitions if q.role == "definition" else outputs).append(item)
        parameters += self.local_parameters
        for rid, name in self.flux_names.items():
            r = self.model.getReaction(rid)
            definitions.append(Definition(
                name, self._text(self.fluxes[rid], f"kineticLaw of reaction {rid!r}"),
                description=r.getName() if r.isSetName() and r.getName() != rid else
                "reaction rate"))
        info = self.model_info
        description = info.get("description") or (self.model.getName()
                                                  if self.model.isSetName() else "")
        time_unit = self._default_units("TimeUnits", "time")
        if self.level >= 3 and self.model.isSetTimeUnits():
            ud = self.model.getUnitDefinition(self.model.getTimeUnits())
            if ud is not None and ud.isSetName() and info:
                time_unit = ud.getName()  # our exporter names the unit by its string
        if time_unit is None:
            time_unit = "day"
            self.notes.append("time units are not declared: taken as 'day' "
                              "(hematwin convention)")
        try:
            return ModelSpec(
                name=self.name, states=tuple(states), parameters=tuple(parameters),
                equations=tuple(equations), definitions=tuple(definitions),
                outputs=tuple(outputs), time_unit=time_unit,
                method=info.get("method") or "ros23",
                description=description, citation=info.get("citation") or self._citation(),
                file=self.file)
        except ModelError as exc:
            raise ModelError(exc.message, file=self.file, model=self.name) from None

    def _citation(self) -> str:
        refs = []
        for k in range(self.model.getNumCVTerms()):
            term = self.model.getCVTerm(k)
            if term.getQualifierType() != libsbml.MODEL_QUALIFIER:
                continue
            if term.getModelQualifierType() not in (libsbml.BQM_IS_DESCRIBED_BY,
                                                    libsbml.BQM_IS):
                continue
            for i in range(term.getNumResources()):
                uri = term.getResourceURI(i)
                if re.search(r"pubmed|doi|biomodels", uri):
                    refs.append(uri)
        return "; ".join(refs)
