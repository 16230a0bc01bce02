#!/usr/bin/env python3
"""Reference solutions of the Weiße et al. 2015 host model for tests/kinetics.rs.

An independent implementation of the model (written from the paper's equations, not from
the Rust code) integrated with scipy's solve_ivp, Radau, rtol = atol = 1e-12, and
cross-checked with LSODA at the same tolerances; the largest relative difference between
the two is stored with the fixture as the reference's own uncertainty.

Cases: one heterologous gene (length 300 aa) at w = 0, 10, 100, 1000 molecules/min, at
three nutrient levels s0 = 1e4 (Table S1), 1e3 and 1e2 molecules; from the default initial
state (a = 1000, r = et = em = q = 10, everything else 0). Each case records every state and
the growth rate at t = 100, 1000 and 10 000 min. To avoid interpolation error every output
time is an integration end point (the run is split into segments).

Output: tests/fixtures/weisse/reference.json (small: ~12 cases x 3 times x 17 states).

Also (--orthogonal): the orthogonal-ribosome host of Darlington et al. 2018 (Nat Commun
9:695; its lib/oriboODE.m), written from that paper's equations, with one heterologous gene
translated by o-ribosomes only: w = 0, 100, 1000 at s0 = 1e4 and 1e3, o-rRNA w_rP = 50;
output tests/fixtures/weisse/orthogonal.json.

    pip install scipy numpy
    python3 scripts/weisse_reference.py            # writes the fixture
    python3 scripts/weisse_reference.py --check    # recompute and compare with the fixture
"""
import argparse
import json
import os
import sys

import numpy as np
import scipy
from scipy.integrate import solve_ivp

# Weiße et al. 2015, PNAS 112:E1038, Table S1.
P = dict(
    dm=0.1,        # mRNA degradation (1/min)
    ns=0.5,        # nutrient efficiency
    nr=7459.0,     # ribosome length (aa)
    nx=300.0,      # length of t, m, q (aa)
    gmax=1260.0,   # max elongation (aa/min)
    Kgamma=7.0,    # elongation threshold (molecules)
    vt=726.0,      # transporter kcat (1/min)
    Kt=1000.0,
    vm=5800.0,     # enzyme kcat (1/min)
    Km=1000.0,
    wr=930.0,      # max transcription r, e, q (molecules/min)
    we=4.14,
    wq=948.93,
    thetar=426.87,  # transcription thresholds (molecules)
    thetax=4.38,
    Kq=152219.0,   # q autoinhibition threshold
    hq=4.0,
    kb=1.0,        # ribosome binding (1/(molecule min))
    ku=1.0,        # unbinding (1/min)
    M=1e8,         # cell mass (aa)
)

HOST = ["si", "a", "r", "et", "em", "q", "mr", "mt", "mm", "mq", "cr", "ct", "cm", "cq"]
TIMES = [100.0, 1000.0, 10000.0]
WS = [0.0, 10.0, 100.0, 1000.0]
S0S = [1e4, 1e3, 1e2]
LENGTH = 300.0


def names(k):
    out = list(HOST)
    for j in range(k):
        out += [f"p[{j}]", f"mp[{j}]", f"cp[{j}]"]
    return out


