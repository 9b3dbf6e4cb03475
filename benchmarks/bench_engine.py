"""Engine benchmark (issue 2, point 9): hematwin backends side by side with peers.

The Friberg 2002 docetaxel cohort: 180 mg i.v. bolus every 21 days × 4, 84 days, daily
output of ``anc``, log-normal IIV ω = 0.3 on MTT, Circ0 and slope (``lognormal_iiv``,
seed 2002, patient ids 0..N-1), rtol 1e-6 / atol 1e-8. Also the 27-state five-lineage model
(:mod:`hematwin.library.five_lineage`, IIV on MTT_N, Circ0_N, slope).

Every configuration runs in its own subprocess, so that its peak RSS (``ru_maxrss`` of that
process) and its compile latency (a fresh process; an empty ``HEMATWIN_CACHE_DIR`` for the
first compile, the same directory again for the cached one) are its own. Peers that would
take too long at large N (libRoadRunner, SciPy LSODA: loops over patients) run on a subset
and their patients/s is extrapolated (marked in the table). Errors: max over the first 40
patients and all days of |anc − anc_ref| / max_t anc_ref, against SciPy DOP853 at
rtol 1e-12 / atol 1e-14.

Results go to ``benchmarks/results.json`` (raw, written after each configuration) and to
the table section of ``benchmarks/README.md``. ``--resume`` keeps results measured with the
same engine sources (a hash of ``src/hematwin/engine`` and ``model/codegen.py``), so the
lead's N = 10⁶ run only adds what is missing.

Usage::

    python benchmarks/bench_engine.py --max-n 100000          # N ≤ 10⁵ (minutes)
    python benchmarks/bench_engine.py --resume --max-n 1000000  # add N = 10⁶
    python benchmarks/bench_engine.py --max-n 1000 --peer-subset 200 --no-readme  # smoke
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results.json"
README = HERE / "README.md"
START, END = "<!-- bench_engine:start -->", "<!-- bench_engine:end -->"

RTOL, ATOL = 1e-6, 1e-8
REF_RTOL, REF_ATOL, REF_METHOD = 1e-12, 1e-14, "DOP853"
SEED = 2002
N_ERR = 40
DAYS = 84
TARGETS = {
    "numba_friberg_1e5": 40_000.0,  # patients/s on 2 cores
    "numba_five_lineage": 10_000.0,
    "rss_1e6_mb": 1024.0,
    "cached_compile_s": 1.0,
}
MODELS = ("friberg2002", "five_lineage")


# --- the cohort (same for every engine) -------------------------------------------------------


def model_parts(name: str):
    """(spec, regimen, IIV parameters) of a benchmark model."""
    if name == "friberg2002":
        from hematwin.library import friberg2002

        return (friberg2002.spec("docetaxel"), friberg2002.regimen("docetaxel", 180.0, 4, 21.0),
                ("MTT", "Circ0", "slope"))
    from hematwin.library import five_lineage

    return five_lineage.spec(), five_lineage.regimen(180.0, 4, 21.0), ("MTT_N", "Circ0_N", "slope")


def cohort(name: str, n: int):
    """The IIV parameter table of patients 0..n-1 (a DataFrame, one column per varied name)."""
    from hematwin.engine.population import lognormal_iiv

    spec, _, varied = model_parts(name)
    return lognormal_iiv(spec, {p: 0.3 for p in varied}, np.arange(n), SEED)


def save_times() -> np.ndarray:
    return np.arange(0.0, DAYS + 1.0)


def rel_error(values: np.ndarray, ref: np.ndarray) -> float:
    """max |v − ref| / max_t ref over patients and days (values, ref: [patients, days])."""
    scale = np.max(np.abs(ref), axis=1, keepdims=True)
    return float(np.max(np.abs(values - ref) / scale))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # kB on Linux


# --- workers (each in its own process) ----------------------------------------------------


def silence_c_output() -> int:
    """Send fds 1 and 2 to /dev/null (CVODE prints a warning at every event) and return a
    duplicate of the original stdout for the result line."""
    out = os.dup(1)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    return out


def w_reference(cfg: dict) -> dict:
    from hematwin.engine import Model

    spec, reg, _ = model_parts(cfg["model"])
    t = time.perf_counter()
    res = Model(spec).simulate(regimen=reg, params=cohort(cfg["model"], N_ERR),
                               times=save_times(), record=["anc"], backend="scipy",
                               method=REF_METHOD, rtol=REF_RTOL, atol=REF_ATOL)
    np.save(cfg["ref_path"], res.values[:, :, 0])
    return {"seconds": time.perf_counter() - t, "failed": int((~res.ok).sum())}


def _reference(cfg: dict) -> np.ndarray:
    return np.load(cfg["ref_path"])


def w_compile(cfg: dict) -> dict:
    """Time to a ready Numba model in this (fresh) process: import, codegen, compile/load."""
    t0 = time.perf_counter()
    from hematwin.engine import Model

    spec, _, _ = model_parts(cfg["model"])
    t1 = time.perf_counter()
    model = Model(spec)
    t2 = time.perf_counter()
    _ = model.numba
    t3 = time.perf_counter()
    return {"import_s": t1 - t0, "symbolic_s": t2 - t1, "numba_s": t3 - t2,
            "compile_s": t3 - t1, "module": model.numba.path.name}


def w_hematwin(cfg: dict) -> dict:
    from hematwin.engine import Model

    name, n, backend = cfg["model"], cfg["n"], cfg["backend"]
    spec, reg, _ = model_parts(name)
    model = Model(spec)
    params = cohort(name, n)
    kw = dict(regimen=reg, times=save_times(), record=["anc"], backend=backend,
              method=cfg["method"], rtol=RTOL, atol=ATOL)
    t = time.perf_counter()
    if backend in ("numba", "jax"):
        model.backend(backend)  # compile (or load from the cache) outside the timing
        # a first small call compiles the shapes (JAX) and starts the thread pool
        model.simulate(params=params.iloc[: min(n, cfg.get("chunk") or 64)], **kw)
    else:
        model.backend(backend)
    compile_s = time.perf_counter() - t
    out: dict = {"compile_s": compile_s}
    t = time.perf_counter()
    if cfg.get("parquet"):
        path = Path(cfg["workdir"]) / f"{name}_{n}.parquet"
        counts = model.simulate_to_parquet(path, params=params, chunk_size=cfg["chunk"], **kw)
        elapsed = time.perf_counter() - t
        out["parquet_mb"] = path.stat().st_size / 2**20
        path.unlink()
        out["failed"] = counts["failed"]
        # errors: the first 40 patients again, in memory
        res = model.simulate(params=params.iloc[:N_ERR], **kw)
        values = res.values[:, :, 0]
    else:
        res = model.simulate(params=params, chunk_size=cfg.get("chunk"), **kw)
        elapsed = time.perf_counter() - t
        out["failed"] = int((~res.ok).sum())
        out["steps_mean"] = float(np.mean(res.n_steps))
        values = res.values[:N_ERR, :, 0]
    out["seconds"] = elapsed
    out["patients_per_s"] = n / elapsed
    out["max_rel_err"] = rel_error(values, _reference(cfg)[: values.shape[0]])
    return out


def w_roadrunner(cfg: dict) -> dict:
    import roadrunner

    from hematwin.model.sbml_export import to_sbml

    name, n = cfg["model"], cfg["n"]
    spec, reg, varied = model_parts(name)
    params = cohort(name, n)
    sbml = to_sbml(spec, regimen=reg)
    t = time.perf_counter()
    rr = roadrunner.RoadRunner(sbml)
    rr.integrator.relative_tolerance = RTOL
    rr.integrator.absolute_tolerance = ATOL
    rr.timeCourseSelections = ["anc"]
    compile_s = time.perf_counter() - t
    values = np.empty((n, DAYS + 1))
    cols = [params[p].to_numpy() for p in varied]
    failed = 0
    t = time.perf_counter()
    for i in range(n):
        for p, col in zip(varied, cols, strict=True):
            rr[p] = col[i]
        rr.reset()  # time 0, states from their initial assignments with these parameters
        try:
            values[i] = rr.simulate(0.0, float(DAYS), DAYS + 1)[:, 0]
        except RuntimeError:
            values[i] = np.nan
            failed += 1
    elapsed = time.perf_counter() - t
    return {"compile_s": compile_s, "seconds": elapsed, "patients_per_s": n / elapsed,
            "failed": failed, "max_rel_err": rel_error(values[:N_ERR], _reference(cfg))}


def w_jax_probe(cfg: dict) -> dict:
    """Is the JAX backend usable through the public API?"""
    try:
        import hematwin.engine.jax_backend  # noqa: F401
        from hematwin.engine import Model

        spec, _, _ = model_parts(cfg["model"])
        Model(spec).jax  # noqa: B018
    except Exception as exc:  # any failure means: not available, say why
        return {"available": False, "reason": f"{type(exc).__name__}: {exc}"}
    return {"available": True}


WORKERS = {
    "reference": w_reference,
    "compile": w_compile,
    "hematwin": w_hematwin,
    "roadrunner": w_roadrunner,
    "jax_probe": w_jax_probe,
}


def worker_main(cfg: dict) -> None:
    out_fd = silence_c_output() if cfg["kind"] == "roadrunner" else os.dup(1)
    try:
        result = {"status": "ok", **WORKERS[cfg["kind"]](cfg)}
    except Exception as exc:
        result = {"status": "error", "error": f"{type(exc).__name__}: {exc}",
                  "traceback": traceback.format_exc()[-2000:]}
    result["peak_rss_mb"] = peak_rss_mb()
    os.write(out_fd, ("RESULT " + json.dumps(result) + "\n").encode())


# --- orchestration -------------------------------------------------------------------------


def fingerprint() -> str:
    """Hash of the sources that decide the numbers (not of this script's formatting)."""
    h = hashlib.sha256()
    files = sorted((ROOT / "src/hematwin/engine").glob("*.py"))
    files += [ROOT / "src/hematwin/model/codegen.py", ROOT / "src/hematwin/model/sbml_export.py",
              ROOT / "src/hematwin/library/five_lineage.py",
              ROOT / "src/hematwin/library/friberg2002.py"]
    for f in files:
        if f.exists():
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def run_worker(cfg: dict, env: dict | None, timeout: float) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(cfg)]
    t = time.perf_counter()
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout,
                              cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "wall_s": time.perf_counter() - t, "timeout_s": timeout}
    wall = time.perf_counter() - t
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("RESULT "):
            out = json.loads(line[7:])
            out["wall_s"] = wall
            return out
    return {"status": "crashed", "returncode": proc.returncode, "wall_s": wall,
            "stderr": proc.stderr[-2000:]}


