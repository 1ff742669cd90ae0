/** GitHub-flavoured Markdown building blocks: escaping of untrusted text and size-bounded sections. */
import { clip, oneLine } from "./wording.js";

/** Size as GitHub enforces it (check-run summaries are limited in bytes); never less than the UTF-16 length. */
export function size(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

const ESCAPED = /[\\`*_[\]~|#!]/g;

/**
 * Escapes text for inline Markdown so that it renders as the same plain text and does nothing else: no formatting,
 * links, images, HTML, headings or table breaks; no autolinks (`https://…`, `www.…`, e-mail addresses); no
 * @-mentions or issue references (a zero-width space after `@` and before the number of `#12` or `GH-12` keeps
 * GitHub from notifying anyone or cross-referencing an issue). Line breaks become spaces; control characters go.
 */
export function escapeText(s: string): string {
  return oneLine(s)
    .replace(ESCAPED, (c) => `\\${c}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/@/g, "@\u200b")
    .replace(/:\/\//g, "\\://")
    .replace(/\b(www)\./gi, "$1\\.")
    .replace(/(\\#|\bGH-)(?=\d)/gi, "$1\u200b");
}

/** Text for raw HTML (a `<summary>`, where Markdown is not parsed): entities for markup, no mentions, one line. */
export function htmlText(s: string): string {
  return oneLine(s)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/@/g, "@\u200b");
}

/** A Markdown link whose text is already Markdown (escape it first); the URL must be absolute and safe (see links.ts). */
export function link(text: string, url: string): string {
  return `[${text}](${url})`;
}

/** An inline code span that holds any text: the fence is longer than any run of backticks inside. */
export function code(s: string): string {
  // Code spans show "<!--" literally, but a reader that scans for our HTML comment markers (or a renderer that
  // takes raw HTML first) should never see one opened by quoted text: a zero-width space keeps it two characters.
  const text = oneLine(s).replace(/<!--/g, "<\u200b!--");
  if (text.trim() === "") return "` `";
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") || (text.startsWith(" ") && text.endsWith(" ")) ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * Text written by rules and users, rendered inline: `single-backtick` spans stay code spans (rule fixes use them),
 * everything else is escaped. Clipped to `max` characters first.
 */
export function inline(s: string, max = 1000): string {
  const text = clip(oneLine(s), max);
  let out = "";
  let last = 0;
  for (const m of text.matchAll(/`([^`]+)`/g)) {
    out += escapeText(text.slice(last, m.index)) + code(m[1]!);
    last = m.index + m[0].length;
  }
  return out + escapeText(text.slice(last));
}

/** A fenced code block that cannot be closed early by its content. */
export function fenced(s: string, info = "text"): string {
  const text = s.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "");
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${text}\n${fence}`;
}

/**
 * One item of a bounded section; `group` (e.g. a file) gets a heading before its first shown item.
 * `text` is rendered only for items that are considered, so thousands of findings cost little.
 */
export interface Entry {
  group: string;
  text: () => string;
}

/** A section of a Markdown document whose items are cut, most important last, to fit a size budget. */
export interface Section {
  /** Printed before the items when the section has any; includes its own leading blank line. */
  head: string;
  /** In priority order: the first ones are kept when space runs out. */
  entries: readonly Entry[];
  /** Printed before the first shown item of each group (absent: no group headings). */
  groupHead?: (group: string) => string;
  /** Printed after the last shown item of each group (e.g. closing a per-group `</details>`). */
  groupTail?: (group: string) => string;
  /** Printed after the shown items of a group that lost some to the size limit (before its tail). */
  groupMore?: (group: string, omitted: number) => string;
  /**
   * Items of a group left out of `entries` beforehand (e.g. beyond a cap per rule): counted with those the size limit
   * cuts, in `groupMore` and `more`.
   */
  groupExtra?: (group: string) => number;
  /** Printed after the items (e.g. closing `</details>`). */
  tail?: string;
  /** Items shown before any section is filled further, so a long first section cannot hide this one. */
  guaranteed?: number;
  /** The line that says how many items were left out. */
  more: (omitted: number) => string;
}

/**
 * Renders sections within `max` bytes in total, given the bytes already used by the rest of the document.
 * Each section first gets its `guaranteed` items (within a quarter of the room left), then sections are filled in
 * `priority` order (indices into `sections`); within a section items are taken in order until the next one does not
 * fit, and the rest are counted in a "… and N more" line (and per group, with `groupMore`). Shown items are displayed
 * grouped, groups in the order of their first shown item.
 */
export function fitSections(sections: readonly Section[], used: number, max: number, priority?: readonly number[]): string[] {
  const order = priority ?? sections.map((_, i) => i);
  const shown = sections.map(() => 0);
  const groupsShown = sections.map(() => new Set<string>());
  const extras = sections.map(extraItems);
  let total = used;
  sections.forEach((s, i) => {
    if (s.entries.length > 0) total += size(s.head) + size(s.tail ?? "") + size(s.more(s.entries.length + extras[i]!));
  });
  const texts = sections.map(() => [] as string[]);
  const groupSizes = sections.map((s) => {
    const sizes = new Map<string, number>();
    if (s.groupMore) for (const e of s.entries) sizes.set(e.group, (sizes.get(e.group) ?? s.groupExtra?.(e.group) ?? 0) + 1);
    return sizes;
  });
  // What a group costs besides its items; its "… N more" line is reserved at its longest.
  const groupCost = (i: number, g: string): number => {
    const s = sections[i]!;
    if (!s.groupHead || groupsShown[i]!.has(g)) return 0;
    return size(s.groupHead(g)) + size(s.groupTail?.(g) ?? "") + (s.groupMore ? size(s.groupMore(g, groupSizes[i]!.get(g) ?? 0)) : 0);
  };
  const take = (i: number, limit: number, cap: number): void => {
    const s = sections[i]!;
    while (shown[i]! < Math.min(limit, s.entries.length)) {
      const e = s.entries[shown[i]!]!;
      const text = (texts[i]![shown[i]!] ??= e.text());
      const cost = size(text) + groupCost(i, e.group);
      if (total + cost > cap) return;
      total += cost;
      groupsShown[i]!.add(e.group);
      shown[i]!++;
    }
  };
  // First a few items of every section that asks for them (within a quarter of the room), then fill in priority order.
  const firstPassCap = total + Math.max(0, max - total) / 4;
  for (const i of order) take(i, sections[i]!.guaranteed ?? 0, firstPassCap);
  for (const i of order) take(i, Infinity, max);
  return sections.map((s, i) => {
    if (s.entries.length === 0) return "";
    const kept = s.entries.slice(0, shown[i]).map((e, k) => ({ group: e.group, text: texts[i]![k]! }));
    let body = "";
    if (s.groupHead) {
      const groups = new Map<string, string[]>();
      for (const e of kept) {
        const list = groups.get(e.group);
        if (list) list.push(e.text);
        else groups.set(e.group, [e.text]);
      }
      for (const [g, list] of groups) {
        const lost = (groupSizes[i]!.get(g) ?? list.length) - list.length;
        body += s.groupHead(g) + list.join("") + (lost > 0 && s.groupMore ? s.groupMore(g, lost) : "") + (s.groupTail?.(g) ?? "");
      }
    } else body = kept.map((e) => e.text).join("");
    const omitted = s.entries.length + extras[i]! - kept.length;
    return s.head + body + (omitted > 0 ? s.more(omitted) : "") + (s.tail ?? "");
  });
}

/** How many items the groups of a section left out of its entries beforehand (`groupExtra`). */
function extraItems(s: Section): number {
  if (!s.groupExtra) return 0;
  let n = 0;
  for (const g of new Set(s.entries.map((e) => e.group))) n += s.groupExtra(g);
  return n;
}

/** Last resort for a document that is still too large: cut at a line boundary within `max` bytes. */
export function hardLimit(s: string, max: number, marker = "\n\n… (truncated)\n"): string {
  if (size(s) <= max) return s;
  const room = Math.max(0, max - size(marker));
  let cut = Buffer.from(s, "utf8").subarray(0, room).toString("utf8");
  // A character cut in half decodes as U+FFFD; drop it.
  if (cut.endsWith("\ufffd")) cut = cut.slice(0, -1);
  const nl = cut.lastIndexOf("\n");
  if (nl > room / 2) cut = cut.slice(0, nl);
  return cut + marker;
}
