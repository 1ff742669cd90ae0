import { readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseAllDocuments } from "yaml";
import { defaultConfig } from "../src/core/config.js";
import { mapSide } from "../src/core/repository.js";
import { buildKustomizationGraph, isKustomizationFile } from "../src/kustomize/index.js";
import { scan } from "../src/core/review.js";
import { listFiles } from "../src/local/files.js";
import { ALL_RULES } from "../src/rules/index.js";

export interface EngineBench {
  files: number;
  documents: number;
  parseMs: number;
  /** The review with Kustomize rendering on (what `scan DIR` does). */
  totalMs: number;
  ratio: number;
  docsPerSecond: number;
  findings: number;
  /** The same review with rendering off (`--no-render`), for comparison. */
  fileByFileMs: number;
  /** Kustomize roots rendered, and findings on rendered objects. */
  roots: number;
  renderedFindings: number;
}

/** The fastest of several runs: what the code costs, with the least of the machine's noise in it. */
function fastest(xs: number[]): number {
  return Math.min(...xs);
}

/**
 * Engine budget: reviewing files (parse + classify + every rule + fingerprints + policy) versus parsing the same
 * files to data with the `yaml` package alone (`parseAllDocuments` + `toJS`, what `yaml.parse` does per document).
 *
 * The two alternate with no forced collection in between: an earlier version called `gc()` before every timed run,
 * and each run after it took about 85–100 ms more whatever it did (the parse alone: 120 → 210 ms; not the young
 * generation's size, nor bytecode flushing: fixing either changed nothing) — a constant added to both sides, which
 * made the ratio look better than the code is (1.43× with it, 1.59× without, on the same build).
 */
export async function benchEngine(corpusDir: string, rounds = 21): Promise<EngineBench> {
  const paths = (await listFiles(corpusDir)).filter((p) => /\.ya?ml$/i.test(p));
  const files = paths.map((p) => ({ path: p, content: readFileSync(join(corpusDir, p), "utf8") }));
  const config = defaultConfig();
  const now = new Date();
  let documents = 0;
  const parseOnly = (): void => {
    documents = 0;
    for (const f of files) {
      for (const d of parseAllDocuments(f.content, { logLevel: "error", uniqueKeys: false })) {
        documents++;
        if (d.errors.length === 0) d.toJS({ maxAliasCount: 100 });
      }
    }
  };
  let findings = 0;
  let renderedFindings = 0;
  // The corpus holds YAML files only: the scanned files are the whole tree the render reads.
  const repository = { head: mapSide(new Map(files.map((f) => [f.path, f.content]))) };
  const full = (): void => {
    const r = scan(files, { config, rules: ALL_RULES, now, repository });
    findings = r.findings.length;
    renderedFindings = r.findings.filter((f) => f.renderedFrom).length;
  };
  const kustomizations = files.filter((f) => isKustomizationFile(f.path)).map((f) => ({ path: f.path, text: f.content }));
  const roots = buildKustomizationGraph(kustomizations, paths).roots().length;
  const fileByFile = (): void => {
    scan(files, { config, rules: ALL_RULES, now });
  };
  // Warm up the JIT on both paths, then alternate the measurements so machine noise hits both alike; report the
  // fastest round of each (the machine here is shared, and slow rounds measure the neighbours, not the code).
  parseOnly();
  full();
  fileByFile();
  const parseTimes: number[] = [];
  const totalTimes: number[] = [];
  const fileByFileTimes: number[] = [];
  for (let i = 0; i < rounds; i++) {
    let t = performance.now();
    parseOnly();
    parseTimes.push(performance.now() - t);
    t = performance.now();
    full();
    totalTimes.push(performance.now() - t);
    if (i % 3 === 0) {
      t = performance.now();
      fileByFile();
      fileByFileTimes.push(performance.now() - t);
    }
  }
  const parseMs = fastest(parseTimes);
  const totalMs = fastest(totalTimes);
  return {
    files: files.length,
    documents,
    parseMs,
    totalMs,
    ratio: totalMs / parseMs,
    docsPerSecond: (documents / totalMs) * 1000,
    findings,
    fileByFileMs: fastest(fileByFileTimes),
    roots,
    renderedFindings,
  };
}
