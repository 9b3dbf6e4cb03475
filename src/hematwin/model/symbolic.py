"""Parse a :class:`ModelSpec` with SymPy, check it, and derive its symbolic forms.

At load time every expression is parsed and checked: syntax, unknown names, a state without
an equation, an equation for an undeclared state, definitions that depend on each other in a
cycle. Errors name the model, file, line and equation. From the checked model we derive the
right-hand side with all definitions substituted, the analytic Jacobian ∂f/∂y, the time
derivative ∂f/∂t (for Rosenbrock methods), the initial values and the outputs.
"""

from __future__ import annotations

import ast
import keyword
from dataclasses import dataclass, field
from functools import cached_property

import sympy as sp
from sympy.parsing.sympy_parser import auto_number, convert_xor, parse_expr

from hematwin.errors import (
    EquationSyntaxError,
    MissingEquationError,
    ModelError,
    UnknownSymbolError,
)
from hematwin.model.spec import ModelSpec

TIME = "t"

# Functions allowed in model expressions (name -> SymPy callable). Nothing else is callable.
FUNCTIONS: dict[str, object] = {
    "exp": sp.exp,
    "log": sp.log,
    "ln": sp.log,
    "log10": lambda x: sp.log(x, 10),
    "sqrt": sp.sqrt,
    "abs": sp.Abs,
    "Abs": sp.Abs,
    "min": sp.Min,
    "max": sp.Max,
    "Min": sp.Min,
    "Max": sp.Max,
    "sin": sp.sin,
    "cos": sp.cos,
    "tan": sp.tan,
    "tanh": sp.tanh,
    "atan": sp.atan,
    "pow": sp.Pow,
    "piecewise": sp.Piecewise,
    "Piecewise": sp.Piecewise,
    "heaviside": lambda x: sp.Heaviside(x, 1),
    "pi": sp.pi,
}

_TRANSFORMS = (auto_number, convert_xor)


def _reserved_ok(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name) and name not in FUNCTIONS


@dataclass
class DelayRegistry:
    """Delayed state values ``X(t - lag)`` met while parsing.

    ``lag`` is a constant expression of parameters, or (a state-dependent delay) an
    expression of states, definitions and parameters; ``names`` are the symbols a lag may use.
    """

    states: dict[str, int]
    params: set[sp.Symbol]
    t: sp.Symbol
    entries: list[tuple[int, sp.Expr, sp.Symbol]]
    names: dict[str, sp.Symbol] = field(default_factory=dict)

    def symbol(self, state: str, tau: sp.Expr) -> sp.Symbol:
        idx = self.states[state]
        for i, tau_i, sym in self.entries:
            if i == idx and sp.simplify(tau_i - tau) == 0:
                return sym
        sym = sp.Symbol(f"delay{len(self.entries)}_{state}", real=True)
        self.entries.append((idx, tau, sym))
        return sym


class _DelayRewriter(ast.NodeTransformer):
    """Replace ``X(t - tau)`` (X a state) by a placeholder name resolved after parsing."""

    def __init__(self, states: set[str]) -> None:
        self.states = states
        self.found: dict[str, tuple[str, ast.expr]] = {}

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id in self.states:
            key = f"__delayed_{len(self.found)}"
            self.found[key] = (node.func.id, node)
            return ast.copy_location(ast.Name(id=key, ctx=ast.Load()), node)
        return node


