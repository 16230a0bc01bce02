// XCP-ng VMs: the config is validated, starting one is BACKEND_UNAVAILABLE, and the password
// never appears in any output: snapshot, listVms, vmStatus, metrics, events, traces, profiler,
// resource summaries, restored copies, or any error (message, stack, own properties, issues).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as bx from "../../pkg/index.mjs";
import { expectCode, expectRefusedUnchanged } from "./helpers.mjs";

const PASSWORD = "Hunter2-xcp!Qz7#secret";
const XCPNG = { xapiUrl: "https://xcp.example.org:443", username: "root", password: PASSWORD, sshUser: "bioxen" };
// Fragments long enough to be telling; an output must not contain any of them.
const FRAGMENTS = [PASSWORD, "Hunter2", "Qz7#secret", JSON.stringify(PASSWORD).slice(1, -1)];

/** Everything a value can show: JSON, String(), and for errors every own property and the stack. */
function render(v) {
  if (v instanceof Error) {
    const props = Object.getOwnPropertyNames(v).map((k) => `${k}=${render(v[k])}`);
    return [String(v), v.stack, ...props].join("\n");
  }
  if (typeof v === "string") return v;
  if (ArrayBuffer.isView(v)) return Array.from(v).join(",");
  if (v && typeof v === "object" && "vmIndex" in v) {
    return JSON.stringify({ ...v, vmIndex: [...v.vmIndex], start: [...v.start], end: [...v.end], kind: [...v.kind] });
  }
  return JSON.stringify(v) + String(v);
}

function assertNoSecret(label, v) {
  const text = render(v);
  assert.ok(text.length > 0, label);
  for (const f of FRAGMENTS) assert.ok(!text.includes(f), `${label} contains the password: ${text.slice(0, 500)}`);
}

function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail("expected a throw");
}

test("an xcpng VM is created with its config, refuses to start, and never shows the password", () => {
  const h = new bx.Hypervisor({ seed: 1 });
  const x = h.createVm("x1", "ecoli", "xcpng", XCPNG);
  assert.equal(x.vmType, "xcpng");
  assert.equal(x.state, "created");
  const basic = h.createVm("b1", "syn3a");
  basic.start();
  h.step(3_600_000);

  const errors = [];
  const before = h.snapshot();
  errors.push(expectRefusedUnchanged(h, () => h.startVm("x1"), "BACKEND_UNAVAILABLE", ['"x1"', "XCP-ng"]));
  errors.push(expectCode(() => x.start(), "BACKEND_UNAVAILABLE", '"x1"'));
  errors.push(expectCode(() => h.getVm("x1").start(), "BACKEND_UNAVAILABLE"));
  errors.push(expectCode(() => x.restart(), "INVALID_TRANSITION")); // created -> restart is refused first
  errors.push(expectCode(() => x.pause(), "INVALID_TRANSITION"));
  assert.equal(h.snapshot(), before);
  assert.equal(x.state, "created");

  // reach `error` through an ATP shift, then restart -> BACKEND_UNAVAILABLE as well
  assert.deepEqual(h.setAtpSupply(59).sort(), ["b1", "x1"]);
  h.setAtpSupply(100);
  assert.equal(x.state, "error");
  errors.push(expectRefusedUnchanged(h, () => x.restart(), "BACKEND_UNAVAILABLE", '"x1"'));
  errors.push(expectRefusedUnchanged(h, () => h.restartVm("x1"), "BACKEND_UNAVAILABLE"));
  errors.push(expectCode(() => h.createVm("x1", "ecoli", "xcpng", XCPNG), "DUPLICATE_VM"));
  errors.push(expectCode(() => h.createVm("x2", "ecoli", "xcpng", { ...XCPNG, ribosomes: 1e7 }), "INSUFFICIENT_RESOURCES"));
  errors.push(expectCode(() => h.createVm("x 2", "ecoli", "xcpng", XCPNG), "INVALID_ID"));
  errors.push(expectCode(() => h.createVm("x2", "human", "xcpng", XCPNG), "UNSUPPORTED_BIOLOGICAL_TYPE"));

  const outputs = {
    snapshot: h.snapshot(),
    listVms: h.listVms(),
    vmStatus: h.vmStatus("x1"),
    status: x.status(),
    metrics: h.metrics(),
    events: h.events(),
    traceSince: h.traceSince(0),
    profilerReport: h.profilerReport(),
    systemResources: h.systemResources(),
    resourceSummary: new bx.BioResourceManager(h).getResourceSummary(),
    resourceUsage: x.resourceUsage(),
    restoredSnapshot: bx.Hypervisor.restore(h.snapshot()).snapshot(),
    restoredList: bx.Hypervisor.restore(h.snapshot()).listVms(),
    handle: [x.vmId, x.biologicalType, x.vmType, x.state],
  };
  for (const [k, v] of Object.entries(outputs)) assertNoSecret(k, v);
  errors.forEach((e, i) => assertNoSecret(`error ${i} (${e.code})`, e));
  // the xcpng fields that are not secret are kept (in the snapshot), so the test can see them
  assert.ok(outputs.snapshot.includes("xcp.example.org"), "xapiUrl is in the snapshot");
  assert.ok(outputs.snapshot.includes("bioxen"));
  // the restored copy has no password, so it cannot reach the backend either
  const r = bx.Hypervisor.restore(h.snapshot());
  assertNoSecret("restored restart", expectCode(() => r.restartVm("x1"), "BACKEND_UNAVAILABLE"));
  h.destroyVm("x1");
  assertNoSecret("events after destroy", h.events());
});

