"""Stochastic simulators (SSA, tau-leaping) against closed forms, and their determinism.

Closed forms:
- linear birth–death process (birth b, death d per cell): from n0 cells,
  E[n(t)] = n0 e^{(b−d)t}, Var[n(t)] = n0 (b+d)/(b−d) e^{(b−d)t} (e^{(b−d)t} − 1), and from
  one cell P(extinct by t) = d(e^{(b−d)t} − 1)/(b e^{(b−d)t} − d) → d/b (Kendall DG, Ann
  Math Stat 1948;19:1–15; Bailey NTJ, The Elements of Stochastic Processes, 1964, ch. 8).
- Moran process of size N, one mutant of relative fitness r: fixation probability
  (1 − 1/r)/(1 − 1/r^N) (Moran 1958; Nowak, Evolutionary Dynamics, 2006, eq. 6.3).

Tolerances are 4 Monte-Carlo standard errors (SE) computed from the samples themselves: a
correct simulator fails such a check with probability ≈ 6e-5 per comparison, and the seeds
are fixed, so the tests are reproducible. Where a method has a known deterministic bias
(tau-leaping, finite horizon), the parameters are chosen so that it is below 1 SE and the
bias is stated next to the check.
"""

from __future__ import annotations

import numba
import numpy as np
import pytest

from hematwin.engine import status as st
from hematwin.engine.reactions import Reaction, ReactionNetwork
from hematwin.engine.stochastic import StochasticResult, simulate_ssa, simulate_tau_leap
from hematwin.errors import EquationSyntaxError, ModelError, UnknownSymbolError

B, D = 1.0, 0.5
LAM = B - D

BIRTH_DEATH = ReactionNetwork(
    species=("n",),
    parameters={"b": B, "d": D},
    reactions=(Reaction({"n": 1}, {"n": 2}, "b", name="division"),
               Reaction({"n": 1}, {}, "d", name="death")),
    name="birth_death",
)


def moran_mass_action(n: int) -> ReactionNetwork:
    """Mutant M (fitness r) and wild type W: M + W → 2M at r/N, M + W → 2W at 1/N.

    Its jump chain is the Moran chain (up/down ratio r), so fixation is Moran's."""
    return ReactionNetwork(
        species=("M", "W"), parameters={"r": 2.0, "N": float(n)},
        reactions=(Reaction({"M": 1, "W": 1}, {"M": 2}, "r/N"),
                   Reaction({"M": 1, "W": 1}, {"W": 2}, "1/N")),
        name="moran_mass_action")


# The textbook Moran process (fitness-proportional birth, random death, N events per
# generation) written with expression propensities.
MORAN_EXPRESSION = ReactionNetwork(
    species=("M", "W"), parameters={"r": 2.0},
    reactions=(Reaction({"W": 1}, {"M": 1}, "r*M*W/(r*M + W)", mass_action=False),
               Reaction({"M": 1}, {"W": 1}, "M*W/(r*M + W)", mass_action=False)),
    name="moran_expression")


def mean_var_se(x: np.ndarray) -> tuple[float, float, float, float]:
    """Sample mean and variance with their standard errors (SE of the variance from the
    fourth central moment, Var(s²) ≈ (μ4 − σ⁴)/R)."""
    r = x.size
    m = x.mean()
    v = x.var(ddof=1)
    mu4 = np.mean((x - m) ** 4)
    return m, v, np.sqrt(v / r), np.sqrt(max(mu4 - v * v, 0.0) / r)


def bd_mean(n0, t):
    return n0 * np.exp(LAM * t)


def bd_var(n0, t):
    g = np.exp(LAM * t)
    return n0 * (B + D) / LAM * g * (g - 1.0)


def p_extinct_by(t):
    g = np.exp(LAM * t)
    return D * (g - 1.0) / (B * g - D)


# --- (a) extinction -------------------------------------------------------------------

# Horizon 12 days: e^{6} ≈ 403, survivors have hundreds of cells and will almost surely
# never die out (d/b)^n; P(extinct by 12) = 0.49938, 0.0006 below d/b = 0.5, which is
# 0.18 SE for 20 000 runs — we compare with the exact finite-time value.
EXT_T, EXT_RUNS = 12.0, 20_000


@pytest.fixture(scope="module")
def extinction_ssa() -> StochasticResult:
    return simulate_ssa(BIRTH_DEATH, {"n": 1}, [EXT_T], n_runs=EXT_RUNS, seed=11)


def test_extinction_probability_ssa(extinction_ssa):
    res = extinction_ssa
    assert np.all(res.ok)
    extinct = res["n"][:, -1] == 0
    # absorption_time is set exactly for the runs that died out
    np.testing.assert_array_equal(np.isfinite(res.absorption_time), extinct)
    p_hat = extinct.mean()
    p = p_extinct_by(EXT_T)
    assert abs(p - D / B) < 1e-3
    se = np.sqrt(p * (1 - p) / EXT_RUNS)  # binomial SE, 0.0035
    assert abs(p_hat - p) < 4 * se, (p_hat, p)


