/**
 * The findings of a review as size-bounded Markdown sections, shared by the PR comment and the check run so both say
 * the same thing in the same order: what blocks the merge first (grouped by rule, each fix once), then new findings
 * that do not block (per file), how to fix those (once per rule), notes, what was accepted, existing and fixed ones.
 * With `collapse` (the PR comment) everything after the blocking findings sits in `<details>`.
 */
import { isBlocking, type ReviewResult } from "../core/review.js";
import { SEVERITIES, severityRank, type Finding, type Severity } from "../core/types.js";
import type { Links } from "./links.js";
import { code, escapeText, htmlText, inline, link, type Entry, type Section } from "./markdown-blocks.js";
import { bySeverity, compareText, countBySeverity, describeSuppression, plural, secretsFirst } from "./wording.js";

export const SEVERITY_ICON: Record<Severity, string> = {
  critical: "🟥",
  high: "🔴",
  medium: "🟠",
  low: "🟡",
  info: "⚪",
};

export type SectionName = "blocking" | "new" | "fixes" | "notes" | "suppressed" | "existing" | "fixed";

/**
 * Where each section goes: lower numbers are shown first and kept first when the document must be cut.
 * An extra section (below) picks a number between them, e.g. 20 to follow the blocking findings.
 */
export const SECTION_PRIORITY: Record<SectionName, number> = { blocking: 10, new: 30, fixes: 35, notes: 38, suppressed: 40, existing: 60, fixed: 70 };

/**
 * A section another part of the product adds to the report (e.g. container image scan results): a heading, trusted
 * Markdown (escape untrusted text with markdown-blocks first) and optionally a list that is cut to fit, with
 * "… and N more". Adding one is a function that returns it and one line where the report is rendered.
 */
export interface ExtraSection {
  /** Plain text; escaped. */
  title: string;
  /** Shown under the title; may be empty when `items` say it all. */
  markdown: string;
  /** List lines (each a complete Markdown line, e.g. "- …"), cut from the end when space runs out. */
  items?: readonly string[];
  /** Printed right before the items, with no blank line (e.g. a table's header rows, "| A | B |\n|---|---|\n"). */
  itemsHead?: string;
  /**
   * In the PR comment (`collapse`): the items sit in `<details>` under the title, with this text (plain) as the
   * summary, which then stands in for `markdown`.
   */
  collapse?: string;
  /** Position among SECTION_PRIORITY's numbers. */
  priority: number;
}

export interface SectionStyle {
  /** Collapse what does not block into `<details>` (the PR comment); false: open lists (the check run). */
  collapse: boolean;
  links: Links;
  /** Markdown that says where the rest is when a list is cut, e.g. "see the gitops-guard check run". */
  rest: string;
  /** At most this many locations under each blocking rule (the PR comment); the rest are counted. Default: all. */
  locationsPerRule?: number;
}

/** `apps/x.yaml:12`, linked to the line at the reviewed commit when links are known. */
function location(f: Finding, links: Links): string {
  const text = code(`${f.file}:${f.line}`);
  const url = links.blob(f.file, f.line, f.side);
  return url ? link(text, url) : text;
}

/** `L12`, linked when links are known (inside a file's group). */
function lineRef(f: Finding, links: Links): string {
  const url = links.blob(f.file, f.line, f.side);
  return url ? link(`L${f.line}`, url) : `L${f.line}`;
}

function details(summaryHtml: string): { open: string; close: string } {
  return { open: `\n<details><summary>${summaryHtml}</summary>\n\n`, close: "\n</details>\n" };
}

/** A rule and one of its fix texts (a rule may word its fix per finding, e.g. which host namespace to remove). */
const fixKey = (f: Finding) => `${f.ruleId}\u0000${f.fix}`;

/**
 * The findings of each group taken in turns, `rounds` of each first (a group's first, then every group's second, …),
 * then the rest group by group: cut from the end, every group keeps its first findings before any has more.
 */
function inTurns<T>(groups: readonly (readonly T[])[], rounds: number): T[] {
  const out: T[] = [];
  for (let r = 0; r < rounds; r++) for (const list of groups) if (r < list.length) out.push(list[r]!);
  for (const list of groups) out.push(...list.slice(rounds));
  return out;
}

/** Locations each blocking rule shows before any rule shows more (and, in the PR comment, all it shows). */
export const LOCATIONS_PER_RULE = 5;

