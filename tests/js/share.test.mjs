// Share links (www/js/share.js) in Node, over the built package: every preset's link is under
// 1,500 characters when the preset is loaded and after its script has run; a link round-trips
// to the same session and replay; no password ever reaches a link; and every kind of malformed
// or hostile link is refused with a LinkError that says what is wrong (a zip bomb without
// being inflated past the bound). The browser half (a fresh context, a sub-path, the autosave
// surviving a refused link) is in tests/e2e/tabs.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import zlib from "node:zlib";
import { randomBytes } from "node:crypto";
import * as bx from "../../pkg/index.mjs";
import { PRESETS } from "../../www/js/presets.js";
import { newSession, replay, applyOp } from "../../www/js/session.js";
import { envelope, encodeLink, openLinkBody, decodeLinkBody, linkBody, LINK_LIMITS, LinkError } from "../../www/js/share.js";

// a page address longer than the test server's, as a playground published in a sub-folder has
const BASE = "https://example-user.github.io/bioxen/playground/index.html";
const H = 3_600_000;

/** The session the playground has right after loading preset `p` (store.loadPreset). */
function loaded(p) {
  return {
    ...newSession({ ...p.session, meta: { title: p.title, preset: p.id, createdBy: "bioxen playground", bioxenVersion: bx.version() } }),
    ops: p.session.ops.map((o) => structuredClone(o)),
    endMs: 0,
  };
}

/** The same session played on until `untilMs`, its script applied when the clock reaches it. */
function played(p, untilMs) {
  const s = loaded(p);
  const { h } = replay(bx, s);
  for (const op of p.script) {
    if (op.atMs > untilMs) break;
    h.step(op.atMs - h.nowMs);
    applyOp(h, op);
    s.ops.push({ ...op, atMs: h.nowMs });
  }
  h.step(untilMs - h.nowMs);
  s.endMs = h.nowMs;
  h.free();
  return { session: s, script: p.script.filter((o) => o.atMs > untilMs) };
}

const body = async (env) => linkBody(await encodeLink(env));
const deflated = (text) => zlib.deflateSync(Buffer.from(text)).toString("base64url");

async function refused(b, re) {
  await assert.rejects(openLinkBody(b, bx), (e) => {
    assert.ok(e instanceof LinkError, `not a LinkError: ${e && e.stack}`);
    assert.equal(e.code, "INVALID_LINK");
    assert.match(e.message, re);
    return true;
  });
}

test("every preset's link is under 1,500 characters, loaded and after its script", async () => {
  const rows = [];
  for (const p of PRESETS) {
    const at0 = BASE.length + (await encodeLink(envelope(loaded(p), { script: p.script, preset: p.id }))).length;
    const late = played(p, 8 * H);
    const at8 = BASE.length + (await encodeLink(envelope(late.session, { script: late.script, preset: p.id }))).length;
    rows.push(`${p.id} ${at0} / ${at8}`);
    assert.ok(at0 < 1500 && at8 < 1500, `${p.id}: ${at0} and ${at8} characters`);
  }
  console.log(`link lengths with a ${BASE.length}-character address (loaded / at 8 h): ${rows.join(", ")}`);
});

test("a link round-trips: the same session, the same replay, the script and preset kept", async () => {
  const p = PRESETS.find((x) => x.id === "rr-vs-credit");
  const { session, script } = played(p, 2 * H);
  const got = await openLinkBody(await body(envelope(session, { script, preset: p.id, lesson: { id: "fcfs-convoy", step: 2 } })), bx);
  assert.deepEqual(got.session.ops, session.ops);
  assert.equal(got.session.endMs, 2 * H);
  assert.deepEqual(got.script, script);
  assert.equal(got.preset, "rr-vs-credit");
  assert.deepEqual(got.lesson, { id: "fcfs-convoy", step: 2 }, "a lesson step is carried for the lessons to come");
  const a = replay(bx, session).h, b = replay(bx, got.session).h;
  assert.equal(a.snapshot(), b.snapshot(), "same hypervisor state");
  a.free();
  b.free();
});

test("a link never holds an xcpng password", async () => {
  const s = newSession({ options: { seed: 1 } });
  s.ops.push({ atMs: 0, op: "createVm", vmId: "x1", biologicalType: "syn3a", vmType: "xcpng",
    config: { xapiUrl: "https://xcp.example", username: "root", password: "s3cret-Passw0rd", sshUser: "bioxen" } });
  const b = await body(envelope(s, { script: [{ ...s.ops[0], atMs: 5, vmId: "x2" }] }));
  const json = zlib.inflateSync(Buffer.from(b, "base64url")).toString("utf8");
  assert.ok(json.includes("x1") && json.includes("x2"), json);
  assert.ok(!json.includes("s3cret") && !json.includes("password"), json);
  const got = await openLinkBody(b, bx);
  assert.equal(got.session.ops[0].config.password, undefined);
  replay(bx, got.session).h.free(); // replays with the placeholder password
});

