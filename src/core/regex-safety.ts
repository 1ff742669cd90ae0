/**
 * Regular expressions written by a pull request's author (a SOPS `encrypted_regex`, a Kustomize patch target or
 * image name) run on JavaScript's backtracking engine, where `(a+)+$` against 40 `a`s and a `!` takes minutes and
 * blocks the process: one PR could stall every review. Those tools run such patterns on RE2 (linear time); here a
 * pattern whose shape can backtrack badly is refused instead, and inputs are bounded.
 */

/** Unbounded quantifiers (`*`, `+`, `{n,}`) a pattern may have: with bounded input, at worst quadratic. */
export const MAX_UNBOUNDED_QUANTIFIERS = 2;

/** Longest input an untrusted pattern is run on (Kubernetes names are ≤ 253 characters, image references far less than this). */
export const MAX_PATTERN_INPUT = 1024;

interface Group {
  /** A quantifier that repeats (max > 1) appears inside. */
  repeats: boolean;
  /** An alternation appears inside. */
  alternates: boolean;
}

/** The quantifier at `i`, if any: its length, whether it repeats (max > 1) and whether it is unbounded. */
function quantifierAt(source: string, i: number): { length: number; repeats: boolean; unbounded: boolean } | null {
  const c = source[i];
  let length = 0;
  let repeats = false;
  let unbounded = false;
  if (c === "*" || c === "+") [length, repeats, unbounded] = [1, true, true];
  else if (c === "?") [length, repeats, unbounded] = [1, false, false];
  else if (c === "{") {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
    if (!m) return null;
    const max = m[2] === undefined ? Number(m[1]) : m[3] === "" ? Infinity : Number(m[3]);
    [length, repeats, unbounded] = [m[0].length, max > 1, max === Infinity];
  } else return null;
  if (source[i + length] === "?") length++; // lazy
  return { length, repeats, unbounded };
}

/**
 * Why `source` could backtrack catastrophically, or null when it cannot: a repeated group that holds a repetition
 * or an alternation (`(a+)+`, `(a|aa)*`, `(.*a){12}`), a backreference, or more than MAX_UNBOUNDED_QUANTIFIERS
 * unbounded quantifiers (polynomial blow-up).
 */
export function backtrackingRisk(source: string): string | null {
  const stack: Group[] = [{ repeats: false, alternates: false }];
  let unbounded = 0;
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    let inner: Group | null = null;
    if (c === "(") {
      stack.push({ repeats: false, alternates: false });
      i += /^\((\?(:|=|!|<=|<!|<[A-Za-z_]\w*>))?/.exec(source.slice(i))![0].length;
      continue;
    }
    if (c === "|") {
      stack[stack.length - 1]!.alternates = true;
      i++;
      continue;
    }
    if (c === "\\") {
      if (/[1-9k]/.test(source[i + 1] ?? "")) return "uses a backreference";
      i += 2;
    } else if (c === "[") {
      let j = i + 1;
      if (source[j] === "^") j++;
      if (source[j] === "]") j++;
      while (j < source.length && source[j] !== "]") j += source[j] === "\\" ? 2 : 1;
      i = j + 1;
    } else {
      if (c === ")" && stack.length > 1) inner = stack.pop()!;
      i++;
    }
    // The atom (or group) just read, and its quantifier.
    const q = quantifierAt(source, i);
    if (q) i += q.length;
    if (q?.unbounded) unbounded++;
    if (q?.repeats && inner && (inner.repeats || inner.alternates)) return "repeats a group that itself repeats or alternates";
    const parent = stack[stack.length - 1]!;
    if (q?.repeats || inner?.repeats) parent.repeats = true;
    if (inner?.alternates) parent.alternates = true;
  }
  if (unbounded > MAX_UNBOUNDED_QUANTIFIERS) return `has ${unbounded} unbounded repetitions (at most ${MAX_UNBOUNDED_QUANTIFIERS})`;
  return null;
}

/** A pattern's `test`, on inputs up to MAX_PATTERN_INPUT characters (a longer input never matches). */
export interface BoundedMatcher {
  test(input: string): boolean;
}

export function boundedMatcher(re: RegExp): BoundedMatcher {
  return { test: (input) => input.length <= MAX_PATTERN_INPUT && re.test(input) };
}
