/**
 * `npm run bench [-- <corpus>]`: every budget of DESIGN.md measured on this machine, in one report —
 * `bench/results.json` (each measurement, its budget, met or not, and the gaps with their reasons) and a markdown
 * table on stdout; progress goes to stderr. Exits 1 naming every missed budget (a part that failed to run counts as
 * missed), 2 when the corpus is missing. docs/performance.md explains each row.
 */
import { existsSync, writeFileSync } from "node:fs";
import { arch, cpus, loadavg, platform, totalmem } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { runEcrBench } from "./ecr.js";
import { benchEngine } from "./engine.js";
import { runGithubBench, runKustomizeBench, type GithubBenchRow } from "./github.js";
import { benchLambda } from "./lambda.js";
import { ecrRows, engineRows, githubRows, githubSideBySide, kustomizeRows, lambdaRows, memoryRows, wholeProcessRows } from "./measurements.js";
import { benchMemory } from "./memory.js";
import { gapsOf, markdownTable, notMeasured, type Area, type BenchReport, type Budget, type Measurement } from "./report.js";
import { benchWholeProcess } from "./whole-process.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const RESULTS = join(ROOT, "bench", "results.json");
/** Alternating runs of each side of the whole-process comparison (each ~5,000 files): 5 keeps the bench within minutes. */
const WHOLE_PROCESS_ROUNDS = 5;

const corpus = resolve(process.argv[2] ?? "../shared/corpus");
if (!existsSync(corpus)) {
  process.stderr.write(`corpus not found at ${corpus}; pass its path: npm run bench -- <dir>\n`);
  process.exit(2);
}

interface Part {
  /** Its key in the report's `details`. */
  key: string;
  area: Area;
  /** What the part measures, for its progress line and, if it fails, its one row. */
  what: string;
  /** The budget its row carries if the part fails to run (then the budget counts as missed). */
  budget: Budget | null;
  unit: string;
  run: () => Promise<{ rows: Measurement[]; raw: unknown }>;
}

const parts: Part[] = [
  { key: "engine", area: "engine", what: "engine in process (review with Kustomize rendering / parse)", budget: { op: "<=", value: 1.5 }, unit: "×", run: async () => wrap(await benchEngine(corpus), engineRows) },
  { key: "wholeProcess", area: "engine", what: "engine as whole processes (gitops-guard scan / parse-only)", budget: { op: "<=", value: 1.5 }, unit: "×", run: async () => wrap(benchWholeProcess(corpus, WHOLE_PROCESS_ROUNDS), wholeProcessRows) },
  { key: "github", area: "github", what: "PR reviews of 10, 300 and 3,000 files against the fake GitHub", budget: { op: "<=", value: 15 }, unit: "s", run: async () => wrap(await runGithubBench(), githubRows) },
  { key: "kustomize", area: "kustomize", what: "PR changing a base used by 20 overlays", budget: { op: "<=", value: 7 }, unit: "requests", run: async () => wrap(await runKustomizeBench(), kustomizeRows) },
  { key: "memory", area: "memory", what: "peak RSS of a 3,000-file PR review", budget: { op: "<", value: 512 }, unit: "MB", run: async () => wrap(await benchMemory(), memoryRows) },
  { key: "ecr", area: "ecr", what: "ECR calls cold and warm (per-operation budgets of DESIGN.md)", budget: null, unit: "calls", run: async () => wrap(await runEcrBench(), ecrRows) },
  { key: "lambda", area: "lambda", what: "Lambda zip sizes and cold import", budget: { op: "<=", value: 300 }, unit: "ms", run: async () => wrap(benchLambda(), lambdaRows) },
];

function wrap<T>(raw: T, rows: (raw: T) => Measurement[]): { rows: Measurement[]; raw: T } {
  return { rows: rows(raw), raw };
}

const started = performance.now();
const measurements: Measurement[] = [];
const details: Record<string, unknown> = {};
for (const [i, part] of parts.entries()) {
  process.stderr.write(`[bench ${i + 1}/${parts.length}] ${part.what}…\n`);
  const t0 = performance.now();
  try {
    const { rows, raw } = await part.run();
    measurements.push(...rows);
    details[part.key] = raw;
  } catch (err) {
    process.stderr.write(`[bench] ${part.what} failed: ${(err as Error).stack ?? String(err)}\n`);
    measurements.push(notMeasured(`${part.key}.not-measured`, part.area, part.what, err, part.budget, part.unit));
  }
  process.stderr.write(`[bench ${i + 1}/${parts.length}] done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

const cpuList = cpus();
const report: BenchReport = {
  generatedAt: new Date().toISOString(),
  machine: {
    node: process.versions.node,
    platform: platform(),
    arch: arch(),
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model.trim() ?? "unknown",
    loadAverage: loadavg() as [number, number, number],
    totalMemoryMB: Math.round(totalmem() / 1024 / 1024),
  },
  corpus: relative(ROOT, corpus) || ".",
  durationMs: performance.now() - started,
  measurements,
  gaps: gapsOf(measurements),
  details,
};
writeFileSync(RESULTS, `${JSON.stringify(report, (_k, v: unknown) => (typeof v === "number" && !Number.isInteger(v) ? Math.round(v * 100) / 100 : v), 2)}\n`);
const sideBySide = details.github ? `\n\n${githubSideBySide(details.github as GithubBenchRow[])}` : "";
process.stdout.write(`${markdownTable(report)}${sideBySide}\n\nResults: ${relative(process.cwd(), RESULTS)} (${(report.durationMs! / 1000).toFixed(0)} s)\n`);
if (report.gaps.length > 0) {
  process.stderr.write(`\nnpm run bench: ${report.gaps.length} budget(s) missed:\n`);
  for (const g of report.gaps) process.stderr.write(`  MISSED ${g.id}: ${g.what}: ${g.measured} (budget ${g.budget}) — ${g.reason}\n`);
  process.exitCode = 1;
}
