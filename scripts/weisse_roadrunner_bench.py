#!/usr/bin/env python3
"""Time libRoadRunner (CVODE) on the Weiße et al. 2015 host model, for comparison with
BioXen's native solver (benches/kinetics.rs).

The same model as src/kinetics/model.rs (paper Table S1 parameters, heterologous genes with
theta_nr = 4.38), written as Antimony and loaded into libRoadRunner. The benchmark case of
issue 5: 10 000 simulated minutes, 101 output points, rtol = atol = 1e-6, one heterologous
gene at w = 100 (length 300 aa); also 16 genes at w = 100.

    pip install libroadrunner antimony numpy
    python3 scripts/weisse_roadrunner_bench.py [--reps N] [--json]

Prints the median time per run (ms) for each case and the final growth rate, so the numbers
can be checked against the Rust run.
"""
import argparse
import json
import statistics
import time

import antimony
import roadrunner

HOST = dict(
    s0=1e4, dm=0.1, ns=0.5, nr=7459.0, nx=300.0, gmax=1260.0, Kgamma=7.0, vt=726.0,
    Kt=1000.0, vm=5800.0, Km=1000.0, wr=930.0, we=4.14, wq=948.93, thetar=426.87,
    thetax=4.38, Kq=152219.0, hq=4.0, kb=1.0, ku=1.0, M=1e8,
)


def antimony_model(genes):
    """genes: list of (w, length)."""
    k = len(genes)
    cs = ["cr", "ct", "cm", "cq"] + [f"cp{j}" for j in range(k)]
    host_tx = [("r", "cr", "mr", "nr"), ("t", "ct", "mt", "nx"), ("m", "cm", "mm", "nx"),
               ("q", "cq", "mq", "nx")]
    lines = ["model weisse"]
    for name, v in HOST.items():
        lines.append(f"  {name} = {v!r}")
    for j, (w, n) in enumerate(genes):
        lines.append(f"  wp{j} = {float(w)!r}; np{j} = {float(n)!r}")
    lines.append(f"  gam := gmax*a/(Kgamma + a)")
    lines.append(f"  lam := gam*({' + '.join(cs)})/M")
    lines.append("  nucat := em*vm*si/(Km + si)")
    lines.append("  nuimp := et*vt*s0/(Kt + s0)")
    tx = {
        "r": "wr*a/(thetar + a)",
        "t": "we*a/(thetax + a)",
        "m": "we*a/(thetax + a)",
        "q": "wq*a/(thetax + a)/(1 + (q/Kq)^hq)",
    }
    rows = list(host_tx) + [(f"p{j}", f"cp{j}", f"mp{j}", f"np{j}") for j in range(k)]
    for j in range(k):
        tx[f"p{j}"] = f"wp{j}*a/(thetax + a)"
    prods = {"r": "r", "t": "et", "m": "em", "q": "q"}
    dr = ["nur - lam*r"]
    for x, c, m, n in rows:
        lines.append(f"  nu{x} := {c}*gam/{n}")
        lines.append(f"  {m}' = {tx[x]} - (lam + dm)*{m} + nu{x} - kb*r*{m} + ku*{c}")
        lines.append(f"  {c}' = -lam*{c} + kb*r*{m} - ku*{c} - nu{x}")
        dr.append(f"nu{x} - kb*r*{m} + ku*{c}")
        if x != "r":
            p = prods.get(x, x)
            lines.append(f"  {p}' = nu{x} - lam*{p}")
    lines.append(f"  r' = {' + '.join(dr)}")
    lines.append("  si' = nuimp - nucat - lam*si")
    lines.append(f"  a' = ns*nucat - gam*({' + '.join(cs)}) - lam*a")
    init = {"a": 1000.0, "r": 10.0, "et": 10.0, "em": 10.0, "q": 10.0}
    states = ["si", "a", "r", "et", "em", "q", "mr", "mt", "mm", "mq", "cr", "ct", "cm", "cq"]
    for j in range(k):
        states += [f"p{j}", f"mp{j}", f"cp{j}"]
    for s in states:
        lines.append(f"  {s} = {init.get(s, 0.0)!r}")
    lines.append("end")
    return "\n".join(lines)


def load(genes):
    code = antimony.loadAntimonyString(antimony_model(genes))
    if code < 0:
        raise RuntimeError(antimony.getLastError())
    sbml = antimony.getSBMLString("weisse")
    rr = roadrunner.RoadRunner(sbml)
    rr.integrator = "cvode"
    rr.integrator.relative_tolerance = 1e-6
    rr.integrator.absolute_tolerance = 1e-6
    return rr


def time_case(genes, reps):
    rr = load(genes)
    times = []
    res = None
    for _ in range(reps):
        rr.resetAll()
        t0 = time.perf_counter()
        res = rr.simulate(0, 10000, 101)
        times.append(time.perf_counter() - t0)
    lam = rr.getValue("lam")
    return statistics.median(times) * 1e3, min(times) * 1e3, lam, res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=200)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    out = {"roadrunner": roadrunner.__version__}
    for label, genes in [("1 gene (w=100)", [(100.0, 300.0)]),
                         ("16 genes (w=100)", [(100.0, 300.0)] * 16),
                         ("64 genes (w=100)", [(100.0, 300.0)] * 64)]:
        med, best, lam, _ = time_case(genes, args.reps)
        out[label] = {"median_ms": med, "min_ms": best, "lambda_end": lam}
        if not args.json:
            print(f"libRoadRunner {roadrunner.__version__} CVODE, {label}: "
                  f"median {med:.3f} ms, min {best:.3f} ms per run; lambda(10000) = {lam:.10e}")
    if args.json:
        print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
