#!/usr/bin/env python3
"""Reference solutions of guest gene circuits on the Weisse host for tests/circuits.rs.

An independent implementation of issue 15's circuit semantics on the Weisse et al. 2015
host (written from the issue's equations and the paper's, not from the Rust code),
integrated with scipy's solve_ivp, Radau at rtol = atol = 1e-10, and cross-checked with
LSODA at the same tolerances; the largest difference between the two is stored with each
case as the reference's own uncertainty.

The semantics (issue 15, "The circuit description"):
  inducer at I uM:   x = (I/K_I)^n_I;  P_eff = P_by/(1+x) (inactivates), P_by*x/(1+x) (activates)
  each regulation:   u = (P_eff/K)^n;  h = 1/(1+u) (repress), u/(1+u) (activate)
  promoter activity: f = leak + (1-leak) * prod(h)          (1 without regulations)
  a circuit gene is a heterologous Weisse gene: transcription w*f*a/(theta_nr + a), mRNA
  decay d_m, ribosome binding k_b / unbinding k_u, translation c*gamma(a)/length, energy
  cost length*nu, its complexes count in lambda, dp/dt = nu - (lambda + degradation)*p.
  Inducer schedules are piecewise constant ({name: [[tMin, uM], ...]}, 0 before the first
  entry, a value holds from its tMin on); integration restarts at every change.

Every case starts from the host's steady state without circuits (computed here, stored in
the fixture as `options.initial`, so the Rust side starts from the same numbers), with
proteins at their genes' initialProtein and circuit mRNAs and complexes at 0. To avoid
interpolation error every output time and every inducer change is an integration end point.

Cases: a constitutive reporter; LacI-pTrc with an IPTG step; the toggle with an IPTG pulse
and an aTc pulse; the repressilator (an oscillator: compared within a fraction of its
amplitude); two circuits in one host (a reporter and AraC-pBAD with an arabinose step); a
custom circuit exercising every term (two-term promoter, non-integer Hill coefficients,
leak, degradation, activating and inactivating inducers).

Output: tests/fixtures/circuits/reference.json.

    python3 -m venv .venv && .venv/bin/pip install scipy numpy
    .venv/bin/python scripts/circuits_reference.py            # writes the fixture
    .venv/bin/python scripts/circuits_reference.py --check    # recompute and compare
"""
import argparse
import json
import os
import sys

import numpy as np
import scipy
from scipy.integrate import solve_ivp

# Weisse et al. 2015, PNAS 112:E1038, Table S1.
P = dict(dm=0.1, ns=0.5, nr=7459.0, nx=300.0, gmax=1260.0, Kgamma=7.0, vt=726.0, Kt=1000.0,
         vm=5800.0, Km=1000.0, wr=930.0, we=4.14, wq=948.93, thetar=426.87, thetax=4.38,
         Kq=152219.0, hq=4.0, kb=1.0, ku=1.0, M=1e8)
HOST = ["si", "a", "r", "et", "em", "q", "mr", "mt", "mm", "mq", "cr", "ct", "cm", "cq"]
RTOL = 1e-10
ATOL = 1e-10


# ---------------------------------------------------------------------------- semantics
def inducer_factor(ind, medium):
    """P_eff / P_by for a regulation's inducer at the medium's concentration."""
    if ind is None:
        return 1.0
    x = (medium.get(ind["name"], 0.0) / ind["K"]) ** ind["n"]
    if ind["effect"] == "inactivates":
        return 1.0 / (1.0 + x)
    if ind["effect"] == "activates":
        return x / (1.0 + x)
    raise ValueError(ind["effect"])


def hill(mode, p_eff, K, n):
    u = (max(p_eff, 0.0) / K) ** n
    if mode == "repress":
        return 1.0 / (1.0 + u)
    if mode == "activate":
        return u / (1.0 + u)
    raise ValueError(mode)


def flatten(circuits):
    """Every circuit gene in layout order: circuit 0's genes, then circuit 1's, ...; each
    regulation's `by` as an index into that list."""
    genes = []
    for c in circuits:
        base = len(genes)
        names = [g["name"] for g in c["genes"]]
        for g in c["genes"]:
            regs = [dict(by=base + names.index(r["by"]), mode=r["mode"], K=r["K"], n=r["n"],
                         inducer=r.get("inducer")) for r in g.get("regulation", [])]
            genes.append(dict(circuit=c.get("name"), name=g["name"], w=g["w"],
                              length=float(g["length"]), leak=g.get("leak", 0.0),
                              deg=g.get("degradation", 0.0), p0=g.get("initialProtein", 0.0),
                              regs=regs))
    return genes