function blockingSection(findings: readonly Finding[], style: SectionStyle): Section {
  // Grouped by rule, the most severe rule first (a secret first among equals): one bullet per rule, its count adding up
  // all its findings, each of its fix texts once (held-out round 17: hostPID and hostNetwork in one Deployment, two
  // fix texts of k8s/host-namespaces, made two bullets of one rule).
  const groups = new Map<string, Finding[]>();
  for (const f of [...findings].sort(bySeverity)) {
    const list = groups.get(f.ruleId);
    if (list) list.push(f);
    else groups.set(f.ruleId, [f]);
  }
  const worst = (list: readonly Finding[]) => severityRank(list[0]!.severity);
  const ordered = [...groups.values()].sort(
    (a, b) => worst(a) - worst(b) || secretsFirst(a[0]!.ruleId, b[0]!.ruleId) || b.length - a.length || compareText(a[0]!.ruleId, b[0]!.ruleId),
  );
  // Every rule gets its first locations before any gets more, so a long rule cannot push the others out; the PR
  // comment stops there (the check run has them all).
  const cap = style.locationsPerRule ?? Number.POSITIVE_INFINITY;
  const entries: Entry[] = inTurns(
    ordered.map((list) => list.slice(0, cap)),
    LOCATIONS_PER_RULE,
  ).map((f) => {
    const other = f.severity !== groups.get(f.ruleId)![0]!.severity ? ` (${f.severity})` : "";
    return { group: f.ruleId, text: () => `  - ${location(f, style.links)}${other} — ${inline(f.message)}\n` };
  });
  // One bullet per rule: where (each finding), then each of its fix texts, once.
  const top = (key: string) => groups.get(key)![0]!;
  const head = (key: string): string => {
    const n = groups.get(key)!.length;
    const f = top(key);
    return `- ${SEVERITY_ICON[f.severity]} **${f.severity}** ${code(f.ruleId)}${n > 1 ? ` · ${n} findings` : ""}\n`;
  };
  const section: Section = {
    head: `\n#### ⛔ Blocking the merge (${findings.length})\n\n`,
    entries,
    groupHead: head,
    groupMore: (_key, n) => (style.collapse ? `  - _… and ${n} more of this rule: ${style.rest}_\n` : `  - _… and ${n} more of this rule not shown_\n`),
    groupTail: (key) => fixesOf(groups.get(key)!).map((fix) => `  - **Fix:** ${inline(fix)}\n`).join(""),
    guaranteed: 10,
    more: (n) => `\n_… and ${plural(n, "more blocking finding")} not shown: ${style.rest}._\n`,
  };
  if (Number.isFinite(cap)) section.groupExtra = (key) => Math.max(0, groups.get(key)!.length - cap);
  return section;
}

/** A rule's distinct fix texts, in the order of its findings (a rule may word its fix per finding). */
function fixesOf(findings: readonly Finding[]): string[] {
  return [...new Set(findings.map((f) => f.fix))];
}

/** "🟠 2 medium, 🟡 4 low" */
function fileCounts(findings: readonly Finding[]): string {
  const counts = countBySeverity(findings);
  return SEVERITIES.filter((s) => counts[s] > 0)
    .map((s) => `${SEVERITY_ICON[s]} ${counts[s]} ${s}`)
    .join(", ");
}

function nonBlockingSection(findings: readonly Finding[], result: ReviewResult, style: SectionStyle, anyBlocking: boolean): Section {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  const item = (f: Finding) => `- ${SEVERITY_ICON[f.severity]} ${code(f.ruleId)} ${lineRef(f, style.links)} — ${inline(f.message)}\n`;
  const title = anyBlocking ? `Not blocking: ${plural(findings.length, "new finding")} below ${result.failOn}` : `New findings below ${result.failOn}, not blocking (${findings.length})`;
  const section: Section = {
    head: `\n#### ${title}\n`,
    entries: findings.map((f) => ({ group: f.file, text: () => item(f) })),
    guaranteed: 5,
    more: (n) => `\n_… and ${plural(n, "more new finding")} not shown: ${style.rest}._\n`,
  };
  if (style.collapse) {
    section.groupHead = (file) => details(`<code>${htmlText(file)}</code> · ${fileCounts(byFile.get(file)!)}`).open;
    section.groupMore = (_file, n) => `- _… and ${n} more in this file, not shown here (see the check run)_\n`;
    section.groupTail = () => details("").close;
  } else section.groupHead = (file) => `\n**${code(file)}**\n\n`;
  return section;
}