def make_rhs(s0, genes):
    """genes: list of (w, length). Returns f(t, y) for the state layout of names()."""
    p = P
    k = len(genes)

    def rhs(_t, y):
        si, a, r, et, em, q, mr, mt, mm, mq, cr, ct, cm, cq = y[:14]
        gp = [(y[14 + 3 * j], y[15 + 3 * j], y[16 + 3 * j]) for j in range(k)]
        gam = p["gmax"] * a / (p["Kgamma"] + a)
        ctot = cr + ct + cm + cq + sum(c for (_, _, c) in gp)
        lam = gam * ctot / p["M"]
        nuimp = et * p["vt"] * s0 / (p["Kt"] + s0)
        nucat = em * p["vm"] * si / (p["Km"] + si)
        # transcription
        wr = p["wr"] * a / (p["thetar"] + a)
        wt = p["we"] * a / (p["thetax"] + a)
        wm = wt
        wq = p["wq"] * a / (p["thetax"] + a) / (1.0 + (q / p["Kq"]) ** p["hq"])
        # translation
        nur = cr * gam / p["nr"]
        nut = ct * gam / p["nx"]
        num = cm * gam / p["nx"]
        nuq = cq * gam / p["nx"]
        dy = np.empty_like(y)
        dy[0] = nuimp - nucat - lam * si
        dy[1] = p["ns"] * nucat - (p["nr"] * nur + p["nx"] * (nut + num + nuq)
                                   + sum(n * c * gam / n for (w, n), (_, _, c) in zip(genes, gp))) - lam * a
        free = (nur - p["kb"] * r * mr + p["ku"] * cr) + (nut - p["kb"] * r * mt + p["ku"] * ct) \
            + (num - p["kb"] * r * mm + p["ku"] * cm) + (nuq - p["kb"] * r * mq + p["ku"] * cq)
        dy[3] = nut - lam * et
        dy[4] = num - lam * em
        dy[5] = nuq - lam * q
        dy[6] = wr - (lam + p["dm"]) * mr + nur - p["kb"] * r * mr + p["ku"] * cr
        dy[7] = wt - (lam + p["dm"]) * mt + nut - p["kb"] * r * mt + p["ku"] * ct
        dy[8] = wm - (lam + p["dm"]) * mm + num - p["kb"] * r * mm + p["ku"] * cm
        dy[9] = wq - (lam + p["dm"]) * mq + nuq - p["kb"] * r * mq + p["ku"] * cq
        dy[10] = -lam * cr + p["kb"] * r * mr - p["ku"] * cr - nur
        dy[11] = -lam * ct + p["kb"] * r * mt - p["ku"] * ct - nut
        dy[12] = -lam * cm + p["kb"] * r * mm - p["ku"] * cm - num
        dy[13] = -lam * cq + p["kb"] * r * mq - p["ku"] * cq - nuq
        for j, ((w, n), (pp, mp, cp)) in enumerate(zip(genes, gp)):
            nup = cp * gam / n
            wp = w * a / (p["thetax"] + a)
            dy[14 + 3 * j] = nup - lam * pp
            dy[15 + 3 * j] = wp - (lam + p["dm"]) * mp + nup - p["kb"] * r * mp + p["ku"] * cp
            dy[16 + 3 * j] = -lam * cp + p["kb"] * r * mp - p["ku"] * cp - nup
            free += nup - p["kb"] * r * mp + p["ku"] * cp
        dy[2] = nur - lam * r + free
        return dy

    def growth(y):
        a = y[1]
        gam = p["gmax"] * a / (p["Kgamma"] + a)
        ctot = y[10] + y[11] + y[12] + y[13] + sum(y[16 + 3 * j] for j in range(k))
        return gam * ctot / p["M"]

    return rhs, growth


# Darlington et al. 2018 ribosome assembly (makeinitialconditions.m / run_singlegene_example.m).
O = dict(wrR=3170.0, orR=426.87, brR=1.0, urR=1.0, dyrR=0.1,
         wrP=50.0, orP=4.38, brP=1.0, urP=1.0, dyrP=0.1)
OHOST = ["si", "a", "xr", "rr", "pr", "rp", "pp", "et", "em", "q", "mr", "mt", "mm", "mq",
         "cr", "ct", "cm", "cq"]


