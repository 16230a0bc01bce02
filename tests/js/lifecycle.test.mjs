// Every lifecycle transition (through Hypervisor methods and BiologicalVM handles) and every
// refusal with its `code`; a refused call changes nothing (snapshot, listVms, systemResources,
// events deep-equal before and after).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as bx from "../../pkg/index.mjs";
import { CODES, expectCode, expectRefusedUnchanged } from "./helpers.mjs";

const STATES = ["created", "running", "paused", "stopped", "error"];
const ACTIONS = ["start", "pause", "resume", "stop", "restart", "destroy"];
// The transition table of src/vm.rs (Action::apply); null = refused.
const TABLE = {
  start: { created: "running", stopped: "running" },
  pause: { running: "paused" },
  resume: { paused: "running" },
  stop: { running: "stopped", paused: "stopped" },
  restart: { running: "running", paused: "running", stopped: "running", error: "running" },
  destroy: { created: "destroyed", running: "destroyed", paused: "destroyed", stopped: "destroyed", error: "destroyed" },
};
const EVENT = { start: "started", pause: "paused", resume: "resumed", stop: "stopped", restart: "restarted", destroy: "destroyed" };
const METHOD = { start: "startVm", pause: "pauseVm", resume: "resumeVm", stop: "stopVm", restart: "restartVm", destroy: "destroyVm" };

const seen = new Set();
const expect = (fn, code, mentions) => {
  seen.add(code);
  return expectCode(fn, code, mentions);
};
const refused = (h, fn, code, mentions) => {
  seen.add(code);
  return expectRefusedUnchanged(h, fn, code, mentions);
};

/** A fresh hypervisor with VM "v" (syn3a defaults: 5 % ATP) driven into `state`. */
function vmIn(state) {
  const h = new bx.Hypervisor({ seed: 3 });
  const vm = h.createVm("v", "syn3a");
  if (state === "running" || state === "paused" || state === "stopped") vm.start();
  if (state === "paused") vm.pause();
  if (state === "stopped") vm.stop();
  h.step(5_000);
  if (state === "error") {
    // A nutrient shift down to the host's own ATP need: the guest's 5 % no longer fits.
    assert.deepEqual(h.setAtpSupply(59), ["v"]);
    assert.deepEqual(h.setAtpSupply(100), []);
    const ev = h.events().filter((e) => e.type === "faulted");
    assert.equal(ev.length, 1);
    assert.equal(ev[0].vm, "v");
    assert.match(ev[0].reason, /ATP/);
  }
  assert.equal(vm.state, state);
  assert.equal(h.vmStatus("v").state, state);
  return { h, vm };
}

for (const via of ["hypervisor", "handle"]) {
  test(`every state x action through the ${via} (30 combinations, 15 refused)`, () => {
    let refusedCount = 0;
    for (const from of STATES) {
      for (const action of ACTIONS) {
        const { h, vm } = vmIn(from);
        const call = via === "hypervisor" ? () => h[METHOD[action]]("v") : () => vm[action]();
        const want = TABLE[action][from] ?? null;
        const label = `${action} from ${from}`;
        if (want === null) {
          refusedCount++;
          const e = refused(h, call, "INVALID_TRANSITION", ['"v"', from, action]);
          assert.equal(vm.state, from, label);
          assert.ok(e.message.includes("needs"), e.message);
        } else {
          const nextEvent = h.events().length ? h.events().at(-1).id + 1 : 0;
          assert.equal(call(), undefined, label);
          assert.equal(vm.state, want, label);
          const ev = h.events(nextEvent);
          assert.equal(ev.length, 1, `${label}: events ${JSON.stringify(ev)}`);
          assert.deepEqual([ev[0].type, ev[0].vm, ev[0].timeMs], [EVENT[action], "v", 5_000], label);
          if (want === "destroyed") {
            assert.deepEqual(h.listVms(), []);
            assert.equal(h.getVm("v"), undefined);
            expect(() => vm.status(), "NOT_FOUND", '"v"');
            assert.equal(h.systemResources().ribosomes.allocated, 0);
          } else {
            assert.equal(h.vmStatus("v").state, want);
            assert.equal(h.systemResources().activeVms, want === "running" ? 1 : 0, label);
          }
          if (from === "error" && action === "restart") {
            assert.equal(h.vmStatus("v").ribosomes, 46, "restart from error takes the reservation back");
            assert.equal(h.systemResources().ribosomes.allocated, 46);
          }
        }
        vm.free();
        h.free();
      }
    }
    assert.equal(refusedCount, 15);
  });
}

