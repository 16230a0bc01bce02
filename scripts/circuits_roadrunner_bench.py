#!/usr/bin/env python3
"""Time libRoadRunner (CVODE) on an SBML model that BioXen's toSbml() wrote, for comparison
with simulateCircuits in wasm (bench/circuits.mjs, issue 15 "Benchmarks").

    .venv/bin/python scripts/circuits_roadrunner_bench.py MODEL.xml|- --t-end 10000 --points 101 \
        [--rtol 1e-6 --atol 1e-6 --reps 20]

MODEL.xml is a file, or - to read the SBML from stdin. The model is loaded once (that time is
reported as load_ms and is not part of the per-run timing); each run resets the model
(resetAll: states, parameters, event state and time) and simulates [0, t_end] on `points`
evenly spaced output times, both ends included, exactly as simulateCircuits' output grid.
The output selection is time plus every state (each rate-rule variable) and the growth rate
lam, about what simulateCircuits returns.

Prints one JSON object: {"roadrunner": version, "load_ms", "median_ms", "min_ms", "reps",
"final": {id: value at t_end}, "repeatable": bool} where repeatable says the first and the
last run ended on the same values (the resets work). Exit code 0 when it ran, 2 when
libroadrunner is missing.
"""
import argparse
import json
import re
import statistics
import sys
import time

try:
    import roadrunner
except ImportError as e:  # the caller says what to install
    print(json.dumps({"missing": str(e)}))
    sys.exit(2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model", help="SBML file, or - for stdin")
    ap.add_argument("--t-end", type=float, required=True)
    ap.add_argument("--points", type=int, required=True)
    ap.add_argument("--rtol", type=float, default=1e-6)
    ap.add_argument("--atol", type=float, default=1e-6)
    ap.add_argument("--reps", type=int, default=20)
    a = ap.parse_args()
    sbml = sys.stdin.read() if a.model == "-" else open(a.model, encoding="utf8").read()

    t0 = time.perf_counter()
    rr = roadrunner.RoadRunner(sbml)
    load_ms = (time.perf_counter() - t0) * 1e3
    rr.integrator = "cvode"
    rr.integrator.relative_tolerance = a.rtol
    rr.integrator.absolute_tolerance = a.atol
    rr.integrator.maximum_num_steps = 10_000_000
    ids = re.findall(r'<rateRule variable="([^"]+)"', sbml) + ["lam"]
    rr.timeCourseSelections = ["time"] + ids

    times, first, last = [], None, None
    for _ in range(max(1, a.reps)):
        rr.resetAll()
        t0 = time.perf_counter()
        res = rr.simulate(0, a.t_end, a.points)
        times.append(time.perf_counter() - t0)
        last = [float(v) for v in res[-1, 1:]]
        if first is None:
            first = last
    print(json.dumps({
        "roadrunner": roadrunner.__version__,
        "load_ms": load_ms,
        "median_ms": statistics.median(times) * 1e3,
        "min_ms": min(times) * 1e3,
        "reps": len(times),
        "rows": int(res.shape[0]),
        "final": dict(zip(ids, last)),
        "repeatable": first == last,
    }))


if __name__ == "__main__":
    main()
