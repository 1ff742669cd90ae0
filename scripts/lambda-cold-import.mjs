// `npm run bench:lambda` (after `npm run package`): the cold import time of each packaged Lambda handler, the way
// the Node.js runtime loads it: unzip the artifact, then in a fresh `node` process import the handler's file and
// time it. Budget (DESIGN.md): ≤ 300 ms. Prints min and median of several runs, wall time and the CPU time the import
// used (the steadier number on a busy machine); exits 1 when a median wall time is over. `--json` prints the same as
// one JSON object instead (what `npm run bench` reads).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const BUDGET_MS = 300;
const RUNS = Number(process.env.RUNS ?? 15);
const JSON_OUT = process.argv.includes("--json");
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const state = JSON.parse(readFileSync(join(root, ".serverless", "serverless-state.json"), "utf8"));

/** The file Lambda's Node.js runtime loads for `file.export` (it tries .js, .mjs, .cjs). */
function handlerFile(dir, handler) {
  const base = join(dir, handler.slice(0, handler.lastIndexOf(".")));
  const file = [".js", ".mjs", ".cjs"].map((e) => base + e).find(existsSync);
  if (!file) throw new Error(`handler ${handler} does not resolve inside the zip`);
  return { file, exportName: handler.slice(handler.lastIndexOf(".") + 1) };
}

const tmp = mkdtempSync(join(tmpdir(), "gitops-guard-cold-"));
let over = false;
try {
  const fns = Object.entries(state.service.functions).map(([name, fn]) => {
    const zip = fn.package?.artifact ?? join(root, ".serverless", `${name}.zip`);
    const dir = join(tmp, name);
    // Python's zipfile: python3 is on every machine of this project's kind, the unzip program is not.
    execFileSync("python3", ["-m", "zipfile", "-e", zip, dir]);
    return { name, zipBytes: statSync(zip).size, ...handlerFile(dir, fn.handler) };
  });
  const times = new Map(fns.map((f) => [f.name, []]));
  const cpu = new Map(fns.map((f) => [f.name, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const f of fns) {
      const code = `const c=process.cpuUsage(),t=performance.now();const m=await import(${JSON.stringify(pathToFileURL(f.file).href)});const ms=performance.now()-t,u=process.cpuUsage(c);if(typeof m[${JSON.stringify(f.exportName)}]!=="function")process.exit(3);console.log(ms.toFixed(1),((u.user+u.system)/1000).toFixed(1))`;
      const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8", env: { PATH: process.env.PATH } });
      if (r.status !== 0) throw new Error(`importing ${f.name} failed: ${r.stderr}`);
      const [wall, used] = r.stdout.trim().split(" ").map(Number);
      times.get(f.name).push(wall);
      cpu.get(f.name).push(used);
    }
  }
  const results = fns.map((f) => {
    const t = times.get(f.name).sort((a, b) => a - b);
    const c = cpu.get(f.name).sort((a, b) => a - b);
    const median = t[Math.floor(t.length / 2)];
    if (median > BUDGET_MS) over = true;
    return { name: f.name, zipBytes: f.zipBytes, wallMinMs: t[0], wallMedianMs: median, cpuMinMs: c[0], cpuMedianMs: c[Math.floor(c.length / 2)] };
  });
  if (JSON_OUT) {
    const report = { node: process.versions.node, runs: RUNS, loadAverage: loadavg()[0], cpus: cpus().length, budgetMs: BUDGET_MS, functions: results };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    process.stdout.write(`Node ${process.versions.node}, ${RUNS} fresh processes per handler, load average ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs\n`);
    for (const r of results) {
      process.stdout.write(
        `${r.name}: zip ${(r.zipBytes / 1024 / 1024).toFixed(2)} MB, cold import min ${r.wallMinMs.toFixed(0)} ms, median ${r.wallMedianMs.toFixed(0)} ms (budget ${BUDGET_MS} ms)${r.wallMedianMs > BUDGET_MS ? "  OVER" : ""}; CPU min ${r.cpuMinMs.toFixed(0)} ms, median ${r.cpuMedianMs.toFixed(0)} ms\n`,
      );
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(over ? 1 : 0);
