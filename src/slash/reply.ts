/**
 * One reply to a comment with commands, bounded in size: GitHub refuses a comment over 65,536 characters (422), and
 * then the user gets no answer at all. Lists (waivers) are cut to fit with a line that says how many were left out and
 * where to find them all; the other parts of a reply are short by construction.
 */
import { fitSections, hardLimit, size, type Section } from "../report/markdown-blocks.js";

/** Well under GitHub's 65,536 characters, counted in UTF-8 bytes (never fewer than characters). */
export const MAX_REPLY_BYTES = 60_000;

/** One part of a reply: our text, and optionally a list under it that is cut to fit. */
export interface ReplyPart {
  text: string;
  /** Lines of a Markdown list (each complete, without its line break), in order of importance. */
  items?: readonly string[];
  /** Says how many items were left out and where all of them are. */
  more?: (omitted: number) => string;
}

/** The reply: `header`, then each part (in order) separated by a blank line, within `max` bytes. */
export function composeReply(header: string, parts: readonly ReplyPart[], max = MAX_REPLY_BYTES): string {
  const sep = "\n\n";
  const lists: Section[] = [];
  let fixed = size(header) + 1;
  for (const p of parts) {
    fixed += size(p.text) + size(sep);
    if (p.items?.length) {
      lists.push({
        head: "",
        entries: p.items.map((line) => ({ group: "", text: () => `\n${line}` })),
        guaranteed: 5,
        more: (n) => `\n${p.more ? p.more(n) : `- _… and ${n} more not shown._`}`,
      });
    }
  }
  const fitted = fitSections(lists, fixed, max);
  let k = 0;
  const body = parts.map((p) => (p.items?.length ? p.text + fitted[k++]! : p.text)).join(sep);
  return hardLimit(`${header}${body}\n`, max);
}