test("malformed and hostile links are refused with what is wrong", async () => {
  const env = envelope(loaded(PRESETS[0]), { script: PRESETS[0].script, preset: PRESETS[0].id });
  const good = await body(env);
  await refused("", /holds no session/);
  await refused("ab$cd", /not base64url: character "\$" at position 2/);
  await refused("abc%20", /character "%"/);
  await refused("a\u00e9b", /character U\+00E9/);
  await refused("abcde", /cannot be whole bytes/);
  await refused(good.slice(0, Math.floor(good.length / 2)), /not deflate data|cut short/);
  await refused(Buffer.from("plain text, not deflate").toString("base64url"), /not deflate data/);
  const flipped = Buffer.from(good, "base64url");
  flipped[flipped.length - 2] ^= 0xff; // in the checksum
  await refused(flipped.toString("base64url"), /not deflate data/);
  await refused("A".repeat(LINK_LIMITS.chars + 4), /characters long; the limit is 100,000/);
  await refused(zlib.deflateSync(Buffer.from([0xff, 0xfe, 0x22])).toString("base64url"), /not UTF-8/);
  await refused(deflated("{ nope"), /not JSON/);
  await refused(deflated("[1, 2]"), /expected an object/);
  await refused(deflated(JSON.stringify({ ...env, link: 2 })), /link: unsupported link version 2/);
  await refused(deflated(JSON.stringify({ ...env, link: undefined })), /unsupported link version undefined/);
  await refused(deflated(JSON.stringify({ ...env, extra: 1 })), /unknown key "extra"/);
  await refused(deflated('{"link":1,"__proto__":{"polluted":1},"session":{}}'), /unknown key "__proto__"/);
  assert.equal({}.polluted, undefined);
  await refused(deflated(JSON.stringify({ link: 1 })), /session: the link holds no session/);
  await refused(deflated(JSON.stringify({ ...env, session: { ...env.session, chassis: "mars" } })), /^session\.chassis: expected one of/);
  await refused(deflated(JSON.stringify({ ...env, session: { ...env.session, ops: [{ atMs: 0, op: "formatDisk" }] } })), /^session\.ops\[0\]\.op/);
  await refused(deflated(JSON.stringify({ ...env, script: [{ atMs: 1, op: "setScheduler", name: "nope" }] })), /^script\[0\]\.name/);
  await refused(deflated(JSON.stringify({ ...env, script: {} })), /^script: expected an array/);
  await refused(deflated(JSON.stringify({ ...env, session: { ...env.session, endMs: 10 }, script: [{ atMs: 5, op: "setAtpSupply", percent: 50 }] })), /^script\[0\]\.atMs: .*before the session's end/);
  await refused(deflated(JSON.stringify({ ...env, preset: "<img src=x>" })), /^preset: expected a preset id/);
  await refused(deflated(JSON.stringify({ ...env, lesson: { id: "x", step: -1 } })), /^lesson\.step/);
  await refused(deflated(JSON.stringify({ ...env, lesson: { id: "", step: 0 } })), /^lesson\.id/);
  await refused(deflated(JSON.stringify({ ...env, lesson: { id: "x", step: 0, answer: 4 } })), /^lesson: unknown key "answer"/);
});

test("a zip bomb is refused at the bound without being inflated", async () => {
  // 1 GB of zeros in about 1 MB of deflate would be 1.4 MB of link: the length bound refuses it;
  // 60 MB fits in a link of about 80,000 characters and must stop at 1 MiB of output
  const bomb = zlib.deflateSync(Buffer.alloc(60_000_000), { level: 9 }).toString("base64url");
  assert.ok(bomb.length < LINK_LIMITS.chars, `bomb link ${bomb.length}`);
  const t0 = performance.now();
  await assert.rejects(decodeLinkBody(bomb), /expands to more than 1,048,576 bytes/);
  assert.ok(performance.now() - t0 < 2000, `stopped early (${Math.round(performance.now() - t0)} ms)`);
  // just under the bound is read
  const ok = JSON.stringify({ pad: " ".repeat(LINK_LIMITS.json - 20) });
  assert.ok(ok.length <= LINK_LIMITS.json);
  assert.equal((await decodeLinkBody(deflated(ok))).pad.length, LINK_LIMITS.json - 20);
});

test("a session too long for a link is refused when the link is made", async () => {
  const s = newSession({ options: { seed: 1 } });
  // incompressible ids: random hex
  for (let i = 0; i < 6000; i++) s.ops.push({ atMs: i, op: "startVm", vmId: randomBytes(20).toString("hex") });
  s.endMs = 6000;
  await assert.rejects(encodeLink(envelope(s)), (e) => e instanceof LinkError && /export it as a file instead/.test(e.message));
});
