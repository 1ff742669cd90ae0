import { Lexer } from "yaml";

/**
 * Checks on the raw text before it is parsed, for inputs on which the `yaml` parser is slow however small the
 * file: a parse costs the parser tens of microseconds per document, and deep flow or compact nesting costs it a
 * stack overflow per level. Each check is one linear pass; the lexer (slower) confirms only what a cheap scan
 * flags.
 */

function isBlankOrEnd(text: string, i: number): boolean {
  if (i >= text.length) return true;
  const c = text.charCodeAt(i);
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** True when a line before `end` holds YAML content (not blank, a comment or a directive). */
function contentBefore(text: string, end: number): boolean {
  for (const line of text.slice(0, end).split("\n")) {
    const t = line.trim();
    if (t !== "" && !t.startsWith("#") && !line.startsWith("%")) return true;
  }
  return false;
}

/**
 * The offset of the line that opens document number `maxDocuments + 1`, or -1 when the text has no more than
 * `maxDocuments` documents. A `---` (or `...`) line at column 0 is a document marker wherever it stands — YAML
 * ends any scalar there — so counting them (plus a first document written without a marker) gives a lower bound
 * on the documents the parser would build.
 */
export function documentOverflow(text: string, maxDocuments: number): number {
  let starts = 0;
  let ends = 0;
  let lead = 0;
  for (let i = 0; i < text.length; ) {
    if ((text.startsWith("---", i) || text.startsWith("...", i)) && isBlankOrEnd(text, i + 3)) {
      if (starts === 0 && ends === 0 && contentBefore(text, i)) lead = 1;
      if (text.charCodeAt(i) === 0x2d) starts++;
      else ends++;
      if (Math.max(starts + lead, ends) > maxDocuments) return i;
    }
    const nl = text.indexOf("\n", i);
    if (nl < 0) break;
    i = nl + 1;
  }
  return -1;
}

const BRACKET = /[[\]{}]/g;

/**
 * An upper bound of flow plus compact nesting, ignoring quotes and comments: the most, anywhere, of the flow
 * collections open (`[`, `{` not yet closed) plus the compact indicators (`- `, `? `) opening the line. One pass
 * over each line's indentation, and from bracket to bracket (found by a regular expression) over the rest: a block
 * YAML file has few brackets, and its lines past the indentation are not read character by character.
 */
export function roughNesting(text: string): number {
  let flow = 0;
  let max = 0;
  BRACKET.lastIndex = 0;
  let bracket = BRACKET.exec(text)?.index ?? -1;
  for (let lineStart = 0; lineStart <= text.length; ) {
    let end = text.indexOf("\n", lineStart);
    if (end < 0) end = text.length;
    let run = 0;
    let i = lineStart;
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0d) continue;
      if ((c === 0x2d || c === 0x3f) && isBlankOrEnd(text, i + 1)) run++;
      else break;
    }
    if (flow + run > max) max = flow + run;
    // The brackets of the rest of the line, in order.
    while (bracket >= 0 && bracket < end) {
      if (bracket >= i) {
        const c = text.charCodeAt(bracket);
        if (c === 0x5b || c === 0x7b) {
          flow++;
          if (flow + run > max) max = flow + run;
        } else if (flow > 0) flow--;
      }
      BRACKET.lastIndex = bracket + 1;
      bracket = BRACKET.exec(text)?.index ?? -1;
    }
    lineStart = end + 1;
  }
  return max;
}

/** Zero-width markers the lexer puts in its token stream (document, scalar and flow-end markers). */
const CONTROL = new Set(["\u0002", "\u0018", "\u001f"]);

/**
 * The offset where a document nests deeper than `maxDepth` through flow collections (`[[[…`, `{{{…`) or compact
 * block collections (`- - - …`, `? ? …`), or -1. Counted on the lexer's tokens, so brackets and dashes in strings,
 * block scalars and comments do not count; it stops at the first level too deep. Deep nesting written with
 * indentation needs quadratic text and is left to the depth check after parsing.
 */
export function excessiveNesting(text: string, maxDepth: number): number {
  if (roughNesting(text) <= maxDepth) return -1;
  let flow = 0;
  let run = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (CONTROL.has(token)) continue;
    if (token === "[" || token === "{") flow++;
    else if (token === "]" || token === "}") flow = Math.max(0, flow - 1);
    else if (token === "-" || token === "?") run++;
    else if (token.startsWith("\n") || token.startsWith("\r")) run = 0;
    else if (token.trim() !== "") run = 0;
    if (flow + run > maxDepth) return offset;
    offset += token.length;
  }
  return -1;
}
