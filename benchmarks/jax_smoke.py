"""Smoke benchmark of the JAX backend on the Friberg cohort (not a test).

Friberg et al. (2002) myelosuppression with Bruno et al. (1996) docetaxel PK; 180 mg i.v.
bolus every 21 days × 4, 84 days, daily output of Circ (ANC), log-normal IIV ω = 0.3 on MTT,
Circ0 and slope, rtol 1e-6 / atol 1e-8. Prints the compile time (first call of a shape) and
the throughput of a second, compiled run, per method and cohort size.

Usage: ``python benchmarks/jax_smoke.py [--sizes 1000 10000] [--methods dp5 ros23]
[--chunk 4096]``.
"""

from __future__ import annotations

import argparse
import time

import jax
import jax.numpy as jnp
import numpy as np

from hematwin.engine import events as ev
from hematwin.engine.events import EventTable
from hematwin.engine.jax_backend import JaxModelFunctions, solve_batch_jax

CIRC0, MTT, GAMMA, SLOPE, K10, K12, K21, K13, K31, V1, MW = range(11)
HOURS = 24.0
TYPICAL = np.array(
    [5.05, 88.7 / HOURS, 0.161, 8.58]
    + [k * HOURS for k in (5.2, 1.06, 1.51, 1.26, 0.084)]
    + [7.4, 0.808]
)


def rhs(t: jax.Array, y: jax.Array, p: jax.Array) -> jax.Array:
    a1, a2, a3, prol, t1, t2, t3, circ = (y[i] for i in range(8))
    ktr = 4.0 / p[MTT]
    edrug = p[SLOPE] * a1 / p[V1] / p[MW]
    return jnp.stack(
        [
            -(p[K10] + p[K12] + p[K13]) * a1 + p[K21] * a2 + p[K31] * a3,
            p[K12] * a1 - p[K21] * a2,
            p[K13] * a1 - p[K31] * a3,
            ktr * prol * (1.0 - edrug) * (p[CIRC0] / circ) ** p[GAMMA] - ktr * prol,
            ktr * (prol - t1),
            ktr * (t1 - t2),
            ktr * (t2 - t3),
            ktr * (t3 - circ),
        ]
    )


FRIBERG = JaxModelFunctions(
    n_states=8,
    n_params=11,
    n_outputs=0,
    rhs=rhs,
    init=lambda p: jnp.concatenate([jnp.zeros(3), jnp.full(5, p[CIRC0])]),
    outputs=lambda t, y, p: jnp.zeros(0),
)


def cohort(n: int, seed: int = 0) -> tuple[np.ndarray, EventTable]:
    rng = np.random.default_rng(seed)
    params = np.tile(TYPICAL, (n, 1))
    params[:, [MTT, CIRC0, SLOPE]] *= np.exp(0.3 * rng.standard_normal((n, 3)))
    doses = np.arange(4) * 21.0
    events = EventTable(
        ptr=np.arange(n + 1, dtype=np.int64) * 4,
        time=np.tile(doses, n),
        kind=np.full(4 * n, ev.BOLUS, dtype=np.int64),
        target=np.zeros(4 * n, dtype=np.int64),
        value=np.full(4 * n, 180.0),
    )
    return params, events


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--methods", nargs="+", default=["dp5", "ros23"])
    ap.add_argument("--chunk", type=int, default=None)
    args = ap.parse_args()
    save_t = np.arange(0.0, 85.0)
    record = np.array([7])
    print(f"JAX {jax.__version__} on {jax.devices()[0].device_kind} ({jax.default_backend()})")
    print(f"{'method':6s} {'N':>8s} {'chunk':>6s} {'compile+run s':>14s} {'run s':>8s} "
          f"{'patients/s':>11s} {'steps/pt':>9s} {'failed':>6s}")  # fmt: skip
    for method in args.methods:
        for n in args.sizes:
            params, events = cohort(n)
            chunk = min(args.chunk or 4096, n)
            kw = dict(method=method, rtol=1e-6, atol=1e-8, chunk_size=chunk)
            # First call of this shape compiles (a one-chunk run), the second is timed.
            t = time.perf_counter()
            solve_batch_jax(FRIBERG, params[:chunk], events.slice(0, chunk), 0.0, save_t, record, **kw)
            first = time.perf_counter() - t
            t = time.perf_counter()
            values, status, n_steps = solve_batch_jax(
                FRIBERG, params, events, 0.0, save_t, record, **kw
            )
            run = time.perf_counter() - t
            print(f"{method:6s} {n:8d} {chunk:6d} {first:14.2f} {run:8.2f} {n / run:11.0f} "
                  f"{n_steps.mean():9.0f} {int((status != 0).sum()):6d}")  # fmt: skip


if __name__ == "__main__":
    main()
