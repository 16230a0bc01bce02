#!/usr/bin/env bash
# build-docs.sh: the API reference of the npm package `bioxen`, made by TypeDoc (npm, pinned in
# package-lock.json) from the built package's typings, and the check that every export has a
# doc comment.
#
#   scripts/build-docs.sh            HTML into target/api-docs/ (gitignored; scripts/serve.sh
#                                    serves it at /docs/). Exports without a doc comment are
#                                    listed but do not stop the build.
#   scripts/build-docs.sh --check    Builds nothing; exits 1 and lists every export (function,
#                                    class, constructor, method, accessor, interface, property,
#                                    type alias, enum and member, variable) without a doc comment.
#   --check --entry FILE.d.ts        Check FILE instead of pkg/index.d.mts (the check's own test,
#                                    tests/js/docs-check.test.mjs, runs it on fixtures).
#
# The source is pkg/index.d.mts, the Node ESM entry's typings: every class and function of
# node/bioxen.d.cts (wasm-bindgen's typings; their doc comments are the `///` comments of the
# #[wasm_bindgen] items in src/wasm/*.rs, plus the TypeScript of src/wasm/*.d.ts) and init()/
# initSync() as pkg-config/index.d.mts declares them. The browser entry (index.d.ts) has the
# same classes and functions; its init typings are wasm-bindgen's, whose InitOutput lists the
# raw wasm exports, which are not API. The index page is the package README (pkg/README.md).
# Settings are in typedoc.json. Its intentionallyNotDocumented names the fields of EventKind's
# union members: they have doc comments (editors show them), but TypeDoc does not read comments
# on members of object literals inside a union, and would report them as missing.
#
# Needs: scripts/build-pkg.sh done (pkg/), npm ci (node_modules/typedoc).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

die() { echo "build-docs: error: $*" >&2; exit 2; }

check=0
entry=pkg/index.d.mts
while (($#)); do
  case "$1" in
    --check) check=1 ;;
    --entry) [[ $# -ge 2 ]] || die "--entry needs a file"; entry="$2"; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
  shift
done

TYPEDOC="$ROOT/node_modules/.bin/typedoc"
[[ -x "$TYPEDOC" ]] || die "$TYPEDOC not found: run npm ci"
if [[ "$entry" == pkg/index.d.mts ]]; then
  [[ -f pkg/index.d.mts && -f pkg/README.md ]] || die "pkg/ is not built: run scripts/build-pkg.sh first"
else
  [[ -f "$entry" ]] || die "$entry not found"
  ((check)) || die "--entry is for --check only (the HTML reference is built from pkg/)"
fi

log="$(mktemp -t bioxen-docs.XXXXXX)"
opts="$(mktemp -t bioxen-typedoc.XXXXXX)"
trap 'rm -f "$log" "$opts"' EXIT
options="$ROOT/typedoc.json"
if [[ "$entry" != pkg/index.d.mts ]]; then
  # A fixture: typedoc.json's settings, without the README, the version and the package's
  # intentionallyNotDocumented names; the check covers the package of the fixture's package.json.
  mv "$opts" "$opts.json" && opts="$opts.json"
  node - "$ROOT/typedoc.json" "$(dirname "$entry")/package.json" >"$opts" <<'JS'
const fs = require("fs");
const [base, pkg] = process.argv.slice(2);
const o = { extends: [base], readme: "none", includeVersion: false, intentionallyNotDocumented: [] };
if (fs.existsSync(pkg)) o.packagesRequiringDocumentation = [JSON.parse(fs.readFileSync(pkg, "utf8")).name];
console.log(JSON.stringify(o));
JS
  options="$opts"
fi
args=(--options "$options" --entryPoints "$entry" --logLevel Warn)
if ((check)); then
  args+=(--emit none --treatValidationWarningsAsErrors)
fi

status=0
NO_COLOR=1 FORCE_COLOR=0 "$TYPEDOC" "${args[@]}" >"$log" 2>&1 || status=$?

# TypeDoc's line per missing comment: "[warning] Hypervisor.createVm (Method), defined in
# bioxen/node/bioxen.d.cts, does not have any documentation" (an [error] under --check).
missing="$(sed -n 's/^\[\(warning\|error\)\] \(.*\) (\([A-Za-z]*\)), defined in \(.*\), does not have any documentation$/  \2 (\3) in \4/p' "$log")"
others="$(grep -v 'does not have any documentation' "$log" | grep -v '^\[\(warning\|error\)\] Found [0-9]* errors and [0-9]* warnings$' |
  grep -v 'Documentation could not be generated due to the errors above' || true)"
[[ -n "$others" ]] && echo "$others"

n=0
[[ -n "$missing" ]] && n=$(wc -l <<<"$missing")
if ((n)); then
  echo "build-docs: $n export(s) of $entry have no doc comment:"
  echo "$missing"
fi
if ((check)); then
  if ((n || status)); then
    echo "build-docs: check FAILED: give every export above a doc comment (Rust: /// on the #[wasm_bindgen] item; TypeScript: /** */)" >&2
    exit 1
  fi
  echo "build-docs: check ok: every export of $entry has a doc comment"
  exit 0
fi
((status == 0)) || die "typedoc failed (exit $status)"
out="$(node -p 'require("./typedoc.json").out')"
[[ -f "$out/index.html" ]] || die "typedoc wrote no $out/index.html"
echo "build-docs: API reference in $out/ ($(du -sk "$out" | cut -f1) KB); scripts/serve.sh serves it at /docs/"