def ortho_rhs(s0, genes):
    """Darlington's oriboODE host (no chloramphenicol, no protein decay) + genes on pP."""
    p, o = P, O

    def rhs(_t, Y):
        iS, eE, xR, rR, pR, rP, pP, pT, pE, pH, mR, mT, mE, mH, cR, cT, cE, cH = Y[:18]
        gam = p["gmax"] * eE / (p["Kgamma"] + eE)
        circ = [(Y[18 + 3 * j], Y[19 + 3 * j], Y[20 + 3 * j]) for j in range(len(genes))]
        lam = gam * (cT + cE + cH + cR + sum(c for (_, _, c) in circ)) / p["M"]
        g2mT = p["we"] * eE / (p["thetax"] + eE)
        g2mE = g2mT
        g2mH = p["wq"] * eE / (p["thetax"] + eE) / (1.0 + (pH / p["Kq"]) ** p["hq"])
        g2mR = p["wr"] * eE / (p["thetar"] + eE)
        g2rR = o["wrR"] * eE / (o["orR"] + eE)
        g2rP = o["wrP"] * eE / (o["orP"] + eE)
        m2pT, m2pE, m2pH = gam / p["nx"] * cT, gam / p["nx"] * cE, gam / p["nx"] * cH
        m2xR = gam / p["nr"] * cR
        b, u, dm = p["kb"], p["ku"], p["dm"]
        dY = np.empty_like(Y)
        dY[0] = pT * p["vt"] * s0 / (p["Kt"] + s0) - pE * p["vm"] * iS / (p["Km"] + iS) - lam * iS
        usage = 0.0
        dpP_c = 0.0
        for j, ((w, n), (pA, mA, cA)) in enumerate(zip(genes, circ)):
            m2pA = gam / n * cA
            dY[18 + 3 * j] = m2pA - lam * pA
            dY[19 + 3 * j] = w * eE / (p["thetax"] + eE) - (lam + dm) * mA + m2pA - b * pP * mA + u * cA
            dY[20 + 3 * j] = -lam * cA + b * pP * mA - u * cA - m2pA
            usage += n * m2pA
            dpP_c += m2pA - b * pP * mA + u * cA
        dY[1] = (p["ns"] * pE * p["vm"] * iS / (p["Km"] + iS) - lam * eE - p["nr"] * m2xR
                 - p["nx"] * (m2pT + m2pE + m2pH) - usage)
        dY[2] = m2xR - lam * xR - o["brR"] * xR * rR + o["urR"] * pR - o["brP"] * xR * rP + o["urP"] * pP
        dY[3] = g2rR - (lam + o["dyrR"]) * rR - o["brR"] * xR * rR + o["urR"] * pR
        dY[4] = (o["brR"] * xR * rR - o["urR"] * pR - lam * pR
                 + m2pE - b * pR * mE + u * cE + m2pT - b * pR * mT + u * cT
                 + m2pH - b * pR * mH + u * cH + m2xR - b * pR * mR + u * cR)
        dY[5] = g2rP - (lam + o["dyrP"]) * rP - o["brP"] * xR * rP + o["urP"] * pP
        dY[6] = o["brP"] * xR * rP - o["urP"] * pP - lam * pP + dpP_c
        dY[7] = m2pT - lam * pT
        dY[8] = m2pE - lam * pE
        dY[9] = m2pH - lam * pH
        dY[10] = g2mR - (lam + dm) * mR + m2xR - b * pR * mR + u * cR
        dY[11] = g2mT - (lam + dm) * mT + m2pT - b * pR * mT + u * cT
        dY[12] = g2mE - (lam + dm) * mE + m2pE - b * pR * mE + u * cE
        dY[13] = g2mH - (lam + dm) * mH + m2pH - b * pR * mH + u * cH
        dY[14] = -lam * cR + b * pR * mR - u * cR - m2xR
        dY[15] = -lam * cT + b * pR * mT - u * cT - m2pT
        dY[16] = -lam * cE + b * pR * mE - u * cE - m2pE
        dY[17] = -lam * cH + b * pR * mH - u * cH - m2pH
        return dY

    def growth(Y):
        gam = p["gmax"] * Y[1] / (p["Kgamma"] + Y[1])
        return gam * (Y[14] + Y[15] + Y[16] + Y[17]
                      + sum(Y[20 + 3 * j] for j in range(len(genes)))) / p["M"]

    return rhs, growth


def ortho_initial(k):
    y = np.zeros(18 + 3 * k)
    y[1] = 1000.0   # a
    y[4] = 10.0     # pR
    y[7] = y[8] = y[9] = 10.0  # et, em, q
    return y


def initial(k):
    y = np.zeros(14 + 3 * k)
    y[1] = 1000.0   # a
    y[2] = 10.0     # r
    y[3] = 10.0     # et
    y[4] = 10.0     # em
    y[5] = 10.0     # q
    return y