def activities(genes, prot, medium):
    out = np.empty(len(genes))
    for i, g in enumerate(genes):
        if not g["regs"]:
            out[i] = 1.0
            continue
        h = 1.0
        for r in g["regs"]:
            h *= hill(r["mode"], prot[r["by"]] * inducer_factor(r["inducer"], medium), r["K"], r["n"])
        out[i] = g["leak"] + (1.0 - g["leak"]) * h
    return out


# ---------------------------------------------------------------------------- the model
def make_rhs(s0, genes, medium):
    """State: the 14 host species, then (p, m, c) per circuit gene."""
    p = P
    L = np.array([g["length"] for g in genes])
    W = np.array([g["w"] for g in genes])
    D = np.array([g["deg"] for g in genes])

    def rhs(_t, y):
        si, a, r, et, em, q, mr, mt, mm, mq, cr, ct, cm, cq = y[:14]
        pp, mp, cp = y[14::3], y[15::3], y[16::3]
        gam = p["gmax"] * a / (p["Kgamma"] + a)
        ctot = cr + ct + cm + cq + cp.sum()
        lam = gam * ctot / p["M"]
        nucat = em * p["vm"] * si / (p["Km"] + si)
        sat = a / (p["thetax"] + a)
        dy = np.empty_like(y)
        dy[0] = et * p["vt"] * s0 / (p["Kt"] + s0) - nucat - lam * si
        # energy: every translation costs length * nu = c * gamma
        dy[1] = p["ns"] * nucat - gam * ctot - lam * a
        omega = [p["wr"] * a / (p["thetar"] + a), p["we"] * sat, p["we"] * sat,
                 p["wq"] * sat / (1.0 + (q / p["Kq"]) ** p["hq"])]
        lengths = [p["nr"], p["nx"], p["nx"], p["nx"]]
        free = 0.0
        nu = []
        for i, (m, c) in enumerate([(mr, cr), (mt, ct), (mm, cm), (mq, cq)]):
            v = c * gam / lengths[i]
            nu.append(v)
            dy[6 + i] = omega[i] - (lam + p["dm"]) * m + v - p["kb"] * r * m + p["ku"] * c
            dy[10 + i] = -lam * c + p["kb"] * r * m - p["ku"] * c - v
            free += v - p["kb"] * r * m + p["ku"] * c
        dy[3] = nu[1] - lam * et
        dy[4] = nu[2] - lam * em
        dy[5] = nu[3] - lam * q
        if len(genes):
            f = activities(genes, pp, medium)
            nup = cp * gam / L
            dy[14::3] = nup - (lam + D) * pp
            dy[15::3] = W * f * sat - (lam + p["dm"]) * mp + nup - p["kb"] * r * mp + p["ku"] * cp
            dy[16::3] = -lam * cp + p["kb"] * r * mp - p["ku"] * cp - nup
            free += (nup - p["kb"] * r * mp + p["ku"] * cp).sum()
        dy[2] = nu[0] - lam * r + free
        return dy

    return rhs


def growth(y):
    a = y[1]
    gam = P["gmax"] * a / (P["Kgamma"] + a)
    return gam * (y[10:14].sum() + y[16::3].sum()) / P["M"]


def host_steady_state():
    y = np.zeros(14)
    y[1] = 1000.0
    y[2:6] = 10.0
    sol = solve_ivp(make_rhs(1e4, [], {}), (0.0, 2e4), y, method="Radau", rtol=1e-12, atol=1e-12)
    assert sol.success, sol.message
    y = sol.y[:, -1]
    resid = np.abs(make_rhs(1e4, [], {})(0.0, y)) / np.maximum(np.abs(y), 1.0)
    assert resid.max() < 1e-9, resid.max()
    return y


def medium_at(inducers, t):
    m = {}
    for name, sched in inducers.items():
        vals = [c for (tt, c) in sched if tt <= t]
        if vals:
            m[name] = vals[-1]
    return m