def parse_expression(
    text: str | float,
    known: dict[str, sp.Symbol],
    *,
    spec: ModelSpec,
    line: int | None,
    context: str,
    delays: DelayRegistry | None = None,
) -> sp.Expr:
    """Parse one expression; every name must be in ``known`` (or be an allowed function).

    ``context`` is the full line shown in error messages (e.g. ``d/dt(Circ) = ...``).
    With ``delays``, a state called with one argument, ``X(t - tau)``, is its delayed
    value: ``tau`` an expression of parameters (a constant delay, > 0 at run time) or of
    states, definitions and parameters (a state-dependent delay, in [0, max_lag] at run time).
    """
    where = {"model": spec.name, "file": spec.file, "line": line, "equation": context}
    if isinstance(text, int | float):
        return sp.Float(text)
    source = str(text).strip()
    if not source:
        raise EquationSyntaxError("empty expression", **where)
    try:
        tree = ast.parse(source.replace("^", "**"), mode="eval")
    except SyntaxError as exc:
        raise EquationSyntaxError(
            f"cannot parse expression {source!r}: {exc.msg} at column {exc.offset}", **where
        ) from None
    delayed: dict[str, sp.Symbol] = {}
    if delays is not None:
        rewriter = _DelayRewriter(set(delays.states))
        tree = rewriter.visit(tree)
        for key, (state, call) in rewriter.found.items():
            if len(call.args) != 1 or call.keywords:
                raise EquationSyntaxError(
                    f"a delayed state is written {state}(t - tau), got {ast.unparse(call)!r}",
                    **where,
                )
            arg_text = ast.unparse(call.args[0])
            if "__delayed_" in arg_text:
                raise EquationSyntaxError(
                    f"{ast.unparse(call)!r}: a delayed value inside the lag of another is not "
                    "supported", **where)
            arg = parse_expression(
                arg_text, {TIME: delays.t, **{str(q): q for q in delays.params}, **delays.names},
                spec=spec, line=line, context=context,
            )
            tau = sp.expand(delays.t - arg)
            if delays.t in tau.free_symbols or tau.is_number and not tau > 0:
                raise EquationSyntaxError(
                    f"{ast.unparse(call)!r}: the delay must be t minus a positive expression "
                    "of parameters (constant) or of states, definitions and parameters "
                    "(state-dependent), not of t itself",
                    **where,
                )
            delayed[key] = delays.symbol(state, tau)
        known = {**known, **delayed}
        source = ast.unparse(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in known and node.id not in FUNCTIONS:
            raise UnknownSymbolError(
                f"unknown name {node.id!r}: not a state, parameter, definition or "
                f"the time {TIME!r}",
                **where,
            )
        if isinstance(node, ast.Call) and not (
            isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS
        ):
            name = ast.unparse(node.func)
            raise UnknownSymbolError(
                f"unknown function {name!r}; allowed: {', '.join(sorted(FUNCTIONS))}", **where
            )
        if isinstance(node, ast.Attribute | ast.Subscript | ast.Lambda | ast.Starred):
            raise EquationSyntaxError(
                f"unsupported construct {ast.unparse(node)!r} in an expression", **where
            )
    global_dict: dict[str, object] = {
        "Integer": sp.Integer,
        "Float": sp.Float,
        "Rational": sp.Rational,
        "Symbol": sp.Symbol,
        "__builtins__": {},
    }
    local_dict: dict[str, object] = {**FUNCTIONS, **known}
    try:
        expr = parse_expr(
            source,
            local_dict=local_dict,
            global_dict=global_dict,
            transformations=_TRANSFORMS,
            evaluate=True,
        )
    except Exception as exc:  # SymPy raises many types for bad input
        raise EquationSyntaxError(f"cannot parse expression {source!r}: {exc}", **where) from None
    if not isinstance(expr, sp.Expr):
        raise EquationSyntaxError(
            f"expression {source!r} is not a numeric expression (got {type(expr).__name__})",
            **where,
        )
    return expr


def _merge_powers(expr):
    """n*x**n/x (SymPy's derivative of x**n, also inside (x/c)**n) → n*x**(n - 1), which is
    finite at x = 0. Splitting the power of a product is forced: wherever the original power
    is real and finite the two forms are equal."""
    return sp.powsimp(sp.expand_power_base(expr, force=True), force=True)


def _without_dirac(expr):
    return expr.replace(sp.DiracDelta, lambda *args: sp.Integer(0))


@dataclass(frozen=True)
class SymbolicModel:
    """A checked model in symbolic form.

    ``rhs`` has every definition substituted: it is a function of ``t``, the states and the
    parameters only. ``definitions`` keeps the definitions in dependency order for code that
    wants readable intermediate variables.
    """

    spec: ModelSpec
    t: sp.Symbol
    states: tuple[sp.Symbol, ...]
    params: tuple[sp.Symbol, ...]
    definitions: tuple[tuple[sp.Symbol, sp.Expr], ...]
    rhs_raw: tuple[sp.Expr, ...]
    initial_raw: tuple[sp.Expr, ...]
    outputs_raw: tuple[sp.Expr, ...]
    delays: tuple[tuple[int, sp.Expr, sp.Symbol], ...] = ()
    lag_bounds: tuple[sp.Expr | None, sp.Expr | None] = (None, None)
    history_raw: tuple[tuple[int, sp.Expr], ...] = ()

    @property
    def n_delays(self) -> int:
        return len(self.delays)

    @cached_property
    def lags(self) -> tuple[sp.Expr, ...]:
        """The lag of every delayed value, definitions substituted (states and parameters)."""
        return self._substitute(tuple(tau for _, tau, _ in self.delays))

    @cached_property
    def state_dependent(self) -> tuple[bool, ...]:
        """Whether each lag depends on the states (else it is a constant of parameters)."""
        states = set(self.states)
        return tuple(bool(lag.free_symbols & states) for lag in self.lags)

    @property
    def n_state_dependent(self) -> int:
        return sum(self.state_dependent)

    @property
    def delay_symbols(self) -> tuple[sp.Symbol, ...]:
        return tuple(sym for _, _, sym in self.delays)

    @property
    def n_states(self) -> int:
        return len(self.states)

    @property
    def n_params(self) -> int:
        return len(self.params)

    @property
    def n_outputs(self) -> int:
        return len(self.outputs_raw)

    def _substitute(self, exprs: tuple[sp.Expr, ...]) -> tuple[sp.Expr, ...]:
        # definitions are in dependency order: substituting in reverse resolves chains
        result = list(exprs)
        for sym, value in reversed(self.definitions):
            result = [e.xreplace({sym: value}) for e in result]
        return tuple(result)

    @cached_property
    def rhs(self) -> tuple[sp.Expr, ...]:
        return self._substitute(self.rhs_raw)

    @cached_property
    def initial(self) -> tuple[sp.Expr, ...]:
        return self._substitute(self.initial_raw)

    @cached_property
    def outputs(self) -> tuple[sp.Expr, ...]:
        return self._substitute(self.outputs_raw)

    @cached_property
    def histories(self) -> tuple[sp.Expr | None, ...]:
        """For every delayed value, the declared history of its state (an expression of t
        and parameters, used before t0), or None: the initial value is the history."""
        declared = dict(zip((i for i, _ in self.history_raw),
                            self._substitute(tuple(e for _, e in self.history_raw)),
                            strict=True))
        return tuple(declared.get(state) for state, _, _ in self.delays)

    @cached_property
    def jacobian(self) -> sp.Matrix:
        """∂f/∂y, analytic (the derivative of a step function is taken as 0: it is zero
        everywhere except on the step itself, where no solver evaluates it)."""
        jac = sp.Matrix(self.rhs).jacobian(sp.Matrix(self.states))
        return _without_dirac(jac.applyfunc(_merge_powers))

    @cached_property
    def dfdt(self) -> tuple[sp.Expr, ...]:
        """∂f/∂t, analytic (zero for autonomous models)."""
        return tuple(_without_dirac(sp.diff(e, self.t)) for e in self.rhs)

    @cached_property
    def is_autonomous(self) -> bool:
        return all(e == 0 for e in self.dfdt)


def _order_definitions(
    spec: ModelSpec, parsed: dict[str, tuple[sp.Expr, int | None, str]]
) -> list[str]:
    """Topological order of definitions; a cycle is a ModelError naming its members."""
    names = set(parsed)
    deps = {n: {s.name for s in parsed[n][0].free_symbols} & names for n in parsed}
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(n: str, path: list[str]) -> None:
        if state.get(n) == 2:
            return
        if state.get(n) == 1:
            cycle = path[path.index(n) :] + [n]
            raise ModelError(
                f"definitions depend on each other in a cycle: {' -> '.join(cycle)}",
                model=spec.name,
                file=spec.file,
                line=parsed[n][1],
                equation=parsed[n][2],
            )
        state[n] = 1
        for d in sorted(deps[n]):
            visit(d, path + [n])
        state[n] = 2
        order.append(n)

    for n in parsed:  # keep the author's order where dependencies allow
        visit(n, [])
    return order


def _parse_histories(
    spec: ModelSpec, known: dict[str, sp.Symbol], delays: DelayRegistry, where: dict
) -> tuple[tuple[int, sp.Expr], ...]:
    """(state index, expression) of every declared history; the state must be declared
    and appear delayed in an equation or definition."""
    delayed = {state for state, _, _ in delays.entries}
    index = {s.name: i for i, s in enumerate(spec.states)}
    out = []
    for name, text in spec.history:
        context = f"history {name}(t < t0) = {text}"
        if name not in index:
            raise ModelError(f"history for {name!r}, which is not a declared state "
                             f"({context})", field=f"history.{name}", **where)
        if index[name] not in delayed:
            raise ModelError(f"history for {name!r}, which is never used delayed as "
                             f"{name}(t - tau) ({context})", field=f"history.{name}", **where)
        expr = parse_expression(text, known, spec=spec, line=None, context=context)
        out.append((index[name], expr))
    return tuple(out)


def build_symbolic(spec: ModelSpec) -> SymbolicModel:
    """Parse and check every expression of ``spec``."""
    where = {"model": spec.name, "file": spec.file}
    for item in (*spec.states, *spec.parameters, *spec.definitions, *spec.outputs):
        if not _reserved_ok(item.name) or item.name == TIME:
            raise ModelError(
                f"{item.name!r} cannot be used as a name (reserved word, function name or "
                f"the time {TIME!r})",
                line=item.line,
                **where,
            )
    t = sp.Symbol(TIME, real=True)
    states = tuple(sp.Symbol(s.name, real=True) for s in spec.states)
    params = tuple(sp.Symbol(p.name, real=True) for p in spec.parameters)
    defs = {d.name: sp.Symbol(d.name, real=True) for d in spec.definitions}
    known = {TIME: t, **{s.name: s for s in states}, **{p.name: p for p in params}, **defs}
    delays = DelayRegistry(
        states={s.name: i for i, s in enumerate(spec.states)}, params=set(params), t=t,
        entries=[], names={**{s.name: s for s in states}, **defs},
    )

    # equations: one per state, no strangers, no repeats
    by_state: dict[str, object] = {}
    for eq in spec.equations:
        if eq.state not in {s.name for s in spec.states}:
            raise MissingEquationError(
                f"equation for {eq.state!r}, which is not a declared state",
                line=eq.line,
                equation=eq.text,
                **where,
            )
        if eq.state in by_state:
            raise ModelError(
                f"second equation for state {eq.state!r}",
                line=eq.line,
                equation=eq.text,
                **where,
            )
        by_state[eq.state] = eq
    for s in spec.states:
        if s.name not in by_state:
            raise MissingEquationError(
                f"state {s.name!r} has no equation d/dt({s.name}) = ...", line=s.line, **where
            )

    parsed_defs = {
        d.name: (
            parse_expression(
                d.expression,
                known,
                spec=spec,
                line=d.line,
                context=f"{d.name} = {d.expression}",
                delays=delays,
            ),
            d.line,
            f"{d.name} = {d.expression}",
        )
        for d in spec.definitions
    }
    order = _order_definitions(spec, parsed_defs)
    definitions = tuple((defs[n], parsed_defs[n][0]) for n in order)

    rhs = []
    for s in spec.states:
        eq = by_state[s.name]
        rhs.append(parse_expression(eq.expression, known, spec=spec, line=eq.line,
                                    context=eq.text, delays=delays))

    # initial values may use parameters and definitions that depend only on parameters
    init_known = {**{p.name: p for p in params}, **defs}
    initial = []
    for s in spec.states:
        expr = parse_expression(
            s.initial, init_known, spec=spec, line=s.line, context=f"{s.name}(0) = {s.initial}"
        )
        initial.append(expr)
    outputs = [
        parse_expression(o.expression, known, spec=spec, line=o.line, context=f"{o.name} = "
                         f"{o.expression}")
        for o in spec.outputs
    ]
    param_names = {p.name: p for p in params}
    lag_bounds = tuple(
        None if bound is None else parse_expression(
            bound, param_names, spec=spec, line=None, context=f"{name} = {bound}")
        for name, bound in (("min_lag", spec.min_lag), ("max_lag", spec.max_lag))
    )
    history = _parse_histories(spec, known, delays, where)
    model = SymbolicModel(
        spec=spec,
        t=t,
        states=states,
        params=params,
        definitions=definitions,
        rhs_raw=tuple(rhs),
        initial_raw=tuple(initial),
        outputs_raw=tuple(outputs),
        delays=tuple(delays.entries),
        lag_bounds=lag_bounds,
        history_raw=history,
    )
    # a history may use the time and parameters (definitions of those) only
    for (state, _), expr in zip(history, model._substitute(tuple(e for _, e in history)),
                                strict=True):
        bad = expr.free_symbols - {t, *params}
        if bad:
            name = spec.states[state].name
            raise ModelError(
                f"history of {name!r}, {dict(spec.history)[name]!r}, uses "
                f"{sorted(map(str, bad))}; a history may use the time {TIME!r} and "
                "parameters only", field=f"history.{name}", **where)
    # a lag may use states and definitions, but neither the time nor another delayed value
    banned = {t, *model.delay_symbols}
    for (state, _, _), lag in zip(model.delays, model.lags, strict=True):
        bad = lag.free_symbols & banned
        if bad:
            raise ModelError(
                f"the lag {lag} of {spec.states[state].name}(t - lag) depends on "
                f"{sorted(map(str, bad))} through a definition; a lag may use states, "
                "parameters and definitions of those only", **where)
    # a definition used by an initial value must not depend on states or time
    state_set = set(states) | {t}
    for s, expr in zip(spec.states, model.initial, strict=True):
        bad = expr.free_symbols & state_set
        if bad:
            raise ModelError(
                f"initial value of {s.name!r} depends on {sorted(map(str, bad))}; it may use "
                "parameters only",
                line=s.line,
                **where,
            )
    return model
