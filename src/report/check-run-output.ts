/** The check run `output` (GitHub Checks API field names): verdict title, Markdown summary/text, annotations. */
import { CONFIG_PATH, DEFAULT_COMMAND_PREFIX } from "../core/config.js";
import { isBlocking, type ReviewResult } from "../core/review.js";
import { severityRank, type Finding } from "../core/types.js";
import { clip, compareText, nothingReviewed, oneLine, secretsFirst, suppressionText, verdict } from "./wording.js";
import { findingSections, type ExtraSection, type SectionName, type SectionStyle } from "./finding-sections.js";
import { linksFor, type ReviewedCommit } from "./links.js";
import { commandFooter, expiryWarning, overview } from "./pr-comment.js";
import { code, escapeText, fenced, fitSections, hardLimit, size } from "./markdown-blocks.js";

export type AnnotationLevel = "failure" | "warning" | "notice";

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: AnnotationLevel;
  message: string;
  title: string;
  raw_details?: string;
}

export interface CheckRunOutput {
  title: string;
  summary: string;
  text?: string;
  annotations: CheckAnnotation[];
}

export interface CheckRunOptions {
  /** At most this many annotations, blocking first, each rule in turn (GitHub takes 50 per request). Default 50. */
  maxAnnotations?: number;
  /** Slash-command prefix shown in hints. Default "/guard". */
  commandPrefix?: string;
  /** The reviewed commit and where it lives: with a repository URL every location links to its line. */
  commit?: ReviewedCommit;
  /** More sections (e.g. image scan results), placed by their priority among the findings' sections. */
  sections?: readonly ExtraSection[];
}

/** GitHub limits `summary` and `text` to 65,535 bytes each. */
export const MAX_OUTPUT_BYTES = 65_535;
export const DEFAULT_MAX_ANNOTATIONS = 50;
const MAX_TITLE = 255;

/** The check-run title: the verdict in words. */
export function verdictTitle(result: ReviewResult): string {
  return clip(oneLine(verdict(result).title), MAX_TITLE);
}

function level(f: Finding, result: ReviewResult): AnnotationLevel {
  if (f.suppressed) return "notice";
  return isBlocking(f, result.failOn) ? "failure" : "warning";
}

const LEVEL_ORDER: Record<AnnotationLevel, number> = { failure: 0, warning: 1, notice: 2 };

function resourceLabel(f: Finding): string | null {
  const r = f.resource;
  if (!r.kind && !r.name) return null;
  return `${r.kind ?? "?"} ${r.namespace ? `${r.namespace}/` : ""}${r.name ?? "?"}`;
}

export function annotationFor(f: Finding, result: ReviewResult): CheckAnnotation {
  const start = Math.max(1, f.line);
  const end = Math.max(start, f.endLine);
  const lvl = level(f, result);
  const details = [`Fix: ${oneLine(f.fix)}`];
  const resource = resourceLabel(f);
  if (resource) details.push(`Resource: ${oneLine(resource)}`);
  if (f.path) details.push(`Path: ${oneLine(f.path)}`);
  details.push(`Fingerprint: ${f.fingerprint}`);
  const a: CheckAnnotation = {
    path: f.file,
    start_line: start,
    end_line: end,
    annotation_level: lvl,
    message: clip(`${f.suppressed ? `[${suppressionText(f.suppressed)}] ` : ""}${oneLine(f.message)}`, 4000),
    title: clip(oneLine(`${f.ruleId} (${f.severity})`), MAX_TITLE),
    raw_details: clip(details.join("\n"), 8000),
  };
  if (start === end) {
    // Our end column is exclusive; GitHub's is the last column of the annotation.
    a.start_column = Math.max(1, f.column);
    a.end_column = Math.max(a.start_column, f.endColumn - 1);
  }
  return a;
}

/** Failure first, then most severe (a secret first among equals), then by place. */
function annotationOrder(a: { f: Finding; lvl: AnnotationLevel }, b: { f: Finding; lvl: AnnotationLevel }): number {
  return (
    LEVEL_ORDER[a.lvl] - LEVEL_ORDER[b.lvl] ||
    severityRank(a.f.severity) - severityRank(b.f.severity) ||
    secretsFirst(a.f.ruleId, b.f.ruleId) ||
    compareText(a.f.file, b.f.file) ||
    a.f.line - b.f.line ||
    a.f.column - b.f.column
  );
}

/**
 * At most `max` of the ranked items, level by level (failures first), each level's rules in turn: one of each rule
 * (most severe rule first), then a second of each, … so that every blocking rule is annotated before any has two.
 */
