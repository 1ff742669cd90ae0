#!/usr/bin/env bash
# Captures the engine's output on the shared corpus and the examples (scan with and without render, review of the
# examples), as JSON, into OUT_DIR — run before and after an engine change and `diff -r` the two directories.
# Usage: scripts/perf-equivalence.sh OUT_DIR [BIN]
set -euo pipefail
out=$1
bin=${2:-bin/gitops-guard.js}
mkdir -p "$out"
run() { local name=$1; shift; NO_COLOR=1 node "$bin" "$@" --format json --no-ecr >"$out/$name.json" 2>"$out/$name.err" || true; }
run corpus scan ../shared/corpus
run corpus-norender scan ../shared/corpus --no-render
run examples-head scan examples/head
run examples-base scan examples/base
run examples-review review --base examples/base --head examples/head
for f in "$out"/*.json; do
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const key = (f) => [f.ruleId, f.file, f.line, f.column, f.message].join("\u0000");
    r.findings.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    process.stdout.write(JSON.stringify(r, null, 1));
  ' "$f" >"${f%.json}.sorted"
done
wc -l "$out"/*.sorted
