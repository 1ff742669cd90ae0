import type { JsonPath } from "../../core/path.js";
import { isPlainObject } from "../../parse/classify.js";
import type { Obj } from "./_app-common.js";

export interface GeneratorRef {
  /** The generator entry: `{ clusters: {...} }`, `{ matrix: {...} }`, ... */
  generator: Obj;
  path: JsonPath;
}

/** Matrix and merge generators nest generators; Argo CD allows two levels, a small cap keeps hostile input cheap. */
const MAX_NESTING = 4;
const COMBINERS = ["matrix", "merge"] as const;

/** Every generator of an ApplicationSet, including those nested in matrix and merge generators. */
export function generators(root: unknown): GeneratorRef[] {
  const out: GeneratorRef[] = [];
  if (!isPlainObject(root) || !isPlainObject(root.spec)) return out;
  walk(root.spec.generators, ["spec", "generators"], 0, out);
  return out;
}

function walk(list: unknown, path: JsonPath, depth: number, out: GeneratorRef[]): void {
  if (!Array.isArray(list) || depth > MAX_NESTING) return;
  list.forEach((g, i) => {
    if (!isPlainObject(g)) return;
    const here = [...path, i];
    out.push({ generator: g, path: here });
    for (const c of COMBINERS) {
      const combiner = g[c];
      if (isPlainObject(combiner)) walk(combiner.generators, [...here, c, "generators"], depth + 1, out);
    }
  });
}

/** True for a label selector that selects something specific (non-empty matchLabels or matchExpressions). */
export function isNonEmptySelector(sel: unknown): boolean {
  if (!isPlainObject(sel)) return false;
  const labels = sel.matchLabels;
  const exprs = sel.matchExpressions;
  return (isPlainObject(labels) && Object.keys(labels).length > 0) || (Array.isArray(exprs) && exprs.length > 0);
}
