"""Twin benchmark: one patient over 2 years, and a 10,000-patient virtual population.

(a) One patient, 2 years, daily output of every twin output, warm (compiled, one call made
    before the timing): median of 20 runs, healthy and under the transplant regimen (Bu/Cy
    from model day 0, matched-sibling G-CSF-mobilised blood graft on model day 7).
(b) 10,000 virtual patients under the transplant regimen, 2 years, daily ``anc``,
    ``platelets``, ``hb``, ``cd4``; log-normal IIV (ω = 0.25) on ten biologically variable
    parameters (:data:`IIV`), clipped to each parameter's bounds; hematwin Numba on the
    machine's cores; libRoadRunner (CVODE) on the exported SBML of the same model as the
    peer, looping over a subset of patients and extrapolated to 10,000 (it says so).

Each configuration runs in its own process; peak RSS is that process's. Writes the section
between ``<!-- bench_twin:start -->`` and ``<!-- bench_twin:end -->`` of ``README.md``.

    python benchmarks/bench_twin.py            # full run (about 2 minutes when compiled)
    python benchmarks/bench_twin.py --n 1000 --peer-subset 20 --no-readme   # smoke
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
import traceback
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"
START, END = "<!-- bench_twin:start -->", "<!-- bench_twin:end -->"

DAYS = 730
RTOL, ATOL = 1e-6, 1e-8
SEED = 2024
OMEGA = 0.25
IIV = ("S0", "pS", "ANC0", "MTT_N", "PLT0", "MTT_P", "HB0", "life_E", "CD4_0", "B0")
RECORD = ["anc", "platelets", "hb", "cd4"]
N_ERR = 20
TARGETS = {"single_ms": 50.0, "cohort_s": 60.0}


def transplant_regimen():
    from hematwin.therapy.conditioning import bu_cy
    from hematwin.therapy.transplant import stem_cell_transplant

    return bu_cy(day0=7.0) + stem_cell_transplant(7.0, "peripheral_blood", "matched_sibling")


def cohort(spec, n: int):
    """IIV table of patients 0..n-1, each value clipped to its parameter's bounds."""
    from hematwin.engine.population import lognormal_iiv

    table = lognormal_iiv(spec, {p: OMEGA for p in IIV}, np.arange(n), SEED)
    bounds = {p.name: (p.lower, p.upper) for p in spec.parameters}
    for p in IIV:
        table[p] = table[p].clip(*bounds[p])
    return table


def times() -> np.ndarray:
    return np.arange(0.0, DAYS + 1.0)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# --- workers ------------------------------------------------------------------------------


def w_single(cfg: dict) -> dict:
    from hematwin.engine import Model
    from hematwin.twin import twin_spec

    spec = twin_spec()
    model = Model(spec)
    model.backend("numba")
    outputs = [o.name for o in spec.outputs]
    out = {}
    for case, reg in (("healthy", None), ("transplant", transplant_regimen())):
        kw = dict(regimen=reg, times=times(), record=outputs, rtol=RTOL, atol=ATOL)
        model.simulate(**kw)  # warm
        runs = []
        for _ in range(cfg["repeats"]):
            t = time.perf_counter()
            res = model.simulate(**kw)
            runs.append(time.perf_counter() - t)
        out[case] = {"median_ms": 1e3 * float(np.median(runs)), "min_ms": 1e3 * min(runs),
                     "steps": int(res.n_steps[0]), "status": int(res.status[0])}
    return out


def w_cohort(cfg: dict) -> dict:
    from hematwin.engine import Model
    from hematwin.twin import twin_spec

    spec = twin_spec()
    model = Model(spec)
    reg = transplant_regimen()
    params = cohort(spec, cfg["n"])
    kw = dict(regimen=reg, times=times(), record=RECORD, rtol=RTOL, atol=ATOL)
    t = time.perf_counter()
    model.backend("numba")
    model.simulate(params=params.iloc[:8], **kw)  # compile/load and start the thread pool
    warm_s = time.perf_counter() - t
    t = time.perf_counter()
    res = model.simulate(params=params, **kw)
    elapsed = time.perf_counter() - t
    np.save(cfg["ref_path"], res.values[: cfg["n_err"], :, 0])
    return {"warmup_s": warm_s, "seconds": elapsed, "patients_per_s": cfg["n"] / elapsed,
            "failed": int((~res.ok).sum()), "steps_mean": float(np.mean(res.n_steps))}