def machine() -> dict:
    import numba
    import scipy

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {"python": platform.python_version(), "numpy": np.__version__,
                "scipy": scipy.__version__, "numba": numba.__version__}
    for mod, attr in (("jax", "__version__"), ("roadrunner", "__version__"),
                      ("hematwin", "__version__")):
        try:
            versions[mod] = getattr(__import__(mod), attr)
        except Exception:
            versions[mod] = "not installed"
    try:
        import libsbml

        versions["libsbml"] = libsbml.getLibSBMLDottedVersion()
    except Exception:
        versions["libsbml"] = "not installed"
    return {"date": dt.datetime.now().isoformat(timespec="seconds"), "cpu": cpu,
            "cores": os.cpu_count(), "numba_threads": numba.config.NUMBA_NUM_THREADS,
            "platform": platform.platform(), "versions": versions}


def plan(args) -> list[tuple[str, dict]]:
    """(key, config) of every measurement, cheapest first."""
    jobs: list[tuple[str, dict]] = []
    sizes = [n for n in (10**3, 10**4, 10**5, 10**6) if n <= args.max_n]
    for m in MODELS:
        jobs.append((f"{m}/reference", {"kind": "reference", "model": m}))
        jobs.append((f"{m}/compile/first", {"kind": "compile", "model": m, "cache": "fresh"}))
        jobs.append((f"{m}/compile/cached", {"kind": "compile", "model": m, "cache": "same"}))
    jobs.append(("friberg2002/jax/probe", {"kind": "jax_probe", "model": "friberg2002"}))
    for n in sizes:
        # the Rosenbrock method is the stiff fallback, measured on the smaller cohorts only
        for method in ("dp5", "ros23") if n <= 10**4 else ("dp5",):
            cfg = {"kind": "hematwin", "model": "friberg2002", "backend": "numba",
                   "method": method, "n": n, "chunk": args.chunk}
            if n >= 10**6:
                cfg.update(parquet=True)
            jobs.append((f"friberg2002/numba/{method}/{n}", cfg))
    for n in (10**4, 10**5):
        if n <= args.max_n_27:
            for method in args.methods_27:
                jobs.append((f"five_lineage/numba/{method}/{n}",
                             {"kind": "hematwin", "model": "five_lineage", "backend": "numba",
                              "method": method, "n": n, "chunk": args.chunk}))
    for m, sub in (("friberg2002", args.peer_subset), ("five_lineage", args.peer_subset_27)):
        jobs.append((f"{m}/roadrunner/cvode/{sub}",
                     {"kind": "roadrunner", "model": m, "n": max(sub, N_ERR)}))
        jobs.append((f"{m}/scipy/LSODA/{args.lsoda_subset}",
                     {"kind": "hematwin", "model": m, "backend": "scipy", "method": "LSODA",
                      "n": max(args.lsoda_subset, N_ERR)}))
    return jobs


