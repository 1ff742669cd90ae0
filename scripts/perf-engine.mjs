// The in-process engine bench (bench/engine.ts, rendering on) on its own, from the bench build:
// npx tsc -p tsconfig.bench.json && node scripts/perf-engine.mjs [corpus] [rounds]
import { resolve } from "node:path";
const { benchEngine } = await import("../.bench-dist/bench/engine.js");
const b = await benchEngine(resolve(process.argv[2] ?? "../shared/corpus"), Number(process.argv[3] ?? 21));
const share = (ms) => (ms / b.parseMs).toFixed(2);
process.stdout.write(
  [
    `${b.files} files, ${b.documents} documents, ${b.roots} Kustomize roots; fastest of the rounds:`,
    `  parse only        ${b.parseMs.toFixed(1)} ms`,
    `  review (render)   ${b.totalMs.toFixed(1)} ms  ratio ${b.ratio.toFixed(2)}× (budget ≤ 1.5×)`,
    `  review --no-render ${b.fileByFileMs.toFixed(1)} ms  ratio ${share(b.fileByFileMs)}×`,
    `  findings ${b.findings} (${b.renderedFindings} on rendered objects)`,
  ].join("\n") + "\n",
);