def simulate(opts, method, rtol=RTOL, atol=ATOL):
    """Radau stops at every output time (no interpolation); LSODA, the cross-check, stops
    only at the inducer changes and reports the outputs between them from its dense output
    (restarted at every output time it takes far longer, with no better agreement)."""
    genes = flatten(opts["circuits"])
    inducers = opts.get("inducers", {})
    t_end, points = opts["tEndMin"], opts["points"]
    ts = [t_end] if points == 1 else [t_end * i / (points - 1) for i in range(points)]
    ts[-1] = t_end
    y = np.zeros(14 + 3 * len(genes))
    y[1] = 1000.0
    y[2:6] = 10.0
    for name, v in opts.get("initial", {}).items():
        y[HOST.index(name)] = v
    y[14::3] = [g["p0"] for g in genes]
    changes = sorted({tt for s in inducers.values() for (tt, _) in s if 0.0 < tt <= t_end})
    stops = sorted(set(ts) | set(changes)) if method == "Radau" else sorted(set(changes) | {t_end})
    t = 0.0
    out = {}
    if 0.0 in ts:
        out[0.0] = y.copy()
    for t1 in stops:
        if t1 > t:
            rhs = make_rhs(opts.get("s0", 1e4), genes, medium_at(inducers, t))
            inside = [tt for tt in ts if t < tt < t1]
            sol = solve_ivp(rhs, (t, t1), y, method=method, rtol=rtol, atol=atol,
                            dense_output=bool(inside))
            if not sol.success:
                raise RuntimeError(f"{method}: {sol.message} at t = {t}")
            for tt in inside:
                out[tt] = sol.sol(tt)
            y = sol.y[:, -1].copy()
            t = t1
        out[t1] = y.copy()
    rows = [out[tt] for tt in ts]
    prot = [[float(r[14 + 3 * j]) for r in rows] for j in range(len(genes))]
    act = [[float(activities(genes, r[14::3], medium_at(inducers, tt))[j]) for r, tt in zip(rows, ts)]
           for j in range(len(genes))]
    return dict(t=ts, growthRate=[float(growth(r)) for r in rows], proteins=prot, activity=act,
                genes=[f"{g['circuit']}/{g['name']}" for g in genes])


# ---------------------------------------------------------------------------- circuits
# The library circuits as src/circuits/library.rs defines them (the Rust test checks that the
# fixture's circuits equal the library's, so a change there regenerates this fixture).
IPTG = dict(name="IPTG", K=30.0, n=2.0, effect="inactivates")
ATC = dict(name="aTc", K=0.02, n=2.0, effect="inactivates")
ARA = dict(name="arabinose", K=1000.0, n=2.0, effect="activates")
TAG = float(np.log(2.0) / 10.0)


def reg(by, mode, K, n, inducer=None):
    r = dict(by=by, mode=mode, K=K, n=n)
    if inducer:
        r["inducer"] = inducer
    return r


REPORTER = dict(name="reporter", genes=[dict(name="gfp", w=10.0, length=238)])
LAC = dict(name="lac", genes=[
    dict(name="lacI", w=2.0, length=360, initialProtein=3000.0),
    dict(name="gfp", w=20.0, length=238, regulation=[reg("lacI", "repress", 300.0, 2.0, IPTG)])])
ARA_C = dict(name="ara", genes=[
    dict(name="araC", w=2.0, length=292, initialProtein=3500.0),
    dict(name="gfp", w=20.0, length=238, leak=0.001,
         regulation=[reg("araC", "activate", 500.0, 2.0, ARA)])])
TOGGLE = dict(name="toggle", genes=[
    dict(name="lacI", w=10.0, length=360, initialProtein=5000.0,
         regulation=[reg("tetR", "repress", 300.0, 2.0, ATC)]),
    dict(name="tetR", w=10.0, length=207, regulation=[reg("lacI", "repress", 300.0, 2.0, IPTG)]),
    dict(name="gfp", w=10.0, length=238, regulation=[reg("lacI", "repress", 300.0, 2.0, IPTG)])])
REPRESSILATOR = dict(name="repressilator", genes=[
    dict(name="lacI", w=10.0, length=360, leak=1e-3, degradation=TAG, initialProtein=1000.0,
         regulation=[reg("cI", "repress", 40.0, 2.0)]),
    dict(name="tetR", w=10.0, length=207, leak=1e-3, degradation=TAG,
         regulation=[reg("lacI", "repress", 40.0, 2.0)]),
    dict(name="cI", w=10.0, length=236, leak=1e-3, degradation=TAG,
         regulation=[reg("tetR", "repress", 40.0, 2.0)])])