def test_extinction_probability_tau_leap():
    # from one cell every reaction is critical (Cao 2005), so extinction is decided by
    # exact steps; leaping starts only once the population is in the hundreds.
    res = simulate_tau_leap(BIRTH_DEATH, {"n": 1}, [EXT_T], n_runs=EXT_RUNS, seed=12)
    assert np.all(res.ok)
    p_hat = (res["n"][:, -1] == 0).mean()
    p = p_extinct_by(EXT_T)
    assert abs(p_hat - p) < 4 * np.sqrt(p * (1 - p) / EXT_RUNS), (p_hat, p)


# --- (b) mean and variance --------------------------------------------------------------

MV_TIMES = np.array([0.0, 1.0, 2.0, 4.0])


@pytest.fixture(scope="module")
def moments_ssa() -> StochasticResult:
    return simulate_ssa(BIRTH_DEATH, {"n": 10}, MV_TIMES, n_runs=10_000, seed=21)


def test_mean_and_variance_ssa(moments_ssa):
    res = moments_ssa
    assert np.all(res.ok)
    np.testing.assert_array_equal(res["n"][:, 0], 10)
    for k in (1, 2, 3):
        t = MV_TIMES[k]
        m, v, se_m, se_v = mean_var_se(res["n"][:, k])
        assert abs(m - bd_mean(10, t)) < 4 * se_m, (t, m, bd_mean(10, t))
        assert abs(v - bd_var(10, t)) < 4 * se_v, (t, v, bd_var(10, t))


def test_mean_and_variance_tau_leap():
    # Large population so that leaps are taken (each fires tens of reactions). Leaping
    # bias is O(epsilon): measured ≈ 0.9·epsilon relative on the mean over t = 2 with
    # epsilon = 1e-3; here epsilon = 1e-4 and t = 1 give ≈ 5e-5 relative, 0.4 SE of the
    # mean (SE 1.1e-4 relative) — so the 4-SE check is not loosened to absorb it.
    n0, t, runs, eps = 100_000, 1.0, 1000, 1e-4
    res = simulate_tau_leap(BIRTH_DEATH, {"n": n0}, [0.0, t], n_runs=runs, seed=22,
                            epsilon=eps)
    assert np.all(res.ok)
    m, v, se_m, se_v = mean_var_se(res["n"][:, -1])
    assert abs(m - bd_mean(n0, t)) < 4 * se_m, (m, bd_mean(n0, t), se_m)
    assert abs(v - bd_var(n0, t)) < 4 * se_v, (v, bd_var(n0, t), se_v)
    # it did leap: exact SSA would need (b+d)·∫E[n] dt ≈ 1.9e5 events per run
    ssa_events = (B + D) * n0 * (np.exp(LAM * t) - 1) / LAM
    assert res.n_steps.mean() < 0.1 * ssa_events


def test_tau_leap_never_negative():
    # Coarse epsilon on a decaying population: leaps that would overshoot are rejected.
    decay = ReactionNetwork(species=("n",), parameters={"d": 5.0},
                            reactions=(Reaction({"n": 2}, {}, "d"),), name="pair_decay")
    res = simulate_tau_leap(decay, {"n": 2000}, np.linspace(0, 2, 21), n_runs=200, seed=3,
                            epsilon=0.5)
    assert np.all(res.ok) and np.all(res["n"] >= 0)
    assert np.all(res["n"][:, -1] % 2 == 0)  # stoichiometry respected


# --- (c) Moran fixation -----------------------------------------------------------------

MORAN_N, MORAN_R, MORAN_RUNS = 10, 2.0, 20_000


def moran_rho(r, n):
    return (1 - 1 / r) / (1 - 1 / r**n)


@pytest.mark.parametrize("method", ["ssa", "tau_leap"])
def test_moran_fixation_mass_action(method):
    sim = simulate_ssa if method == "ssa" else simulate_tau_leap
    res = sim(moran_mass_action(MORAN_N), {"M": 1, "W": MORAN_N - 1}, [1e4],
              n_runs=MORAN_RUNS, seed=31)
    assert np.all(res.ok) and np.all(np.isfinite(res.absorption_time))  # all absorbed
    fixed = (res["M"][:, -1] == MORAN_N).mean()
    rho = moran_rho(MORAN_R, MORAN_N)  # 0.50049
    assert abs(fixed - rho) < 4 * np.sqrt(rho * (1 - rho) / MORAN_RUNS), (fixed, rho)


def test_moran_fixation_expression_propensities():
    r = 1.5
    res = simulate_ssa(MORAN_EXPRESSION, {"M": 1, "W": MORAN_N - 1}, [1e4], params={"r": r},
                       n_runs=MORAN_RUNS, seed=32)
    assert np.all(res.ok)
    fixed = (res["M"][:, -1] == MORAN_N).mean()
    rho = moran_rho(r, MORAN_N)  # 0.3392
    assert abs(fixed - rho) < 4 * np.sqrt(rho * (1 - rho) / MORAN_RUNS), (fixed, rho)


# --- (d) determinism --------------------------------------------------------------------


