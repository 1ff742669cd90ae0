/**
 * A block scalar header written on the line after its key, at the key's own indentation:
 *
 *     stringData:
 *       users.txt:
 *       |
 *         admin:…
 *
 * go-yaml (kubectl, Kustomize, Argo CD) reads it as `users.txt: |`; the `yaml` package refuses it ("Implicit keys need
 * to be on a single line"), which made a file every deployer applies a blocking `guard/parse-error` with nothing in it
 * reviewed (held-out round 17, from a real repository). This rewrites such a pair of lines so the `yaml` package reads
 * what go-yaml reads: the header joins its key's line, and the line break moves in front of the key. The text keeps its
 * length and its number of lines: every offset and line after the key line is unchanged; the key itself moves one line
 * down (and one character right), onto the line of its header.
 */

/** `<indent><"- " items><key>:` with nothing after the colon but spaces: a key whose value starts on a later line. */
const KEY_LINE = /^([ \t]*(?:- +)*)((?:"[^"\n]*"|'[^'\n]*'|[^\s#'"\-?:[\]{},&*!|>%@`][^\n#]*?|[-?:][^\s\n#][^\n#]*?)):[ \t]*$/;
/** A block scalar header alone on its line: `|` or `>`, chomping and indentation indicators, a comment. */
const HEADER_LINE = /^([ \t]*)([|>](?:[-+][1-9]?|[1-9][-+]?)?)([ \t]+#[^\n]*)?[ \t]*$/;
/** Cheap look first: a line ending in `:` followed by a line holding only a header. */
const MAY_HAVE = /:[ \t]*\r?\n[ \t]*[|>][-+1-9]{0,2}[ \t]*(?:#[^\n]*)?\r?\n/;

/** A text rewritten so the `yaml` package reads it as go-yaml does, and where each of its offsets was in the file. */
export interface AttachedText {
  text: string;
  /** The offset in the file's text of an offset in `text` (the moved key and header characters go back home). */
  toOriginal(offset: number): number;
}

interface Move {
  /** Offsets of the rewritten segment (the key line and the header line), the same in both texts. */
  at: number;
  end: number;
  /** Characters before the key in the rewritten segment: its line break (and CR). */
  lead: number;
  /** The key's characters (`  users.txt:`), at `at` in the file's text. */
  keyLength: number;
  /** The header's characters, at `at + lead + keyLength + 1` rewritten and at `headerAt` in the file's text. */
  headerLength: number;
  headerAt: number;
}

/** The text with each detached header attached to its key (see above), or null when there is none. */
export function attachDetachedBlockHeaders(text: string): AttachedText | null {
  if (!MAY_HAVE.test(text)) return null;
  const lines = text.split("\n");
  const starts: number[] = [];
  for (let i = 0, o = 0; i < lines.length; o += lines[i]!.length + 1, i++) starts.push(o);
  const moves: Move[] = [];
  for (let i = 1; i < lines.length; i++) {
    const header = HEADER_LINE.exec(lines[i]!.replace(/\r$/, ""));
    if (!header) continue;
    const keyLine = lines[i - 1]!;
    const cr = keyLine.endsWith("\r") ? "\r" : "";
    const key = KEY_LINE.exec(cr ? keyLine.slice(0, -1) : keyLine);
    if (!key) continue;
    const column = key[1]!.length;
    const indent = header[1]!;
    // At the key's indentation exactly (deeper, the `yaml` package reads it already); not at column 0, where the
    // text has no space to give the moved line break.
    if (indent.length !== column || column === 0 || indent.includes("\t")) continue;
    const trimmedKey = `${key[1]}${key[2]}:`;
    const headerText = `${header[2]}${header[3] ?? ""}`;
    const before = `${keyLine}\n${lines[i]}`;
    // The key line's own line break (and its CR) first, then key + " " + header, padded with spaces to the length of
    // the two lines it replaces.
    const joined = `${trimmedKey} ${headerText}`;
    const pad = before.length - 1 - joined.length - 2 * cr.length;
    if (pad < 0) continue;
    const at = starts[i - 1]!;
    moves.push({ at, end: at + before.length, lead: 1 + cr.length, keyLength: trimmedKey.length, headerLength: headerText.length, headerAt: starts[i]! + indent.length });
    lines[i - 1] = cr;
    lines[i] = `${joined}${" ".repeat(pad)}${cr}`;
  }
  if (moves.length === 0) return null;
  return {
    text: lines.join("\n"),
    toOriginal(o) {
      const m = moves.find((x) => o >= x.at && o < x.end);
      if (m === undefined) return o;
      const key = m.at + m.lead;
      const header = key + m.keyLength + 1;
      if (o < key) return m.at; // the moved line break: the key's start
      if (o <= key + m.keyLength) return m.at + (o - key);
      if (o < header) return m.at + m.keyLength; // the space before the header: the key's end
      return m.headerAt + Math.min(o - header, m.headerLength); // the header, then its padding: the header's end
    },
  };
}