def integrate(s0, genes, method, rtol, atol, ortho=False):
    rhs, growth = (ortho_rhs if ortho else make_rhs)(s0, genes)
    y = (ortho_initial if ortho else initial)(len(genes))
    t = 0.0
    states, lams = [], []
    for t1 in TIMES:
        sol = solve_ivp(rhs, (t, t1), y, method=method, rtol=rtol, atol=atol)
        if not sol.success:
            raise RuntimeError(f"{method} failed for s0={s0} genes={genes}: {sol.message}")
        y = sol.y[:, -1].copy()
        t = t1
        states.append([float(v) for v in y])
        lams.append(float(growth(y)))
    return states, lams


def rel(a, b):
    if a == b:
        return 0.0
    return abs(a - b) / max(abs(a), abs(b))


def build(rtol=1e-12, atol=1e-12, ortho=False):
    cases = []
    worst = 0.0
    grid = [(s0, w) for s0 in S0S for w in WS]
    if ortho:
        grid = [(s0, w) for s0 in (1e4, 1e3) for w in (0.0, 100.0, 1000.0)]
    for s0, w in grid:
        if True:
            genes = [(w, LENGTH)]
            states, lams = integrate(s0, genes, "Radau", rtol, atol, ortho)
            st2, la2 = integrate(s0, genes, "LSODA", rtol, atol, ortho)
            diff = 0.0
            for row1, row2 in zip(states, st2):
                for v1, v2 in zip(row1, row2):
                    # states below 1e-6 molecules are compared absolutely
                    if max(abs(v1), abs(v2)) > 1e-6:
                        diff = max(diff, rel(v1, v2))
            for l1, l2 in zip(lams, la2):
                diff = max(diff, rel(l1, l2))
            worst = max(worst, diff)
            print(f"s0={s0:g} w={w:g}: lambda(10000) = {lams[-1]:.12e}, "
                  f"Radau vs LSODA max rel diff {diff:.2e}", file=sys.stderr)
            cases.append(dict(s0=s0, genes=[dict(w=w, length=LENGTH)], times=TIMES,
                              states=states, lambda_=lams, radau_vs_lsoda=diff))
    for c in cases:
        c["lambda"] = c.pop("lambda_")
    return dict(
        generator="scripts/weisse_reference.py" + (" --orthogonal" if ortho else ""),
        model=("Darlington et al. 2018 Nat Commun 9:695 orthogonal-ribosome host, genes on "
               "o-ribosomes" if ortho else "Weisse et al. 2015 PNAS 112:E1038, Table S1 parameters"),
        scipy=scipy.__version__,
        numpy=np.__version__,
        method="Radau",
        rtol=rtol,
        atol=atol,
        cross_check="LSODA at the same tolerances",
        max_radau_vs_lsoda=worst,
        initial=(dict(a=1000.0, pr=10.0, et=10.0, em=10.0, q=10.0) if ortho
                 else dict(a=1000.0, r=10.0, et=10.0, em=10.0, q=10.0)),
        params=dict(P, **O) if ortho else P,
        names=(OHOST + ["p[0]", "mp[0]", "cp[0]"]) if ortho else names(1),
        cases=cases,
    )


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "tests", "fixtures", "weisse", "reference.json")
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=default)
    ap.add_argument("--check", action="store_true",
                    help="recompute and compare with the committed fixture")
    ap.add_argument("--orthogonal", action="store_true",
                    help="the Darlington 2018 orthogonal-ribosome host instead")
    args = ap.parse_args()
    if args.orthogonal and args.out == default:
        args.out = os.path.join(here, "..", "tests", "fixtures", "weisse", "orthogonal.json")
    ref = build(ortho=args.orthogonal)
    if args.check:
        with open(args.out) as f:
            old = json.load(f)
        worst = 0.0
        for c_new, c_old in zip(ref["cases"], old["cases"]):
            for r1, r2 in zip(c_new["states"], c_old["states"]):
                for v1, v2 in zip(r1, r2):
                    if max(abs(v1), abs(v2)) > 1e-6:
                        worst = max(worst, rel(v1, v2))
        print(f"max rel difference from the committed fixture: {worst:.2e}")
        sys.exit(0 if worst < 1e-8 else 1)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(ref, f, indent=1)
        f.write("\n")
    print(f"wrote {os.path.normpath(args.out)}; max Radau vs LSODA rel diff "
          f"{ref['max_radau_vs_lsoda']:.2e}")


if __name__ == "__main__":
    main()
