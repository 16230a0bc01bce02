// Scheduler shares over simulated time, measured through the built package: credit weights
// 512:256 give 2:1, round robin over equal VMs is fair, overhead is one run-off per switch;
// setScheduler / setScheduling while VMs run; idle time costs nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as bx from "../../pkg/index.mjs";
import { expectRefusedUnchanged, hog } from "./helpers.mjs";

const HOUR = 3_600_000;

/** VMs v0.. with `weights`, all running, stepped `hours` one hour per step() call. */
function hogs(scheduler, weights, hours, seed = 7) {
  const h = new bx.Hypervisor({ scheduler, maxVms: 64, seed });
  weights.forEach((w, i) => {
    const vm = h.createVm(`v${i}`, "syn3a", "basic", hog(w));
    vm.start();
    vm.free();
  });
  for (let i = 0; i < hours; i++) h.step(HOUR);
  assert.equal(h.nowMs, hours * HOUR);
  return h;
}

function shares(m) {
  const total = m.perVm.reduce((a, v) => a + v.machineryTimeMs, 0);
  return m.perVm.map((v) => v.machineryTimeMs / total);
}

test("credit: weights 512:256 get 2:1 of the machinery within 5 % over 200 simulated hours", () => {
  const h = hogs("credit", [512, 256], 200);
  const m = h.metrics();
  const [a, b] = shares(m);
  const ratio = a / b;
  assert.ok(Math.abs(ratio - 2) / 2 < 0.05, `credit 512:256 ratio ${ratio}`);
  assert.ok(m.fairnessIndex > 0.99, `weighted Jain ${m.fairnessIndex}`);
  assert.ok(Math.abs(m.perVm[0].fairShare - 2 / 3) < 1e-9, `fair share ${m.perVm[0].fairShare}`);
  assert.ok(Math.abs(m.perVm[1].fairShare - 1 / 3) < 1e-9, `fair share ${m.perVm[1].fairShare}`);
  for (const v of m.perVm) {
    assert.equal(v.waitTimeMs + v.machineryTimeMs, v.runnableTimeMs, v.vmId);
    assert.equal(v.runnableTimeMs, 200 * HOUR);
  }
  assert.equal(h.scheduler, "credit");
});

test("round robin over 4 equal VMs: Jain >= 0.99, equal fair shares, one run-off per switch", () => {
  const h = hogs("round_robin", [256, 256, 256, 256], 100);
  const m = h.metrics();
  assert.ok(m.fairnessIndex >= 0.99, `Jain ${m.fairnessIndex}`);
  for (const s of shares(m)) assert.ok(Math.abs(s - 0.25) < 0.01, `shares ${shares(m)}`);
  // E. coli: quantum 600 s, switch (run-off) 20 s; every dispatch follows a different VM.
  assert.equal(h.quantumMs, 600_000);
  assert.equal(h.switchCostMs, 20_000);
  const expected = (100 * 20) / 620;
  assert.ok(Math.abs(m.overheadPercent - expected) < 0.2, `overhead ${m.overheadPercent} vs ${expected}`);
  assert.equal(m.perVm.reduce((a, v) => a + v.contextSwitches, 0), m.contextSwitches);
  // overhead time = switches x run-off time, exactly
  assert.ok(Math.abs((m.overheadPercent / 100) * m.nowMs - m.contextSwitches * 20_000) < 1e-3);
  for (const v of m.perVm) {
    assert.equal(v.fairShare, 0.25);
    assert.equal(v.waitTimeMs + v.machineryTimeMs, v.runnableTimeMs);
  }
});

test("eevdf follows weights 2048:1024:1024 -> 1/2, 1/4, 1/4 (within 0.02)", () => {
  const s = shares(hogs("eevdf", [2048, 1024, 1024], 200).metrics());
  [0.5, 0.25, 0.25].forEach((want, i) => assert.ok(Math.abs(s[i] - want) < 0.02, `eevdf shares ${s}`));
});