test("a VM in error holds nothing; restart needs its reservation to fit again", () => {
  const { h, vm } = vmIn("error");
  assert.deepEqual(vm.resourceUsage(), { vmId: "v", ribosomes: 0, rnaPolymerase: 0, atpPercent: 0, memoryKb: 0 });
  const st = h.vmStatus("v");
  assert.deepEqual([st.ribosomes, st.rnaPolymerase, st.atpPercent, st.memoryKb], [0, 0, 0, 0]);
  refused(h, () => vm.allocateResources({ ribosomes: 1 }), "INVALID_TRANSITION", ['"v"', "error"]);
  // Someone else takes every free ribosome; the faulted VM cannot come back.
  const free = h.systemResources().ribosomes.free;
  assert.equal(free, 45100 - 26609);
  h.createVm("w", "ecoli", "basic", { ribosomes: free, atpPercent: 0 });
  refused(h, () => vm.restart(), "INSUFFICIENT_RESOURCES", ["ribosomes", '"v"', "46", "0 free"]);
  assert.equal(vm.state, "error");
  h.destroyVm("w");
  vm.restart();
  assert.equal(vm.state, "running");
  assert.equal(h.systemResources().ribosomes.allocated, 46);
});

test("a full walk logs exactly its events in order", () => {
  const h = new bx.Hypervisor();
  const vm = h.createVm("walk", "minimal_cell");
  vm.start();
  h.step(1000);
  vm.pause();
  h.step(1000);
  vm.resume();
  vm.stop();
  vm.start();
  h.restartVm("walk");
  h.stopVm("walk");
  h.step(1);
  vm.destroy();
  const ev = h.events().filter((e) => e.vm === "walk" && e.type !== "cycle_completed" && e.type !== "context_switch");
  assert.deepEqual(
    ev.map((e) => [e.type, e.timeMs]),
    [["created", 0], ["started", 0], ["paused", 1000], ["resumed", 2000], ["stopped", 2000], ["started", 2000],
      ["restarted", 2000], ["stopped", 2000], ["destroyed", 2001]],
  );
  const ids = h.events().map((e) => e.id);
  assert.deepEqual(ids, ids.map((_, i) => i), "event ids count up from 0");
  assert.equal(vm.state, "destroyed");
  for (const a of ACTIONS) expect(() => vm[a](), "NOT_FOUND", "walk");
});

test("a finite workload stops by itself", () => {
  const h = new bx.Hypervisor();
  const vm = h.createVm("fin", "syn3a", "basic", { cycles: 2 });
  vm.start();
  h.step(60_000);
  const st = vm.status();
  assert.equal(st.state, "stopped");
  assert.equal(st.cyclesCompleted, 2);
  assert.equal(st.aaProduced, 2 * 158_828);
  assert.ok(st.turnaroundTimeMs > 0 && st.turnaroundTimeMs < 60_000);
  const types = h.events().map((e) => e.type);
  assert.ok(types.includes("workload_finished"), types.join(","));
  assert.equal(h.systemResources().activeVms, 0);
  vm.start(); // stopped -> running again, a new run
  assert.equal(vm.state, "running");
});

test("NOT_FOUND for every operation on an unknown id", () => {
  const h = new bx.Hypervisor();
  h.createVm("here", "syn3a");
  const rm = new bx.BioResourceManager(h);
  for (const m of Object.values(METHOD)) refused(h, () => h[m]("gone"), "NOT_FOUND", '"gone"');
  refused(h, () => h.vmStatus("gone"), "NOT_FOUND", '"gone"');
  refused(h, () => h.setScheduling("gone", { weight: 5 }), "NOT_FOUND", '"gone"');
  refused(h, () => rm.allocate("gone", { ribosomes: 1 }), "NOT_FOUND", '"gone"');
  refused(h, () => rm.release("gone"), "NOT_FOUND", '"gone"');
  assert.equal(h.getVm("gone"), undefined);
  // a handle whose VM was destroyed elsewhere
  const vm = h.getVm("here");
  h.destroyVm("here");
  for (const a of [...ACTIONS, "status", "resourceUsage"]) refused(h, () => vm[a](), "NOT_FOUND", '"here"');
  refused(h, () => vm.allocateResources({ ribosomes: 1 }), "NOT_FOUND", '"here"');
  assert.equal(vm.state, "destroyed");
});

