"""Stochastic simulation of reaction networks: exact SSA and tau-leaping, many runs at once.

Usage
-----
Describe the network as data, then simulate N runs on a grid of save times::

    from hematwin.engine.reactions import Reaction, ReactionNetwork
    from hematwin.engine.stochastic import simulate_ssa, simulate_tau_leap

    birth_death = ReactionNetwork(
        species=("n",),
        parameters={"b": 1.0, "d": 0.5},                   # per day
        reactions=(Reaction({"n": 1}, {"n": 2}, "b"),       # division, propensity b·n
                   Reaction({"n": 1}, {}, "d")),            # death, propensity d·n
        name="birth_death",
    )
    res = simulate_ssa(birth_death, {"n": 10}, times=[0, 1, 2, 4], n_runs=10_000, seed=1)
    res["n"]              # [10_000, 4] counts
    res.absorption_time   # [10_000] day the population hit 0 (NaN if it did not)

    # per-run rate constants, and tau-leaping for large populations
    res = simulate_tau_leap(birth_death, {"n": 10_000}, times=[0, 2], n_runs=1000,
                            params={"b": np.full(1000, 1.0)}, seed=1, epsilon=0.03)

Run r draws its random numbers from a stream that depends on (seed, stream, ids[r]) only:
the same seed gives identical paths whatever the number of Numba threads or how the runs
are split into calls (pass the same ``ids``). A run that fails (more than ``max_steps``
events or leaps, or an invalid propensity) is flagged in ``status`` and its values after
the failure are NaN; the batch goes on.

Propensities do not depend on time, so a state in which every propensity is 0 is absorbing
(extinction, fixation): its time is reported in :attr:`StochasticResult.absorption_time`.

Methods: :func:`simulate_ssa` — Gillespie's direct method (Gillespie 1976, 1977), exact.
:func:`simulate_tau_leap` — explicit Poisson tau-leaping with the step selection of Cao,
Gillespie & Petzold (J Chem Phys 2006;124:044109) and their critical reactions (J Chem Phys
2005;123:054104); approximate, with an error that shrinks with ``epsilon``; it falls back to
exact SSA steps whenever a leap would fire fewer than about ``ssa_threshold`` reactions, and
never lets a population go negative (a leap that would is rejected and tau halved).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from hematwin.engine import stochastic_kernels as kern
from hematwin.engine.reactions import CompiledNetwork, ReactionNetwork
from hematwin.engine.results import SimulationResult
from hematwin.engine.stochastic_rng import run_states
from hematwin.errors import ModelError, SolverError

__all__ = ["StochasticResult", "simulate_ssa", "simulate_tau_leap"]

DEFAULT_MAX_STEPS = 10_000_000


@dataclass
class StochasticResult(SimulationResult):
    """A :class:`SimulationResult` of counts, plus the time each run reached an absorbing
    state (every propensity 0) before the last save time; NaN where it did not."""

    absorption_time: np.ndarray | None = None

    @staticmethod
    def concat(parts: list[StochasticResult]) -> StochasticResult:  # type: ignore[override]
        base = SimulationResult.concat(list(parts))
        return StochasticResult(**{**base.__dict__, "absorption_time": np.concatenate(
            [p.absorption_time for p in parts])})


InitialState = Mapping[str, "int | np.ndarray"] | np.ndarray | Sequence[int]


def _prepare(network: ReactionNetwork | CompiledNetwork, x0: InitialState, times,
             n_runs: int | None, ids, params, seed: int, stream: int, t0: float,
             max_steps: int):
    comp = network if isinstance(network, CompiledNetwork) else network.compile()
    net = comp.network
    species = net.species
    if ids is not None:
        ids = np.asarray(ids)
        if ids.ndim != 1 or not np.issubdtype(ids.dtype, np.integer) or np.any(ids < 0):
            raise SolverError("ids must be a 1-D array of non-negative integers", field="ids")
        if n_runs is not None and n_runs != ids.size:
            raise SolverError(f"n_runs={n_runs} but {ids.size} ids given", field="n_runs")
        n_runs = ids.size
    if isinstance(x0, Mapping):
        unknown = sorted(set(x0) - set(species))
        if unknown:
            raise ModelError(f"initial state names unknown species {unknown}; species: "
                             f"{list(species)}", model=net.name, field="x0")
        cols = [np.asarray(x0.get(sp, 0), dtype=float) for sp in species]
        if n_runs is None:
            sizes = {c.size for c in cols if c.ndim == 1}
            n_runs = sizes.pop() if len(sizes) == 1 else 1
        x = np.empty((n_runs, len(species)))
        for i, c in enumerate(cols):
            if c.ndim == 0 or c.shape == (n_runs,):
                x[:, i] = c
            else:
                raise ModelError(f"initial {species[i]!r} must be a number or have shape "
                                 f"({n_runs},), got {c.shape}", model=net.name, field="x0")
    else:
        x = np.asarray(x0, dtype=float)
        if x.ndim == 1:
            x = np.broadcast_to(x, (n_runs or 1, x.size))
        if n_runs is None:
            n_runs = x.shape[0]
        if x.shape != (n_runs, len(species)):
            raise ModelError(f"initial state must have shape ({n_runs}, {len(species)}), got "
                             f"{x.shape}", model=net.name, field="x0")
        x = np.array(x, dtype=float, order="C")
    if not np.all(np.isfinite(x)) or np.any(x < 0) or np.any(x != np.round(x)) \
            or np.any(x >= 2.0**53):
        raise ModelError("initial counts must be non-negative integers", model=net.name,
                         field="x0")
    if ids is None:
        ids = np.arange(n_runs, dtype=np.int64)
    times = np.ascontiguousarray(times, dtype=float)
    if times.ndim != 1 or times.size == 0 or not np.all(np.isfinite(times)) \
            or np.any(np.diff(times) < 0) or times[0] < t0:
        raise SolverError(f"times must be a non-empty, non-decreasing 1-D array of finite "
                          f"values ≥ t0 = {t0}", field="times")
    if int(max_steps) < 1:
        raise SolverError("max_steps must be ≥ 1", field="max_steps")
    p = np.ascontiguousarray(comp.kernel_parameters(n_runs, params), dtype=float)
    rng = run_states(seed, ids, stream)
    out = np.empty((n_runs, times.size, len(species)))
    status = np.zeros(n_runs, dtype=np.int64)
    n_steps = np.zeros(n_runs, dtype=np.int64)
    t_absorb = np.full(n_runs, np.nan)
    return comp, x, ids, times, p, rng, out, status, n_steps, t_absorb


def _result(comp: CompiledNetwork, ids, times, out, status, n_steps, t_absorb) \
        -> StochasticResult:
    net = comp.network
    return StochasticResult(
        model=net.name, ids=np.asarray(ids), times=times, names=list(net.species),
        values=out, status=status, n_steps=n_steps,
        units=[net.species_unit] * len(net.species), time_unit=net.time_unit,
        absorption_time=t_absorb,
    )


def simulate_ssa(network: ReactionNetwork | CompiledNetwork, x0: InitialState, times,
                 *, n_runs: int | None = None, ids=None,
                 params: Mapping[str, float | np.ndarray] | None = None, seed: int = 0,
                 stream: int = 0, t0: float = 0.0,
                 max_steps: int = DEFAULT_MAX_STEPS) -> StochasticResult:
    """Exact stochastic simulation (Gillespie direct method) of ``n_runs`` runs.

    Parameters
    ----------
    network: the reaction network (or its compiled form, to skip validation).
    x0: initial counts — species → number or per-run array, or an array [S] or [N, S].
    times: save times (model time unit), non-decreasing, ≥ t0. The value at a save time
        is the state after the last event before it.
    n_runs / ids: number of runs, or their ids (default 0..n_runs−1); ids set the streams.
    params: parameter overrides, each a number or a per-run array [N].
    seed, stream: the random stream of run r is a function of (seed, stream, ids[r]).
    max_steps: events allowed per run; a run that needs more is flagged MAX_STEPS.
    """
    comp, x, ids, times, p, rng, out, status, n_steps, t_absorb = _prepare(
        network, x0, times, n_runs, ids, params, seed, stream, t0, max_steps)
    kern.ssa_batch(comp.propensities, x, p, comp.stoich.astype(float), times, float(t0),
                   rng, int(max_steps), out, status, n_steps, t_absorb)
    return _result(comp, ids, times, out, status, n_steps, t_absorb)


def simulate_tau_leap(network: ReactionNetwork | CompiledNetwork, x0: InitialState, times,
                      *, n_runs: int | None = None, ids=None,
                      params: Mapping[str, float | np.ndarray] | None = None, seed: int = 0,
                      stream: int = 0, t0: float = 0.0, epsilon: float = 0.03,
                      n_critical: int = 10, ssa_threshold: float = 10.0,
                      n_ssa_steps: int = 100,
                      max_steps: int = DEFAULT_MAX_STEPS) -> StochasticResult:
    """Tau-leaping (Cao, Gillespie & Petzold 2006) of ``n_runs`` runs.

    Arguments as :func:`simulate_ssa`, plus:

    epsilon: bound on the expected relative change of each propensity over a leap (Cao
        2006 recommend 0.03); the bias of means and variances is O(epsilon).
    n_critical: a reaction that could exhaust a reactant in fewer firings is "critical"
        and fires at most once per leap (Cao 2005 use 10).
    ssa_threshold, n_ssa_steps: when the leap τ' < ssa_threshold / a0, do n_ssa_steps
        exact SSA steps instead (Cao 2006: 10 and 100).

    ``n_steps`` counts leaps plus exact steps; ``max_steps`` bounds it.
    """
    if not (0.0 < epsilon < 1.0):
        raise SolverError(f"epsilon must be in (0, 1), got {epsilon}", field="epsilon")
    if n_critical < 0 or ssa_threshold < 0 or n_ssa_steps < 1:
        raise SolverError("n_critical and ssa_threshold must be ≥ 0 and n_ssa_steps ≥ 1",
                          field="n_critical")
    comp, x, ids, times, p, rng, out, status, n_steps, t_absorb = _prepare(
        network, x0, times, n_runs, ids, params, seed, stream, t0, max_steps)
    kern.tau_leap_batch(comp.propensities, x, p, comp.stoich.astype(float), comp.reactant,
                        comp.order, times, float(t0), rng, int(max_steps), float(epsilon),
                        float(n_critical), float(ssa_threshold), int(n_ssa_steps), out,
                        status, n_steps, t_absorb)
    return _result(comp, ids, times, out, status, n_steps, t_absorb)
