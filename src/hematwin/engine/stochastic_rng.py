"""Per-run random streams for the stochastic kernels (Numba).

Every run owns a xoshiro256** generator (Blackman & Vigna, "Scrambled linear pseudorandom
number generators", ACM Trans Math Softw 2021;47:36) whose 256-bit state is filled by
SplitMix64 (Steele, Lea & Flood, OOPSLA 2014) from a key that depends on
(seed, stream, run id) only — the same construction as :mod:`hematwin.engine.random`. No
state passes from one run to another, so a run draws the same numbers whatever the number
of threads, the chunk it is simulated in, or its position in the batch. (Numba's own
``np.random`` keeps one generator per thread and would not.)

Variates: uniforms in (0, 1) from the top 53 bits; exponentials by inversion; Poisson by
inversion for small means and by PTRS — transformed rejection with squeeze (Hörmann,
"The transformed rejection method for generating Poisson random variables", Insurance:
Mathematics and Economics 1993;12:39–45) — for means ≥ 10.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_U5 = np.uint64(5)
_U7 = np.uint64(7)
_U9 = np.uint64(9)
_U11 = np.uint64(11)
_U17 = np.uint64(17)
_U27 = np.uint64(27)
_U30 = np.uint64(30)
_U31 = np.uint64(31)
_U45 = np.uint64(45)
_U64 = np.uint64(64)
_TWO_M53 = 1.0 / 9007199254740992.0  # 2**-53

POISSON_INVERSION_MAX = 10.0  # below this mean, inversion; above, PTRS


def _mix_np(z: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * _M1
        z = (z ^ (z >> np.uint64(27))) * _M2
        return z ^ (z >> np.uint64(31))


def run_states(seed: int, run_ids: np.ndarray, stream: int = 0) -> np.ndarray:
    """Initial xoshiro256** states, uint64 [N, 4]: a pure function of (seed, stream, id)."""
    ids = np.asarray(run_ids, dtype=np.uint64)
    with np.errstate(over="ignore"):
        key = _mix_np(np.uint64(seed) * _GOLDEN + np.uint64(stream))
        z = _mix_np(key ^ (ids * _GOLDEN))
        state = np.empty((ids.size, 4), dtype=np.uint64)
        for w in range(4):  # SplitMix64 sequence from z
            z = z + _GOLDEN
            state[:, w] = _mix_np(z)
    # xoshiro's state must not be all zero; SplitMix64 outputs make that impossible in
    # practice, but guard anyway.
    zero = ~state.any(axis=1)
    state[zero, 0] = _GOLDEN
    return state


@nb.njit(inline="always")
def _rotl(x, k):
    return (x << k) | (x >> (_U64 - k))


@nb.njit
def next_u64(s):
    """Advance the xoshiro256** state ``s`` (uint64[4], in place); return 64 random bits."""
    result = _rotl(s[1] * _U5, _U7) * _U9
    t = s[1] << _U17
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = _rotl(s[3], _U45)
    return result


@nb.njit
def uniform(s):
    """U(0, 1), never exactly 0 or 1."""
    return (float(next_u64(s) >> _U11) + 0.5) * _TWO_M53


@nb.njit
def exponential(s, rate):
    """Exp(rate) waiting time."""
    return -math.log(uniform(s)) / rate


@nb.njit
def poisson(s, lam):
    """Poisson(lam) count, as float64 (lam ≥ 0)."""
    if lam <= 0.0:
        return 0.0
    if lam < POISSON_INVERSION_MAX:
        # sequential-search inversion: E[iterations] = lam + 1
        u = uniform(s)
        p = math.exp(-lam)
        cdf = p
        k = 0.0
        while u > cdf and k < 1000.0:
            k += 1.0
            p *= lam / k
            cdf += p
        return k
    # PTRS (Hörmann 1993, algorithm PTRS), constants as in the paper
    slam = math.sqrt(lam)
    loglam = math.log(lam)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
    v_r = 0.9277 - 3.6224 / (b - 2.0)
    while True:
        u = uniform(s) - 0.5
        v = uniform(s)
        us = 0.5 - abs(u)
        k = math.floor((2.0 * a / us + b) * u + lam + 0.43)
        if us >= 0.07 and v <= v_r:
            return k
        if k < 0.0 or (us < 0.013 and v > us):
            continue
        if (math.log(v) + math.log(inv_alpha) - math.log(a / (us * us) + b)
                <= -lam + k * loglam - math.lgamma(k + 1.0)):
            return k
