/** Shared wording for every report format: counts, verdicts, suppressions. Pure functions. */
import { isBlocking, type ReviewResult } from "../core/review.js";
import { atLeast, SEVERITIES, severityRank, type Finding, type Severity, type Suppression } from "../core/types.js";

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Removes C0/C1 control characters (terminal escapes, NUL) and folds line breaks into spaces. */
export function oneLine(s: string): string {
  return s.replace(/\r\n|[\r\n\u2028\u2029]/g, " ").replace(/[\u0000-\u001f\u007f-\u009f]/g, "");
}

/** Cuts a string to at most `max` UTF-16 units, never inside a surrogate pair, marking the cut with "…". */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = Math.max(0, max - 1);
  const code = s.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${s.slice(0, end)}…`;
}

/** "2026-12-31" from an ISO time (or the input unchanged when it is not ISO-like). */
export function day(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}T/.test(iso) ? iso.slice(0, 10) : iso;
}

/** Plain code-unit order: deterministic and much faster than `localeCompare` on large lists. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Between two rules of the same severity, a `secrets/*` rule first: when a report must cut, a leaked secret is the
 * last thing to leave out.
 */
export function secretsFirst(a: string, b: string): number {
  return Number(!a.startsWith("secrets/")) - Number(!b.startsWith("secrets/"));
}

/** Most severe first, then file, line, column, rule (stable for equal keys). */
export function bySeverity(a: Finding, b: Finding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    compareText(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    compareText(a.ruleId, b.ruleId)
  );
}

/**
 * Who accepted a suppressed finding and why, as plain text:
 * "waived by @alice: reason (expires 2026-12-31)", "overridden by @bob: reason", "ignored by annotation: reason".
 * `mention` renders the actor (markdown uses it to avoid pinging people on every edit).
 */
export function describeSuppression(s: Suppression, mention: (actor: string) => string = (a) => `@${a}`): { verb: string; who: string; reason: string; expires: string | null } {
  const who = s.actor ? ` by ${mention(s.actor.replace(/^@/, ""))}` : "";
  const verb =
    s.by === "override" ? "overridden" : s.by === "annotation" ? "ignored by annotation" : s.by === "config" ? "waived in config" : "waived";
  return { verb, who, reason: s.reason, expires: s.expires ? day(s.expires) : null };
}

export function suppressionText(s: Suppression): string {
  const d = describeSuppression(s);
  return `${d.verb}${d.who}: ${oneLine(d.reason)}${d.expires ? ` (expires ${d.expires})` : ""}`;
}

/** "1 critical, 2 high" for the severities that occur. */
export function severityBreakdown(counts: Record<Severity, number>): string {
  return SEVERITIES.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(", ");
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const out = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) out[f.severity]++;
  return out;
}

export type VerdictKind = "no-files" | "blocking" | "override" | "non-blocking" | "clean";

export interface Verdict {
  kind: VerdictKind;
  /** Short verdict in words, e.g. "2 new high-risk changes". */
  title: string;
}

/**
 * True when the review had nothing to judge: no changed file was reviewed and nothing was found. A pull request that
 * changes only a file a Kustomize render reads without it being YAML (a generator's `.env`, a kustomization file named
 * `Kustomization`) reviews no file on its own, yet the renders it reaches have findings: those are reported like any.
 */
export function nothingReviewed(result: ReviewResult): boolean {
  return result.filesReviewed === 0 && result.findings.length === 0 && !result.unreviewed?.length;
}

/** How many changed files a review judged: those it reviewed, less those it could not read at all (`notReviewed`). */
export function filesJudged(result: ReviewResult): number {
  return Math.max(0, result.filesReviewed - (result.notReviewed?.length ?? 0));
}

/**
 * "1 file not reviewed (Helm template, see the note)", when the review could not read some of its files at all
 * (see `ReviewResult.notReviewed`); null otherwise. A summary that says "no new findings in 1 file" of a skipped Helm
 * template reviewed nothing (held-out round 21).
 */
