// The doc-comment check of the API reference (scripts/build-docs.sh --check) on a fixture: it
// passes typings where every export has a doc comment (documented.d.ts), and fails, naming
// exactly the exports without one, on a copy that lacks a method's and a property's comments.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const fixtures = path.join(root, "tests/js/fixtures/docs-check");

// documented.d.ts without the comments of Widget.grow and WidgetOptions.size, beside the
// fixture's package.json (the check covers that package's exports).
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bioxen-docs-check-"));
let text = fs.readFileSync(path.join(fixtures, "documented.d.ts"), "utf8");
for (const comment of ["  /** Grows it by `by`. */\n", "  /** How big. */\n"]) {
  assert.equal(text.split(comment).length, 2, `documented.d.ts should hold ${JSON.stringify(comment)} once`);
  text = text.replace(comment, "");
}
fs.writeFileSync(path.join(tmp, "undocumented.d.ts"), text);
fs.copyFileSync(path.join(fixtures, "package.json"), path.join(tmp, "package.json"));

// Both runs start at once (each is a TypeDoc run of a few seconds).
function check(file) {
  return new Promise((resolve, reject) => {
    const p = spawn("bash", ["scripts/build-docs.sh", "--check", "--entry", file], { cwd: root });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (out += d));
    p.on("error", reject);
    p.on("close", (status) => resolve({ status, out }));
  });
}
const runs = {
  documented: check(path.join(fixtures, "documented.d.ts")),
  undocumented: check(path.join(tmp, "undocumented.d.ts")),
};
Promise.allSettled(Object.values(runs)).then(() => fs.rmSync(tmp, { recursive: true, force: true }));

test("the check passes typings whose every export has a doc comment", async () => {
  const { status, out } = await runs.documented;
  assert.equal(status, 0, `documented.d.ts: expected exit 0, got ${status}:\n${out}`);
  assert.match(out, /check ok/);
});

test("the check fails on exports without a doc comment and names each one", async () => {
  const { status, out } = await runs.undocumented;
  assert.equal(status, 1, `undocumented.d.ts: expected exit 1, got ${status}:\n${out}`);
  const listed = [...out.matchAll(/^ {2}(\S+) \((\w+)\) in /gm)].map((m) => `${m[1]} (${m[2]})`).sort();
  assert.deepEqual(listed, ["Widget.grow (CallSignature)", "WidgetOptions.size (Property)"], out);
  assert.match(out, /2 export\(s\) of .*undocumented\.d\.ts have no doc comment/);
});
