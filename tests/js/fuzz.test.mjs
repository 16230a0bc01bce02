// Fuzz test: thousands of random API calls with random and malformed arguments across
// Hypervisor, BiologicalVM, BioResourceManager, ConfigManager and the free functions, from a
// seeded PRNG (FUZZ_SEED=n to replay, FUZZ_CALLS=n for more). Every throw must be a plain
// Error with a known code, never a WebAssembly.RuntimeError; afterwards every ledger adds up
// and every hypervisor still steps.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as bx from "../../pkg/index.mjs";
import { CODES, assertBioxenError, assertLedger, hog } from "./helpers.mjs";
import { prng } from "../../www/js/proctable/model.js"; // mulberry32, seeded

const SEED = Number(process.env.FUZZ_SEED ?? 20261126);
const CALLS = Number(process.env.FUZZ_CALLS ?? 20_000);

test(`fuzz: ${CALLS} random calls (seed ${SEED})`, () => {
  const rnd = prng(SEED);
  const int = (n) => Math.floor(rnd() * n);
  const pick = (xs) => xs[int(xs.length)];
  const chance = (p) => rnd() < p;

  // ---------- random values ----------
  const IDS = ["a", "b", "c", "d", "e", "vm-1", "vm.2", "X_3"];
  const cyclic = {};
  cyclic.self = cyclic;
  const throwingGetter = { get ribosomes() { throw new TypeError("fuzz getter"); } };
  const throwingProxy = new Proxy({}, { ownKeys() { throw new Error("fuzz ownKeys"); }, get() { throw new Error("fuzz get"); } });
  let deep = {};
  for (let i = 0; i < 200; i++) deep = { xcpng: deep };
  const junkString = () =>
    pick(["", " ", "a b", "ü", "\u0000", "\ud800", "🧬", "x".repeat(65), "y".repeat(10_000), "<script>", "null", "0", "-1", "NaN", "ecoli", "credit"]);
  const junkNumber = () =>
    pick([NaN, Infinity, -Infinity, -1, -0, 0.5, 1.5, -1e9, 2 ** 53, 2 ** 53 + 2, 2 ** 64, 1e300, Number.MIN_VALUE, Number.MAX_VALUE]);
  const junk = (depth = 0) => {
    switch (int(depth > 2 ? 12 : 16)) {
      case 0: return undefined;
      case 1: return null;
      case 2: return chance(0.5);
      case 3: return junkNumber();
      case 4: return int(1e6);
      case 5: return junkString();
      case 6: return Symbol("fuzz");
      case 7: return BigInt(int(1000));
      case 8: return () => 1;
      case 9: return pick([cyclic, throwingGetter, throwingProxy, deep, new Date(0), new Map([["a", 1]]), new Uint8Array(4), /re/]);
      case 10: return new String("a");
      case 11: return pick(IDS);
      case 12: return Array.from({ length: int(4) }, () => junk(depth + 1));
      default: {
        const o = {};
        for (let i = int(4); i > 0; i--) o[pick(["ribosomes", "weight", "bogus", "xcpng", "seed", "quantumMs", "0", ""])] = junk(depth + 1);
        return o;
      }
    }
  };

  const id = () => (chance(0.9) ? pick(IDS) : chance(0.5) ? junkString() : junk());
  const bioType = () => (chance(0.9) ? pick(["syn3a", "ecoli", "minimal_cell", "yeast"]) : junk());
  const vmType = () => (chance(0.85) ? pick([undefined, "basic", "basic", "xcpng"]) : junk());
  const small = (max) => (chance(0.85) ? int(max) : junkNumber());
  const maybe = (f, p = 0.5) => (chance(p) ? f() : undefined);
  const xcpngFields = () =>
    chance(0.7)
      ? { xapiUrl: "https://xcp.example", username: "root", password: "pw-fuzz-secret", sshUser: "bioxen" }
      : { xapiUrl: pick(["https://xcp.example", "ftp://x", 5]), username: pick(["root", "a b"]), password: pick(["pw-fuzz-secret", "", 7]), sshUser: pick(["bioxen", "Root"]) };
  const config = (type) => {
    if (chance(0.1)) return junk();
    const c = {};
    if (chance(0.5)) c.ribosomes = small(3000);
    if (chance(0.4)) c.rnaPolymerase = small(300);
    if (chance(0.4)) c.atpPercent = chance(0.9) ? int(800) / 100 : junkNumber();
    if (chance(0.4)) c.memoryKb = small(5000);
    if (chance(0.3)) c.priority = small(12);
    if (chance(0.3)) c.weight = chance(0.9) ? 1 + int(2048) : junkNumber();
    if (chance(0.2)) c.cap = small(110);
    if (chance(0.3)) c.workloadAa = chance(0.9) ? 1e5 + int(1e9) : junkNumber();
    if (chance(0.2)) c.cycles = chance(0.8) ? pick([null, 1, 2, 5]) : junkNumber();
    if (type === "xcpng" ? chance(0.9) : chance(0.05)) Object.assign(c, xcpngFields());
    if (chance(0.05)) c[junkString()] = junk();
    return c;
  };
  const request = () => {
    if (chance(0.1)) return junk();
    const r = {};
    if (chance(0.6)) r.ribosomes = small(20000);
    if (chance(0.4)) r.rnaPolymerase = small(5000);
    if (chance(0.3)) r.atpPercent = chance(0.9) ? int(5000) / 100 : junkNumber();
    if (chance(0.3)) r.memoryKb = small(40000);
    if (chance(0.05)) r.bogus = 1;
    return r;
  };
  const scheduling = () => {
    if (chance(0.1)) return junk();
    return { priority: maybe(() => small(12)), weight: maybe(() => (chance(0.9) ? int(70000) : junkNumber())), cap: maybe(() => small(120)) };
  };
  // Valid quanta and boost/aging periods stay >= 10 s so that a random step stays cheap.
  const schedulerOptions = () => {
    if (chance(0.3)) return chance(0.5) ? undefined : junk();
    return {
      quantumMs: maybe(() => pick([0, -1, 1.5, NaN, "x", 10_000, 60_000, 600_000, 1e13])),
      seed: maybe(() => pick([0, 1, 2 ** 53 - 1, -1, 0.5])),
      mlfqLevels: maybe(() => pick([0, 1, 3, 16, 17])),
      mlfqBoostMs: maybe(() => pick([0, 60_000, 3_600_000, -5])),
      agingMs: maybe(() => pick([0, 60_000, 1e15 + 1])),
    };
  };
  const hvOptions = () => {
    if (chance(0.2)) return junk();
    return {
      chassis: maybe(() => (chance(0.9) ? pick(bx.getSupportedChassis()) : junk())),
      scheduler: maybe(() => (chance(0.9) ? pick(bx.getSupportedSchedulers()) : junk())),
      quantumMs: maybe(() => pick([10_000, 300_000, 0, -1, NaN]), 0.3),
      maxVms: maybe(() => pick([1, 2, 8, 64, 0, 4097, 2.5])),
      seed: maybe(() => pick([0, 7, 123456, -1])),
      contextSwitchMs: maybe(() => pick([0, 5000, 1e9 + 1]), 0.2),
      traceCapacity: maybe(() => pick([1, 100, 0]), 0.2),
      eventCapacity: maybe(() => pick([1, 100, 1e8]), 0.2),
    };
  };
  const stepMs = () => (chance(0.85) ? pick([0, 1, 999, 60_000, 600_000, 3_600_000, int(36_000_000)]) : junk());
  const cursor = () => (chance(0.8) ? pick([undefined, 0, 1, 5, 100, 1e6]) : junk());

  // ---------- the objects under test ----------
  const hvs = [new bx.Hypervisor({ seed: 1 }), new bx.Hypervisor({ scheduler: "credit", maxVms: 8, seed: 2 }), new bx.Hypervisor({ chassis: "syn3a", scheduler: "eevdf" })];
  const restored = []; // from mutated snapshots: checked, never stepped (their parameters may be arbitrary)
  const handles = [];
  const managers = hvs.map((h) => new bx.BioResourceManager(h));
  const hv = () => pick(hvs);
  const handle = () => (handles.length ? pick(handles) : null);
  const keepHandle = (vm) => {
    if (!(vm instanceof bx.BiologicalVM)) return;
    handles.push(vm);
    if (handles.length > 40) handles.splice(int(handles.length), 1)[0].free();
  };
  const mutate = (s) => {
    const chars = [...s];
    for (let i = 1 + int(3); i > 0; i--) {
      const at = int(chars.length);
      switch (int(3)) {
        case 0: chars[at] = pick(["0", "9", "-", "\"", "}", "x", "1e400", ""]); break;
        case 1: chars.splice(at); break;
        default: chars.splice(at, 0, pick(["null", ",", "{}", "[]", "-1"]));
      }
    }
    return chars.join("");
  };

  const ops = [
    // Hypervisor
    () => {
      const t = vmType();
      keepHandle(hv().createVm(id(), bioType(), t, chance(0.8) ? config(t) : undefined));
    },
    () => keepHandle(hv().getVm(id())),
    () => hv().startVm(id()),
    () => hv().pauseVm(id()),
    () => hv().resumeVm(id()),
    () => hv().stopVm(id()),
    () => hv().restartVm(id()),
    () => hv().destroyVm(id()),
    () => hv().setScheduler(chance(0.9) ? pick(bx.getSupportedSchedulers()) : junk(), schedulerOptions()),
    () => hv().setScheduling(id(), scheduling()),
    () => hv().setAtpSupply(chance(0.8) ? pick([100, 100, 90, 80, 70, 59, 30, 0]) : junk()),
    () => hv().step(stepMs()),
    () => hv().step(stepMs()),
    () => hv().listVms(),
    () => hv().vmStatus(id()),
    () => hv().systemResources(),
    () => hv().metrics(),
    () => hv().traceSince(cursor(), chance(0.5) ? undefined : cursor()),
    () => hv().events(cursor()),
    () => hv().profilerReport(),
    () => [hv().nowMs, hv().scheduler, hv().chassis, hv().quantumMs, hv().switchCostMs, hv().handleId],
    () => {
      const r = bx.Hypervisor.restore(chance(0.2) ? junk() : mutate(hv().snapshot()));
      restored.push(r);
    },
    () => {
      const h = bx.Hypervisor.restore(hv().snapshot());
      assert.equal(h.snapshot(), h.snapshot());
      h.free();
    },
    () => new bx.Hypervisor(hvOptions()).free(),
    // BiologicalVM handles
    () => handle()?.[pick(["start", "pause", "resume", "stop", "restart", "destroy"])](),
    () => handle()?.status(),
    () => handle()?.allocateResources(request()),
    () => handle()?.resourceUsage(),
    () => [handle()?.state, handle()?.vmId, handle()?.vmType, handle()?.biologicalType],
    // BioResourceManager
    () => pick(managers).allocate(id(), request()),
    () => pick(managers).release(id()),
    () => pick(managers).getResourceSummary(),
    () => new bx.BioResourceManager(chance(0.7) ? hv() : junk()).free(),
    // ConfigManager and free functions
    () => bx.ConfigManager.defaults(bioType()),
    () => {
      const t = vmType();
      return bx.ConfigManager.validate(config(t), t);
    },
    () => bx.validateBiologicalType(junk()),
    () => bx.validateVmType(junk()),
    () => bx.chassisInfo(chance(0.7) ? pick(bx.getSupportedChassis()) : junk()),
    () => bx.describeScheduler(chance(0.7) ? pick(bx.getSupportedSchedulers()) : junk()),
  ];

  const codes = Object.fromEntries(CODES.map((c) => [c, 0]));
  let ok = 0;
  const t0 = performance.now();
  for (let i = 0; i < CALLS; i++) {
    const which = int(ops.length);
    try {
      ops[which]();
      ok++;
    } catch (e) {
      if (e instanceof assert.AssertionError) throw e;
      try {
        assertBioxenError(e);
      } catch (why) {
        why.message = `call ${i} (op ${which}, seed ${SEED}): ${why.message}`;
        throw why;
      }
      codes[e.code]++;
    }
    if (i % 500 === 0) for (const h of hvs) assertLedger(h.systemResources(), h.listVms());
  }
  const secs = (performance.now() - t0) / 1000;

  // ---------- afterwards: invariants hold and everything still works ----------
  for (const h of [...hvs, ...restored]) {
    const s = h.systemResources();
    assertLedger(s, h.listVms());
    assert.equal(s.vmCount, h.listVms().length);
    assert.ok(s.vmCount <= s.maxVms);
    const again = bx.Hypervisor.restore(h.snapshot());
    assert.equal(again.snapshot(), h.snapshot());
    again.free();
  }
  for (const h of hvs) {
    const t = h.nowMs;
    h.step(60_000);
    assert.equal(h.nowMs, t + 60_000);
    // destroying every VM returns every resource
    for (const v of h.listVms()) h.destroyVm(v.vmId);
    const s = h.systemResources();
    assertLedger(s, h.listVms());
    for (const p of ["ribosomes", "rnaPolymerase", "atp", "memoryKb"]) {
      assert.deepEqual([s[p].allocated, s[p].free], [0, s[p].total - s[p].reserved], p);
    }
    h.setAtpSupply(100);
    const v = h.createVm("after-fuzz", "syn3a", "basic", hog(256));
    v.start();
    h.step(60_000);
    assert.equal(v.status().machineryTimeMs > 0 || v.status().aaProduced > 0, true, "a new VM runs");
    v.destroy();
    v.free();
  }
  const seen = Object.entries(codes).filter(([, n]) => n > 0).map(([c]) => c);
  console.log(`fuzz seed ${SEED}: ${CALLS} calls in ${secs.toFixed(1)} s, ${ok} succeeded, ${CALLS - ok} refused, ` +
    `${restored.length} mutated snapshots restored; codes ${JSON.stringify(codes)}`);
  // the mix must really exercise both sides and most refusals
  assert.ok(ok > CALLS * 0.25 && ok < CALLS * 0.9, `${ok} of ${CALLS} calls succeeded`);
  assert.ok(seen.length >= 10, `only ${seen.length} codes seen: ${seen}`);
  for (const x of [...hvs, ...restored, ...handles, ...managers]) x.free();
});
