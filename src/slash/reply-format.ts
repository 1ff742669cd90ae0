import type { Conclusion } from "../core/types.js";
import type { Rule } from "../core/rule.js";
import type { WaiverRecord } from "../store/types.js";

/** Markdown helpers for command replies. User text is neutralised: no mentions, no markup, no code breakouts. */

export function code(s: string): string {
  return `\`${s.replace(/`/g, "'").replace(/[\r\n]+/g, " ")}\``;
}

/** Plain text for Markdown: no HTML, no @mentions, no newlines (backticks are kept for code spans). */
export function plainText(s: string): string {
  return s
    .replace(/[\r\n]+/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/@/g, "@\u200b");
}

/** Text someone typed (a reason), safe to show: like plainText, and backticks cannot open code spans. */
export function userText(s: string): string {
  return plainText(s).replace(/`/g, "'");
}

export function mention(login: string): string {
  return `@${login}`;
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
  if (w.revokedAt) state = `withdrawn by ${mention(w.revokedBy ?? "unknown")} on ${when(w.revokedAt)}`;
  else if (new Date(w.expires).getTime() <= now.getTime()) state = `expired on ${when(w.expires)}`;
  else state = `until ${when(w.expires)} (${daysLeft(w.expires, now)})`;
  return `- ${code(w.id)} ${code(w.rule)} on ${scopeOf(w)} by ${mention(w.actor)}, ${state}: “${userText(w.reason)}”`;
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
