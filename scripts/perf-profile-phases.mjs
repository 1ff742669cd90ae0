// Where a CPU profile's time goes, by phase of a review: `node --cpu-prof --cpu-prof-dir=/tmp/p bin/gitops-guard.js scan DIR`, then
// `node scripts/perf-profile-phases.mjs /tmp/p/*.cpuprofile ["phase" for its self time by function]`. Each sample goes to the nearest
// marker frame on its stack (see PHASES).
import { readFileSync } from "node:fs";
const p = JSON.parse(readFileSync(process.argv[2]));
const nodes = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children || []) parent.set(c, n.id);
const dt = new Map();
p.samples.forEach((s, i) => dt.set(s, (dt.get(s) || 0) + p.timeDeltas[i]));
// [category, test(frame)] — the first marker found walking from the leaf upward wins.
const PHASES = [
  ["gc", (f) => f.functionName === "(garbage collector)"],
  ["parse:applications(local view)", (f) => f.functionName === "applicationSourcePaths"],
  ["parse:kustomization graph text", (f) => f.functionName === "buildKustomizationGraph"],
  ["parse:engine", (f) => f.functionName === "parseYamlFile"],
  ["render:session parse 1.1", (f) => f.functionName === "parseSource"],
  ["render:convert", (f) => f.functionName === "convertDocuments"],
  ["render:build other", (f) => f.url.includes("/kustomize/")],
  ["rules:rendered", (f) => f.functionName === "evaluateRendered"],
  ["rules:file", (f) => f.functionName === "evaluateFile"],
  ["fingerprint", (f) => f.functionName === "fingerprintAll"],
  ["facts stage", (f) => f.functionName === "gatherReviewFacts"],
  ["output", (f) => f.url.includes("/cli/output") || f.url.includes("/report/")],
  ["review other", (f) => f.url.includes("/core/")],
  ["cli/local (list, read)", (f) => f.url.includes("/cli/") || f.url.includes("/local/")],
  ["module loading, top level", (f) => f.url.startsWith("node:internal/modules") || f.functionName === "(program)"],
];
/** The phase of a sample: the first marker frame walking up from its leaf. */
function phaseOf(id) {
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const f = nodes.get(cur).callFrame;
    for (const [name, test] of PHASES) if (test(f)) return name;
  }
  return "other";
}
const cat = new Map();
let total = 0;
for (const [id, t] of dt) {
  total += t;
  const c = phaseOf(id);
  cat.set(c, (cat.get(c) || 0) + t);
}
for (const [k, v] of [...cat].sort((a, b) => b[1] - a[1])) console.log(`${(v / 1000).toFixed(0).padStart(6)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
console.log(`${(total / 1000).toFixed(0).padStart(6)} ms total`);
if (process.argv[3]) {
  const want = process.argv[3];
  const self = new Map();
  for (const [id, t] of dt) {
    if (phaseOf(id) !== want) continue;
    const f = nodes.get(id).callFrame;
    const k = `${f.functionName} ${f.url.split("/").slice(-2).join("/")}:${f.lineNumber}`;
    self.set(k, (self.get(k) || 0) + t);
  }
  console.log(`\nself time in ${want}:`);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`);
}
