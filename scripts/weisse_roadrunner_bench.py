#!/usr/bin/env python3
"""Time libRoadRunner (CVODE) on the Weiße et al. 2015 host model, for comparison with
BioXen's native solver (benches/kinetics.rs) and wasm (bench/kinetic.mjs).

The model is the SBML that the built package writes (pkg/, scripts/build-pkg.sh): toSbml with
one constitutive circuit gene per heterologous gene, {"genes": [{"name": "g0", "w": 100,
"length": 300}]}, which is the bare Weiße host with heterologous genes (theta_nr = 4.38) of
src/kinetics/model.rs. No Antimony is needed. Checked when this moved off Antimony: for 1, 16
and 64 genes, simulateCircuits on those options gives the same lambda(10000) as simulateWeisse
(bit for bit), and libRoadRunner on the SBML agrees with it within 1e-6 relative (2.9e-9,
3.1e-7 and 5.9e-7 at rtol = atol = 1e-6). The benchmark case of issue 5: 10 000 simulated
minutes, 101 output points, rtol = atol = 1e-6, one heterologous gene at w = 100 (length
300 aa); also 16 and 64 genes at w = 100.

    pip install libroadrunner        (and node, to write the SBML from pkg/)
    python3 scripts/weisse_roadrunner_bench.py [--reps N] [--json]

Prints the median time per run (ms) for each case and the final growth rate, so the numbers
can be checked against the Rust run.
"""
import argparse
import json
import os
import statistics
import subprocess
import time

import roadrunner

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Writes the SBML of `genes` constitutive genes at w = 100, 300 aa (one circuit each) to stdout.
TO_SBML = """
const bx = await import(process.argv[1]);
const k = Number(process.argv[2]);
const circuits = Array.from({ length: k }, (_, i) => ({ genes: [{ name: `g${i}`, w: 100, length: 300 }] }));
process.stdout.write(bx.toSbml({ circuits, tEndMin: 10000, points: 101, rtol: 1e-6, atol: 1e-6 }));
"""


def sbml_model(genes):
    """The package's SBML for `genes` heterologous genes at w = 100 (300 aa)."""
    pkg = "file://" + os.path.join(REPO, "pkg", "index.mjs")
    r = subprocess.run(["node", "--input-type=module", "-e", TO_SBML, pkg, str(genes)],
                       capture_output=True, text=True, cwd=REPO)
    if r.returncode != 0:
        raise RuntimeError(f"writing the SBML with pkg/ failed (build it: scripts/build-pkg.sh): "
                           f"{r.stderr.strip().splitlines()[-1:]}")
    return r.stdout


def load(genes):
    rr = roadrunner.RoadRunner(sbml_model(genes))
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
    for label, genes in [("1 gene (w=100)", 1), ("16 genes (w=100)", 16), ("64 genes (w=100)", 64)]:
        med, best, lam, _ = time_case(genes, args.reps)
        out[label] = {"median_ms": med, "min_ms": best, "lambda_end": lam}
        if not args.json:
            print(f"libRoadRunner {roadrunner.__version__} CVODE, {label}: "
                  f"median {med:.3f} ms, min {best:.3f} ms per run; lambda(10000) = {lam:.10e}")
    if args.json:
        print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
