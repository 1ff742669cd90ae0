/**
 * Glob patterns as Argo CD evaluates them in AppProjects (gobwas/glob and Go's filepath.Match):
 * `*` (any run of characters, or of non-separator characters when a separator is given), `**` (any run,
 * separators included), `?`, `[abc]` / `[!abc]` / `[^abc]` classes, `{a,b}` alternatives and `\` escapes.
 */

const cache = new Map<string, RegExp | null>();

function escapeRegExp(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? `\\${ch}` : ch;
}

/** Compiles a glob to an anchored RegExp; null when the pattern is malformed (Argo CD matches nothing then). */
export function globToRegExp(pattern: string, separator?: string): RegExp | null {
  const key = `${separator ?? ""}\u0000${pattern}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const any = separator ? `[^${escapeRegExp(separator)}]*` : "[\\s\\S]*";
  const one = separator ? `[^${escapeRegExp(separator)}]` : "[\\s\\S]";
  let out = "";
  let depth = 0;
  let ok = true;
  for (let i = 0; i < pattern.length && ok; i++) {
    const ch = pattern[i]!;
    if (ch === "\\") {
      const next = pattern[i + 1];
      if (next === undefined) ok = false;
      else out += escapeRegExp(next);
      i++;
    } else if (ch === "*") {
      let j = i;
      while (pattern[j + 1] === "*") j++;
      out += j > i ? "[\\s\\S]*" : any;
      i = j;
    } else if (ch === "?") {
      out += one;
    } else if (ch === "[") {
      const close = pattern.indexOf("]", i + 2);
      if (close < 0) ok = false;
      else {
        let body = pattern.slice(i + 1, close);
        let negate = false;
        if (body.startsWith("!") || body.startsWith("^")) {
          negate = true;
          body = body.slice(1);
        }
        out += `[${negate ? "^" : ""}${body.replace(/[\\\]^]/g, (c) => `\\${c}`)}]`;
        i = close;
      }
    } else if (ch === "{") {
      depth++;
      out += "(?:";
    } else if (ch === "}" && depth > 0) {
      depth--;
      out += ")";
    } else if (ch === "," && depth > 0) {
      out += "|";
    } else {
      out += escapeRegExp(ch);
    }
  }
  let re: RegExp | null = null;
  if (ok && depth === 0) {
    try {
      re = new RegExp(`^${out}$`);
    } catch {
      re = null;
    }
  }
  if (cache.size > 2000) cache.clear();
  cache.set(key, re);
  return re;
}

/** Whether `text` matches the glob `pattern` (Argo CD treats a bare `*` as "match everything"). */
export function globMatch(pattern: string, text: string, separator?: string): boolean {
  if (pattern === "*") return true;
  const re = globToRegExp(pattern, separator);
  return re !== null && re.test(text);
}

/** `*`, `**`, ... : a pattern that matches every value. */
export function isWildcardOnly(pattern: string): boolean {
  return /^\*+$/.test(pattern.trim());
}

/** `!`-prefixed entries are denies in Argo CD: they never grant anything. */
export function isDeny(pattern: string): boolean {
  return pattern.trim().startsWith("!");
}

export function hasGlobSyntax(pattern: string): boolean {
  return /[*?[{]/.test(pattern);
}