test("fcfs with endless guests starves the second VM", () => {
  const m = hogs("fcfs", [256, 256], 1).metrics();
  assert.equal(m.perVm[1].machineryTimeMs, 0);
  assert.ok(m.perVm[0].machineryTimeMs > 0);
  assert.ok(m.fairnessIndex < 0.6, `Jain ${m.fairnessIndex}`);
});

test("idle time costs nothing and a paused VM is not scheduled", () => {
  const h = new bx.Hypervisor();
  h.step(HOUR);
  let m = h.metrics();
  assert.deepEqual([m.decisions, m.contextSwitches, m.nowMs], [0, 0, HOUR]);
  h.step(0);
  assert.equal(h.nowMs, HOUR);
  const vm = h.createVm("p", "syn3a", "basic", hog(256));
  vm.start();
  h.step(1000);
  vm.pause();
  const before = h.metrics();
  h.step(1_000_000 * HOUR);
  m = h.metrics();
  assert.equal(m.decisions, before.decisions);
  assert.equal(m.perVm[0].machineryTimeMs, before.perVm[0].machineryTimeMs);
  assert.equal(m.perVm[0].aaProduced, before.perVm[0].aaProduced);
});

test("setScheduler while VMs run: new policy, new quantum, event logged; refusals change nothing", () => {
  const h = hogs("round_robin", [256, 256, 256], 1);
  const before = h.metrics().contextSwitches;
  h.setScheduler("round_robin", { quantumMs: 60_000 });
  assert.equal(h.quantumMs, 60_000);
  h.step(HOUR);
  const after = h.metrics().contextSwitches - before;
  // 1 h / (60 s + 20 s switch) = 45 switches (vs ~6 with the 600 s default quantum)
  assert.ok(after >= 40 && after <= 50, `${after} switches`);
  for (const s of bx.getSupportedSchedulers()) {
    h.setScheduler(s);
    assert.equal(h.scheduler, s);
    h.step(HOUR);
  }
  const ev = h.events().filter((e) => e.type === "scheduler_changed").map((e) => e.scheduler);
  assert.deepEqual(ev, ["round_robin", ...bx.getSupportedSchedulers()]);
  expectRefusedUnchanged(h, () => h.setScheduler("cfs"), "INVALID_ARGUMENT", "cfs");
  expectRefusedUnchanged(h, () => h.setScheduler("credit", { quantumMs: 0 }), "INVALID_ARGUMENT", "quantumMs");
  expectRefusedUnchanged(h, () => h.setScheduler("credit", { quantum: 5 }), "INVALID_ARGUMENT", "quantum");
  expectRefusedUnchanged(h, () => h.setScheduler("mlfq", { mlfqLevels: 17 }), "INVALID_ARGUMENT", "mlfqLevels");
  expectRefusedUnchanged(h, () => h.setScheduler("credit", [1]), "INVALID_ARGUMENT", "options");
  expectRefusedUnchanged(h, () => h.setScheduler(3), "INVALID_ARGUMENT", "name");
});

test("setScheduling: a weight change moves the shares; a cap limits a greedy VM", () => {
  const h = hogs("credit", [256, 256], 0);
  h.setScheduling("v0", { weight: 768 });
  assert.equal(h.vmStatus("v0").weight, 768);
  for (let i = 0; i < 100; i++) h.step(HOUR);
  let s = shares(h.metrics());
  assert.ok(Math.abs(s[0] - 0.75) < 0.04, `shares ${s}`);
  const c = hogs("credit", [256, 256], 0);
  c.setScheduling("v0", { cap: 20 });
  assert.equal(c.vmStatus("v0").cap, 20);
  for (let i = 0; i < 100; i++) c.step(HOUR);
  s = shares(c.metrics());
  assert.ok(s[0] < 0.23, `capped share ${s}`);
  assert.deepEqual(
    c.events().filter((e) => e.type === "scheduling_changed").map((e) => e.vm),
    ["v0"],
  );
});

/** Jobs [arrival, burst] on the textbook chassis under MLFQ `options`, started at their
 * arrivals as the process-table page does; [response, turnaround] per job. */
