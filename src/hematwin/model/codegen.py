"""Generate Python source for the model functions from the symbolic form.

The functions (right-hand side, Jacobian, ∂f/∂t, initial values, outputs) are written as
straight-line scalar code after common-subexpression elimination, in the calling
convention of the compiled kernels: ``(t, y, p, out)`` with ``y`` the states and ``p`` the
parameters, writing into ``out``. The same source is used by the Numba backend (compiled
with ``@njit``) and is readable Python for debugging.
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.pycode import PythonCodePrinter

from hematwin.model.linear_block import LinearBlock
from hematwin.model.symbolic import SymbolicModel


class _KernelPrinter(PythonCodePrinter):
    """Python printer whose output Numba compiles: ``math.*`` calls, floats at full precision."""

    def _print_Float(self, expr: sp.Float) -> str:
        return repr(float(expr))

    def _print_Heaviside(self, expr: sp.Expr) -> str:
        return self._print(expr.rewrite(sp.Piecewise))

    def _print_Piecewise(self, expr: sp.Piecewise) -> str:
        # nested conditional expressions; a missing "otherwise" branch yields NaN
        result = "math.nan"
        for value, cond in reversed(expr.args):
            if cond == sp.true:
                result = self._print(value)
            else:
                result = f"(({self._print(value)}) if ({self._print(cond)}) else ({result}))"
        return result


def _symbol_map(model: SymbolicModel) -> dict[sp.Symbol, sp.Symbol]:
    """Rename model symbols to local variable names that cannot clash with the arguments."""
    mapping = {
        s: sp.Symbol(f"v_{s.name}", real=True)
        for s in (*model.states, *model.params, *model.delay_symbols)
    }
    mapping[model.t] = sp.Symbol("t", real=True)
    return mapping


def _body(
    model: SymbolicModel,
    targets: list[tuple[str, sp.Expr]],
    *,
    uses_states: bool = True,
    indent: str = "    ",
) -> list[str]:
    """Unpack arguments, CSE, and assign each target expression."""
    printer = _KernelPrinter({"standard": "python3", "fully_qualified_modules": True})
    mapping = _symbol_map(model)
    exprs = [sp.sympify(e).xreplace(mapping) for _, e in targets]
    replacements, reduced = sp.cse(exprs, symbols=sp.numbered_symbols("_c"), optimizations="basic")
    used = set()
    for e in [*reduced, *(r for _, r in replacements)]:
        used |= {s.name for s in e.free_symbols}
    lines = []
    if uses_states:
        for i, s in enumerate(model.states):
            if f"v_{s.name}" in used:
                lines.append(f"{indent}v_{s.name} = y[{i}]")
        for k, s in enumerate(model.delay_symbols):
            if f"v_{s.name}" in used:
                lines.append(f"{indent}v_{s.name} = z[{k}]")
    for i, s in enumerate(model.params):
        if f"v_{s.name}" in used:
            lines.append(f"{indent}v_{s.name} = p[{i}]")
    for sym, value in replacements:
        lines.append(f"{indent}{sym} = {printer.doprint(value)}")
    for (target, _), value in zip(targets, reduced, strict=True):
        lines.append(f"{indent}{target} = {printer.doprint(value)}")
    return lines


def _index_array(values: tuple[int, ...]) -> str:
    return f"np.array({list(values)!r}, dtype=np.int64)"


def _constant_lag(model: SymbolicModel, k: int) -> sp.Expr:
    """The k-th lag if it is constant; for a state-dependent one its declared lower bound
    (``min_lag``, infinite when undeclared): what caps the step size and places breakpoints."""
    if not model.state_dependent[k]:
        return model.lags[k]
    return model.lag_bounds[0] if model.lag_bounds[0] is not None else sp.oo


def _history_body(model: SymbolicModel, histories: tuple[sp.Expr | None, ...]) -> list[str]:
    """Body of ``model_history(k, t, p)``: one branch per delayed value with a history."""
    lines = []
    for k, h in enumerate(histories):
        if h is not None:
            lines.append(f"    if k == {k}:")
            lines += _body(model, [("value", h)], uses_states=False, indent="        ")
            lines.append("        return value")
    return [*lines, "    return math.nan"]


def model_function_source(
    model: SymbolicModel, decorator: str = "", block: LinearBlock | None = None
) -> str:
    """Source of ``model_rhs``, ``model_jac``, ``model_dfdt``, ``model_init``,
    ``model_outputs``, ``model_linear`` (A and b of the linear block, if any) and of the
    delays: ``model_delays`` (constant lags), ``model_lags`` (every lag at (t, y), for
    state-dependent delays), ``model_lag_bounds`` (declared min and max lag) and
    ``model_history`` (the declared history at a time t before t0 of the k-th delayed
    value, if its ``DELAY_HISTORY`` flag is 1; the others take the initial state).

    ``decorator`` is put before every function (e.g. ``@nb.njit(cache=True)``).
    """
    n = model.n_states
    deco = f"{decorator}\n" if decorator else ""
    jac = model.jacobian
    linear = block.linear if block else ()
    ode = block.ode if block else tuple(range(n))
    m = len(linear)
    histories = model.histories
    if block:
        lin_targets = [(f"A[{i}, {j}]", block.A[i, j]) for i in range(m) for j in range(m)]
        lin_targets += [(f"b[{i}]", e) for i, e in enumerate(block.b)]
        lin_body = _body(model, lin_targets, uses_states=False)
    else:
        lin_body = ["    return"]
    parts = [
        f"N_STATES = {n}",
        f"N_PARAMS = {model.n_params}",
        f"N_OUTPUTS = {model.n_outputs}",
        f"IS_AUTONOMOUS = {model.is_autonomous}",
        f"N_LIN = {m}",
        f"N_DELAYS = {model.n_delays}",
        f"DELAY_STATE = {_index_array(tuple(i for i, _, _ in model.delays))}",
        f"N_VARIABLE_DELAYS = {model.n_state_dependent}",
        f"DELAY_VARIABLE = {_index_array(tuple(int(v) for v in model.state_dependent))}",
        f"HAS_MIN_LAG = {model.lag_bounds[0] is not None}",
        f"DELAY_HISTORY = {_index_array(tuple(int(h is not None) for h in histories))}",
        f"LIN_IDX = {_index_array(linear)}",
        f"ODE_IDX = {_index_array(ode)}",
        "",
        f"{deco}def model_linear(p, A, b):",
        *lin_body,
        "",
        f"{deco}def model_delays(p, out):",
        *(
            _body(model, [(f"out[{k}]", _constant_lag(model, k)) for k in range(model.n_delays)],
                  uses_states=False)
            if model.n_delays
            else ["    return"]
        ),
        "",
        f"{deco}def model_lags(t, y, p, out):",
        *(
            _body(model, [(f"out[{k}]", lag) for k, lag in enumerate(model.lags)])
            if model.n_state_dependent
            else ["    return"]
        ),
        "",
        f"{deco}def model_lag_bounds(p, out):",
        *_body(model, [("out[0]", model.lag_bounds[0] if model.lag_bounds[0] is not None
                        else sp.Integer(0)),
                       ("out[1]", model.lag_bounds[1] if model.lag_bounds[1] is not None
                        else sp.oo)], uses_states=False),
        "",
        f"{deco}def model_history(k, t, p):",
        *_history_body(model, histories),
        "",
        f"{deco}def model_rhs(t, y, z, p, out):",
        *_body(model, [(f"out[{i}]", e) for i, e in enumerate(model.rhs)]),
        "",
        f"{deco}def model_jac(t, y, z, p, out):",
        "    out[:, :] = 0.0",
        *_body(
            model,
            [(f"out[{i}, {j}]", jac[i, j]) for i in range(n) for j in range(n)
             if jac[i, j] != 0],
        ),
        "",
        f"{deco}def model_dfdt(t, y, z, p, out):",
        *_body(model, [(f"out[{i}]", e) for i, e in enumerate(model.dfdt)]),
        "",
        f"{deco}def model_init(p, out):",
        *_body(model, [(f"out[{i}]", e) for i, e in enumerate(model.initial)], uses_states=False),
        "",
        f"{deco}def model_outputs(t, y, p, out):",
        *(
            _body(model, [(f"out[{i}]", e) for i, e in enumerate(model.outputs)])
            if model.n_outputs
            else ["    return"]
        ),
        "",
    ]
    return "\n".join(parts)