/** At most this many other fixes of one rule are listed under its first (findings whose fix names their own details). */
const MORE_FIXES_PER_RULE = 3;

/**
 * The fixes of the findings not shown with theirs, once per rule: the first (most severe) finding's fix, then the other
 * fixes of that rule's findings when they differ in detail (`it mounts host path /run/dbus`), indented under it (held-out
 * round 21: `k8s/run-as-root` was listed twice under "11 rules"). Titled for what it fixes: "the other" findings when
 * blocking ones are shown above with their fixes, "the existing" when no new finding is among them, else "these".
 */
function fixesSection(findings: readonly Finding[], shownWithFix: ReadonlySet<string>, style: SectionStyle): Section {
  const seen = new Set<string>(shownWithFix);
  const byRule = new Map<string, string[]>();
  for (const f of [...findings].sort(bySeverity)) {
    if (!f.fix || seen.has(fixKey(f))) continue;
    seen.add(fixKey(f));
    const fixes = byRule.get(f.ruleId);
    if (fixes) fixes.push(f.fix);
    else byRule.set(f.ruleId, [f.fix]);
  }
  const which = shownWithFix.size > 0 ? "the other" : findings.every((f) => !f.fix || f.status === "existing") ? "the existing" : "these";
  const title = `How to fix ${which} findings (${plural(byRule.size, "rule")})`;
  const d = details(title);
  const text = (ruleId: string, [first, ...others]: readonly string[]): string => {
    const shown = others.slice(0, MORE_FIXES_PER_RULE).map((fix) => `  - ${inline(fix)}\n`);
    const left = others.length - shown.length;
    return `- ${code(ruleId)}: ${inline(first!)}\n${shown.join("")}${left > 0 ? `  - _… and ${plural(left, "more fix", "more fixes")} of this rule's findings_\n` : ""}`;
  };
  return {
    head: style.collapse ? d.open : `\n#### ${title}\n\n`,
    entries: [...byRule].map(([ruleId, fixes]) => ({ group: "", text: () => text(ruleId, fixes) })),
    ...(style.collapse ? { tail: d.close } : {}),
    guaranteed: 5,
    more: (n) => `\n_… and ${plural(n, "more rule's fixes", "more rules' fixes")} not shown: ${style.rest}._\n`,
  };
}

function suppressionLine(f: Finding): string {
  if (!f.suppressed) return "";
  const d = describeSuppression(f.suppressed, (actor) => code(`@${actor}`));
  return `  - ${d.verb}${d.who}: ${inline(d.reason, 500)}${d.expires ? ` (expires ${escapeText(d.expires)})` : ""}\n`;
}

function suppressedSection(findings: readonly Finding[], style: SectionStyle): Section {
  const item = (f: Finding) => {
    const status = f.status !== "new" ? `${f.status} · ` : "";
    return `- ${SEVERITY_ICON[f.severity]} ${code(f.ruleId)} · ${status}${location(f, style.links)} — ${inline(f.message)}\n${suppressionLine(f)}`;
  };
  const title = `Accepted: ${plural(findings.length, "finding")} waived, overridden or ignored`;
  const d = details(title);
  return {
    head: style.collapse ? d.open : `\n#### ${title}\n\n`,
    entries: findings.map((f) => ({ group: "", text: () => item(f) })),
    ...(style.collapse ? { tail: d.close } : {}),
    guaranteed: 5,
    more: (n) => `\n_… and ${n} more not shown: ${style.rest}._\n`,
  };
}

function existingSection(findings: readonly Finding[], style: SectionStyle): Section {
  const item = (f: Finding) => `- ${SEVERITY_ICON[f.severity]} ${code(f.ruleId)} ${lineRef(f, style.links)} — ${inline(f.message)}\n`;
  const title = `${plural(findings.length, "existing finding")} (already on the base branch, not blocking)`;
  const d = details(title);
  return {
    head: style.collapse ? d.open : `\n#### ${title}\n`,
    entries: findings.map((f) => ({ group: f.file, text: () => item(f) })),
    groupHead: (file) => `\n**${code(file)}**\n\n`,
    ...(style.collapse ? { tail: d.close } : {}),
    guaranteed: 3,
    more: (n) => `\n_… and ${n} more not shown: ${style.rest}._\n`,
  };
}