function pickInTurns<T extends { f: Finding; lvl: AnnotationLevel }>(ranked: readonly T[], max: number): Set<T> {
  const picked = new Set<T>();
  for (const lvl of Object.keys(LEVEL_ORDER) as AnnotationLevel[]) {
    const byRule = new Map<string, T[]>();
    for (const item of ranked) {
      if (item.lvl !== lvl) continue;
      const list = byRule.get(item.f.ruleId);
      if (list) list.push(item);
      else byRule.set(item.f.ruleId, [item]);
    }
    const lists = [...byRule.values()];
    for (let round = 0; lists.some((list) => round < list.length); round++) {
      for (const list of lists) {
        if (picked.size >= max) return picked;
        if (round < list.length) picked.add(list[round]!);
      }
    }
  }
  return picked;
}

/**
 * Annotations for new findings only, blocking first, then the rest by severity. Capped: when there are more, each
 * level's rules take turns, so a long rule cannot leave another blocking rule without any annotation.
 */
export function annotations(result: ReviewResult, max = DEFAULT_MAX_ANNOTATIONS): CheckAnnotation[] {
  const limit = Math.max(0, Math.floor(max));
  const ranked = result.findings
    .filter((f) => f.status === "new")
    .map((f) => ({ f, lvl: level(f, result) }))
    .sort(annotationOrder);
  const picked = ranked.length > limit ? pickInTurns(ranked, limit) : new Set(ranked);
  return ranked.filter((item) => picked.has(item)).map(({ f }) => annotationFor(f, result));
}

/** When a list is cut here, the full result is only a local run away. */
const REST = "GitHub limits this summary to 65,535 characters; `gitops-guard review --base <base> --head <head>` lists every finding";

function render(head: string, result: ReviewResult, include: SectionName[], style: SectionStyle, extras: readonly ExtraSection[] = [], tailText = ""): string {
  const sections = findingSections(result, new Set(include), style, extras);
  const body = fitSections(sections, size(head) + size(tailText), MAX_OUTPUT_BYTES).join("");
  return hardLimit(head + body + tailText, MAX_OUTPUT_BYTES);
}

/**
 * Title, summary and text of the check run. The summary has what the PR comment has, in the same order (blocking
 * findings first, grouped by rule with one fix each, then the other new findings by file, fixes, notes and accepted
 * risks) as open lists; the text has the findings this PR did not introduce (existing and fixed).
 */
export function checkRunOutput(result: ReviewResult, opts: CheckRunOptions = {}): CheckRunOutput {
  const prefix = opts.commandPrefix ?? DEFAULT_COMMAND_PREFIX;
  const title = verdictTitle(result);
  const style: SectionStyle = { collapse: false, links: linksFor(opts.commit), rest: REST };
  const notes: SectionName[] = ["notes"];
  if (nothingReviewed(result)) {
    const head = "This pull request changes no YAML manifests, Argo CD, Kustomize or Helm values files: nothing to review.\n";
    return { title, summary: render(head, result, notes, style), annotations: [] };
  }

  const anns = annotations(result, opts.maxAnnotations ?? DEFAULT_MAX_ANNOTATIONS);
  const fresh = result.findings.filter((f) => f.status === "new").length;
  let head = `**${escapeText(title)}**\n\n${overview(result, style.links)}${expiryWarning(result, prefix)}`;
  if (fresh > anns.length) {
    head += `\nAnnotations mark ${anns.length} of the ${fresh} new findings, blocking ones first and each rule in turn; every new finding is listed below.\n`;
  }
  const footer = commandFooter(prefix);
  const summary = render(head, result, ["blocking", "new", "fixes", "suppressed", ...notes], style, opts.sections, footer);

  const hasMore = result.findings.some((f) => (f.status === "existing" && !f.suppressed) || f.status === "fixed");
  const out: CheckRunOutput = { title, summary, annotations: anns };
  if (hasMore) out.text = render("Findings this pull request did not introduce:\n", result, ["existing", "fixes", "fixed"], style);
  return out;
}

export function invalidConfigOutput(problems: string[]): CheckRunOutput {
  const list = problems.length ? problems : ["(no details)"];
  const head =
    `The gitops-guard configuration (${code(CONFIG_PATH)}, read from the default branch) is invalid, so nothing was evaluated. ` +
    `Fix ${list.length === 1 ? "this problem" : `these ${list.length} problems`} on the default branch:\n\n`;
  return {
    title: "Invalid gitops-guard configuration",
    summary: hardLimit(`${head}${fenced(list.join("\n"))}\n`, MAX_OUTPUT_BYTES),
    annotations: [],
  };
}

export function internalErrorOutput(reason: string, commandPrefix = DEFAULT_COMMAND_PREFIX): CheckRunOutput {
  const short = clip(oneLine(reason).trim() || "unknown error", 300).replace(/\.$/, "");
  const prefix = commandPrefix.trim() || DEFAULT_COMMAND_PREFIX;
  return {
    title: "gitops-guard could not finish the review",
    summary: `gitops-guard hit an internal error and did not review this pull request: ${escapeText(short)}.\n\nComment ${code(`${prefix} recheck`)} to try again.\n`,
    annotations: [],
  };
}