test("invalid xcpng configs report every problem by path without echoing the password", () => {
  const h = new bx.Hypervisor();
  const missing = expectRefusedUnchanged(h, () => h.createVm("x", "ecoli", "xcpng"), "INVALID_CONFIG");
  assert.deepEqual(missing.issues.map((i) => i.path).sort(), ["password", "ssh_user", "username", "xapi_url"]);
  for (const i of missing.issues) assert.equal(i.message, "required for xcpng VMs");
  const cases = [
    [{ ...XCPNG, xapiUrl: "ftp://x" }, ["xapiUrl"]],
    [{ ...XCPNG, sshUser: "Root User" }, ["sshUser"]],
    [{ ...XCPNG, username: "has space" }, ["username"]],
    [{ ...XCPNG, password: "" }, ["password"]],
    [{ ...XCPNG, password: PASSWORD.repeat(60) }, ["password"]], // > 1024 bytes
    [{ ...XCPNG, password: 12345678 }, ["password"]],
    [{ ...XCPNG, xapiUrl: PASSWORD }, ["xapiUrl"]],
    [{ xcpng_config: { ...XCPNG, xapiUrl: "nope" } }, ["xcpng_config.xapiUrl"]],
  ];
  for (const [config, paths] of cases) {
    const e = expectRefusedUnchanged(h, () => h.createVm("x", "ecoli", "xcpng", config), "INVALID_CONFIG", paths);
    assert.deepEqual(e.issues.map((i) => i.path), paths);
    assertNoSecret(`INVALID_CONFIG for ${paths}`, e);
    assertNoSecret("12345678 echoed", { m: e.message.includes("12345678") ? PASSWORD : "" });
    const v = bx.ConfigManager.validate(config, "xcpng");
    assert.equal(v.valid, false);
    assert.deepEqual(v.errors, e.issues);
    assertNoSecret("ConfigManager.validate", v);
  }
  // a basic VM given XCP-ng settings is refused, and the password is not echoed
  const basic = expectRefusedUnchanged(h, () => h.createVm("b", "syn3a", "basic", XCPNG), "INVALID_CONFIG", "only xcpng");
  assert.deepEqual(basic.issues.map((i) => i.path).sort(), ["password", "sshUser", "username", "xapiUrl"]);
  assertNoSecret("basic VM with XCP-ng settings", basic);
  assertNoSecret("validate as basic", bx.ConfigManager.validate(XCPNG));
  assert.deepEqual(bx.ConfigManager.validate(XCPNG, "xcpng"), { valid: true, errors: [] });
  // the upstream nested layout is accepted
  h.createVm("nested", "syn3a", "xcpng", { xcpng_config: XCPNG }).free();
  assert.equal(h.vmStatus("nested").vmType, "xcpng");
  assertNoSecret("nested snapshot", h.snapshot());
});
