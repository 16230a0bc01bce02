#!/usr/bin/env python3
"""Check an SBML file with the field's own tools: libSBML validates it, libRoadRunner simulates it.

    .venv/bin/python scripts/sbml_check.py MODEL.xml --times 0,1,2.5 --ids x,y [--rtol R --atol A]

Prints one JSON object: {"errors": [...], "warnings": N, "level": L, "version": V,
"t": [...], "series": {id: [...]}} with every error libSBML's consistency checks report
(severity error or fatal, as text), and the values of the ids at the requested times from
libRoadRunner's CVODE integrator (each output time is an integration end point). Exit code 0
when it ran, 2 when a module is missing (pip install -r scripts/oracles-requirements.txt).
"""
import argparse
import json
import sys

try:
    import libsbml
    import roadrunner
except ImportError as e:  # the caller says what to install
    print(json.dumps({"missing": str(e)}))
    sys.exit(2)


def validate(path):
    doc = libsbml.readSBMLFromFile(path)
    doc.setConsistencyChecks(libsbml.LIBSBML_CAT_UNITS_CONSISTENCY, False)
    doc.checkConsistency()
    errors, warnings = [], 0
    for i in range(doc.getNumErrors()):
        e = doc.getError(i)
        if e.getSeverity() >= libsbml.LIBSBML_SEV_ERROR:
            errors.append(f"line {e.getLine()}: {e.getShortMessage()}: {e.getMessage().strip()}")
        else:
            warnings += 1
    return doc, errors, warnings


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--times", required=True)
    ap.add_argument("--ids", required=True)
    ap.add_argument("--rtol", type=float, default=1e-12)
    ap.add_argument("--atol", type=float, default=1e-12)
    a = ap.parse_args()
    doc, errors, warnings = validate(a.model)
    out = {"errors": errors, "warnings": warnings, "level": doc.getLevel(), "version": doc.getVersion()}
    if not errors:
        rr = roadrunner.RoadRunner(a.model)
        rr.integrator.relative_tolerance = a.rtol
        rr.integrator.absolute_tolerance = a.atol
        rr.integrator.maximum_num_steps = 10_000_000
        times = [float(x) for x in a.times.split(",")]
        ids = a.ids.split(",")
        series = {i: [] for i in ids}
        t = 0.0
        for target in times:
            if target > t:
                rr.simulate(t, target, 2)
                t = target
            for i in ids:
                series[i].append(rr[i])
        out["t"] = times
        out["series"] = series
    print(json.dumps(out))


if __name__ == "__main__":
    main()
