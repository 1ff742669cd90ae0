/** Patch `target` selectors: anchored regexes on GVK/name/namespace plus Kubernetes label/annotation selectors. */
import { backtrackingRisk, boundedMatcher, type BoundedMatcher } from "../core/regex-safety.js";
import { BuildFailure } from "./failure.js";

export interface Selector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

type Requirement =
  | { op: "exists" | "!exists"; key: string }
  | { op: "in" | "notin"; key: string; values: string[] }
  | { op: "gt" | "lt"; key: string; n: number };

/**
 * Compiles a Go (RE2) pattern anchored like kustomize's `^(?:p)$`; `(?i)` becomes the `i` flag. RE2 runs in linear
 * time and this engine backtracks: a pattern whose shape could stall the review is refused (and inputs bounded).
 */
export function anchoredRegex(pattern: string, what: string): BoundedMatcher {
  let flags = "";
  let p = pattern;
  if (p.startsWith("(?i)")) {
    flags = "i";
    p = p.slice(4);
  }
  const risk = backtrackingRisk(p);
  if (risk) throw new BuildFailure(`${what} regex in patch target ${JSON.stringify(pattern)} ${risk}; it could stall the review, so it is not run`);
  try {
    return boundedMatcher(new RegExp(`^(?:${p})$`, flags));
  } catch {
    throw new BuildFailure(`invalid ${what} regex in patch target: ${JSON.stringify(pattern)}`);
  }
}

const KEY = /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$/;

/** Parses a label selector (`a=b,c!=d,e in (x,y),!f,g`). */
export function parseLabelSelector(text: string): Requirement[] {
  const reqs: Requirement[] = [];
  let i = 0;
  const s = text;
  const skipWs = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  const readWord = (): string => {
    skipWs();
    const start = i;
    while (i < s.length && !/[\s,=!()<>]/.test(s[i]!)) i++;
    return s.slice(start, i);
  };
  const bad = (): never => {
    throw new BuildFailure(`invalid label selector in patch target: ${JSON.stringify(text)}`);
  };
  skipWs();
  if (i >= s.length) return reqs;
  for (;;) {
    skipWs();
    let negate = false;
    if (s[i] === "!") {
      negate = true;
      i++;
    }
    const key = readWord();
    if (!KEY.test(key)) bad();
    skipWs();
    if (negate) {
      reqs.push({ op: "!exists", key });
    } else if (i >= s.length || s[i] === ",") {
      reqs.push({ op: "exists", key });
    } else if (s.startsWith("==", i) || s[i] === "=") {
      i += s.startsWith("==", i) ? 2 : 1;
      reqs.push({ op: "in", key, values: [readWord()] });
    } else if (s.startsWith("!=", i)) {
      i += 2;
      reqs.push({ op: "notin", key, values: [readWord()] });
    } else if (s[i] === ">" || s[i] === "<") {
      const op = s[i] === ">" ? "gt" : "lt";
      i++;
      const n = Number(readWord());
      if (!Number.isInteger(n)) bad();
      reqs.push({ op, key, n });
    } else {
      const word = readWord();
      if (word !== "in" && word !== "notin") bad();
      skipWs();
      if (s[i] !== "(") bad();
      i++;
      const values: string[] = [];
      for (;;) {
        values.push(readWord());
        skipWs();
        if (s[i] === ",") {
          i++;
          continue;
        }
        if (s[i] === ")") {
          i++;
          break;
        }
        bad();
      }
      reqs.push({ op: word === "in" ? "in" : "notin", key, values });
    }
    skipWs();
    if (i >= s.length) break;
    if (s[i] !== ",") bad();
    i++;
  }
  return reqs;
}

export function matchesLabels(reqs: readonly Requirement[], labels: ReadonlyMap<string, string>): boolean {
  for (const r of reqs) {
    const v = labels.get(r.key);
    switch (r.op) {
      case "exists":
        if (v === undefined) return false;
        break;
      case "!exists":
        if (v !== undefined) return false;
        break;
      case "in":
        if (v === undefined || !r.values.includes(v)) return false;
        break;
      case "notin":
        if (v !== undefined && r.values.includes(v)) return false;
        break;
      case "gt":
      case "lt": {
        const n = v === undefined ? NaN : Number(v);
        if (!Number.isInteger(n) || (r.op === "gt" ? !(n > r.n) : !(n < r.n))) return false;
        break;
      }
    }
  }
  return true;
}

export interface CompiledSelector {
  group: BoundedMatcher | null;
  version: BoundedMatcher | null;
  kind: BoundedMatcher | null;
  name: BoundedMatcher | null;
  namespace: BoundedMatcher | null;
  labels: Requirement[] | null;
  annotations: Requirement[] | null;
}

export function compileSelector(s: Selector): CompiledSelector {
  const rx = (v: string | undefined, what: string) => (v ? anchoredRegex(v, what) : null);
  return {
    group: rx(s.group, "group"),
    version: rx(s.version, "version"),
    kind: rx(s.kind, "kind"),
    name: rx(s.name, "name"),
    namespace: rx(s.namespace, "namespace"),
    labels: s.labelSelector ? parseLabelSelector(s.labelSelector) : null,
    annotations: s.annotationSelector ? parseLabelSelector(s.annotationSelector) : null,
  };
}
