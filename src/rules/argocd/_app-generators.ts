import type { JsonPath } from "../../core/path.js";
import { isPlainObject } from "../../parse/classify.js";
import type { Obj } from "./_app-common.js";

export interface GeneratorRef {
  /** The generator entry: `{ clusters: {...} }`, `{ matrix: {...} }`, ... */
  generator: Obj;
  path: JsonPath;
  /**
   * True for a `merge` generator's second or later generator (or one nested in it): it only overrides the parameters
   * of the sets the first (base) generator makes ("non-matching parameter sets are discarded"), adding no Application.
   */
  mergeOverride: boolean;
}

/** Matrix and merge generators nest generators; Argo CD allows two levels, a small cap keeps hostile input cheap. */
const MAX_NESTING = 4;
const COMBINERS = ["matrix", "merge"] as const;

/** Every generator of an ApplicationSet, including those nested in matrix and merge generators. */
export function generators(root: unknown): GeneratorRef[] {
  const out: GeneratorRef[] = [];
  if (!isPlainObject(root) || !isPlainObject(root.spec)) return out;
  walk(root.spec.generators, ["spec", "generators"], 0, false, out);
  return out;
}

function walk(list: unknown, path: JsonPath, depth: number, override: boolean, out: GeneratorRef[], merged = false): void {
  if (!Array.isArray(list) || depth > MAX_NESTING) return;
  list.forEach((g, i) => {
    if (!isPlainObject(g)) return;
    const here = [...path, i];
    // Only a merge's first generator decides which Applications exist; the others override their parameters.
    const mergeOverride = override || (merged && i > 0);
    out.push({ generator: g, path: here, mergeOverride });
    for (const c of COMBINERS) {
      const combiner = g[c];
      if (isPlainObject(combiner)) walk(combiner.generators, [...here, c, "generators"], depth + 1, mergeOverride, out, c === "merge");
    }
  });
}

/** A list generator whose Applications are all read here: literal object elements, no `elementsYaml`. */
export function isPlainList(list: unknown): boolean {
  return isPlainObject(list) && list.elementsYaml === undefined && Array.isArray(list.elements) && list.elements.every(isPlainObject);
}

/** Whether a value holds no template expression anywhere (`{{`), its nested maps and lists included. */
function isLiteral(v: unknown): boolean {
  if (typeof v === "string") return !v.includes("{{");
  if (Array.isArray(v)) return v.every(isLiteral);
  if (isPlainObject(v)) return Object.values(v).every(isLiteral);
  return true;
}

/**
 * Whether every parameter an ApplicationSet's generators give comes from a list element written literally in it:
 * each generator is a plain list generator (object elements, no `elementsYaml`, no `{{ }}` in them) or a matrix or
 * merge of such lists only. A git, cluster, SCM, pull request or plugin generator, anywhere, gives parameters written
 * elsewhere.
 */
export function onlyLiteralLists(root: unknown): boolean {
  const refs = generators(root);
  if (refs.length === 0) return false;
  return refs.every(({ generator }) => {
    const list = generator.list;
    if (list !== undefined) return isPlainObject(list) && isPlainList(list) && isLiteral(list.elements);
    return COMBINERS.some((c) => isPlainObject(generator[c]));
  });
}

/** True for a label selector that selects something specific (non-empty matchLabels or matchExpressions). */
export function isNonEmptySelector(sel: unknown): boolean {
  if (!isPlainObject(sel)) return false;
  const labels = sel.matchLabels;
  const exprs = sel.matchExpressions;
  return (isPlainObject(labels) && Object.keys(labels).length > 0) || (Array.isArray(exprs) && exprs.length > 0);
}

/** One element of a list generator (also nested in a matrix or merge): the parameters of one generated Application. */
export interface ListElement {
  element: Obj;
  /** 0-based, among its list's elements. */
  index: number;
  /** Path of the element in the ApplicationSet. */
  path: JsonPath;
}

/** Every element of every list generator of an ApplicationSet. */
export function listElements(root: unknown): ListElement[] {
  const out: ListElement[] = [];
  for (const { generator, path } of generators(root)) {
    const list = generator.list;
    if (!isPlainObject(list) || !Array.isArray(list.elements)) continue;
    list.elements.forEach((element, index) => {
      if (isPlainObject(element)) out.push({ element, index, path: [...path, "list", "elements", index] });
    });
  }
  return out;
}

const PARAMETER = /\{\{\s*\.?([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)\s*\}\}/g;

/** `{{cluster}}`, `{{ .cluster.server }}`: a template value that is one parameter, by its dotted name; else null. */
export function parameterOf(v: unknown): string | null {
  if (typeof v !== "string") return null;
  const m = /^\{\{\s*\.?([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)\s*\}\}$/.exec(v.trim());
  return m ? m[1]! : null;
}

/** A parameter's value in a list generator's element (`values.x` and nested maps by their dotted path). */
export function valueIn(element: Obj, name: string): unknown {
  if (Object.hasOwn(element, name)) return element[name];
  let v: unknown = element;
  for (const part of name.split(".")) v = isPlainObject(v) ? v[part] : undefined;
  return v;
}

/** Where a parameter's value is written in an element (a dotted name that is not a key of its own: by its parts). */
export function parameterPath(le: ListElement, name: string): JsonPath {
  return [...le.path, ...(Object.hasOwn(le.element, name) ? [name] : name.split("."))];
}

/**
 * A template string with each `{{param}}` filled in from one element, and the parameters it used; null when one of
 * them is not a scalar in the element (then what Argo CD renders is not known here).
 */
export function fillFrom(template: string, le: ListElement): { text: string; params: string[] } | null {
  const params: string[] = [];
  let unknown = false;
  const text = template.replace(PARAMETER, (_, name: string) => {
    const v = valueIn(le.element, name);
    if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") {
      unknown = true;
      return "";
    }
    params.push(name);
    return String(v);
  });
  return unknown || text.includes("{{") ? null : { text, params };
}