function fixedSection(findings: readonly Finding[], style: SectionStyle): Section {
  const title = `Fixed by this change (${findings.length})`;
  const d = details(`✔️ ${title}`);
  return {
    head: style.collapse ? d.open : `\n#### ${title}\n\n`,
    entries: findings.map((f) => ({ group: "", text: () => `- ✔️ ${code(f.ruleId)} · ${code(f.file)} — ${inline(f.message)}\n` })),
    ...(style.collapse ? { tail: d.close } : {}),
    guaranteed: 3,
    more: (n) => `\n_… and ${n} more not shown: ${style.rest}._\n`,
  };
}

function notesSection(notes: readonly string[]): Section {
  return {
    head: `\n#### Notes\n\n`,
    entries: notes.map((n) => ({ group: "", text: () => `- ${inline(n, 500)}\n` })),
    guaranteed: 10,
    more: (n) => `\n_… and ${plural(n, "more note")} not shown._\n`,
  };
}

function extraSection(extra: ExtraSection, style: SectionStyle): Section {
  const d = style.collapse && extra.collapse ? details(htmlText(extra.collapse)) : null;
  const head = `\n#### ${escapeText(extra.title)}\n${d ? d.open : "\n"}`;
  const tail = d ? { tail: d.close } : {};
  const intro = !d && extra.markdown.trim() ? `${extra.markdown.trim()}\n\n` : "";
  if (!extra.items) {
    return { head, entries: [{ group: "", text: () => intro }], ...tail, guaranteed: 1, more: () => `_Not shown for lack of space: ${style.rest}._\n` };
  }
  return {
    head: head + intro + (extra.itemsHead ?? ""),
    entries: extra.items.map((line) => ({ group: "", text: () => `${line.replace(/\n+$/, "")}\n` })),
    ...tail,
    guaranteed: 5,
    more: (n) => `\n_… and ${n} more not shown: ${style.rest}._\n`,
  };
}

/**
 * The sections of a findings report in display order, which is also the order in which they are filled when space
 * is short; sections not in `include` are left out.
 */
export function findingSections(result: ReviewResult, include: ReadonlySet<SectionName>, style: SectionStyle, extras: readonly ExtraSection[] = []): Section[] {
  const open = result.findings.filter((f) => f.status === "new" && !f.suppressed);
  const blocking = open.filter((f) => isBlocking(f, result.failOn));
  const rest = open.filter((f) => !isBlocking(f, result.failOn)).sort(bySeverity);
  const accepted = result.findings.filter((f) => f.status !== "fixed" && f.suppressed).sort(bySeverity);
  const existing = result.findings.filter((f) => f.status === "existing" && !f.suppressed).sort(bySeverity);
  const fixed = result.findings.filter((f) => f.status === "fixed").sort(bySeverity);

  const parts: Array<{ priority: number; section: Section }> = [];
  const add = (name: SectionName, count: number, make: () => Section) => {
    if (include.has(name) && count > 0) parts.push({ priority: SECTION_PRIORITY[name], section: make() });
  };
  add("blocking", blocking.length, () => blockingSection(blocking, style));
  add("new", rest.length, () => nonBlockingSection(rest, result, style, blocking.length > 0));
  const needFix = [...(include.has("new") ? rest : []), ...(include.has("existing") ? existing : [])];
  const shownWithFix = new Set(include.has("blocking") ? blocking.map(fixKey) : []);
  add("fixes", needFix.filter((f) => f.fix && !shownWithFix.has(fixKey(f))).length, () => fixesSection(needFix, shownWithFix, style));
  add("notes", result.notes.length, () => notesSection(result.notes));
  add("suppressed", accepted.length, () => suppressedSection(accepted, style));
  add("existing", existing.length, () => existingSection(existing, style));
  add("fixed", fixed.length, () => fixedSection(fixed, style));
  for (const extra of extras) parts.push({ priority: extra.priority, section: extraSection(extra, style) });
  // Stable: equal priorities keep the order above (extras after built-in sections of the same number).
  return parts.sort((a, b) => a.priority - b.priority).map((p) => p.section);
}
