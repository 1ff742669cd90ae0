import type { Conclusion } from "../core/types.js";
import type { Rule } from "../core/rule.js";
import type { WaiverRecord } from "../store/types.js";
import { code as codeSpan, escapeText, inline } from "../report/markdown-blocks.js";
import { clip } from "../report/wording.js";

/**
 * Markdown helpers for command replies. Everything a user, a manifest or the repository config wrote is shown inert,
 * with the summary comment's escaping (report/markdown-blocks.ts): as literal text, never as a link, image, HTML,
 * heading, table, autolink, @-mention or issue reference.
 */

/** An inline code span that holds any text literally (a longer fence than any run of backticks inside). */
export function code(s: string): string {
  return codeSpan(s);
}

/**
 * Our own message with `single-backtick` code spans, possibly quoting what a user typed inside such spans (as the
 * parser's errors do): the spans stay code, everything else is escaped. One line, at most `max` characters.
 */
export function plainText(s: string, max = 1000): string {
  return inline(s, max);
}

/** Text someone typed (a reason), shown as the same text: every Markdown character escaped, no code spans. */
export function userText(s: string, max = 500): string {
  return escapeText(clip(s, max));
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

/** `@login` that notifies: only for the person a reply answers, and only for a well-formed login. */
export function mention(login: string): string {
  return LOGIN.test(login) ? `@${login}` : code(`@${login}`);
}

/** A person named in a reply (who gave a waiver, who overrode): shown, never notified. */
export function person(login: string): string {
  return code(`@${login.replace(/^@/, "")}`);
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/** `2026-03-31 10:00 UTC` */
export function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function daysLeft(iso: string, now: Date): string {
  const ms = new Date(iso).getTime() - now.getTime();
  if (ms <= 0) return "expired";
  const days = Math.floor(ms / 86_400_000);
  if (days >= 1) return `in ${days} day${days === 1 ? "" : "s"}`;
  const hours = Math.max(1, Math.floor(ms / 3_600_000));
  return `in ${hours} hour${hours === 1 ? "" : "s"}`;
}

export function verdict(c: Conclusion): string {
  return c === "success" ? "✅ success" : c === "failure" ? "❌ failure" : "⚪ neutral";
}

export function scopeOf(w: Pick<WaiverRecord, "file" | "resource">): string {
  if (!w.file) return "every file of this PR";
  return w.resource ? `${code(w.file)} (${code(w.resource)})` : code(w.file);
}

export function waiverLine(w: WaiverRecord, now: Date): string {
  let state: string;
  if (w.revokedAt) state = `withdrawn by ${person(w.revokedBy ?? "unknown")} on ${when(w.revokedAt)}`;
  else if (new Date(w.expires).getTime() <= now.getTime()) state = `expired on ${when(w.expires)}`;
  else state = `until ${when(w.expires)} (${daysLeft(w.expires, now)})`;
  return `- ${code(w.id)} ${code(w.rule)} on ${scopeOf(w)} by ${person(w.actor)}, ${state}: “${userText(w.reason)}”`;
}

/** A rule's explanation as Markdown: what, why, how to fix, and an example. */
export function explainMarkdown(rule: Rule, prefix: string): string {
  const m = rule.meta;
  const state: string[] = [];
  if (m.enabledByDefault === false) state.push("off by default");
  if (m.productionOnly) state.push("production paths only");
  const lines = [
    `### ${code(m.id)} — ${m.title}`,
    "",
    `Default severity: **${m.severity}**${state.length ? ` (${state.join(", ")})` : ""}.`,
    "",
    m.description,
    "",
    `**Why it matters:** ${m.rationale}`,
    "",
    `**How to fix:** ${m.fix}`,
  ];
  if (m.example) {
    lines.push("", "Flagged:", "", "```yaml", m.example.bad.trimEnd(), "```", "", "Passes:", "", "```yaml", m.example.good.trimEnd(), "```");
  }
  lines.push("", `To accept it on this PR instead: ${code(`${prefix} waive ${m.id} <file> --reason "<why>"`)}.`);
  return lines.join("\n");
}