def jax_jobs(args) -> list[tuple[str, dict]]:
    return [(f"friberg2002/jax/{method}/{n}",
             {"kind": "hematwin", "model": "friberg2002", "backend": "jax", "method": method,
              "n": n, "chunk": min(n, 256)})
            for n in (10**3, 10**4, 10**5) if n <= min(args.max_n, args.jax_max_n)
            for method in (("dp5", "ros23") if n <= 10**3 else ("dp5",))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--max-n", type=int, default=10**5, help="largest Friberg cohort")
    ap.add_argument("--max-n-27", type=int, default=10**5, help="largest 27-state cohort")
    ap.add_argument("--methods-27", nargs="+", default=["dp5", "ros23"])
    ap.add_argument("--jax-max-n", type=int, default=10**4)
    ap.add_argument("--peer-subset", type=int, default=2000, help="RoadRunner patients")
    ap.add_argument("--peer-subset-27", type=int, default=1000)
    ap.add_argument("--lsoda-subset", type=int, default=500)
    ap.add_argument("--chunk", type=int, default=50_000, help="patients per chunk")
    ap.add_argument("--timeout", type=float, default=1800.0, help="seconds per configuration")
    ap.add_argument("--only", default="", help="run only keys containing this text")
    ap.add_argument("--resume", action="store_true",
                    help="keep results of the same engine sources from results.json")
    ap.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "hematwin-bench"))
    ap.add_argument("--no-readme", action="store_true")
    ap.add_argument("--render-only", action="store_true",
                    help="rewrite the README table from results.json, measure nothing")
    args = ap.parse_args()
    if args.worker:
        worker_main(json.loads(args.worker))
        return

    if args.render_only:
        table = render(json.loads(RESULTS.read_text()))
        print(table)
        write_readme(table)
        return
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    fp = fingerprint()
    old = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results: dict = {}
    if args.resume and old.get("fingerprint") == fp:
        results = {k: v for k, v in old.get("results", {}).items() if v.get("status") == "ok"}
    data = {"fingerprint": fp, "machine": machine(), "targets": TARGETS,
            "settings": {"rtol": RTOL, "atol": ATOL, "reference": f"scipy {REF_METHOD} rtol "
                         f"{REF_RTOL} atol {REF_ATOL}", "seed": SEED, "days": DAYS,
                         "chunk": args.chunk, "n_err": N_ERR},
            "results": results}
    # an empty cache for the first compile; the same directory then serves the cached compile
    # and every timed run (their compile is outside the timing anyway)
    fresh_cache = Path(tempfile.mkdtemp(prefix="hematwin-cache-", dir=workdir))
    print(f"machine: {data['machine']['cpu']}, {data['machine']['cores']} cores; "
          f"engine fingerprint {fp}; workdir {workdir}")

    def env_for(cfg: dict) -> dict:
        env = dict(os.environ)
        env["HEMATWIN_CACHE_DIR"] = str(fresh_cache)
        return env

    jobs = plan(args)
    i = 0
    while i < len(jobs):
        key, cfg = jobs[i]
        i += 1
        if key == "friberg2002/jax/probe" and key in results:
            if results[key].get("available"):
                jobs[i:i] = [j for j in jax_jobs(args) if j[0] not in results]
        if args.only and args.only not in key and not key.endswith("/reference"):
            continue
        if key in results:
            print(f"  {key:42s} (kept from results.json)")
            continue
        cfg = {**cfg, "workdir": str(workdir),
               "ref_path": str(workdir / f"ref_{cfg['model']}_{fp}.npy")}
        if cfg["kind"] == "reference" and Path(cfg["ref_path"]).exists():
            results[key] = {"status": "ok", "cached_file": cfg["ref_path"]}
            continue
        out = run_worker(cfg, env_for(cfg), args.timeout)
        out["config"] = {k: v for k, v in cfg.items() if k not in ("workdir", "ref_path")}
        results[key] = out
        print(f"  {key:42s} {_summary(out)}", flush=True)
        if key == "friberg2002/jax/probe" and out.get("available"):
            jobs[i:i] = jax_jobs(args)
        RESULTS.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    RESULTS.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    table = render(data)
    print(table)
    if not args.no_readme:
        write_readme(table)