CUSTOM = dict(name="every term", genes=[
    dict(name="A", w=15.0, length=250, degradation=0.02, initialProtein=300.0),
    dict(name="B", w=8.0, length=410, leak=0.05, degradation=0.01,
         regulation=[reg("A", "repress", 700.0, 1.7, dict(name="X", K=3.0, n=1.5, effect="inactivates")),
                     reg("C", "activate", 250.0, 2.3)]),
    dict(name="C", w=6.0, length=180, leak=0.2,
         regulation=[reg("B", "activate", 900.0, 1.0, dict(name="Y", K=40.0, n=0.8, effect="activates"))])])


def cases(host):
    init = {n: float(v) for n, v in zip(HOST, host)}
    base = dict(s0=1e4, initial=init)
    return [
        ("constitutive", False, dict(base, circuits=[REPORTER], tEndMin=600.0, points=61)),
        ("inducible", False, dict(base, circuits=[LAC], inducers={"IPTG": [[150.0, 100.0]]},
                                  tEndMin=600.0, points=61)),
        ("toggle", False, dict(base, circuits=[TOGGLE],
                               inducers={"IPTG": [[200.0, 1000.0], [560.0, 0.0]],
                                         "aTc": [[1200.0, 1.0], [1560.0, 0.0]]},
                               tEndMin=2400.0, points=121)),
        ("repressilator", True, dict(base, circuits=[REPRESSILATOR], tEndMin=3000.0, points=301)),
        ("two circuits", False, dict(base, circuits=[REPORTER, ARA_C],
                                     inducers={"arabinose": [[100.0, 13300.0], [400.0, 0.0]]},
                                     tEndMin=800.0, points=81)),
        ("every term", False, dict(base, circuits=[CUSTOM],
                                   inducers={"X": [[50.0, 5.0], [250.0, 0.5]], "Y": [[0.0, 10.0], [120.0, 200.0]]},
                                   tEndMin=500.0, points=101)),
    ]


def rel(a, b):
    return 0.0 if a == b else abs(a - b) / max(abs(a), abs(b))


def build():
    host = host_steady_state()
    out = []
    for name, oscillator, opts in cases(host):
        r = simulate(opts, "Radau")
        l = simulate(opts, "LSODA")
        diff = 0.0
        for s1, s2 in zip(r["proteins"], l["proteins"]):
            scale = max(max(s1) - min(s1), 1e-300) if oscillator else None
            for v1, v2 in zip(s1, s2):
                if oscillator:
                    diff = max(diff, abs(v1 - v2) / scale)
                elif max(abs(v1), abs(v2)) > 1e-6:
                    diff = max(diff, rel(v1, v2))
        for g1, g2 in zip(r["growthRate"], l["growthRate"]):
            diff = max(diff, rel(g1, g2))
        print(f"{name}: Radau vs LSODA max difference {diff:.2e}; growth at the end "
              f"{r['growthRate'][-1]:.10e}", file=sys.stderr)
        out.append(dict(name=name, oscillator=oscillator, options=opts, radauVsLsoda=diff, **r))
    return dict(
        generator="scripts/circuits_reference.py",
        model="Weisse et al. 2015 PNAS 112:E1038 host (Table S1) with issue 15's gene circuits",
        scipy=scipy.__version__, numpy=np.__version__, method="Radau", rtol=RTOL, atol=ATOL,
        crossCheck="LSODA at the same tolerances",
        maxRadauVsLsoda=max(c["radauVsLsoda"] for c in out),
        params=P, cases=out)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "tests", "fixtures", "circuits", "reference.json")
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=default)
    ap.add_argument("--check", action="store_true",
                    help="recompute and compare with the committed fixture")
    args = ap.parse_args()
    ref = build()
    if args.check:
        with open(args.out) as f:
            old = json.load(f)
        worst = 0.0
        for c_new, c_old in zip(ref["cases"], old["cases"]):
            for s1, s2 in zip(c_new["proteins"], c_old["proteins"]):
                for v1, v2 in zip(s1, s2):
                    if max(abs(v1), abs(v2)) > 1e-6:
                        worst = max(worst, rel(v1, v2))
        print(f"max rel difference from the committed fixture: {worst:.2e}")
        sys.exit(0 if worst < 1e-7 else 1)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(ref, f, indent=1)
        f.write("\n")
    print(f"wrote {os.path.normpath(args.out)}; max Radau vs LSODA difference "
          f"{ref['maxRadauVsLsoda']:.2e}")


if __name__ == "__main__":
    main()
