// A CPU-profile driver: the in-process review of bench/engine.ts (render on) run N times from the bench build:
// `npx tsc -p tsconfig.bench.json && node --cpu-prof scripts/perf-inprocess-review.mjs [corpus] [N]`.
// Runs the in-process review (render on) of bench/engine.ts N times, for a CPU profile of the steady state.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
const { defaultConfig } = await import("../.bench-dist/src/core/config.js");
const { mapSide } = await import("../.bench-dist/src/core/repository.js");
const { scan } = await import("../.bench-dist/src/core/review.js");
const { listFiles } = await import("../.bench-dist/src/local/files.js");
const { ALL_RULES } = await import("../.bench-dist/src/rules/index.js");
const dir = resolve(process.argv[2] ?? "../shared/corpus");
const paths = (await listFiles(dir)).filter((p) => /\.ya?ml$/i.test(p));
const files = paths.map((p) => ({ path: p, content: readFileSync(join(dir, p), "utf8") }));
const repository = { head: mapSide(new Map(files.map((f) => [f.path, f.content]))) };
for (let i = 0; i < Number(process.argv[3] ?? 10); i++) scan(files, { config: defaultConfig(), rules: ALL_RULES, now: new Date(), repository });