def w_roadrunner(cfg: dict) -> dict:
    import roadrunner

    from hematwin.model.sbml_export import to_sbml
    from hematwin.twin import twin_spec

    spec = twin_spec()
    params = cohort(spec, cfg["n"])
    t = time.perf_counter()
    sbml = to_sbml(spec, regimen=transplant_regimen())
    export_s = time.perf_counter() - t
    t = time.perf_counter()
    rr = roadrunner.RoadRunner(sbml)
    rr.integrator.relative_tolerance = RTOL
    rr.integrator.absolute_tolerance = ATOL
    rr.integrator.maximum_num_steps = 100_000
    load_s = time.perf_counter() - t
    values = np.full((cfg["n"], DAYS + 1), np.nan)
    cols = {p: params[p].to_numpy() for p in IIV}
    failed = 0
    t = time.perf_counter()
    for i in range(cfg["n"]):
        for p, col in cols.items():
            rr.setValue(f"init({p})", float(col[i]))
        # resetAll, not reset: reset() lets the t = 0 infusion start fire twice (see
        # tests/twin/test_twin_sbml.py); resetAll clears the selections, so set them after
        rr.resetAll()
        rr.timeCourseSelections = RECORD
        try:
            values[i] = np.asarray(rr.simulate(0.0, float(DAYS), DAYS + 1))[:, 0]
        except RuntimeError:
            failed += 1
    elapsed = time.perf_counter() - t
    ref = np.load(cfg["ref_path"])
    k = min(len(ref), cfg["n"])
    scale = np.max(np.abs(ref[:k]), axis=1, keepdims=True)
    err = float(np.nanmax(np.abs(values[:k] - ref[:k]) / scale))
    return {"export_s": export_s, "load_s": load_s, "seconds": elapsed,
            "patients_per_s": cfg["n"] / elapsed, "failed": failed, "max_rel_err_anc": err}


WORKERS = {"single": w_single, "cohort": w_cohort, "roadrunner": w_roadrunner}


def worker_main(cfg: dict) -> None:
    out_fd = os.dup(1)
    if cfg["kind"] == "roadrunner":  # CVODE prints warnings at events
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
    try:
        result = {"status": "ok", **WORKERS[cfg["kind"]](cfg)}
    except Exception as exc:
        result = {"status": "error", "error": f"{type(exc).__name__}: {exc}",
                  "traceback": traceback.format_exc()[-2000:]}
    result["peak_rss_mb"] = peak_rss_mb()
    os.write(out_fd, ("RESULT " + json.dumps(result) + "\n").encode())


def run_worker(cfg: dict, timeout: float) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(cfg)]
    t = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              cwd=HERE.parent)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "wall_s": time.perf_counter() - t}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("RESULT "):
            out = json.loads(line[7:])
            out["wall_s"] = time.perf_counter() - t
            return out
    return {"status": "crashed", "returncode": proc.returncode, "stderr": proc.stderr[-2000:]}


# --- report -------------------------------------------------------------------------------


