/** The sticky PR comment body (the App adds its hidden marker). Bounded in size however many findings there are. */
import { DEFAULT_COMMAND_PREFIX } from "../core/config.js";
import type { ReviewResult } from "../core/review.js";
import { SEVERITIES, type Finding, type Severity } from "../core/types.js";
import { bySeverity, describeSuppression, plural, verdict } from "./wording.js";
import { code, escapeText, fitSections, hardLimit, inline, size, type Entry, type Section } from "./markdown-blocks.js";

export interface MarkdownOptions {
  /** Upper bound for the body, counted in UTF-8 bytes (never less than characters). Default 60,000. */
  maxChars?: number;
  /** Slash-command prefix shown in the footer. Default "/guard". */
  commandPrefix?: string;
}

export const DEFAULT_MAX_CHARS = 60_000;

export const SEVERITY_ICON: Record<Severity, string> = {
  critical: "🟥",
  high: "🔴",
  medium: "🟠",
  low: "🟡",
  info: "⚪",
};

const CONCLUSION_ICON = { failure: "❌", success: "✅", neutral: "⚠️" } as const;

/** "- 🔴 **high** `rule/id` · L9 — message" (optionally with the status and the file). */
export function findingLine(f: Finding, show: { file?: boolean; status?: boolean } = {}): string {
  const status = show.status && f.status !== "new" ? `${f.status} · ` : "";
  const where = show.file ? `${code(f.file)} L${f.line}` : `L${f.line}`;
  return `- ${SEVERITY_ICON[f.severity]} **${f.severity}** ${code(f.ruleId)} · ${status}${where} — ${inline(f.message)}\n`;
}

/** "  - waived by `@alice`: reason (expires 2026-12-31)" */
export function suppressionLine(f: Finding): string {
  if (!f.suppressed) return "";
  const d = describeSuppression(f.suppressed, (actor) => code(`@${actor}`));
  return `  - ${d.verb}${d.who}: ${inline(d.reason, 500)}${d.expires ? ` (expires ${escapeText(d.expires)})` : ""}\n`;
}

export function fixLine(f: Finding): string {
  return f.fix ? `  - Fix: ${inline(f.fix)}\n` : "";
}

/** Counts of new, unsuppressed findings by severity as a one-row table. */
export function severityTable(counts: Record<Severity, number>): string {
  const head = SEVERITIES.map((s) => `${SEVERITY_ICON[s]} ${s}`).join(" | ");
  const rule = SEVERITIES.map(() => ":-:").join("|");
  const row = SEVERITIES.map((s) => String(counts[s])).join(" | ");
  return `| ${head} |\n|${rule}|\n| ${row} |\n`;
}

/** Severity table of new findings and a line of totals. */
export function overview(result: ReviewResult): string {
  const s = result.summary;
  const stats = [`${plural(result.filesReviewed, "file")} reviewed`, `${s.new} new`, `${s.existing} existing`, `${s.fixed} fixed`, `${s.suppressed} suppressed`];
  return `${severityTable(s.bySeverity)}\n${stats.join(" · ")} — new findings at or above **${result.failOn}** block the merge.\n`;
}

export function commandFooter(prefix: string): string {
  const p = prefix.trim() || DEFAULT_COMMAND_PREFIX;
  const cmds = [`${p} waive <rule> <file> --reason "..."`, `${p} recheck`, `${p} explain <rule>`, `${p} help`].map((c) => code(c)).join(" · ");
  return `\n---\n<sub>Commands: ${cmds}</sub>\n`;
}

function fileGroupHead(file: string): string {
  return `\n**${code(file)}**\n\n`;
}

export type SectionName = "new" | "suppressed" | "existing" | "fixed" | "notes";

/** The sections of a findings report, in display order, with their fill priority; sections not in `include` stay empty. */
export function findingSections(result: ReviewResult, include: ReadonlySet<SectionName>): { sections: Section[]; priority: number[] } {
  const open = result.findings.filter((f) => f.status === "new" && !f.suppressed).sort(bySeverity);
  const accepted = result.findings.filter((f) => f.status !== "fixed" && f.suppressed).sort(bySeverity);
  const existing = result.findings.filter((f) => f.status === "existing" && !f.suppressed).sort(bySeverity);
  const fixed = result.findings.filter((f) => f.status === "fixed").sort(bySeverity);
  const entry = (f: Finding, text: () => string): Entry => ({ group: f.file, text });

  const sections: Section[] = [
    {
      head: `\n#### New findings (${open.length})\n`,
      entries: include.has("new") ? open.map((f) => entry(f, () => findingLine(f) + fixLine(f))) : [],
      groupHead: fileGroupHead,
      guaranteed: 10,
      more: (n) => `\n_… and ${plural(n, "more new finding")} not shown._\n`,
    },
    {
      head: `\n#### Waived, overridden or ignored (${accepted.length})\n\n`,
      entries: !include.has("suppressed") ? [] : accepted.map((f) => entry(f, () => findingLine(f, { file: true, status: true }) + suppressionLine(f))),
      guaranteed: 10,
      more: (n) => `\n_… and ${n} more not shown._\n`,
    },
    {
      head: `\n<details><summary>${plural(existing.length, "existing finding")} (already on the base branch, not blocking)</summary>\n`,
      entries: include.has("existing") ? existing.map((f) => entry(f, () => findingLine(f) + fixLine(f))) : [],
      groupHead: fileGroupHead,
      tail: "\n</details>\n",
      guaranteed: 5,
      more: (n) => `\n_… and ${n} more not shown._\n`,
    },
    {
      head: `\n#### Fixed by this change (${fixed.length})\n\n`,
      entries: include.has("fixed") ? fixed.map((f) => entry(f, () => `- ✔️ ${code(f.ruleId)} · ${code(f.file)} — ${inline(f.message)}\n`)) : [],
      guaranteed: 5,
      more: (n) => `\n_… and ${n} more not shown._\n`,
    },
    {
      head: `\n#### Notes\n\n`,
      entries: include.has("notes") ? result.notes.map((n) => ({ group: "", text: () => `- ${inline(n, 500)}\n` })) : [],
      guaranteed: 20,
      more: (n) => `\n_… and ${plural(n, "more note")} not shown._\n`,
    },
  ];
  // New findings first, then what was accepted, notes, fixed and existing ones.
  return { sections, priority: [0, 1, 4, 3, 2] };
}

export function renderMarkdown(result: ReviewResult, opts: MarkdownOptions = {}): string {
  const max = opts.maxChars ?? DEFAULT_MAX_CHARS;
  const footer = commandFooter(opts.commandPrefix ?? DEFAULT_COMMAND_PREFIX);
  const v = verdict(result);
  let head = `### ${CONCLUSION_ICON[result.conclusion]} gitops-guard: ${escapeText(v.title)}\n`;

  if (v.kind === "no-files") {
    head += "\nNo GitOps files changed: this pull request touches no YAML manifests, Argo CD, Kustomize or Helm values files, so there is nothing to review.\n";
  } else head += `\n${overview(result)}`;
  const { sections, priority } = findingSections(result, new Set<SectionName>(["new", "suppressed", "existing", "fixed", "notes"]));
  const body = fitSections(sections, size(head) + size(footer), max, priority).join("");
  return hardLimit(head + body + footer, max);
}
