/**
 * Whole-process budget (DESIGN "Budgets", issue 10 §5): what a CI user waits for — `gitops-guard scan DIR` as a new
 * process (startup, module loading, listing, reading, config, parse, rules, report) — against a parse-only process
 * over the same files (bench/parse-only.ts), on `../shared/corpus` copied to about 5,000 YAML files. The two are run
 * alternately (so machine noise hits both alike) and the medians compared; budget ≤ 1.5×.
 *
 * Standalone: `npm run build && tsc -p tsconfig.bench.json && node .bench-dist/bench/whole-process.js [corpus] [rounds]`.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

export const WHOLE_PROCESS_BUDGET = 1.5;
const TARGET_FILES = 5_000;

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
/** The command measured: this checkout's, or another build's (GITOPS_GUARD_BIN, e.g. to compare before and after a change). */
const BIN = process.env.GITOPS_GUARD_BIN ? resolve(process.env.GITOPS_GUARD_BIN) : join(root, "bin/gitops-guard.js");
const PARSE_ONLY = join(here, "parse-only.js");

function countYaml(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile() && /\.ya?ml$/i.test(e.name)) n++;
  return n;
}

/** The corpus copied side by side until it holds about `target` YAML files. */
function replicate(corpus: string, target: number): { dir: string; files: number } {
  const dir = mkdtempSync(join(tmpdir(), "gg-whole-"));
  const per = countYaml(corpus);
  const copies = Math.max(1, Math.round(target / per));
  for (let i = 0; i < copies; i++) cpSync(corpus, join(dir, `copy-${i}`), { recursive: true, filter: (src) => !src.endsWith("/.git") });
  return { dir, files: per * copies };
}

/** GNU time, when the machine has it: the child's CPU time (user + system), which a busy machine disturbs less than wall time. */
const GNU_TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;

function timed(args: string[]): { ms: number; cpuMs: number | null } {
  const [cmd, argv] = GNU_TIME ? [GNU_TIME, ["-f", "cpu %U %S", process.execPath, ...args]] : [process.execPath, args];
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, { encoding: "utf8", maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: "1" } });
  const ms = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  const cpu = /^cpu ([\d.]+) ([\d.]+)$/m.exec(r.stderr);
  return { ms, cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : null };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export interface WholeProcessBench {
  files: number;
  rounds: number;
  scanMs: number;
  parseMs: number;
  ratio: number;
  /** Median CPU time (user + system) of each, when measurable. */
  scanCpuMs: number | null;
  parseCpuMs: number | null;
}

export function benchWholeProcess(corpus: string, rounds = 7): WholeProcessBench {
  if (!existsSync(join(dirname(BIN), "../dist/cli/main.js"))) throw new Error("dist/ is missing: run `npm run build` first");
  const { dir, files } = replicate(corpus, TARGET_FILES);
  try {
    const scanArgs = [BIN, "scan", dir, "--format", "json"];
    const parseArgs = [PARSE_ONLY, dir];
    // One warm-up of each (file-system cache, compile cache), then alternate.
    timed(scanArgs);
    timed(parseArgs);
    const scan: Array<ReturnType<typeof timed>> = [];
    const parse: Array<ReturnType<typeof timed>> = [];
    for (let i = 0; i < rounds; i++) {
      if (i % 2 === 0) {
        scan.push(timed(scanArgs));
        parse.push(timed(parseArgs));
      } else {
        parse.push(timed(parseArgs));
        scan.push(timed(scanArgs));
      }
    }
    const scanMs = median(scan.map((t) => t.ms));
    const parseMs = median(parse.map((t) => t.ms));
    const cpu = (ts: Array<ReturnType<typeof timed>>) => (ts.every((t) => t.cpuMs !== null) ? median(ts.map((t) => t.cpuMs!)) : null);
    return { files, rounds, scanMs, parseMs, ratio: scanMs / parseMs, scanCpuMs: cpu(scan), parseCpuMs: cpu(parse) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatWholeProcess(b: WholeProcessBench): string {
  const verdict = b.ratio <= WHOLE_PROCESS_BUDGET ? "within" : "OVER";
  return [
    `Whole process, ${b.files} YAML files, median of ${b.rounds} alternating runs:`,
    `  gitops-guard scan   ${b.scanMs.toFixed(0)} ms`,
    `  parse-only process  ${b.parseMs.toFixed(0)} ms`,
    `  ratio ${b.ratio.toFixed(2)}× (budget ≤ ${WHOLE_PROCESS_BUDGET}×: ${verdict})`,
    ...(b.scanCpuMs !== null && b.parseCpuMs !== null
      ? [`  CPU time (user+sys): scan ${b.scanCpuMs.toFixed(0)} ms, parse-only ${b.parseCpuMs.toFixed(0)} ms, ratio ${(b.scanCpuMs / b.parseCpuMs).toFixed(2)}×`]
      : []),
  ].join("\n");
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const corpus = resolve(process.argv[2] ?? "../shared/corpus");
  const result = benchWholeProcess(corpus, Number(process.argv[3] ?? 7));
  process.stdout.write(`${formatWholeProcess(result)}\n`);
  process.exitCode = result.ratio <= WHOLE_PROCESS_BUDGET ? 0 : 1;
}
