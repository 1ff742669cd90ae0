import type { FileContent as ParserContent } from "../parse/decode.js";
import type { ParseLimits } from "../parse/limits.js";
import { DEFAULT_LIMITS } from "../parse/limits.js";
import { parseYamlFile, type ParsedDoc, type ParsedFile } from "../parse/yaml-file.js";
import type { Config } from "./config.js";
import { overBudget, startBudget, type Clock } from "./budget.js";
import { evaluateFile, ruleFinding, type EvaluatedFinding } from "./evaluate.js";
import { fingerprintAll } from "./fingerprint.js";
import { Policy } from "./policy.js";
import type { Rule } from "./rule.js";
import { applySuppressions, isExpired, WaiverSet, type Waiver } from "./suppress.js";
import { atLeast, SEVERITIES, type Conclusion, type Finding, type Severity } from "./types.js";

/** Text, bytes, or why a reader did not read the file (too large, not a regular file). */
export type FileContent = ParserContent;

export interface FileChange {
  /** Path on the head side (for removed files: the path that was removed). */
  path: string;
  status: "added" | "modified" | "removed" | "renamed";
  /** For renamed files: the path on the base side. */
  previousPath?: string;
  base?: FileContent;
  head?: FileContent;
}

export interface ReviewInput {
  changes: readonly FileChange[];
  config: Config;
  rules: readonly Rule[];
  now: Date;
  /** Waivers from the decision store (config waivers are read from `config`). */
  waivers?: readonly Waiver[];
  /** A recorded override for this head SHA. */
  override?: { actor: string; reason: string } | null;
  limits?: ParseLimits;
  /** The clock of the per-file time budget (`limits.maxFileMs`); tests pass their own. */
  clock?: Clock;
  /** Notes from the gatherer (e.g. files GitHub would not list); shown in every report. */
  notes?: readonly string[];
}

export interface ReviewSummary {
  new: number;
  existing: number;
  fixed: number;
  suppressed: number;
  bySeverity: Record<Severity, number>;
}

export interface ReviewResult {
  conclusion: Conclusion;
  summary: ReviewSummary;
  findings: Finding[];
  notes: string[];
  filesReviewed: number;
  failOn: Severity;
}

/** The diff-aware review: findings on the head side that the base side did not have are `new`. */
export function review(input: ReviewInput): ReviewResult {
  const policy = new Policy(input.config, input.rules);
  const known = new Set(input.rules.map((r) => r.meta.id));
  const limits = input.limits ?? DEFAULT_LIMITS;
  const notes: string[] = [...(input.notes ?? [])];
  const head: EvaluatedFinding[] = [];
  const base: EvaluatedFinding[] = [];
  const headFiles: ParsedFile[] = [];
  const baseFiles: ParsedFile[] = [];
  let filesReviewed = 0;
  // Diff rules (e.g. a deleted Application) compare the two sides; without a base side there is nothing to
  // compare, so parsed files need not be kept alive for them (a large scan then holds one file at a time).
  const keepForDiff = input.rules.some((r) => r.checkDiff) && input.changes.some((c) => c.status !== "added");

  for (const change of input.changes) {
    const basePath = change.previousPath ?? change.path;
    const reviewHead = change.status !== "removed" && change.head !== undefined && policy.reviews(change.path);
    const reviewBase = change.status !== "added" && change.base !== undefined && policy.reviews(basePath);
    if (!reviewHead && !reviewBase) continue;
    filesReviewed++;
    if (reviewHead) {
      const budget = startBudget(limits.maxFileMs ?? DEFAULT_LIMITS.maxFileMs, input.clock);
      const file = parseYamlFile(change.path, change.head!, limits);
      if (file.skipped) notes.push(`${change.path}: skipped — ${file.skipped}`);
      if (keepForDiff) headFiles.push(file);
      head.push(...evaluateFile(file, policy, known, budget));
      if (budget.cutShort) head.push(...evaluateFile(overBudget(file, budget), policy, known));
    }
    if (reviewBase) {
      const budget = startBudget(limits.maxFileMs ?? DEFAULT_LIMITS.maxFileMs, input.clock);
      const file = parseYamlFile(basePath, change.base!, limits);
      if (keepForDiff) baseFiles.push(file);
      // Base findings carry the head path so that a renamed file's findings keep their fingerprints.
      const renamedTo = change.status === "removed" ? basePath : change.path;
      const found = evaluateFile(file, policy, known, budget);
      if (budget.cutShort) found.push(...evaluateFile(overBudget(file, budget), policy, known));
      base.push(...found.map((f) => ({ ...f, file: renamedTo })));
    }
  }

  const headFp = fingerprintAll(head);
  const baseFp = fingerprintAll(base);
  const baseSet = new Set(baseFp.map((f) => f.fingerprint));
  const headSet = new Set(headFp.map((f) => f.fingerprint));
  const findings: Finding[] = [
    ...headFp.map((f) => ({ ...f, status: baseSet.has(f.fingerprint) ? ("existing" as const) : ("new" as const) })),
    ...baseFp.filter((f) => !headSet.has(f.fingerprint)).map((f) => ({ ...f, status: "fixed" as const })),
    ...diffFindings(input.rules, policy, baseFiles, headFiles),
  ];

  const configWaivers: Waiver[] = input.config.waivers.map((w) => ({
    by: "config",
    rule: w.rule,
    path: w.path,
    resource: w.resource,
    reason: w.reason,
    expires: w.expires,
    actor: null,
  }));
  for (const w of configWaivers) {
    if (isExpired(w, input.now)) notes.push(`config waiver for ${w.rule}${w.path ? ` on ${w.path}` : ""} expired on ${w.expires?.slice(0, 10)} and no longer applies`);
  }
  const waivers = new WaiverSet([...configWaivers, ...(input.waivers ?? [])], input.now);
  const decided = applySuppressions(findings, waivers, input.override ?? null).sort(compareFindings);
  return { ...decide(decided, policy.failOn), notes, filesReviewed, failOn: policy.failOn };
}

