// The in-process engine budget in CPU time (user + system of this process), which a loaded machine disturbs less
// than wall time: parse-only (bench/engine.ts's baseline) against the review with Kustomize rendering on, alternated,
// median of N rounds each. Builds compared side by side: pass their .bench-dist directories (default: this one).
// npx tsc -p tsconfig.bench.json && node --expose-gc scripts/perf-engine-cpu.mjs [rounds] [bench-dist...]
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseAllDocuments } from "yaml";

const corpus = resolve(process.env.CORPUS ?? "../shared/corpus");
const rounds = Number(process.argv[2] ?? 15);
const dists = process.argv.length > 3 ? process.argv.slice(3) : [resolve(".bench-dist")];
const builds = [];
for (const d of dists) {
  const at = (m) => import(join(resolve(d), m));
  const [{ defaultConfig }, { mapSide }, { scan }, { listFiles }, { ALL_RULES }] = await Promise.all(
    ["src/core/config.js", "src/core/repository.js", "src/core/review.js", "src/local/files.js", "src/rules/index.js"].map(at),
  );
  builds.push({ name: d, defaultConfig, mapSide, scan, listFiles, ALL_RULES });
}
const paths = (await builds[0].listFiles(corpus)).filter((p) => /\.ya?ml$/i.test(p));
const files = paths.map((p) => ({ path: p, content: readFileSync(join(corpus, p), "utf8") }));
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const timed = (f) => { globalThis.gc?.(); const t = cpu(); f(); return cpu() - t; };
const parseOnly = () => {
  for (const f of files) for (const d of parseAllDocuments(f.content, { logLevel: "error", uniqueKeys: false })) if (d.errors.length === 0) d.toJS({ maxAliasCount: 100 });
};
const reviews = builds.map((b) => {
  const repository = { head: b.mapSide(new Map(files.map((f) => [f.path, f.content]))) };
  return () => b.scan(files, { config: b.defaultConfig(), rules: b.ALL_RULES, now: new Date(), repository });
});
parseOnly();
for (const r of reviews) r();
const parse = [];
const review = reviews.map(() => []);
for (let i = 0; i < rounds; i++) {
  parse.push(timed(parseOnly));
  reviews.forEach((r, j) => review[j].push(timed(r)));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p = median(parse);
const pMin = Math.min(...parse);
process.stdout.write(`parse only: median ${p.toFixed(0)} ms CPU, fastest ${pMin.toFixed(0)} ms (${files.length} files)\n`);
builds.forEach((b, j) => {
  const m = median(review[j]);
  const f = Math.min(...review[j]);
  process.stdout.write(`${b.name}: review (render on) median ${m.toFixed(0)} ms CPU = ${(m / p).toFixed(2)} × parse; fastest ${f.toFixed(0)} ms = ${(f / pMin).toFixed(2)} ×\n`);
});
