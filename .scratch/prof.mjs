import { readFileSync } from "node:fs";
const p = JSON.parse(readFileSync(process.argv[2], "utf8"));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = p.timeDeltas; let total = 0;
for (let i = 0; i < p.samples.length; i++) { const n = byId.get(p.samples[i]); const d = dt[i] ?? 0; total += d; const cf = n.callFrame; const key = `${cf.functionName || "(anon)"} ${cf.url.replace(/^.*\/(node_modules|dist)\//, "$1/")}:${cf.lineNumber}`; self.set(key, (self.get(key) ?? 0) + d); }
console.log("total ms", (total / 1000).toFixed(0));
// aggregate by file
const byFile = new Map();
for (const [k, v] of self) { const f = k.split(" ")[1].replace(/:\d+$/, ""); byFile.set(f, (byFile.get(f) ?? 0) + v); }
console.log([...byFile].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${(v / 1000).toFixed(0).padStart(6)} ${k}`).join("\n"));
console.log("---");
console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${(v / 1000).toFixed(0).padStart(6)} ${k}`).join("\n"));
