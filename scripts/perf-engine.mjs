// The in-process engine bench (bench/engine.ts, rendering on) on its own, from the bench build:
// npx tsc -p tsconfig.bench.json && node --expose-gc scripts/perf-engine.mjs [corpus] [rounds]
import { resolve } from "node:path";
const { benchEngine, formatEngineBench } = await import("../.bench-dist/bench/engine.js");
const b = await benchEngine(resolve(process.argv[2] ?? "../shared/corpus"), Number(process.argv[3] ?? 21));
process.stdout.write(`${formatEngineBench(b)}\n`);
