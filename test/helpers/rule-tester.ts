import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseConfig } from "../../src/core/config.js";
import { scan } from "../../src/core/review.js";
import type { Rule } from "../../src/core/rule.js";
import type { Finding } from "../../src/core/types.js";
import type { ReviewFacts } from "../../src/core/facts.js";
import { ALL_RULES } from "../../src/rules/index.js";
import { factsFromFixture } from "./facts.js";

export const RULES_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../src/rules");

/** Fixture folder of a rule: `src/rules/<domain>/fixtures/<name>/`. */
export function fixtureDir(ruleId: string): string {
  const [domain, name] = ruleId.split("/");
  return join(RULES_DIR, domain!, "fixtures", name!);
}

export function readFixture(ruleId: string, fileName: string): string {
  return readFileSync(join(fixtureDir(ruleId), fileName), "utf8");
}

export interface RunOptions {
  /** Path the YAML is reviewed under (matters for production-only rules and file classification). */
  file?: string;
  /** Repository config (raw, as in .github/gitops-guard.yml). */
  config?: unknown;
  /** Facts from outside the repository (for ecr/* rules); runFixture reads the fixture folder's facts.json. */
  facts?: ReviewFacts;
}

/** Runs one rule (alone) over YAML text, as `scan` would, and returns its findings. */
export function runRule(rule: Rule, yaml: string, opts: RunOptions = {}): Finding[] {
  const known = new Set([...ALL_RULES.map((r) => r.meta.id), rule.meta.id]);
  const config = parseConfig(opts.config ?? {}, known);
  const result = scan([{ path: opts.file ?? "manifests/test.yaml", content: yaml }], { config, rules: [rule], now: new Date("2026-11-22T00:00:00Z"), facts: opts.facts });
  return result.findings.filter((f) => f.ruleId === rule.meta.id);
}

/** Runs one rule over one of its fixture files. */
export function runFixture(rule: Rule, fileName: string, opts: RunOptions = {}): Finding[] {
  const factsFile = join(fixtureDir(rule.meta.id), "facts.json");
  const facts = opts.facts ?? (existsSync(factsFile) ? factsFromFixture(JSON.parse(readFileSync(factsFile, "utf8"))) : undefined);
  return runRule(rule, readFixture(rule.meta.id, fileName), { file: opts.file ?? `manifests/${fileName}`, ...opts, facts });
}

/** The parts of findings that tests compare: where, what path, which severity. */
export function positions(findings: Finding[]): Array<{ line: number; column: number; path: string; severity: string }> {
  return findings.map((f) => ({ line: f.line, column: f.column, path: f.path, severity: f.severity }));
}
