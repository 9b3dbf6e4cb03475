"""Export a :class:`~hematwin.model.spec.ModelSpec` as SBML Level 3 Version 2.

The mapping is the most literal one that keeps the model's meaning (SBML L3V2 core,
sections 4.7–4.12):

- each parameter → a constant ``<parameter>`` (non-constant if a regimen changes it);
- each state → a non-constant ``<parameter>`` with a ``<rateRule>`` (``d/dt(X) = ...``);
  a state whose initial value is an expression gets an ``<initialAssignment>``;
- each definition → an ``<assignmentRule>``, each output → an assignment-ruled parameter;
- the time ``t`` → the ``time`` csymbol.

Expressions are translated from SymPy to libsbml ASTs node by node (no printing and
re-parsing), so powers, ``exp``, ``log``, ``Piecewise``, ``Min``/``Max`` (the L3V2 ``min`` /
``max`` elements) and relations keep their exact meaning.

Units: a unit string made of known symbols (``1e9/L``, ``1/h``, ``mg/umol``, ``L/h``…) becomes an
SBML ``<unitDefinition>``; every unit string, bound, description and citation is also kept
verbatim in a hematwin annotation (namespace :data:`ANNOTATION_NS`) and in the notes, so that
nothing is lost when a unit has no SBML form (e.g. ``cells/kg``).

A :class:`~hematwin.therapy.regimen.Regimen` becomes events, one per distinct event time:
``trigger time >= T`` with ``initialValue="false"`` (so that a dose at t = 0 fires),
``persistent="true"`` and ``useValuesFromTriggerTime="true"``. Simultaneous regimen items
(NONMEM record order) are composed into the one event's assignments, because SBML gives no
order to simultaneous events whose values are all taken at the trigger time: two boluses at
one time as two events would each compute ``X + amt`` from the same ``X`` and one would be
lost. Bolus: ``X = X + amt``. Infusion: a rate parameter ``<X>_infusion_rate`` added to
``d/dt(X)`` and switched on/off by events. Reset (EVID 3/4): states to their initial values,
infusions off. Replacement: ``X = value``. Covariate: ``p = value``.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

import libsbml
import numpy as np
import sympy as sp

from hematwin.engine.events import BOLUS, RATE_CHANGE, RESET, SET_PARAM, SET_STATE
from hematwin.errors import ModelError
from hematwin.model.spec import ModelSpec
from hematwin.model.symbolic import SymbolicModel, build_symbolic
from hematwin.therapy.regimen import Regimen

SBML_LEVEL = 3
SBML_VERSION = 2
ANNOTATION_NS = "https://hematwin.org/ns/sbml/1"
ANNOTATION_PREFIX = "hematwin"
INFUSION_SUFFIX = "_infusion_rate"

# unit symbol → (SBML base unit, exponent-free scale, multiplier); x = multiplier·10^scale·base
_UNIT_SYMBOLS: dict[str, tuple[int, int, float]] = {
    "s": (libsbml.UNIT_KIND_SECOND, 0, 1.0),
    "min": (libsbml.UNIT_KIND_SECOND, 0, 60.0),
    "h": (libsbml.UNIT_KIND_SECOND, 0, 3600.0),
    "day": (libsbml.UNIT_KIND_SECOND, 0, 86400.0),
    "d": (libsbml.UNIT_KIND_SECOND, 0, 86400.0),
    "week": (libsbml.UNIT_KIND_SECOND, 0, 604800.0),
    "L": (libsbml.UNIT_KIND_LITRE, 0, 1.0),
    "dL": (libsbml.UNIT_KIND_LITRE, -1, 1.0),
    "mL": (libsbml.UNIT_KIND_LITRE, -3, 1.0),
    "uL": (libsbml.UNIT_KIND_LITRE, -6, 1.0),
    "nL": (libsbml.UNIT_KIND_LITRE, -9, 1.0),
    "kg": (libsbml.UNIT_KIND_GRAM, 3, 1.0),
    "g": (libsbml.UNIT_KIND_GRAM, 0, 1.0),
    "mg": (libsbml.UNIT_KIND_GRAM, -3, 1.0),
    "ug": (libsbml.UNIT_KIND_GRAM, -6, 1.0),
    "ng": (libsbml.UNIT_KIND_GRAM, -9, 1.0),
    "pg": (libsbml.UNIT_KIND_GRAM, -12, 1.0),
    "mol": (libsbml.UNIT_KIND_MOLE, 0, 1.0),
    "mmol": (libsbml.UNIT_KIND_MOLE, -3, 1.0),
    "umol": (libsbml.UNIT_KIND_MOLE, -6, 1.0),
    "nmol": (libsbml.UNIT_KIND_MOLE, -9, 1.0),
    "pmol": (libsbml.UNIT_KIND_MOLE, -12, 1.0),
    "M": (libsbml.UNIT_KIND_MOLE, 0, 1.0),  # mol/L: litre added by the parser
    "mM": (libsbml.UNIT_KIND_MOLE, -3, 1.0),
    "uM": (libsbml.UNIT_KIND_MOLE, -6, 1.0),
    "nM": (libsbml.UNIT_KIND_MOLE, -9, 1.0),
    "cells": (libsbml.UNIT_KIND_ITEM, 0, 1.0),
    "cell": (libsbml.UNIT_KIND_ITEM, 0, 1.0),
}
_MOLAR = {"M", "mM", "uM", "nM"}
_TOKEN = re.compile(r"\s*([*/])?\s*([A-Za-z]+|[0-9.]+(?:[eE][+-]?[0-9]+)?)(?:\^(-?[0-9]+))?")


def to_sbml(spec: ModelSpec, *, regimen: Regimen | None = None) -> str:
    """The SBML L3V2 document of ``spec`` (and of ``regimen``'s events), as a string.

    Raises :class:`~hematwin.errors.ModelError` if libsbml rejects what was built (a bug,
    or a name SBML cannot hold).
    """
    return _Exporter(spec, regimen).document()


# --- SymPy → libsbml AST ------------------------------------------------------------------

_FUNCTIONS = {
    sp.exp: libsbml.AST_FUNCTION_EXP,
    sp.log: libsbml.AST_FUNCTION_LN,
    sp.Abs: libsbml.AST_FUNCTION_ABS,
    sp.sin: libsbml.AST_FUNCTION_SIN,
    sp.cos: libsbml.AST_FUNCTION_COS,
    sp.tan: libsbml.AST_FUNCTION_TAN,
    sp.tanh: libsbml.AST_FUNCTION_TANH,
    sp.atan: libsbml.AST_FUNCTION_ARCTAN,
    sp.floor: libsbml.AST_FUNCTION_FLOOR,
    sp.ceiling: libsbml.AST_FUNCTION_CEILING,
}
_RELATIONS = {
    sp.StrictLessThan: libsbml.AST_RELATIONAL_LT,
    sp.LessThan: libsbml.AST_RELATIONAL_LEQ,
    sp.StrictGreaterThan: libsbml.AST_RELATIONAL_GT,
    sp.GreaterThan: libsbml.AST_RELATIONAL_GEQ,
    sp.Eq: libsbml.AST_RELATIONAL_EQ,
    sp.Ne: libsbml.AST_RELATIONAL_NEQ,
}
_LOGIC = {sp.And: libsbml.AST_LOGICAL_AND, sp.Or: libsbml.AST_LOGICAL_OR,
          sp.Not: libsbml.AST_LOGICAL_NOT}


def _node(kind: int, *children: libsbml.ASTNode) -> libsbml.ASTNode:
    node = libsbml.ASTNode(kind)
    for child in children:
        node.addChild(child)
    return node


def _number(value: sp.Expr | float | int) -> libsbml.ASTNode:
    if isinstance(value, int) or (isinstance(value, sp.Integer)):
        node = libsbml.ASTNode(libsbml.AST_INTEGER)
        node.setValue(int(value))
        return node
    if isinstance(value, sp.Rational):
        node = libsbml.ASTNode(libsbml.AST_RATIONAL)
        node.setValue(int(value.p), int(value.q))
        return node
    node = libsbml.ASTNode(libsbml.AST_REAL)
    node.setValue(float(value))
    return node


class SBMLDelay(sp.Function):
    """``delay(x, tau)``: the value of ``x`` at ``time - tau`` (SBML delay csymbol)."""

    nargs = 2


def sympy_to_ast(expr: sp.Basic, time: sp.Symbol | None) -> libsbml.ASTNode:
    """A libsbml AST for a SymPy expression; ``time`` becomes the SBML time csymbol."""
    if isinstance(expr, SBMLDelay):
        node = libsbml.ASTNode(libsbml.AST_FUNCTION_DELAY)
        node.setName("delay")
        for arg in expr.args:
            node.addChild(sympy_to_ast(arg, time))
        return node
    if isinstance(expr, sp.Symbol):
        if time is not None and expr == time:
            node = libsbml.ASTNode(libsbml.AST_NAME_TIME)
            node.setName("time")
            return node
        node = libsbml.ASTNode(libsbml.AST_NAME)
        node.setName(expr.name)
        return node
    if expr is sp.pi:
        return libsbml.ASTNode(libsbml.AST_CONSTANT_PI)
    if expr is sp.E:
        return libsbml.ASTNode(libsbml.AST_CONSTANT_E)
    if expr is sp.true:
        return libsbml.ASTNode(libsbml.AST_CONSTANT_TRUE)
    if expr is sp.false:
        return libsbml.ASTNode(libsbml.AST_CONSTANT_FALSE)
    if isinstance(expr, sp.Number):
        if expr.is_negative:
            return _node(libsbml.AST_MINUS, _number(-expr))
        if not expr.is_finite:
            raise ModelError(f"cannot write the non-finite number {expr} to SBML")
        return _number(expr)
    if isinstance(expr, sp.Add):
        return _add(expr, time)
    if isinstance(expr, sp.Mul):
        return _mul(expr, time)
    if isinstance(expr, sp.Pow):
        base, exponent = expr.args
        if exponent == -1:
            return _node(libsbml.AST_DIVIDE, _number(1), sympy_to_ast(base, time))
        if exponent == sp.Rational(1, 2):
            return _node(libsbml.AST_FUNCTION_ROOT, sympy_to_ast(base, time))
        return _node(libsbml.AST_POWER, sympy_to_ast(base, time), sympy_to_ast(exponent, time))
    if isinstance(expr, sp.Piecewise):
        node = libsbml.ASTNode(libsbml.AST_FUNCTION_PIECEWISE)
        for value, cond in expr.args:
            node.addChild(sympy_to_ast(value, time))
            if cond is sp.true:  # the "otherwise" branch ends the piecewise
                break
            node.addChild(sympy_to_ast(cond, time))
        return node
    if isinstance(expr, sp.Heaviside):
        # H(x) with H(0) = expr.args[1] (hematwin's heaviside uses 1)
        x = sympy_to_ast(expr.args[0], time)
        at0 = expr.args[1] if len(expr.args) > 1 else sp.Rational(1, 2)
        pw = libsbml.ASTNode(libsbml.AST_FUNCTION_PIECEWISE)
        pw.addChild(_number(1))
        pw.addChild(_node(libsbml.AST_RELATIONAL_GT, x, _number(0)))
        pw.addChild(_number(0))
        pw.addChild(_node(libsbml.AST_RELATIONAL_LT, x.deepCopy(), _number(0)))
        pw.addChild(sympy_to_ast(sp.sympify(at0), time))
        return pw
    if isinstance(expr, sp.Min | sp.Max):
        kind = libsbml.AST_FUNCTION_MIN if isinstance(expr, sp.Min) else libsbml.AST_FUNCTION_MAX
        return _node(kind, *(sympy_to_ast(a, time) for a in expr.args))
    for cls, kind in _RELATIONS.items():
        if isinstance(expr, cls):
            return _node(kind, *(sympy_to_ast(a, time) for a in expr.args))
    for cls, kind in _LOGIC.items():
        if isinstance(expr, cls):
            return _node(kind, *(sympy_to_ast(a, time) for a in expr.args))
    if isinstance(expr, sp.Function) and expr.func in _FUNCTIONS:
        return _node(_FUNCTIONS[expr.func], *(sympy_to_ast(a, time) for a in expr.args))
    raise ModelError(f"no SBML form for {type(expr).__name__} in {expr}")


def _add(expr: sp.Add, time: sp.Symbol | None) -> libsbml.ASTNode:
    """Sums as ``a + b - c - d`` rather than ``a + b + (-c) + (-d)``."""
    plus = [a for a in expr.args if not a.could_extract_minus_sign()]
    minus = [-a for a in expr.args if a.could_extract_minus_sign()]
    if not plus:
        return _node(libsbml.AST_MINUS, _add(-expr, time))
    node = (sympy_to_ast(plus[0], time) if len(plus) == 1
            else _node(libsbml.AST_PLUS, *(sympy_to_ast(a, time) for a in plus)))
    for a in minus:
        node = _node(libsbml.AST_MINUS, node, sympy_to_ast(a, time))
    return node


def _mul(expr: sp.Mul, time: sp.Symbol | None) -> libsbml.ASTNode:
    """Products as ``num / den`` and a leading minus, as the expression was written."""
    coeff, factors = expr.as_coeff_mul()
    num: list[sp.Expr] = []
    den: list[sp.Expr] = []
    for f in factors:
        if isinstance(f, sp.Pow) and f.exp.is_number and f.exp.is_negative:
            den.append(f.base ** (-f.exp))
        else:
            num.append(f)
    negative = coeff.is_negative
    coeff = abs(coeff)
    if isinstance(coeff, sp.Rational) and not isinstance(coeff, sp.Integer):
        if coeff.p != 1:
            num.insert(0, sp.Integer(coeff.p))
        den.insert(0, sp.Integer(coeff.q))
    elif coeff != 1:
        num.insert(0, coeff)

    def product(items: list[sp.Expr]) -> libsbml.ASTNode:
        if not items:
            return _number(1)
        if len(items) == 1:
            return sympy_to_ast(items[0], time)
        return _node(libsbml.AST_TIMES, *(sympy_to_ast(i, time) for i in items))

    node = product(num) if not den else _node(libsbml.AST_DIVIDE, product(num), product(den))
    return _node(libsbml.AST_MINUS, node) if negative else node


# --- units --------------------------------------------------------------------------------


def unit_definition_parts(unit: str) -> list[tuple[int, float, int, float]] | None:
    """``unit`` as SBML units (kind, exponent, scale, multiplier); None if not expressible.

    Grammar: an optional leading number, then symbols joined by ``*`` or ``/`` with optional
    integer powers ``^n`` (``1e9/L``, ``1/h``, ``mg/umol``, ``L/h``, ``10^9/L``).
    """
    text = unit.strip().replace("µ", "u").replace("μ", "u").replace("**", "^")
    text = text.replace("10^", "1e")
    if text in ("", "1", "dimensionless"):
        return [(libsbml.UNIT_KIND_DIMENSIONLESS, 1.0, 0, 1.0)]
    parts: list[tuple[int, float, int, float]] = []
    factor = 1.0
    pos = 0
    first = True
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos or (m.group(1) is None and not first):
            return None
        op, sym, power = m.group(1), m.group(2), int(m.group(3) or 1)
        if first and op is not None:
            return None
        sign = -1 if op == "/" else 1
        if sym[0].isdigit() or sym[0] == ".":
            try:
                value = float(sym) ** power
            except ValueError:
                return None
            factor = factor * value if sign > 0 else factor / value
        elif sym in _UNIT_SYMBOLS:
            kind, scale, mult = _UNIT_SYMBOLS[sym]
            parts.append((kind, float(sign * power), scale, mult))
            if sym in _MOLAR:
                parts.append((libsbml.UNIT_KIND_LITRE, float(-sign * power), 0, 1.0))
        else:
            return None
        pos = m.end()
        first = False
    if not parts:
        parts = [(libsbml.UNIT_KIND_DIMENSIONLESS, 1.0, 0, 1.0)]
    if factor != 1.0:
        kind, exponent, scale, mult = parts[0]
        # (m·10^s·u)^e · factor  ⇒  fold the factor into the first unit's multiplier
        parts[0] = (kind, exponent, scale, mult * factor ** (1.0 / exponent))
    return parts


def unit_id(unit: str) -> str:
    """A valid SBML SId naming ``unit`` (``1e9/L`` → ``u_1e9_per_L``)."""
    text = unit.strip().replace("µ", "u").replace("μ", "u")
    text = text.replace("/", "_per_").replace("*", "_").replace("^", "_pow_").replace(".", "p")
    text = re.sub(r"[^A-Za-z0-9_]", "_", text).replace("-", "m")
    return "u_" + text


# --- the exporter -------------------------------------------------------------------------


class _Exporter:
    def __init__(self, spec: ModelSpec, regimen: Regimen | None) -> None:
        self.spec = spec
        self.symbolic: SymbolicModel = build_symbolic(spec)
        self._refuse_history()
        self.regimen = regimen
        self.doc = libsbml.SBMLDocument(SBML_LEVEL, SBML_VERSION)
        self.model = self.doc.createModel()
        self.units: dict[str, str | None] = {}

    def _refuse_history(self) -> None:
        """SBML has no construct for a delayed state's value before the start (a delay
        csymbol reads the initial value there): a declared history other than the constant
        initial value would be lost, so it is refused."""
        sym = self.symbolic
        values = sym._substitute(tuple(e for _, e in sym.history_raw))
        for (state, _), history in zip(sym.history_raw, values, strict=True):
            if sp.simplify(history - sym.initial[state]) != 0:
                name = self.spec.states[state].name
                raise ModelError(
                    f"history of {name!r} before t0, {dict(self.spec.history)[name]!r}, is "
                    f"not its initial value {sym.initial[state]}; SBML cannot hold a history "
                    "function", model=self.spec.name, field=f"history.{name}")

    def _check(self, code: int, what: str) -> None:
        if code != libsbml.LIBSBML_OPERATION_SUCCESS:
            raise ModelError(f"libsbml refused {what}: "
                             f"{libsbml.OperationReturnValue_toString(code)}",
                             model=self.spec.name)

    def _math(self, expr: sp.Basic) -> libsbml.ASTNode:
        # a delayed state X(t - tau) → the SBML delay csymbol, delay(X, tau)
        delayed = {sym: SBMLDelay(self.symbolic.states[i], tau)
                   for i, tau, sym in self.symbolic.delays}
        return sympy_to_ast(expr.xreplace(delayed) if delayed else expr, self.symbolic.t)

    def _unit(self, unit: str) -> str | None:
        """The id of a unit definition for ``unit`` (created once), or None."""
        if unit in self.units:
            return self.units[unit]
        parts = unit_definition_parts(unit)
        if parts is None:
            self.units[unit] = None
            return None
        if len(parts) == 1 and parts[0][0] == libsbml.UNIT_KIND_DIMENSIONLESS \
                and parts[0][3] == 1.0:
            self.units[unit] = "dimensionless"
            return "dimensionless"
        uid = unit_id(unit)
        if self.model.getUnitDefinition(uid) is None:
            ud = self.model.createUnitDefinition()
            self._check(ud.setId(uid), f"unit id {uid!r}")
            ud.setName(unit)
            for kind, exponent, scale, mult in parts:
                u = ud.createUnit()
                u.setKind(kind)
                u.setExponent(exponent)
                u.setScale(scale)
                u.setMultiplier(mult)
        self.units[unit] = uid
        return uid

    def _annotate(self, sbase: libsbml.SBase, **fields: object) -> None:
        # an empty unit is kept (it means "not given"; the import reads a missing one as "1")
        fields = {k: v for k, v in fields.items() if v is not None and (v != "" or k == "unit")}
        text = "; ".join(f"{k}: {v}" for k, v in fields.items() if v != "" and k in (
            "description", "citation", "unit"))
        if text:
            self._check(sbase.setNotes(f'<body xmlns="http://www.w3.org/1999/xhtml"><p>'
                                       f"{escape(text)}</p></body>"), "notes")
        attrs = " ".join(f'{ANNOTATION_PREFIX}:{k}="{escape(str(v), {chr(34): "&quot;"})}"'
                         for k, v in fields.items())
        xml = (f'<{ANNOTATION_PREFIX}:info xmlns:{ANNOTATION_PREFIX}="{ANNOTATION_NS}" '
               f"{attrs}/>")
        self._check(sbase.setAnnotation(f"<annotation>{xml}</annotation>"), "annotation")

    def _parameter(self, name: str, *, constant: bool, value: float | None, unit: str,
                   **info: object) -> libsbml.Parameter:
        p = self.model.createParameter()
        self._check(p.setId(name), f"the name {name!r} as an SBML id")
        p.setConstant(constant)
        if value is not None:
            p.setValue(float(value))
        uid = self._unit(unit) if unit else None
        if uid is not None:
            p.setUnits(uid)
        self._annotate(p, unit=unit, **info)
        return p

    def document(self) -> str:
        spec, sym, model = self.spec, self.symbolic, self.model
        self._check(model.setId(_sid(spec.name)), f"model id {spec.name!r}")
        model.setName(spec.description or spec.name)
        self._annotate(model, description=spec.description, citation=spec.citation,
                       method=spec.method)
        time_unit = self._unit(spec.time_unit)
        if time_unit is not None:
            model.setTimeUnits(time_unit)

        events = self._events()
        changed_params = {int(t) for _, k, t, _ in events if k == SET_PARAM}
        infused = sorted({int(t) for _, k, t, _ in events if k == RATE_CHANGE})

        for j, p in enumerate(spec.parameters):
            # the value again at full precision (libsbml writes 15 significant digits)
            self._parameter(p.name, constant=j not in changed_params, value=p.default,
                            unit=p.unit, kind="parameter", exact=repr(p.default),
                            description=p.description,
                            citation=p.citation,
                            lower=None if np.isinf(p.lower) else p.lower,
                            upper=None if np.isinf(p.upper) else p.upper)
        for i, s in enumerate(spec.states):
            init = sym.initial_raw[i]
            number = init.is_Number
            self._parameter(s.name, constant=False, value=float(init) if number else None,
                            unit=s.unit, kind="state", description=s.description,
                            exact=repr(float(init)) if number else None)
            if not number:
                ia = model.createInitialAssignment()
                ia.setSymbol(s.name)
                self._check(ia.setMath(self._math(init)), f"initial value of {s.name}")
        for i in infused:
            name = spec.states[i].name + INFUSION_SUFFIX
            state_unit = spec.states[i].unit
            unit = f"{state_unit}/{spec.time_unit}" if state_unit not in ("", "1") else \
                f"1/{spec.time_unit}"
            self._parameter(name, constant=False, value=0.0, unit=unit, kind="infusion_rate",
                            description=f"zero-order infusion rate into {spec.states[i].name}")
        units_of = {d.name: d for d in spec.definitions}
        for def_sym, expr in sym.definitions:
            d = units_of[def_sym.name]
            self._parameter(d.name, constant=False, value=None, unit=d.unit,
                            kind="definition", description=d.description,
                            expression=d.expression)
            rule = model.createAssignmentRule()
            rule.setVariable(d.name)
            self._check(rule.setMath(self._math(expr)), f"definition {d.name}")
        for o, expr in zip(spec.outputs, sym.outputs_raw, strict=True):
            self._parameter(o.name, constant=False, value=None, unit=o.unit, kind="output",
                            description=o.description, expression=o.expression)
            rule = model.createAssignmentRule()
            rule.setVariable(o.name)
            self._check(rule.setMath(self._math(expr)), f"output {o.name}")
        for i, (s, expr) in enumerate(zip(spec.states, sym.rhs_raw, strict=True)):
            if i in infused:
                expr = expr + sp.Symbol(s.name + INFUSION_SUFFIX, real=True)
            rule = model.createRateRule()
            rule.setVariable(s.name)
            self._check(rule.setMath(self._math(expr)), f"equation d/dt({s.name})")
        self._write_events(events)

        text = libsbml.writeSBMLToString(self.doc)
        if self.doc.getNumErrors(libsbml.LIBSBML_SEV_ERROR) or \
                self.doc.getNumErrors(libsbml.LIBSBML_SEV_FATAL):
            raise ModelError(f"libsbml reports errors in the exported document:\n"
                             f"{self.doc.getErrorLog().toString()}", model=spec.name)
        return text

    # --- regimen → events -------------------------------------------------------------
    def _events(self) -> list[tuple[float, int, int, float]]:
        if self.regimen is None:
            return []
        table = self.regimen.to_events(self.spec)
        return [(float(t), int(k), int(g), float(v)) for t, k, g, v in
                zip(table.time, table.kind, table.target, table.value, strict=True)]

    def _write_events(self, events: list[tuple[float, int, int, float]]) -> None:
        spec, sym = self.spec, self.symbolic
        params = list(sym.params)
        by_time: dict[float, list[tuple[int, int, float]]] = {}
        for t, kind, target, value in events:
            by_time.setdefault(t, []).append((kind, target, value))
        infused = {spec.states[g].name + INFUSION_SUFFIX
                   for _, k, g, _ in events if k == RATE_CHANGE}
        rates = {n: sp.Symbol(n, real=True) for n in sorted(infused)}
        for k, (t, items) in enumerate(sorted(by_time.items())):
            # compose the items in record order: each target's new value as an expression of
            # the values just before the event
            new: dict[sp.Symbol, sp.Expr] = {}

            def current(s: sp.Symbol, new: dict = new) -> sp.Expr:
                return new.get(s, s)

            for kind, target, value in items:
                if kind == BOLUS:
                    s = sym.states[target]
                    new[s] = current(s) + sp.Float(value)
                elif kind == RATE_CHANGE:
                    r = rates[spec.states[target].name + INFUSION_SUFFIX]
                    new[r] = current(r) + sp.Float(value)
                elif kind == SET_STATE:
                    new[sym.states[target]] = sp.Float(value)
                elif kind == SET_PARAM:
                    new[params[target]] = sp.Float(value)
                elif kind == RESET:
                    # initial values use parameters as they are now (after earlier items)
                    subs = {p: current(p) for p in params if p in new}
                    for s, init in zip(sym.states, sym.initial_raw, strict=True):
                        value_expr = init
                        if subs:  # definitions in the initial value see the new parameters
                            for d, dexpr in reversed(sym.definitions):
                                value_expr = value_expr.xreplace({d: dexpr})
                            value_expr = value_expr.xreplace(subs)
                        new[s] = value_expr
                    for r in rates.values():
                        new[r] = sp.Integer(0)
                else:  # pragma: no cover - the event ABI has no other kinds
                    raise ModelError(f"unknown event kind {kind}", model=spec.name)
            ev = self.model.createEvent()
            self._check(ev.setId(f"event_{k}"), "event id")
            ev.setUseValuesFromTriggerTime(True)
            trigger = ev.createTrigger()
            trigger.setInitialValue(False)
            trigger.setPersistent(True)
            cond = _node(libsbml.AST_RELATIONAL_GEQ, self._math(sym.t), _number(sp.Float(t)))
            self._check(trigger.setMath(cond), f"trigger at time {t}")
            for target, expr in new.items():
                if expr == target:
                    continue
                ea = ev.createEventAssignment()
                ea.setVariable(target.name)
                self._check(ea.setMath(self._math(expr)), f"event assignment to {target}")
            self._annotate(ev, kind="regimen", time=t,
                           items=", ".join(_describe(kind, g, v, spec) for kind, g, v in items))


def _describe(kind: int, target: int, value: float, spec: ModelSpec) -> str:
    if kind == BOLUS:
        return f"bolus {value:g} into {spec.states[target].name}"
    if kind == RATE_CHANGE:
        verb = "start" if value > 0 else "end"
        return f"{verb} infusion {abs(value):g}/{spec.time_unit} into {spec.states[target].name}"
    if kind == RESET:
        return "reset"
    if kind == SET_STATE:
        return f"set {spec.states[target].name} = {value:g}"
    return f"set {spec.parameters[target].name} = {value:g}"


def _sid(name: str) -> str:
    sid = re.sub(r"[^A-Za-z0-9_]", "_", name)
    return sid if re.match(r"[A-Za-z_]", sid) else f"_{sid}"