function diffFindings(rules: readonly Rule[], policy: Policy, baseFiles: ParsedFile[], headFiles: ParsedFile[]): Finding[] {
  const out: EvaluatedFinding[] = [];
  const baseDocs: ParsedDoc[] = baseFiles.flatMap((f) => f.docs);
  const headDocs: ParsedDoc[] = headFiles.flatMap((f) => f.docs);
  for (const rule of rules) {
    if (!rule.checkDiff) continue;
    const id = rule.meta.id;
    rule.checkDiff({
      baseDocs,
      headDocs,
      headIncomplete: headFiles.some((f) => f.problems.length > 0 || f.skipped !== null),
      settings: { argocdNamespace: policy.config.argocd.namespace, platformProjects: policy.config.argocd.platformProjects, allowedRegistries: [], productionRegistries: [], options: {} },
      report: (doc, r) => {
        if (policy.appliesTo(id, doc.file)) out.push(ruleFinding(rule, policy, doc.file, doc, doc.index, r));
      },
    });
  }
  return fingerprintAll(out).map((f) => ({ ...f, status: "new" as const }));
}

/** Conclusion and counts. Fails when a new, unsuppressed finding is at or above `failOn`. */
export function decide(findings: Finding[], failOn: Severity): { conclusion: Conclusion; summary: ReviewSummary; findings: Finding[] } {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const summary: ReviewSummary = { new: 0, existing: 0, fixed: 0, suppressed: 0, bySeverity };
  let failing = false;
  for (const f of findings) {
    if (f.suppressed) {
      summary.suppressed++;
      continue;
    }
    summary[f.status]++;
    if (f.status === "new") {
      bySeverity[f.severity]++;
      if (atLeast(f.severity, failOn)) failing = true;
    }
  }
  return { conclusion: failing ? "failure" : "success", summary, findings };
}

const STATUS_ORDER = { new: 0, existing: 1, fixed: 2 } as const;

/** New first, most severe first, then by file and line. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    a.file.localeCompare(b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    a.ruleId.localeCompare(b.ruleId)
  );
}

/** `scan`: every file is reviewed as if newly added, so every finding is `new`. */
export function scan(files: ReadonlyArray<{ path: string; content: FileContent }>, opts: Omit<ReviewInput, "changes">): ReviewResult {
  return review({ ...opts, changes: files.map((f) => ({ path: f.path, status: "added" as const, head: f.content })) });
}