function mlfqTable(jobs, options) {
  const h = new bx.Hypervisor({ chassis: "textbook", scheduler: "mlfq" });
  h.setScheduler("mlfq", options);
  jobs.forEach(([, burst], i) => h.createVm(`j${i}`, "syn3a", "basic", { workloadAa: burst, cycles: 1 }).free());
  const order = jobs.map((_, i) => i).sort((a, b) => jobs[a][0] - jobs[b][0] || a - b);
  for (const i of order) {
    if (jobs[i][0] > h.nowMs) h.step(jobs[i][0] - h.nowMs);
    h.startVm(`j${i}`);
  }
  h.step(1000);
  const out = jobs.map((_, i) => {
    const s = h.vmStatus(`j${i}`);
    return [s.responseTimeMs, s.turnaroundTimeMs];
  });
  h.free();
  return out;
}

test("setScheduler: MLFQ's per-level quanta and allotments (mlfq.py -Q/-A) reach the core", () => {
  // -Q 10,10: A and C drop to the bottom after 10 ms each; B arrives at 25 and preempts A,
  // which keeps the head of the bottom queue with 5 ms of its quantum (hand-worked in
  // tests/mlfq_ostep.rs): turnarounds 80, 90, 10.
  const preempt = mlfqTable([[0, 40], [0, 40], [25, 10]], { quantumMs: 10, mlfqLevels: 2, mlfqQuantaMs: [10, 10], mlfqAllotments: [1, 1], mlfqBoostMs: 0 });
  assert.deepEqual(preempt, [[0, 80], [10, 90], [0, 10]]);
  // -Q 2,4 -A 2,1: A gets two top quanta, so B finishes at 7 (with -A 1,1 it would at 9).
  const allot = { mlfqLevels: 2, mlfqQuantaMs: [2, 4], mlfqAllotments: [2, 1], mlfqBoostMs: 0 };
  assert.deepEqual(mlfqTable([[0, 9], [1, 3]], allot), [[0, 12], [1, 6]]);
  assert.deepEqual(mlfqTable([[0, 9], [1, 3]], { ...allot, mlfqAllotments: [1, 1] }), [[0, 12], [1, 8]]);
});

test("setScheduler: bad MLFQ lists are refused naming the entry, and change nothing", () => {
  const h = new bx.Hypervisor({ chassis: "textbook", scheduler: "mlfq" });
  h.createVm("a", "syn3a", "basic", { workloadAa: 50, cycles: 1 }).free();
  h.startVm("a");
  h.step(5);
  const bad = [
    [{ mlfqLevels: 2, mlfqQuantaMs: [10, 0] }, "mlfqQuantaMs[1]"],
    [{ mlfqLevels: 2, mlfqQuantaMs: [10, 1.5] }, "mlfqQuantaMs[1]"],
    [{ mlfqLevels: 2, mlfqQuantaMs: ["a", 3] }, "mlfqQuantaMs[0]"],
    [{ mlfqLevels: 3, mlfqQuantaMs: [10, 10] }, "mlfqQuantaMs"],
    [{ mlfqQuantaMs: 10 }, "mlfqQuantaMs"],
    [{ mlfqLevels: 2, mlfqAllotments: [1, -1] }, "mlfqAllotments[1]"],
    [{ mlfqLevels: 2, mlfqAllotments: [1, 2, 3] }, "mlfqAllotments"],
    [{ mlfqLevels: 0 }, "mlfqLevels"],
    [{ mlfqBoostRule: "bosst" }, "mlfqBoostRule"],
    [{ mlfqBoostRule: 1 }, "mlfqBoostRule"],
  ];
  for (const [opts, path] of bad) {
    const e = expectRefusedUnchanged(h, () => h.setScheduler("mlfq", opts), "INVALID_ARGUMENT", path);
    assert.ok(e.message.includes("expected") || e.message.includes("whole number"), e.message);
  }
  // The list's length follows the levels when mlfqLevels is not given (3 by default).
  h.setScheduler("mlfq", { mlfqQuantaMs: [1, 2, 3], mlfqAllotments: [1, 1, 2] });
  h.free();
});
