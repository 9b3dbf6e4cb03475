#!/usr/bin/env python3
"""Independent SciPy reference for the Friberg (2002) myelosuppression model
driven by docetaxel (Bruno 1996 three-compartment PK).

Written for hematwin as an *independent* cross-check: it imports nothing from
``hematwin`` and uses only NumPy/SciPy.

Time unit: HOURS inside the ODE system; results are reported in DAYS
(t_day = t_h / 24) with dose at t = 0.

Model (Friberg et al., J Clin Oncol 2002;20:4713-21):
    ktr   = (n+1)/MTT = 4/MTT            (n = 3 transit compartments)
    Cc    = A1 / V1 / MW                 [umol/L = uM]; A1 in mg, V1 in L, MW in mg/umol
    Edrug = slope * Cc                   (linear; slope in 1/uM)
    dProl = ktr*Prol*(1-Edrug)*(Circ0/Circ)^gamma - ktr*Prol
    dT1   = ktr*Prol - ktr*T1
    dT2   = ktr*T1   - ktr*T2
    dT3   = ktr*T2   - ktr*T3
    dCirc = ktr*T3   - kcirc*Circ        (Friberg 2002 final model: kcirc = ktr)
PK (Bruno et al., J Pharmacokinet Biopharm 1996;24:153-72), central amount A1 in mg:
    dA1 = input(t) - (k10+k12+k13)*A1 + k21*A2 + k31*A3
    dA2 = k12*A1 - k21*A2
    dA3 = k13*A1 - k31*A3

Parameter provenance (see benchmarks/reference/README.md for the full table):
  Circ0 5.05e9/L, MTT 88.7 h, gamma 0.161, slope 8.58 /uM: Friberg 2002
  (as transcribed in radivot/myelo myelo/inst/doc/fribergPars02.R, "first row
  of Table 4").  k10 5.2, k12 1.06, k21 1.51, k13 1.26, k31 0.084 /h, V1 7.4 L:
  Bruno 1996 Table II first column (same file).  MW 0.808 mg/umol (808 g/mol).

Usage:  python friberg_scipy_reference.py [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import sys

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

PARAMS = dict(
    circ0=5.05,      # 1e9 cells/L (ANC baseline)
    mtt=88.7,        # h
    gamma=0.161,     # -
    slope=8.58,      # 1/uM (L/umol)
    k10=5.2, k12=1.06, k21=1.51, k13=1.26, k31=0.084,  # 1/h
    v1=7.4,          # L
    mw=0.808,        # mg/umol (docetaxel 807.9 g/mol)
)

RTOL, ATOL = 1e-10, 1e-12
T_END_H = 30 * 24.0


def make_rhs(p, kcirc=None):
    ktr = 4.0 / p["mtt"]
    kc = ktr if kcirc is None else kcirc

    def rhs(t, y, rate):
        a1, a2, a3, prol, t1, t2, t3, circ = y
        cc = a1 / p["v1"] / p["mw"]                 # uM
        edrug = p["slope"] * cc
        return np.array([
            rate - (p["k10"] + p["k12"] + p["k13"]) * a1 + p["k21"] * a2 + p["k31"] * a3,
            p["k12"] * a1 - p["k21"] * a2,
            p["k13"] * a1 - p["k31"] * a3,
            ktr * prol * (1.0 - edrug) * (p["circ0"] / circ) ** p["gamma"] - ktr * prol,
            ktr * (prol - t1),
            ktr * (t1 - t2),
            ktr * (t2 - t3),
            ktr * t3 - kc * circ,
        ])
    return rhs, ktr, kc


def initial_state(p, ktr, kc):
    # Steady state: Circ = Circ0; every marrow compartment = kcirc*Circ0/ktr
    # (= Circ0 when kcirc = ktr).
    m0 = p["circ0"] * kc / ktr
    return np.array([0.0, 0.0, 0.0, m0, m0, m0, m0, p["circ0"]])


class Piecewise:
    """Dense output stitched over the infusion break-point."""

    def __init__(self, segments):
        self.segments = segments  # list of (t0, t1, sol, rate)

    def __call__(self, t):
        for t0, t1, sol, rate in self.segments:
            if t <= t1 + 1e-12:
                return sol.sol(min(max(t, t0), t1)), rate
        t0, t1, sol, rate = self.segments[-1]
        return sol.sol(t1), rate


def simulate(dose_mg=180.0, t_inf_h=0.0, method="Radau", kcirc=None, p=PARAMS, t_end=T_END_H):
    rhs, ktr, kc = make_rhs(p, kcirc)
    y0 = initial_state(p, ktr, kc)
    opts = dict(method=method, rtol=RTOL, atol=ATOL, dense_output=True)
    segs = []
    if t_inf_h > 0:
        rate = dose_mg / t_inf_h
        s1 = solve_ivp(rhs, (0.0, t_inf_h), y0, args=(rate,), **opts)
        assert s1.success, s1.message
        s2 = solve_ivp(rhs, (t_inf_h, t_end), s1.y[:, -1], args=(0.0,), **opts)
        assert s2.success, s2.message
        segs = [(0.0, t_inf_h, s1, rate), (t_inf_h, t_end, s2, 0.0)]
    else:
        y0 = y0.copy()
        y0[0] += dose_mg                      # i.v. bolus into central compartment
        s = solve_ivp(rhs, (0.0, t_end), y0, args=(0.0,), **opts)
        assert s.success, s.message
        segs = [(0.0, t_end, s, 0.0)]
    return Piecewise(segs), rhs


def circ_at(pw, t):
    return float(pw(t)[0][7])


def dcirc_at(pw, rhs, t):
    y, rate = pw(t)
    return float(rhs(t, y, rate)[7])


def extremum(pw, rhs, lo_h, hi_h, kind, grid_step_h=0.05):
    """Locate min/max of Circ on [lo, hi] (hours): grid search, then root of dCirc/dt."""
    tt = np.arange(lo_h, hi_h + grid_step_h / 2, grid_step_h)
    cc = np.array([circ_at(pw, t) for t in tt])
    i = int(np.argmin(cc) if kind == "min" else np.argmax(cc))
    a, b = tt[max(i - 1, 0)], tt[min(i + 1, len(tt) - 1)]
    try:
        t_star = brentq(lambda t: dcirc_at(pw, rhs, t), a, b, xtol=1e-10)
    except ValueError:            # extremum at interval boundary
        t_star = tt[i]
    return t_star, circ_at(pw, t_star)


def summarize(dose_mg, t_inf_h, method="Radau", kcirc=None, p=PARAMS):
    pw, rhs = simulate(dose_mg, t_inf_h, method, kcirc, p)
    tn, cn = extremum(pw, rhs, 24.0, 21 * 24.0, "min")
    tr, cr = extremum(pw, rhs, max(tn, 10 * 24.0), 21 * 24.0, "max")
    y_peak_cc = max(pw(t)[0][0] for t in np.linspace(0, 2, 2001)) / p["v1"] / p["mw"]
    return dict(
        dose_mg=dose_mg, infusion_h=t_inf_h, method=method,
        kcirc=("ktr" if kcirc is None else kcirc),
        nadir_anc=cn, nadir_day=tn / 24.0,
        rebound_anc=cr, rebound_day=tr / 24.0,
        anc_day21=circ_at(pw, 21 * 24.0),
        cmax_uM=y_peak_cc,
    )


def steady_state_check(p=PARAMS, days=100.0):
    rhs, ktr, kc = make_rhs(p)
    y0 = initial_state(p, ktr, kc)
    r0 = np.max(np.abs(rhs(0.0, y0, 0.0)))
    s = solve_ivp(rhs, (0, days * 24), y0, args=(0.0,), method="Radau", rtol=RTOL, atol=ATOL)
    dev = np.max(np.abs(s.y[7] - p["circ0"]))
    return dict(rhs_norm_at_y0=float(r0), max_abs_dev_circ_100d=float(dev))


TARGETS = dict(nadir_anc=0.896, nadir_day=7.55, rebound_anc=6.28, rebound_day=19.8, anc_day21=6.21)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", help="write results as JSON to this path")
    args = ap.parse_args(argv)

    results = {"steady_state": steady_state_check(), "scenarios": []}
    scenarios = [
        ("bolus 180 mg", dict(dose_mg=180.0, t_inf_h=0.0)),
        ("1-h infusion 180 mg", dict(dose_mg=180.0, t_inf_h=1.0)),
        ("bolus 180 mg (LSODA)", dict(dose_mg=180.0, t_inf_h=0.0, method="LSODA")),
        ("1-h infusion 180 mg (LSODA)", dict(dose_mg=180.0, t_inf_h=1.0, method="LSODA")),
        ("bolus 200 mg (myelo README dose)", dict(dose_mg=200.0, t_inf_h=0.0)),
        # "kcirc otherwise": circulating neutrophil half-life 7 h (not Friberg 2002);
        # marrow compartments re-initialised to kcirc*Circ0/ktr to keep the steady state.
        ("bolus 180 mg, kcirc=ln2/7h", dict(dose_mg=180.0, t_inf_h=0.0, kcirc=np.log(2) / 7.0)),
    ]
    for name, kw in scenarios:
        r = summarize(**kw)
        r["name"] = name
        results["scenarios"].append(r)

    ss = results["steady_state"]
    print(f"Steady state: |f(y0)|_inf = {ss['rhs_norm_at_y0']:.3e}; "
          f"max |Circ - Circ0| over 100 d without drug = {ss['max_abs_dev_circ_100d']:.3e}")
    hdr = (f"{'scenario':36s} {'nadir':>8s} {'d_nadir':>8s} {'rebound':>8s} {'d_reb':>8s} "
           f"{'ANC d21':>8s} {'Cmax uM':>8s}")
    print(hdr)
    for r in results["scenarios"]:
        print(f"{r['name']:36s} {r['nadir_anc']:8.5f} {r['nadir_day']:8.4f} "
              f"{r['rebound_anc']:8.5f} {r['rebound_day']:8.4f} {r['anc_day21']:8.5f} "
              f"{r['cmax_uM']:8.3f}")
    print("targets (issue):", TARGETS)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