def render(r: dict, meta: dict) -> str:
    def f(x, spec="{:,.1f}"):
        return "–" if x is None else spec.format(x)

    s, c, p = r["single"], r["cohort"], r["roadrunner"]
    n, sub = meta["n"], meta["peer_subset"]
    lines = [
        f"Measured {meta['date']} on {meta['cpu'] or 'unknown CPU'}, {meta['cores']} cores "
        f"(Numba {meta['threads']} threads); Python {meta['python']}, libRoadRunner "
        f"{meta['roadrunner']}. Twin: {meta['states']} states, {meta['parameters']} "
        f"parameters. rtol {RTOL:g}, atol {ATOL:g}; {DAYS} days, daily output.",
        "",
        "Transplant regimen: Bu/Cy (busulfan 3.2 mg/kg/day q6h days −7…−4, cyclophosphamide "
        "60 mg/kg/day days −3, −2) from model day 0, matched-sibling G-CSF-mobilised blood "
        "graft (catalogue defaults) on model day 7, with ciclosporin + methotrexate.",
        "",
        "(a) One patient, warm, every output recorded (median of "
        f"{meta['repeats']} runs):",
        "",
        "| case | median ms | min ms | solver steps | target | met |",
        "|---|---:|---:|---:|---|---|",
    ]
    for case in ("healthy", "transplant"):
        x = s.get(case, {}) if s.get("status") == "ok" else {}
        ms = x.get("median_ms")
        met = "–" if ms is None else ("yes" if ms < TARGETS["single_ms"] else "**no**")
        lines.append(f"| {case} | {f(ms)} | {f(x.get('min_ms'))} | {x.get('steps', '–')} | "
                     f"< {TARGETS['single_ms']:g} ms | {met} |")
    lines += [
        "",
        f"(b) {n:,} virtual patients under the transplant regimen; IIV log-normal ω = "
        f"{OMEGA:g} on {', '.join(IIV)} (clipped to their bounds); recorded: "
        f"{', '.join(RECORD)}. Error: max over the first {N_ERR} patients of "
        "|anc_RR − anc_Numba| / max(anc_Numba).",
        "",
        "| engine | patients run | wall s | patients/s | 10,000 patients, s | peak RSS MB "
        "| failed | note |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    if c.get("status") == "ok":
        met = "yes" if c["seconds"] * 1e4 / n < TARGETS["cohort_s"] else "**no**"
        lines.append(f"| hematwin Numba dp5, {meta['threads']} threads | {n:,} | "
                     f"{c['seconds']:.1f} | {c['patients_per_s']:,.0f} | "
                     f"{c['seconds'] * 1e4 / n:.1f} | {c['peak_rss_mb']:,.0f} | {c['failed']} | "
                     f"target < {TARGETS['cohort_s']:g} s: {met}; mean {c['steps_mean']:,.0f} "
                     f"steps; warm-up (cached compile + 8 patients) {c['warmup_s']:.1f} s |")
    else:
        lines.append(f"| hematwin Numba | {n:,} | – | – | – | – | – | {c.get('status')}: "
                     f"{str(c.get('error', ''))[:100]} |")
    if p.get("status") == "ok":
        lines.append(f"| libRoadRunner CVODE, 1 core | {sub:,} | {p['seconds']:.1f} | "
                     f"{p['patients_per_s']:,.1f} | ≈ {1e4 / p['patients_per_s']:,.0f} "
                     f"(extrapolated; ≈ {1e4 / p['patients_per_s'] / 2:,.0f} on 2 cores if "
                     f"perfectly parallel) | {p['peak_rss_mb']:,.0f} | {p['failed']} | "
                     f"loop over {sub} patients, extrapolated; exported SBML with "
                     f"{meta['events']} regimen events; export {p['export_s']:.1f} s, load "
                     f"{p['load_s']:.1f} s; max rel err vs Numba {p['max_rel_err_anc']:.1e} |")
    else:
        lines.append(f"| libRoadRunner | {sub:,} | – | – | – | – | – | {p.get('status')}: "
                     f"{str(p.get('error', ''))[:100]} |")
    return "\n".join(lines)


def write_readme(table: str) -> None:
    section = f"{START}\n{table}\n{END}"
    text = README.read_text() if README.exists() else "# Benchmarks\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = (text.rstrip() + "\n\n## Twin benchmark (`bench_twin.py`)\n\n"
                "`python benchmarks/bench_twin.py` (a few minutes). What each column means is "
                "in the module docstring.\n\n" + section + "\n")
    README.write_text(text)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--peer-subset", type=int, default=50)
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--timeout", type=float, default=1800.0)
    ap.add_argument("--workdir", default="/tmp/hematwin-bench-twin")
    ap.add_argument("--no-readme", action="store_true")
    args = ap.parse_args()
    if args.worker:
        worker_main(json.loads(args.worker))
        return
    import numba
    import roadrunner

    from hematwin.twin import twin_spec

    Path(args.workdir).mkdir(parents=True, exist_ok=True)
    ref_path = str(Path(args.workdir) / "ref_anc.npy")
    spec = twin_spec()
    cpu = next((ln.split(":", 1)[1].strip() for ln in
                Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), "")
    meta = {"date": dt.datetime.now().isoformat(timespec="seconds"), "cpu": cpu,
            "cores": os.cpu_count(), "threads": numba.config.NUMBA_NUM_THREADS,
            "python": platform.python_version(), "roadrunner": roadrunner.__version__,
            "states": len(spec.states), "parameters": len(spec.parameters), "n": args.n,
            "peer_subset": args.peer_subset, "repeats": args.repeats,
            "events": len(set(transplant_regimen().to_events(spec).time))}
    results = {}
    for kind, cfg in (("single", {"repeats": args.repeats}),
                      ("cohort", {"n": args.n, "n_err": N_ERR, "ref_path": ref_path}),
                      ("roadrunner", {"n": args.peer_subset, "ref_path": ref_path})):
        results[kind] = run_worker({"kind": kind, **cfg}, args.timeout)
        print(kind, json.dumps(results[kind])[:600], flush=True)
    (Path(args.workdir) / "results.json").write_text(json.dumps(
        {"meta": meta, "results": results}, indent=1))
    table = render(results, meta)
    print(table)
    if not args.no_readme:
        write_readme(table)


if __name__ == "__main__":
    main()
