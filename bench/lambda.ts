/**
 * The Lambda part of `npm run bench`: builds the zips as `npm run package` does (scripts/package.mjs: osls + esbuild,
 * offline, dummy credentials; a few seconds, so always rebuilt — a stale zip would measure old code), then times the
 * cold import of each handler in fresh Node processes (scripts/lambda-cold-import.mjs --json, what
 * `npm run bench:lambda` prints). Budgets (DESIGN.md): zip ≤ 5 MB and cold import ≤ 300 ms, each handler.
 */
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const ZIP_BUDGET_BYTES = 5 * 1024 * 1024;
export const COLD_IMPORT_BUDGET_MS = 300;

export interface LambdaFunctionBench {
  name: string;
  zipBytes: number;
  wallMinMs: number;
  wallMedianMs: number;
  cpuMinMs: number;
  cpuMedianMs: number;
}

export interface LambdaBench {
  node: string;
  runs: number;
  loadAverage: number;
  cpus: number;
  packageMs: number;
  functions: LambdaFunctionBench[];
}

function run(script: string, args: string[]): { stdout: string; status: number | null; tail: string } {
  const r = spawnSync(process.execPath, [join(ROOT, "scripts", script), ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 });
  return { stdout: r.stdout, status: r.status, tail: `${r.stdout}\n${r.stderr}`.trim().split("\n").slice(-5).join(" / ") };
}

export function benchLambda(): LambdaBench {
  const t0 = Date.now();
  const pkg = run("package.mjs", []);
  if (pkg.status !== 0) throw new Error(`npm run package failed: ${pkg.tail}`);
  const packageMs = Date.now() - t0;
  // Exit 1 only says a median is over the budget; the numbers are judged here.
  const cold = run("lambda-cold-import.mjs", ["--json"]);
  const line = cold.stdout.trim().split("\n").at(-1) ?? "";
  if (!line.startsWith("{")) throw new Error(`lambda-cold-import.mjs failed: ${cold.tail}`);
  return { ...(JSON.parse(line) as Omit<LambdaBench, "packageMs">), packageMs };
}
