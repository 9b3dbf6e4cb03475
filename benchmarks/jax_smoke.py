"""Smoke benchmark of the JAX backend on the Friberg cohort (not a test).

Friberg et al. (2002) myelosuppression with Bruno et al. (1996) docetaxel PK
(:mod:`hematwin.library.friberg2002`, JAX functions generated from the spec); 180 mg i.v.
bolus every 21 days × 4, 84 days, daily output of ANC, log-normal IIV ω = 0.3 on MTT, Circ0
and slope (:func:`hematwin.engine.population.lognormal_iiv`), rtol 1e-6 / atol 1e-8.

For each method, linear-block mode (``closed``: the PK block solved in closed form,
:mod:`hematwin.engine.jax_linear`; ``stepped``: every state integrated), cohort size and
chunk size it prints the compile time (first call of a shape, one chunk), the throughput of
a second, compiled run, the mean trial steps per patient and the load average (the machine
may be shared: throughput scales with the cores actually free).

Usage: ``python benchmarks/jax_smoke.py [--sizes 1000 10000] [--methods dp5 ros23]
[--chunks 256 1024] [--modes closed stepped]``.
"""

from __future__ import annotations

import argparse
import os
import time

import jax
import numpy as np

from hematwin.engine import Model
from hematwin.engine.jax_backend import solve_batch_jax
from hematwin.engine.population import lognormal_iiv, parameter_matrix
from hematwin.library import friberg2002
from hematwin.therapy.regimen import events_for_batch

SPEC = friberg2002.spec("docetaxel")
OMEGA = {"MTT": 0.3, "Circ0": 0.3, "slope": 0.3}


def cohort(n: int, seed: int = 0):
    params = parameter_matrix(SPEC, lognormal_iiv(SPEC, OMEGA, np.arange(n), seed), n)
    events = events_for_batch(SPEC, friberg2002.regimen("docetaxel", 180.0, cycles=4), n)
    return params, events


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--methods", nargs="+", default=["dp5"])
    ap.add_argument("--chunks", type=int, nargs="+", default=[256])
    ap.add_argument("--modes", nargs="+", default=["closed", "stepped"])
    args = ap.parse_args()
    save_t = np.arange(0.0, 85.0)
    models = {
        "closed": Model(SPEC, closed_form_linear=True),
        "stepped": Model(SPEC, closed_form_linear=False),
    }
    record, _ = models["closed"].record_indices(["anc"])
    print(f"JAX {jax.__version__} on {jax.devices()[0].device_kind} ({jax.default_backend()}), "
          f"{os.cpu_count()} CPUs")  # fmt: skip
    print(f"{'method':6s} {'mode':7s} {'N':>7s} {'chunk':>6s} {'compile s':>9s} {'run s':>7s} "
          f"{'patients/s':>10s} {'steps/pt':>8s} {'failed':>6s} "
          f"{'load avg (1/5 min)':>18s}")  # fmt: skip
    for method in args.methods:
        for mode in args.modes:
            fns = models[mode].jax.functions
            for n in args.sizes:
                params, events = cohort(n)
                for chunk in sorted({min(c, n) for c in args.chunks}):
                    kw = dict(method=method, rtol=1e-6, atol=1e-8, chunk_size=chunk)
                    # The first call of a shape compiles (one chunk); the second is timed.
                    t = time.perf_counter()
                    head = (params[:chunk], events.slice(0, chunk))
                    solve_batch_jax(fns, *head, 0.0, save_t, record, **kw)
                    first = time.perf_counter() - t
                    t = time.perf_counter()
                    _, status, n_steps = solve_batch_jax(
                        fns, params, events, 0.0, save_t, record, **kw
                    )
                    run = time.perf_counter() - t
                    load = os.getloadavg()
                    print(f"{method:6s} {mode:7s} {n:7d} {chunk:6d} {first:9.2f} {run:7.2f} "
                          f"{n / run:10.0f} {n_steps.mean():8.0f} {int((status != 0).sum()):6d} "
                          f"{load[0]:9.1f} {load[1]:8.1f}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