def _summary(out: dict) -> str:
    if out.get("status") != "ok":
        return f"{out.get('status')}: {out.get('error', out.get('stderr', ''))[:200]}"
    bits = []
    for k, fmt in (("patients_per_s", "{:,.0f} patients/s"), ("compile_s", "compile {:.2f} s"),
                   ("max_rel_err", "err {:.1e}"), ("peak_rss_mb", "RSS {:.0f} MB"),
                   ("failed", "failed {}"), ("reason", "{}")):
        if k in out:
            bits.append(fmt.format(out[k]))
    return ", ".join(bits)


# --- the Markdown table -------------------------------------------------------------------


def _fmt(x, spec: str = "{:,.0f}") -> str:
    return "–" if x is None else spec.format(x)


def render(data: dict) -> str:
    r = data["results"]
    m = data["machine"]
    v = m["versions"]
    threads = m.get("numba_threads") or m["cores"]
    lines = [
        f"Measured {m['date']} on {m['cpu'] or 'unknown CPU'}, {m['cores']} cores "
        f"(Numba {threads} threads). Python {v['python']}, NumPy {v['numpy']}, SciPy "
        f"{v['scipy']}, Numba {v['numba']}, JAX {v['jax']}, libRoadRunner {v['roadrunner']}, "
        f"libSBML {v['libsbml']}, hematwin {v['hematwin']} (engine fingerprint "
        f"`{data['fingerprint']}`).",
        "",
        f"Friberg 2002 docetaxel cohort: 180 mg bolus q21d × 4, {DAYS} days, daily `anc`, IIV "
        f"ω = 0.3 on MTT, Circ0, slope; rtol {RTOL:g}, atol {ATOL:g}. Error: max over the first "
        f"{N_ERR} patients of |anc − ref| / max(ref), ref = {data['settings']['reference']}. "
        "RSS: peak resident memory of the process that ran the configuration (includes "
        "Python, NumPy, Numba/LLVM: ≈ 150–250 MB before any patient).",
        "",
        "| model | engine | method | N | patients/s | per core | wall s | peak RSS MB "
        "| max rel err | failed | note |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for key, out in r.items():
        parts = key.split("/")
        if len(parts) != 4 or out.get("status") is None:
            continue
        model, engine, method, n = parts[0], parts[1], parts[2], int(parts[3])
        cores = threads if engine in ("numba", "jax") else 1
        note = ""
        if out.get("status") != "ok":
            note = f"{out['status']}: {str(out.get('error', ''))[:80]}"
            lines.append(f"| {model} | {engine} | {method} | {n:,} | – | – | "
                         f"{_fmt(out.get('wall_s'), '{:.0f}')} | – | – | – | {note} |")
            continue
        if engine in ("roadrunner", "scipy"):
            note = (f"loop over {n:,} patients; patients/s extrapolates to any N "
                    f"(10⁵: ≈ {1e5 / out['patients_per_s'] / 60:,.0f} min, 10⁶: ≈ "
                    f"{1e6 / out['patients_per_s'] / 3600:,.1f} h)")
            if engine == "roadrunner":
                note += "; SBML export with dose events, CVODE"
        if out.get("parquet_mb") is not None:
            note = (f"chunks of {out['config'].get('chunk'):,}, streamed to Parquet "
                    f"({out['parquet_mb']:.0f} MB)")
        pps = out.get("patients_per_s")
        lines.append(
            f"| {model} | {engine} | {method} | {n:,} | {_fmt(pps)} | "
            f"{_fmt(pps / cores if pps else None)} | {_fmt(out.get('seconds'), '{:.1f}')} | "
            f"{_fmt(out.get('peak_rss_mb'))} | {_fmt(out.get('max_rel_err'), '{:.1e}')} | "
            f"{out.get('failed', '–')} | {note} |")
    probe = r.get("friberg2002/jax/probe", {})
    if probe and not probe.get("available"):
        lines += ["", f"hematwin JAX (CPU): not available — {probe.get('reason', '')[:200]}"]
    lines += ["", "Compile latency (fresh process; seconds):", "",
              "| model | first (empty cache) | cached | of which import hematwin | "
              "RoadRunner SBML load |",
              "|---|---:|---:|---:|---:|"]
    for model in MODELS:
        first = r.get(f"{model}/compile/first", {})
        cached = r.get(f"{model}/compile/cached", {})
        rr = next((o for k, o in r.items() if k.startswith(f"{model}/roadrunner/")), {})
        if first.get("module") and cached.get("module") \
                and first["module"] != cached["module"]:
            cached = {**cached, "compile_s": None}  # sources changed between the two runs
        lines.append(f"| {model} | {_fmt(first.get('compile_s'), '{:.2f}')} | "
                     f"{_fmt(cached.get('compile_s'), '{:.2f}')} | "
                     f"{_fmt(cached.get('import_s'), '{:.2f}')} | "
                     f"{_fmt(rr.get('compile_s'), '{:.2f}')} |")
    lines += ["", "Targets (issue 2):", "", "| target | goal | measured | met |",
              "|---|---|---|---|"]
    for label, goal, got, ok in _targets(data):
        lines.append(f"| {label} | {goal} | {got} | {ok} |")
    return "\n".join(lines)


def _best(r: dict, prefix: str, n: int) -> float | None:
    vals = [o.get("patients_per_s") for k, o in r.items()
            if k.startswith(prefix) and k.endswith(f"/{n}") and o.get("status") == "ok"]
    vals = [x for x in vals if x]
    return max(vals) if vals else None


def _targets(data: dict) -> list[tuple[str, str, str, str]]:
    r = data["results"]
    threads = data["machine"].get("numba_threads") or data["machine"]["cores"]

    def verdict(got, goal, less=False):
        if got is None:
            return "not measured"
        return "yes" if (got <= goal if less else got >= goal) else "**no**"

    out = []
    got = _best(r, "friberg2002/numba/", 10**5)
    out.append(("Numba, Friberg, N = 10⁵", f"≥ {TARGETS['numba_friberg_1e5']:,.0f} patients/s",
                _fmt(got), verdict(got, TARGETS["numba_friberg_1e5"])))
    got = _best(r, "five_lineage/numba/", 10**5) or _best(r, "five_lineage/numba/", 10**4)
    out.append(("Numba, 27-state", f"≥ {TARGETS['numba_five_lineage']:,.0f} patients/s",
                _fmt(got), verdict(got, TARGETS["numba_five_lineage"])))
    rss = [o.get("peak_rss_mb") for k, o in r.items()
           if k.startswith("friberg2002/numba/") and k.endswith("/1000000")
           and o.get("status") == "ok"]
    got = max(rss) if rss else None
    out.append(("N = 10⁶ peak RSS", f"≤ {TARGETS['rss_1e6_mb']:,.0f} MB", _fmt(got),
                verdict(got, TARGETS["rss_1e6_mb"], less=True)))
    c = [r.get(f"{m}/compile/cached", {}).get("compile_s") for m in MODELS]
    c = [x for x in c if x is not None]
    got = max(c) if c else None
    out.append(("cached compile", f"≤ {TARGETS['cached_compile_s']:g} s",
                _fmt(got, "{:.2f} s"), verdict(got, TARGETS["cached_compile_s"], less=True)))
    rr = _best(r, "friberg2002/roadrunner/", next(
        (int(k.split("/")[-1]) for k in r if k.startswith("friberg2002/roadrunner/")), 0))
    jax = max([o.get("patients_per_s") or 0 for k, o in r.items()
               if k.startswith("friberg2002/jax/") and o.get("status") == "ok"], default=0)
    probe = r.get("friberg2002/jax/probe", {})
    if not probe.get("available", False):
        got_s, ok = "JAX backend not available", "not measured"
    else:
        got_s = f"{jax / threads:,.0f} vs {rr or 0:,.0f} patients/s per core"
        ok = verdict(jax / threads if jax else None, rr or 0)
    out.append(("JAX CPU vs libRoadRunner", "≥ RoadRunner per core", got_s, ok))
    return out


def write_readme(table: str) -> None:
    section = f"{START}\n{table}\n{END}"
    if README.exists():
        text = README.read_text()
        if START in text and END in text:
            head, rest = text.split(START, 1)
            text = head + section + rest.split(END, 1)[1]
        else:
            text = text.rstrip() + "\n\n## Engine benchmark\n\n" + section + "\n"
    else:
        text = (
            "# Benchmarks\n\n"
            "Scripts, not tests: each prints its table and writes it here.\n\n"
            "## Engine benchmark (`bench_engine.py`)\n\n"
            "`python benchmarks/bench_engine.py --max-n 100000` (N ≤ 10⁵, minutes); add "
            "`--resume --max-n 1000000` for N = 10⁶ (keeps the results of the same engine "
            "sources). Raw numbers: `results.json`. What each column means is in the module "
            "docstring.\n\n" + section + "\n"
        )
    README.write_text(text)


if __name__ == "__main__":
    main()
