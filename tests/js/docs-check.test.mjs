// The doc-comment check of the API reference (scripts/build-docs.sh --check) on two fixtures:
// it passes typings where every export has a doc comment, and fails, naming exactly the exports
// without one, when a method and an interface property lack theirs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const fixtures = "tests/js/fixtures/docs-check";

// Both runs start at once (each is a TypeDoc run of a few seconds).
function check(file) {
  return new Promise((resolve, reject) => {
    const p = spawn("bash", ["scripts/build-docs.sh", "--check", "--entry", `${fixtures}/${file}`], { cwd: root });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (out += d));
    p.on("error", reject);
    p.on("close", (status) => resolve({ status, out }));
  });
}
const runs = { documented: check("documented.d.ts"), undocumented: check("undocumented.d.ts") };

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
