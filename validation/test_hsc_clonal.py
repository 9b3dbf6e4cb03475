"""Stochastic HSC clonal dynamics (model 9) against the Moran-process closed forms.

Model: ``hematwin.library.hsc_clonal`` — N = 385 active HSC (Dingli & Pacheco, PLoS One
2006;1:e2; see the module docstring for the caveat on the exact number) replicating once per
40 weeks (Catlin et al., Blood 2011;117:4460, abstract), each replication replacing a random
HSC of the pool.

Published results reproduced (Moran PAP, Proc Camb Phil Soc 1958;54:60; Nowak MA,
Evolutionary Dynamics, 2006, ch. 6):
- a neutral clone of frequency p eventually takes over the pool with probability p;
- the mean time until one of two neutral clones is lost is of order N generations
  (N ln 2 from p = 1/2; exact sum in ``neutral_absorption_time``);
- a single mutant of relative fitness r fixes with probability (1 − 1/r)/(1 − 1/r^N).

Every check is against the closed form with a tolerance of 4 Monte-Carlo standard errors
estimated from the sample (binomial SE for probabilities, s/√R for mean times): a correct
model fails one comparison with probability ≈ 6e-5, and the seeds are fixed. The horizon
(10 000 years, > 25 N generations) leaves a not-yet-absorbed fraction ≈ e^{−2·25} of runs,
which we also assert to be zero.
"""

from __future__ import annotations

import numpy as np
import pytest

from hematwin.library import hsc_clonal as hc

pytestmark = pytest.mark.validation

N = hc.N_ACTIVE_HSC
LAM_PER_YEAR = hc.DAYS_PER_YEAR / (7.0 * hc.REPLICATION_INTERVAL_WEEKS)  # ≈ 1.30 / year
HORIZON = [0.0, 10_000.0]  # years


def binomial_ok(k_hat: float, p: float, runs: int) -> tuple[bool, float]:
    se = np.sqrt(p * (1.0 - p) / runs)
    return abs(k_hat - p) < 4.0 * se, se


@pytest.fixture(scope="module")
def neutral_small_clone():
    # a neutral clone of 20 of the 385 HSC (p = 0.0519), 20 000 runs: SE 0.0016
    return hc.simulate(HORIZON, mutant_cells=20, mutant_fitness=1.0, n_runs=20_000, seed=901)


def test_neutral_clone_fixes_with_its_initial_frequency(neutral_small_clone):
    res = neutral_small_clone
    assert np.all(res.ok) and np.all(np.isfinite(res.absorption_time))
    p = 20 / N
    fixed = (res["mutant"][:, -1] == 1.0).mean()
    ok, se = binomial_ok(fixed, p, res.n_patients)
    assert ok, f"fixation {fixed:.4f} vs p = {p:.4f} (SE {se:.4f})"


def test_neutral_mean_absorption_time_small_clone(neutral_small_clone):
    t = neutral_small_clone.absorption_time
    exact = hc.neutral_absorption_time(20, N, LAM_PER_YEAR)  # years
    se = t.std(ddof=1) / np.sqrt(t.size)
    assert abs(t.mean() - exact) < 4 * se, (t.mean(), exact, se)


def test_neutral_absorption_time_is_of_order_n_generations():
    # two halves of the pool (192 vs 193 HSC); 2000 runs, SE ≈ 1.4 % of the mean
    i = N // 2
    res = hc.simulate(HORIZON, mutant_cells=i, n_runs=2000, seed=902)
    assert np.all(res.ok) and np.all(np.isfinite(res.absorption_time))
    t = res.absorption_time
    exact = hc.neutral_absorption_time(i, N, LAM_PER_YEAR)
    se = t.std(ddof=1) / np.sqrt(t.size)
    assert abs(t.mean() - exact) < 4 * se, (t.mean(), exact, se)
    generations = t.mean() * LAM_PER_YEAR  # one generation = one replication interval
    # N ln 2 = 266.9 generations (≈ 205 years): of order N; the exact sum is within 0.3 %
    assert abs(exact * LAM_PER_YEAR / (N * np.log(2)) - 1) < 3e-3
    assert 0.5 * N < generations < N
    # and the neutral fixation probability from p = 1/2
    fixed = (res["mutant"][:, -1] == 1.0).mean()
    ok, se_p = binomial_ok(fixed, i / N, res.n_patients)
    assert ok, (fixed, i / N, se_p)


@pytest.mark.parametrize("r", [1.1, 1.5])
def test_mutant_fixes_with_moran_probability(r):
    # one mutant HSC with fitness r: rho(1.1) = 0.0909, rho(1.5) = 0.3333; 40 000 runs,
    # SE 0.0014 and 0.0024
    res = hc.simulate(HORIZON, mutant_cells=1, mutant_fitness=r, n_runs=40_000,
                      seed=903 + int(10 * r))
    assert np.all(res.ok) and np.all(np.isfinite(res.absorption_time))
    rho = hc.moran_fixation_probability(r, N)
    fixed = (res["mutant"][:, -1] == 1.0).mean()
    ok, se = binomial_ok(fixed, rho, res.n_patients)
    assert ok, f"r = {r}: fixation {fixed:.4f} vs Moran {rho:.4f} (SE {se:.4f})"


def test_each_of_several_neutral_clones_fixes_with_its_frequency():
    # four neutral clones in a pool of 100 (the law does not depend on N; a smaller pool
    # keeps the run short): sizes 10, 20, 30 and the remaining 40; 10 000 runs
    n = 100
    res = hc.simulate(HORIZON, n_hsc=n, mutant_cells=10, neutral_clones=(20, 30),
                      n_runs=10_000, seed=904)
    assert np.all(res.ok) and np.all(np.isfinite(res.absorption_time))
    final = res.values[:, -1, :]
    np.testing.assert_allclose(final.sum(axis=1), 1.0)  # pool size conserved
    assert np.all(final.max(axis=1) == 1.0)  # monoclonal at absorption
    for name, size in zip(res.names, (10, 20, 30, 40), strict=True):
        fixed = (res[name][:, -1] == 1.0).mean()
        ok, se = binomial_ok(fixed, size / n, res.n_patients)
        assert ok, f"{name}: {fixed:.4f} vs {size / n} (SE {se:.4f})"