export function notReviewedText(result: ReviewResult): string | null {
  const skipped = result.notReviewed ?? [];
  if (skipped.length === 0) return null;
  const whys = [...new Set(skipped.map((f) => f.why))].join(", ");
  return `${plural(skipped.length, "file")} not reviewed (${whys}, see the note${skipped.length === 1 ? "" : "s"})`;
}

/**
 * The day the first suppression with an expiry (a waiver's `--for`, a config waiver's `expires`) that keeps a new
 * finding from blocking runs out, when the review passes: after it the pass no longer holds, yet nothing re-runs the
 * check until a push or a recheck (held-out round 17). Null when the review fails or no such suppression holds it.
 */
export function firstExpiryHoldingPass(result: ReviewResult): string | null {
  if (result.conclusion === "failure") return null;
  const expiries = result.findings
    .filter((f) => f.status === "new" && f.suppressed?.expires && isBlocking({ ...f, suppressed: null }, result.failOn))
    .map((f) => f.suppressed!.expires!)
    .sort((a, b) => Date.parse(a) - Date.parse(b) || compareText(a, b));
  return expiries.length > 0 ? day(expiries[0]!) : null;
}

/** The verdict of a review in words; the check-run title and the comment headline. */
export function verdict(result: ReviewResult): Verdict {
  if (result.invalidConfig?.length) return { kind: "blocking", title: "This pull request makes the gitops-guard configuration invalid" };
  if (nothingReviewed(result)) return { kind: "no-files", title: "No GitOps files changed" };
  // A review its time budget cut short fails whatever its findings; it says so first (the notes name the files).
  if (result.unreviewed?.length) {
    return { kind: "blocking", title: `Not fully reviewed: the time budget ran out before ${result.unreviewed.length} of ${result.filesReviewed} files` };
  }
  const fresh = result.findings.filter((f) => f.status === "new");
  const blocking = fresh.filter((f) => isBlocking(f, result.failOn));
  if (blocking.length > 0) {
    const counts = countBySeverity(blocking);
    const present = SEVERITIES.filter((s) => counts[s] > 0);
    const title =
      present.length === 1
        ? `${plural(blocking.length, `new ${present[0]}-risk change`)}`
        : `${plural(blocking.length, `new ${present.every((s) => atLeast(s, "high")) ? "high-risk" : "risky"} change`)} (${severityBreakdown(counts)})`;
    return { kind: "blocking", title };
  }
  const overrides = fresh.filter((f) => f.suppressed?.by === "override");
  if (overrides.length > 0) {
    const actors = [...new Set(overrides.map((f) => f.suppressed?.actor).filter((a): a is string => !!a))];
    return { kind: "override", title: `Passed by override${actors.length ? ` (${actors.map((a) => `@${a.replace(/^@/, "")}`).join(", ")})` : ""}` };
  }
  const open = fresh.filter((f) => !f.suppressed);
  if (open.length > 0) {
    const counts = countBySeverity(open);
    const present = SEVERITIES.filter((s) => counts[s] > 0);
    const title =
      present.length === 1
        ? `${plural(open.length, `new ${present[0]}-risk finding`)} (not blocking)`
        : `${plural(open.length, "new finding")} below ${result.failOn} risk (not blocking)`;
    return { kind: "non-blocking", title };
  }
  const waived = fresh.length;
  const skipped = result.notReviewed?.length ?? 0;
  const aside = [...(waived ? [`${waived} suppressed`] : []), ...(skipped ? [`${plural(skipped, "file")} not reviewed`] : [])];
  return { kind: "clean", title: `No new risky changes${aside.length ? ` (${aside.join("; ")})` : ""}` };
}

/** Groups findings by file, keeping the order in which files first appear. */
export function groupByFile<T extends { file: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const list = out.get(it.file);
    if (list) list.push(it);
    else out.set(it.file, [it]);
  }
  return out;
}
