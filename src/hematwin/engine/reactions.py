"""Reaction networks as data, and their propensities compiled with Numba.

A :class:`ReactionNetwork` lists species, parameters (name → default value) and
:class:`Reaction` s. A reaction has reactants and products (species → stoichiometric
coefficient) and a ``rate``:

- ``mass_action=True`` (default): ``rate`` is the *stochastic* rate constant c — a number,
  or an expression of parameters only (``"b"``, ``"lam * f_mut / N"``) — and the
  propensity is c · Π_i C(x_i, ν_i), the number of distinct reactant combinations
  (Gillespie, J Phys Chem 1977;81:2340, eq. 7): ``A → ...`` gives c·A, ``A + B → ...``
  c·A·B, ``2A → ...`` c·A(A−1)/2.
- ``mass_action=False``: ``rate`` is the whole propensity, an expression of species and
  parameters (``"r*M*W/(r*M + W)"``). Reactants then only define what the reaction
  consumes.

Expressions are plain arithmetic (``+ - * / **``, numbers, names, and ``exp log sqrt abs
min max``), parsed with :mod:`ast` — never evaluated by Python — and turned into one Numba
function ``propensities(x, p, a)`` writing a[j] for state x and parameter vector p.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numba as nb
import numpy as np

from hematwin.errors import DuplicateNameError, EquationSyntaxError, ModelError, UnknownSymbolError

__all__ = ["CompiledNetwork", "Reaction", "ReactionNetwork"]

_FUNCTIONS = {"exp": "math.exp", "log": "math.log", "sqrt": "math.sqrt", "abs": "abs",
              "min": "min", "max": "max"}
# the same functions on per-run parameter arrays (mass-action rate constants)
_NP_FUNCTIONS = {"exp": "np.exp", "log": "np.log", "sqrt": "np.sqrt", "abs": "np.abs",
                 "min": "np.minimum", "max": "np.maximum"}
_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}

# order assumed by the tau selection for a species that an expression propensity depends
# on (Cao et al. 2006 define g_i for mass action only); 2 bounds d log a / d log x for
# the rational Moran-type propensities this is meant for.
EXPRESSION_ORDER = 2


@dataclass(frozen=True)
class Reaction:
    """One reaction channel.

    Parameters
    ----------
    reactants, products:
        species name → stoichiometric coefficient (positive integer).
    rate:
        mass-action rate constant (number or parameter expression), or, with
        ``mass_action=False``, the propensity expression itself (per model time unit).
    mass_action:
        whether ``rate`` is a mass-action constant (default) or a full propensity.
    name:
        optional label used in error messages.
    """

    reactants: Mapping[str, int]
    products: Mapping[str, int]
    rate: float | str
    mass_action: bool = True
    name: str = ""


@dataclass(frozen=True)
class ReactionNetwork:
    """Species, parameters with default values, and reactions; time unit of the rates."""

    species: tuple[str, ...]
    reactions: tuple[Reaction, ...]
    parameters: Mapping[str, float] = field(default_factory=dict)
    name: str = "reaction_network"
    time_unit: str = "day"
    species_unit: str = "cells"

    def __post_init__(self) -> None:
        object.__setattr__(self, "species", tuple(self.species))
        object.__setattr__(self, "reactions", tuple(self.reactions))
        object.__setattr__(self, "parameters", dict(self.parameters))

    def compile(self) -> CompiledNetwork:
        """Validate the network and compile its propensities (cached by generated source)."""
        return _compile(self)


@dataclass(frozen=True)
class CompiledNetwork:
    """What the kernels need.

    stoich: int64 [M, S] net change per firing. reactant: int64 [M, S] reactant
    coefficients (for an expression propensity: at least 1 for each species it reads).
    order: int64 [M] reaction order, used by the tau selection. propensities: Numba function
    (x float64[S], q float64[Q], a float64[M]) → None that writes a[j] for the state x and
    the per-run kernel parameters q (:meth:`kernel_parameters`).

    A network whose reactions are all mass-action uses one shared, generic evaluator
    (:func:`mass_action_propensities`, compiled once per process whatever the network) with
    q = per-run rate constants and the reactant table; otherwise a function generated from
    the network's expressions, with q = the parameter values.
    """

    network: ReactionNetwork
    param_names: tuple[str, ...]
    stoich: np.ndarray
    reactant: np.ndarray
    order: np.ndarray
    propensities: Any
    source: str
    mass_action_only: bool
    rate_constant_sources: tuple[str, ...]

    def parameter_matrix(self, n_runs: int,
                         params: Mapping[str, float | np.ndarray] | None) -> np.ndarray:
        """Per-run parameter values [n_runs, P]: defaults, overridden by ``params``."""
        values = dict(self.network.parameters)
        params = dict(params or {})
        unknown = sorted(set(params) - set(values))
        if unknown:
            raise ModelError(f"unknown parameter(s) {unknown}; declared: {sorted(values)}",
                             model=self.network.name, field="params")
        values.update(params)
        out = np.empty((n_runs, len(self.param_names)))
        for k, name in enumerate(self.param_names):
            v = np.asarray(values[name], dtype=float)
            if v.ndim == 0:
                out[:, k] = float(v)
            elif v.shape == (n_runs,):
                out[:, k] = v
            else:
                raise ModelError(f"parameter {name!r} must be a number or have shape "
                                 f"({n_runs},), got {v.shape}", model=self.network.name,
                                 field=name)
            if not np.all(np.isfinite(out[:, k])):
                raise ModelError(f"parameter {name!r} is not finite", model=self.network.name,
                                 field=name)
        return out

    def rate_constants(self, p: np.ndarray) -> np.ndarray:
        """Mass-action rate constants [N, M] from the parameter matrix p [N, P]."""
        n = p.shape[0]
        out = np.empty((n, len(self.rate_constant_sources)))
        env = {"np": np, "p": p.T}
        for j, src in enumerate(self.rate_constant_sources):
            with np.errstate(all="ignore"):
                c = np.broadcast_to(np.asarray(eval(src, env), dtype=float), (n,))  # noqa: S307
            bad = ~np.isfinite(c) | (c < 0)
            if bad.any():
                r = self.network.reactions[j]
                raise ModelError(f"{_where(j, r)}: rate constant {r.rate!r} evaluates to "
                                 f"{c[bad][0]} (run {int(np.flatnonzero(bad)[0])}); expected "
                                 f"finite and ≥ 0", model=self.network.name,
                                 field=f"reactions[{j}].rate")
            out[:, j] = c
        return out

    def kernel_parameters(self, n_runs: int,
                          params: Mapping[str, float | np.ndarray] | None) -> np.ndarray:
        """The per-run vector q [n_runs, Q] that :attr:`propensities` reads."""
        p = self.parameter_matrix(n_runs, params)
        if not self.mass_action_only:
            return p
        c = self.rate_constants(p)
        m = self.stoich.shape[0]
        width = max(1, int((self.reactant > 0).sum(axis=1).max()))
        table = np.zeros((m, width, 2))
        for j in range(m):
            (idx,) = np.nonzero(self.reactant[j])
            table[j, : idx.size, 0] = idx
            table[j, : idx.size, 1] = self.reactant[j, idx]
        return np.hstack([c, np.broadcast_to(table.reshape(1, -1), (n_runs, table.size))])


@nb.njit
def mass_action_propensities(x, q, a):
    """a_j = c_j · Π C(x_i, ν_ij), with q = [c_0..c_{M-1}, (species, ν) pairs per reaction]."""
    m = a.shape[0]
    width = (q.shape[0] - m) // (2 * m)
    for j in range(m):
        v = q[j]
        base = m + 2 * width * j
        for k in range(width):
            nu = int(q[base + 2 * k + 1])
            if nu == 0:
                break
            xi = x[int(q[base + 2 * k])]
            f = xi
            for el in range(1, nu):
                f *= (xi - el) / (el + 1.0)
            v *= f
        a[j] = v


# --- validation and code generation -------------------------------------------------------


def _check_names(net: ReactionNetwork) -> None:
    seen: set[str] = set()
    for kind, names in (("species", net.species), ("parameter", tuple(net.parameters))):
        for n in names:
            if not isinstance(n, str) or not n.isidentifier() or n in _FUNCTIONS:
                raise ModelError(f"{kind} name {n!r} must be an identifier and not a "
                                 f"function name", model=net.name, field=kind)
            if n in seen:
                raise DuplicateNameError(f"name {n!r} is declared twice", model=net.name,
                                         field=kind)
            seen.add(n)
    if not net.species:
        raise ModelError("a reaction network needs at least one species", model=net.name,
                         field="species")
    if not net.reactions:
        raise ModelError("a reaction network needs at least one reaction", model=net.name,
                         field="reactions")


def _where(j: int, r: Reaction) -> str:
    return f"reaction {j}" + (f" ({r.name})" if r.name else "")


def _coefficients(net: ReactionNetwork, j: int, r: Reaction, side: str) -> dict[int, int]:
    mapping = getattr(r, side)
    if not isinstance(mapping, Mapping):
        raise ModelError(f"{_where(j, r)}: {side} must be a mapping species → coefficient",
                         model=net.name, field=f"reactions[{j}].{side}")
    out: dict[int, int] = {}
    for sp, nu in mapping.items():
        if sp not in net.species:
            raise UnknownSymbolError(f"{_where(j, r)}: {side} names unknown species {sp!r}; "
                                     f"species: {list(net.species)}", model=net.name,
                                     field=f"reactions[{j}].{side}")
        if isinstance(nu, bool) or not isinstance(nu, (int, np.integer)) or nu < 0:
            raise ModelError(f"{_where(j, r)}: coefficient of {sp!r} in {side} must be a "
                             f"non-negative integer, got {nu!r}", model=net.name,
                             field=f"reactions[{j}].{side}")
        if nu > 0:
            out[net.species.index(sp)] = int(nu)
    return out


class _Translator:
    """ast → Numba source text, with species as x[i] and parameters as p[k]."""

    def __init__(self, net: ReactionNetwork, j: int, r: Reaction, allow_species: bool,
                 functions: Mapping[str, str] = _FUNCTIONS):
        self.net, self.j, self.r = net, j, r
        self.allow_species = allow_species
        self.functions = functions
        self.params = tuple(net.parameters)
        self.used_species: set[int] = set()

    def error(self, cls: type[ModelError], msg: str) -> ModelError:
        return cls(f"{_where(self.j, self.r)}: {msg}", model=self.net.name,
                   field=f"reactions[{self.j}].rate", equation=str(self.r.rate))

    def __call__(self, node: ast.AST) -> str:
        if isinstance(node, ast.Expression):
            return self(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
                and not isinstance(node.value, bool):
            return repr(float(node.value))
        if isinstance(node, ast.Name):
            if node.id in self.params:
                return f"p[{self.params.index(node.id)}]"
            if node.id in self.net.species:
                if not self.allow_species:
                    raise self.error(ModelError, f"a mass-action rate constant may use "
                                     f"parameters only, not species {node.id!r} (set "
                                     f"mass_action=False for a custom propensity)")
                i = self.net.species.index(node.id)
                self.used_species.add(i)
                return f"x[{i}]"
            raise self.error(UnknownSymbolError, f"unknown name {node.id!r}")
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            return f"({self(node.left)} {_BINOPS[type(node.op)]} {self(node.right)})"
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            return f"({'-' if isinstance(node.op, ast.USub) else '+'}{self(node.operand)})"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in _FUNCTIONS and not node.keywords and node.args:
            args = ", ".join(self(a) for a in node.args)
            return f"{self.functions[node.func.id]}({args})"
        raise self.error(EquationSyntaxError, f"unsupported expression element "
                         f"{ast.dump(node)[:60]}; allowed: numbers, names, + - * / **, "
                         f"{sorted(_FUNCTIONS)}")


def _rate_source(net: ReactionNetwork, j: int, r: Reaction, allow_species: bool,
                 functions: Mapping[str, str] = _FUNCTIONS) -> tuple[str, set[int]]:
    tr = _Translator(net, j, r, allow_species, functions)
    if isinstance(r.rate, bool):
        raise tr.error(ModelError, "rate must be a number or an expression, not a bool")
    if isinstance(r.rate, (int, float, np.integer, np.floating)):
        v = float(r.rate)
        if not math.isfinite(v) or v < 0:
            raise tr.error(ModelError, f"rate must be finite and ≥ 0, got {v}")
        return repr(v), set()
    if not isinstance(r.rate, str):
        raise tr.error(ModelError, f"rate must be a number or an expression string, got "
                       f"{type(r.rate).__name__}")
    try:
        tree = ast.parse(r.rate.replace("^", "**"), mode="eval")
    except SyntaxError as exc:
        raise tr.error(EquationSyntaxError, f"cannot parse rate: {exc.msg}") from None
    return tr(tree), tr.used_species


def _compile_arrays(net: ReactionNetwork) \
        -> tuple[np.ndarray, np.ndarray, np.ndarray, str, tuple[str, ...]]:
    _check_names(net)
    m, s = len(net.reactions), len(net.species)
    stoich = np.zeros((m, s), dtype=np.int64)
    reactant = np.zeros((m, s), dtype=np.int64)
    order = np.zeros(m, dtype=np.int64)
    lines = ["def propensities(x, p, a):"]
    constants: list[str] = []
    for j, r in enumerate(net.reactions):
        if not isinstance(r, Reaction):
            raise ModelError(f"reaction {j} is a {type(r).__name__}, not a Reaction",
                             model=net.name, field=f"reactions[{j}]")
        reac = _coefficients(net, j, r, "reactants")
        prod = _coefficients(net, j, r, "products")
        for i, nu in reac.items():
            stoich[j, i] -= nu
        for i, nu in prod.items():
            stoich[j, i] += nu
        if not stoich[j].any():
            raise ModelError(f"{_where(j, r)} changes no species (products equal reactants)",
                             model=net.name, field=f"reactions[{j}]")
        rate, used = _rate_source(net, j, r, allow_species=not r.mass_action)
        if r.mass_action:
            constants.append(_rate_source(net, j, r, False, _NP_FUNCTIONS)[0])
            factors = [rate]
            for i, nu in reac.items():
                for k in range(nu):
                    factors.append(f"x[{i}]" if k == 0 else f"(x[{i}] - {float(k)})")
                if nu > 1:
                    factors.append(repr(1.0 / math.factorial(nu)))
                reactant[j, i] = nu
            order[j] = sum(reac.values())
            lines.append(f"    a[{j}] = {' * '.join(factors)}")
        else:
            for i in set(reac) | used:
                reactant[j, i] = max(reac.get(i, 0), 1)
            order[j] = max(EXPRESSION_ORDER, sum(reac.values()))
            lines.append(f"    a[{j}] = {rate}")
    return stoich, reactant, order, "\n".join(lines) + "\n", tuple(constants)


_CACHE: dict[str, Any] = {}


def _compile(net: ReactionNetwork) -> CompiledNetwork:
    stoich, reactant, order, source, constants = _compile_arrays(net)
    if len(constants) == len(net.reactions):
        return CompiledNetwork(net, tuple(net.parameters), stoich, reactant, order,
                               mass_action_propensities, source, True, constants)
    fn = _CACHE.get(source)
    if fn is None:
        namespace: dict[str, Any] = {"math": math}
        exec(compile(source, f"<propensities {net.name}>", "exec"), namespace)  # noqa: S102
        fn = nb.njit(namespace["propensities"])
        _CACHE[source] = fn
    return CompiledNetwork(net, tuple(net.parameters), stoich, reactant, order, fn, source,
                           False, ())
