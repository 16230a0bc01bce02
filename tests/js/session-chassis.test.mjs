// A session's custom chassis through the page's own session code (www/js/session.js) and share
// links (www/js/share.js), over the built package: a chassis object is read, replayed on a
// hypervisor of kind "custom" with the described numbers, written back as it was given and
// carried by a link; a bad one is refused naming the path of the bad field; a preset's name
// works as before. The Rust reader's twin tests are in src/session/tests_chassis.rs.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as bx from "../../pkg/index.mjs";
import { parseSession, serializeSession, replay, SessionError, chassisLabel, isCustomChassis } from "../../www/js/session.js";
import { envelope, encodeLink, linkBody, openLinkBody } from "../../www/js/share.js";

const CUSTOM = { name: "Small textbook", base: "textbook", ribosomes: 2000, maxVms: 8, hostReserve: { atp: 0.25 } };

function text(chassis) {
  return JSON.stringify({
    format: "bioxen-session",
    version: 1,
    chassis,
    scheduler: "credit",
    options: { seed: 7 },
    ops: [
      { atMs: 0, op: "createVm", vmId: "a", biologicalType: "syn3a", config: { ribosomes: 300 } },
      { atMs: 0, op: "startVm", vmId: "a" },
    ],
    endMs: 3_600_000,
  });
}

function refused(t, path, re) {
  assert.throws(() => parseSession(t, bx), (e) => {
    assert.ok(e instanceof SessionError, `not a SessionError: ${e && e.stack}`);
    assert.equal(e.code, "INVALID_SESSION");
    assert.equal(e.path, path);
    assert.match(e.message, re);
    return true;
  });
}

test("a session with a chassis object replays on that custom chassis", () => {
  const s = parseSession(text(CUSTOM), bx);
  assert.ok(isCustomChassis(s.chassis));
  assert.deepEqual(s.chassis, CUSTOM);
  assert.notEqual(s.chassis.hostReserve, CUSTOM.hostReserve, "a fresh copy, not the file's object");
  const { h } = replay(bx, s);
  try {
    assert.equal(h.chassis, "custom");
    const r = h.systemResources();
    assert.equal(r.chassis, "custom");
    assert.equal(r.ribosomes.total, 2000);
    assert.equal(r.maxVms, 8);
    assert.equal(h.nowMs, 3_600_000);
    const vm = h.getVm("a");
    assert.equal(vm.state, "running");
    vm.free();
  } finally {
    h.free();
  }
  // the panel's facts: the same description through chassisInfo
  const info = bx.chassisInfo(s.chassis);
  assert.equal(info.kind, "custom");
  assert.equal(info.name, "Small textbook");
  assert.equal(info.hostReserve.atp, 0.25);
  assert.equal(info.elongationAaPerS, bx.chassisInfo("textbook").elongationAaPerS);
  assert.equal(chassisLabel(s.chassis, bx), '"Small textbook" (custom, on textbook)');
  assert.equal(chassisLabel({ base: "yeast" }, bx), `${JSON.stringify(bx.chassisInfo("yeast").name)} (custom, on yeast)`);
  assert.equal(chassisLabel("ecoli"), "ecoli");
});

test("the chassis object is written back as given and carried by a share link", async () => {
  const s = parseSession(text(CUSTOM), bx);
  const out = serializeSession(s);
  assert.match(out, /"chassis": \{\n {4}"name": "Small textbook",\n {4}"base": "textbook",/);
  assert.equal(serializeSession(parseSession(out, bx)), out);
  const back = await openLinkBody(linkBody(await encodeLink(envelope(s))), bx);
  assert.deepEqual(back.session.chassis, CUSTOM);
  const { h } = replay(bx, back.session);
  assert.equal(h.systemResources().ribosomes.total, 2000);
  h.free();
});

test("a bad chassis object is refused naming the path of the bad field", () => {
  refused(text({ base: "textbook", hostReserve: { atp: 1 } }), "chassis.hostReserve.atp", /^chassis\.hostReserve\.atp: 1 is out of range; expected 0 <= f < 1$/);
  refused(text({ ribosomes: 0 }), "chassis.ribosomes", /0 is out of range; expected 1\.\.=10000000/);
  refused(text({ colour: "red" }), "chassis.colour", /unknown key "colour"/);
  refused(text({ base: "mars" }), "chassis.base", /expected one of ecoli, yeast/);
  refused(text(3), "chassis", /expected a preset name or a chassis object, got the number 3/);
  refused(text(["ecoli"]), "chassis", /got an array/);
  refused(text("custom"), "chassis", /expected one of ecoli, yeast, syn3a, orthogonal, textbook/);
  // several bad fields: the first the package names is the one reported
  assert.throws(() => parseSession(text({ ribosomes: 0, hostReserve: { atp: 1 } }), bx), (e) => e.path.startsWith("chassis."));
});

test("a preset's name works as before", () => {
  const s = parseSession(text("orthogonal"), bx);
  assert.equal(s.chassis, "orthogonal");
  assert.ok(!isCustomChassis(s.chassis));
  assert.match(serializeSession(s), /"chassis": "orthogonal",\n/);
  const { h } = replay(bx, s);
  assert.equal(h.chassis, "orthogonal");
  h.free();
});
