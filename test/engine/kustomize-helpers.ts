/** Reviews of in-memory repositories with the Kustomize render on, as the CLI and the App run them. */
import { parseConfig } from "../../src/core/config.js";
import { mapSide } from "../../src/core/repository.js";
import { review, scan, type FileChange, type ReviewResult } from "../../src/core/review.js";
import type { Finding } from "../../src/core/types.js";
import { ALL_RULES, RULE_IDS } from "../../src/rules/index.js";

export type Files = Record<string, string>;

export const NOW = new Date("2026-11-22T00:00:00Z");

export const lines = (...l: string[]): string => `${l.join("\n")}\n`;

const YAML = /\.ya?ml$/;

export interface RepoReviewOptions {
  config?: unknown;
  render?: boolean;
}

/** What a PR from `base` to `head` changes: YAML files carry contents (like the adapters), every path is "changed". */
export function changesBetween(base: Files, head: Files): { changes: FileChange[]; changed: string[] } {
  const changes: FileChange[] = [];
  const changed: string[] = [];
  for (const path of new Set([...Object.keys(base), ...Object.keys(head)])) {
    const b = base[path];
    const h = head[path];
    if (b === h) continue;
    changed.push(path);
    if (!YAML.test(path)) continue;
    if (b === undefined) changes.push({ path, status: "added", head: h });
    else if (h === undefined) changes.push({ path, status: "removed", base: b });
    else changes.push({ path, status: "modified", base: b, head: h });
  }
  return { changes, changed };
}

/** `review` of a pull request from `base` to `head`, with each side's whole tree. */
export function reviewRepo(base: Files, head: Files, opts: RepoReviewOptions = {}): ReviewResult {
  const { changes, changed } = changesBetween(base, head);
  return review({
    changes,
    config: parseConfig(opts.config ?? {}, RULE_IDS),
    rules: ALL_RULES,
    now: NOW,
    repository: { base: mapSide(new Map(Object.entries(base))), head: mapSide(new Map(Object.entries(head))), changed },
    ...(opts.render === false ? { render: false } : {}),
  });
}

/** `scan` of a whole repository (every file new), rendering its roots. */
export function scanRepo(files: Files, opts: RepoReviewOptions = {}): ReviewResult {
  const yaml = Object.entries(files)
    .filter(([p]) => YAML.test(p))
    .map(([path, content]) => ({ path, content }));
  return scan(yaml, {
    config: parseConfig(opts.config ?? {}, RULE_IDS),
    rules: ALL_RULES,
    now: NOW,
    repository: { head: mapSide(new Map(Object.entries(files))) },
    ...(opts.render === false ? { render: false } : {}),
  });
}

/** `rule file:line:column status`, for the findings of some rules. */
export function where(r: ReviewResult, ...rules: string[]): string[] {
  return r.findings.filter((f) => rules.length === 0 || rules.includes(f.ruleId)).map((f) => `${f.ruleId} ${f.file}:${f.line}:${f.column} ${f.status}`);
}

export function only(r: ReviewResult, rule: string): Finding[] {
  return r.findings.filter((f) => f.ruleId === rule);
}