test("INVALID_ID for ids that are not 1-64 of [A-Za-z0-9_.-]", () => {
  const h = new bx.Hypervisor({ maxVms: 16 });
  h.createVm("x", "syn3a", "basic", { ribosomes: 0, memoryKb: 1 });
  for (const [id, why] of [
    ["", "empty"],
    ["a b", "' '"],
    ["a/b", "'/'"],
    ["ü", "'ü'"],
    ["id\n", "'\\n'"],
    ["a".repeat(65), "got 65"],
    ["x".repeat(10_000), "got 10000"],
  ]) {
    const e = refused(h, () => h.createVm(id, "syn3a"), "INVALID_ID", why);
    assert.ok(e.message.length < 400, `message of ${e.message.length} chars echoes the whole id`);
  }
  // the limits themselves are accepted
  for (const id of ["a".repeat(64), "A-z_0.9", "0", "-", "."]) {
    h.createVm(id, "syn3a", "basic", { ribosomes: 0, memoryKb: 1, atpPercent: 0 }).free();
    assert.equal(h.vmStatus(id).vmId, id);
  }
});

test("DUPLICATE_VM, CAPACITY_REACHED and INSUFFICIENT_RESOURCES, checked in that order", () => {
  const h = new bx.Hypervisor({ maxVms: 2 });
  h.createVm("a", "syn3a");
  refused(h, () => h.createVm("a", "syn3a"), "DUPLICATE_VM", '"a"');
  refused(h, () => h.createVm("a", "ecoli", "basic", { ribosomes: 1e7 }), "DUPLICATE_VM", '"a"');
  const free = h.systemResources().ribosomes.free;
  refused(h, () => h.createVm("b", "ecoli", "basic", { ribosomes: free + 1 }), "INSUFFICIENT_RESOURCES",
    ["ribosomes", '"b"', `asked for ${free + 1}`, `only ${free} free`]);
  refused(h, () => h.createVm("b", "ecoli", "basic", { memoryKb: 1e9 }), "INSUFFICIENT_RESOURCES", "memory");
  refused(h, () => h.createVm("b", "ecoli", "basic", { rnaPolymerase: 4000 }), "INSUFFICIENT_RESOURCES", "RNA polymerase");
  refused(h, () => h.createVm("b", "ecoli", "basic", { atpPercent: 100 }), "INSUFFICIENT_RESOURCES", "ATP");
  h.createVm("b", "ecoli", "basic", { ribosomes: free });
  assert.equal(h.systemResources().ribosomes.free, 0);
  refused(h, () => h.createVm("c", "syn3a", "basic", { ribosomes: 0 }), "CAPACITY_REACHED", ['"c"', "at most 2"]);
  refused(h, () => h.createVm("c", "syn3a", "basic", { ribosomes: 1 }), "CAPACITY_REACHED");
  refused(h, () => h.createVm("b", "syn3a"), "DUPLICATE_VM");
});

test("INVALID_CONFIG lists every bad key with its path", () => {
  const h = new bx.Hypervisor();
  const e = refused(
    h,
    () => h.createVm("c", "syn3a", "basic", { weight: 0, priority: 11, cap: 101, atpPercent: -1, bogus: true }),
    "INVALID_CONFIG",
    ["weight", "priority", "cap", "atpPercent", "bogus"],
  );
  assert.deepEqual(e.issues.map((i) => i.path).sort(), ["atpPercent", "bogus", "cap", "priority", "weight"]);
  for (const i of e.issues) assert.equal(typeof i.message, "string");
  assert.deepEqual(bx.ConfigManager.validate({ weight: 0, priority: 11, cap: 101, atpPercent: -1, bogus: true }).errors, e.issues);
  refused(h, () => h.createVm("c", "syn3a", "basic", { ribosomes: 1.5 }), "INVALID_CONFIG", "1.5");
  refused(h, () => h.createVm("c", "syn3a", "basic", { ribosomes: "5" }), "INVALID_CONFIG", "ribosomes");
  refused(h, () => h.createVm("c", "syn3a", "basic", { cycles: 0 }), "INVALID_CONFIG", "cycles");
  refused(h, () => h.createVm("c", "syn3a", "basic", { xapiUrl: "https://h" }), "INVALID_CONFIG", "only xcpng");
  refused(h, () => h.createVm("c", "syn3a", "basic", { rnaPolymerase: 1, rna_polymerase: 2 }), "INVALID_CONFIG", "twice");
});