@pytest.mark.parametrize("method", ["ssa", "tau_leap"])
def test_same_seed_same_paths_across_threads_and_chunks(method):
    sim = simulate_ssa if method == "ssa" else simulate_tau_leap
    times = np.linspace(0.0, 6.0, 13)
    kw = dict(seed=7, params={"b": np.linspace(0.8, 1.2, 64)})
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = sim(BIRTH_DEATH, {"n": 50}, times, ids=np.arange(64), **kw)
        numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
        two = sim(BIRTH_DEATH, {"n": 50}, times, ids=np.arange(64), **kw)
    finally:
        numba.set_num_threads(before)
    np.testing.assert_array_equal(one.values, two.values)
    np.testing.assert_array_equal(one.n_steps, two.n_steps)
    # chunks: runs 0..20 and 21..63 simulated separately, with their own parameters
    b = kw["params"]["b"]
    parts = [sim(BIRTH_DEATH, {"n": 50}, times, ids=np.arange(lo, hi), seed=7,
                 params={"b": b[lo:hi]}) for lo, hi in ((0, 21), (21, 64))]
    joined = StochasticResult.concat(parts)
    np.testing.assert_array_equal(joined.values, one.values)
    np.testing.assert_array_equal(joined.ids, one.ids)
    # a different seed gives different paths
    other = sim(BIRTH_DEATH, {"n": 50}, times, ids=np.arange(64), seed=8,
                params={"b": b})
    assert np.mean(np.any(other.values != one.values, axis=(1, 2))) > 0.9


def test_max_steps_flags_the_run_and_the_batch_goes_on():
    res = simulate_ssa(BIRTH_DEATH, {"n": [1, 1000]}, [0.0, 5.0], n_runs=2, seed=1,
                       max_steps=500)
    assert res.status[1] == st.MAX_STEPS and np.isnan(res["n"][1, -1])
    assert res["n"][1, 0] == 1000  # values before the failure are kept
    assert res.status[0] in (st.SUCCESS, st.MAX_STEPS)
    assert len(res.failures()) >= 1


# --- errors -----------------------------------------------------------------------------


def test_bad_reactions_raise_typed_errors_naming_the_reaction():
    def net(*reactions, **kw):
        return ReactionNetwork(species=("A", "B"), parameters={"k": 1.0},
                               reactions=reactions, **kw)

    with pytest.raises(UnknownSymbolError, match=r"reaction 1.*'C'"):
        net(Reaction({"A": 1}, {}, "k"), Reaction({"C": 1}, {}, "k")).compile()
    with pytest.raises(ModelError, match=r"reaction 0.*non-negative integer"):
        net(Reaction({"A": 1.5}, {}, "k")).compile()
    with pytest.raises(ModelError, match=r"reaction 0.*parameters only"):
        net(Reaction({"A": 1}, {}, "k*B")).compile()
    with pytest.raises(UnknownSymbolError, match=r"reaction 0.*'q'"):
        net(Reaction({"A": 1}, {}, "q*A", mass_action=False)).compile()
    with pytest.raises(EquationSyntaxError, match="reaction 0"):
        net(Reaction({"A": 1}, {}, "__import__('os')", mass_action=False)).compile()
    with pytest.raises(ModelError, match=r"reaction 0.*changes no species"):
        net(Reaction({"A": 1}, {"A": 1}, "k")).compile()
    with pytest.raises(ModelError, match=r"rate constant.*-1"):
        simulate_ssa(net(Reaction({"A": 1}, {}, "k")), {"A": 1}, [1.0], params={"k": -1.0})
    with pytest.raises(ModelError, match="non-negative integers"):
        simulate_ssa(net(Reaction({"A": 1}, {}, "k")), {"A": 1.5}, [1.0])


def test_second_order_mass_action_uses_pairs():
    # 2A → ∅ at rate c: propensity c·A(A−1)/2. From A = 2 the single firing happens at
    # rate c, so P(still 2 at t) = e^{−ct}.
    net = ReactionNetwork(species=("A",), parameters={"c": 1.0},
                          reactions=(Reaction({"A": 2}, {}, "c"),))
    res = simulate_ssa(net, {"A": 2}, [1.0], n_runs=20_000, seed=5)
    p = np.exp(-1.0)
    assert abs((res["A"][:, 0] == 2).mean() - p) < 4 * np.sqrt(p * (1 - p) / 20_000)


def test_negative_propensity_flags_the_run():
    # an expression propensity that turns negative (A < 5.5) is invalid: the run is flagged
    # NON_FINITE from that point (values NaN), the others go on
    net = ReactionNetwork(species=("A",), parameters={"k": 1.0},
                          reactions=(Reaction({"A": 1}, {}, "k*(A - 5.5)", mass_action=False),))
    res = simulate_ssa(net, {"A": [10, 10]}, [0.0, 100.0], seed=1)
    np.testing.assert_array_equal(res.status, [st.NON_FINITE, st.NON_FINITE])
    assert np.all(res["A"][:, 0] == 10) and np.all(np.isnan(res["A"][:, 1]))
