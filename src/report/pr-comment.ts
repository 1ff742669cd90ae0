/**
 * The sticky PR comment body (the App adds its hidden marker). Built for the PR's author: the verdict and what blocks
 * the merge on the first screen, everything else collapsed; bounded in size however many findings there are.
 */
import { DEFAULT_COMMAND_PREFIX } from "../core/config.js";
import type { ReviewResult } from "../core/review.js";
import { findingSections, LOCATIONS_PER_RULE, type ExtraSection, type SectionName } from "./finding-sections.js";
import { linksFor, type Links, type ReviewedCommit } from "./links.js";
import { code, escapeText, fitSections, hardLimit, link, size } from "./markdown-blocks.js";
import { filesJudged, firstExpiryHoldingPass, notReviewedText, plural, severityBreakdown, verdict } from "./wording.js";

export interface MarkdownOptions {
  /** Upper bound for the body, counted in UTF-8 bytes (never less than characters). Default 60,000. */
  maxChars?: number;
  /** Slash-command prefix shown in the footer. Default "/guard". */
  commandPrefix?: string;
  /** The reviewed commit and where it lives: with a repository URL every location links to its line. */
  commit?: ReviewedCommit;
  /** More sections (e.g. image scan results), placed by their priority among the findings' sections. */
  sections?: readonly ExtraSection[];
}

export const DEFAULT_MAX_CHARS = 60_000;

const CONCLUSION_ICON = { failure: "❌", success: "✅", neutral: "⚠️" } as const;

/** "Reviewed `abc1234` · 7 files · 29 new (2 critical, …) · 7 existing · 9 fixed · 5 suppressed." */
export function overview(result: ReviewResult, links: Links): string {
  const s = result.summary;
  const parts: string[] = [];
  if (links.shortSha) parts.push(`Reviewed ${links.commit ? link(code(links.shortSha), links.commit) : code(links.shortSha)}`);
  // Zero files reviewed on their own, yet findings: a change to a non-YAML input of a render (a generator's `.env`).
  const judged = filesJudged(result);
  if (judged > 0) parts.push(plural(judged, "file"));
  // Changed files it could not read at all (a Helm chart template): not counted as reviewed, and said so.
  const skipped = notReviewedText(result);
  if (skipped !== null) parts.push(skipped);
  const counts = severityBreakdown(s.bySeverity);
  parts.push(`**${s.new} new**${counts ? ` (${counts})` : ""}`);
  for (const [n, what] of [[s.existing, "existing"], [s.fixed, "fixed"], [s.suppressed, "suppressed"]] as const) if (n > 0) parts.push(`${n} ${what}`);
  return `${parts.join(" · ")}. New findings at or above **${result.failOn}** block the merge.\n`;
}

/**
 * "Passes while waivers hold: the first expires 2026-12-09; push or `/guard recheck` after that." when a waiver with an
 * expiry keeps the review green (see `firstExpiryHoldingPass`): nothing re-runs the check when it expires. Else "".
 */
export function expiryWarning(result: ReviewResult, prefix: string): string {
  const first = firstExpiryHoldingPass(result);
  if (first === null) return "";
  const recheck = code(`${prefix.trim() || DEFAULT_COMMAND_PREFIX} recheck`);
  return `\n⏳ Passes while waivers hold: the first expires ${escapeText(first)}; push or ${recheck} after that (the check is not re-run when a waiver expires).\n`;
}

export function commandFooter(prefix: string): string {
  const p = prefix.trim() || DEFAULT_COMMAND_PREFIX;
  const cmds = [`${p} waive <rule> <file> --reason "..."`, `${p} recheck`, `${p} explain <rule>`, `${p} help`].map((c) => code(c)).join(" · ");
  return `\n---\n<sub>Commands: ${cmds}</sub>\n`;
}

/** Where the findings a comment cannot hold are: the check run, linked when its address is known. */
export function restOfFindings(links: Links): string {
  return links.checkRun ? `the full list is in the ${link("gitops-guard check run", links.checkRun)}` : "the full list is in the gitops-guard check run";
}

const ALL: ReadonlySet<SectionName> = new Set<SectionName>(["blocking", "new", "fixes", "notes", "suppressed", "existing", "fixed"]);

export function renderMarkdown(result: ReviewResult, opts: MarkdownOptions = {}): string {
  const max = opts.maxChars ?? DEFAULT_MAX_CHARS;
  const links = linksFor(opts.commit);
  const footer = commandFooter(opts.commandPrefix ?? DEFAULT_COMMAND_PREFIX);
  const v = verdict(result);
  let head = `### ${CONCLUSION_ICON[result.conclusion]} gitops-guard: ${escapeText(v.title)}\n`;
  if (v.kind === "no-files") {
    head += "\nNo GitOps files changed: this pull request touches no YAML manifests, Argo CD, Kustomize or Helm values files, so there is nothing to review.\n";
  } else head += `\n${overview(result, links)}${expiryWarning(result, opts.commandPrefix ?? DEFAULT_COMMAND_PREFIX)}`;
  const sections = findingSections(result, ALL, { collapse: true, links, rest: restOfFindings(links), locationsPerRule: LOCATIONS_PER_RULE }, opts.sections);
  const body = fitSections(sections, size(head) + size(footer), max).join("");
  return hardLimit(head + body + footer, max);
}