test("UNSUPPORTED_*, INVALID_ARGUMENT, BACKEND_UNAVAILABLE and INVALID_SNAPSHOT change nothing", () => {
  const h = new bx.Hypervisor();
  h.createVm("a", "syn3a").start();
  h.createVm("x", "ecoli", "xcpng", { xapiUrl: "https://xcp.example", username: "root", password: "pw-123456", sshUser: "bioxen" });
  h.step(10_000);
  refused(h, () => h.createVm("c", "mouse"), "UNSUPPORTED_BIOLOGICAL_TYPE", ['"mouse"', "syn3a"]);
  refused(h, () => h.createVm("c", "syn3a", "vmware"), "UNSUPPORTED_VM_TYPE", ['"vmware"', "xcpng"]);
  refused(h, () => h.setScheduler("cfs"), "INVALID_ARGUMENT", "cfs");
  refused(h, () => h.step(-1), "INVALID_ARGUMENT", "-1");
  refused(h, () => h.setScheduling("a", { weight: 0 }), "INVALID_ARGUMENT", "weight");
  refused(h, () => h.setScheduling("a", { priority: 11 }), "INVALID_ARGUMENT", "priority");
  refused(h, () => h.setScheduling("a", { cap: 101 }), "INVALID_ARGUMENT", "cap");
  refused(h, () => h.setAtpSupply(101), "INVALID_ARGUMENT", "101");
  refused(h, () => h.startVm("x"), "BACKEND_UNAVAILABLE", ['"x"', "XCP-ng"]);
  expect(() => bx.Hypervisor.restore("{"), "INVALID_SNAPSHOT");
  expect(() => new bx.Hypervisor({ chassis: "mars" }), "INVALID_ARGUMENT", "mars");
  refused(h, () => h.createVm("c", "syn3a", "basic", { genome: ">x\nAC GT\n" }), "INVALID_GENOME", "line 2, column 3");
  refused(h, () => h.createVm("c", "syn3a", "basic", { genome: new Uint8Array(bx.genomeInputLimit() + 1) }), "INPUT_TOO_LARGE", "at most");
});

/** Whether this package was built without the kinetics feature (`bioxen/lite`). */
function withoutKinetics() {
  try {
    bx.simulateWeisse({ tEndMin: 1, points: 2 });
    return false;
  } catch (e) {
    if (e.code !== "FEATURE_UNAVAILABLE") throw e;
    assert.equal(e.feature, "kinetics");
    return true;
  }
}

test("FEATURE_UNAVAILABLE names the missing feature, and only a build without it gives it", () => {
  if (withoutKinetics()) {
    const e = expect(() => new bx.Hypervisor({ machinery: "kinetic" }), "FEATURE_UNAVAILABLE", '"kinetics"');
    assert.equal(e.feature, "kinetics");
  } else {
    // The full build has every feature: the kinetic host is built, and no error names one.
    assert.equal(new bx.Hypervisor({ machinery: "kinetic" }).machinery, "kinetic");
    const e = expectCode(() => new bx.Hypervisor({ machinery: "fast" }), "INVALID_ARGUMENT", "fast");
    assert.equal(e.feature, undefined);
  }
});

test("every error code was produced by this file", () => {
  // FEATURE_UNAVAILABLE exists only where a feature was left out (see the test above).
  const possible = withoutKinetics() ? CODES : CODES.filter((c) => c !== "FEATURE_UNAVAILABLE");
  assert.deepEqual([...seen].sort(), [...possible].sort());
});
