/** One word of a command line. */
export interface Token {
  value: string;
  /** True when any part of the word was quoted. */
  quoted: boolean;
  /** True when the word starts with an unquoted `--` (an option, not a value that happens to start with dashes). */
  option: boolean;
}

export type TokenizeResult = { ok: true; tokens: Token[] } | { ok: false; error: string };

/** Opening quote → closing quote. Typographic quotes come from phones and word processors. */
const QUOTES: Record<string, string> = { '"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019", "\u201e": "\u201c" };

function isSpace(ch: string): boolean {
  return /\s/.test(ch);
}

/**
 * Splits a command line into words, like a shell without expansion: whitespace separates words;
 * single, double or typographic quotes group them; inside quotes a backslash escapes the quote or a
 * backslash. A quote opens only at the start of a word or after `=`, so apostrophes inside words
 * (`don't`) are plain text.
 */
export function tokenize(line: string): TokenizeResult {
  const tokens: Token[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(line[i]!)) i++;
    if (i >= n) break;
    let value = "";
    let quoted = false;
    const option = line.startsWith("--", i);
    while (i < n && !isSpace(line[i]!)) {
      const ch = line[i]!;
      const close = QUOTES[ch];
      // Unquoted so far, `value` is the line from the word's start: its last character is the one before `i`.
      // (Not `value.endsWith`: on a string built by `+=` that copies the whole word each time, quadratic in its length.)
      const canOpen = quoted || value.length === 0 || line[i - 1] === "=";
      if (close === undefined || !canOpen) {
        value += ch;
        i++;
        continue;
      }
      quoted = true;
      i++;
      let closed = false;
      while (i < n) {
        const c = line[i]!;
        if (c === "\\" && (line[i + 1] === close || line[i + 1] === "\\")) {
          value += line[i + 1];
          i += 2;
        } else if (c === close) {
          closed = true;
          i++;
          break;
        } else {
          value += c;
          i++;
        }
      }
      if (!closed) return { ok: false, error: `the quote ${ch} is never closed` };
    }
    tokens.push({ value, quoted, option });
  }
  return { ok: true, tokens };
}
