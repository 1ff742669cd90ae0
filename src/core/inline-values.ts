/**
 * Where a finding sits in an Argo CD Application's inline Helm values, whatever form they are written in: the same
 * key with the same value in `helm.values` (a YAML string), `helm.valuesObject` (a map) or `helm.parameters`
 * (`{name: image.tag, value: latest}`) is the same value given to the same chart. A pull request that only rewrites
 * one form as another (held-out round 16: `values: |` turned into `valuesObject:` with the same content gave 2 new +
 * 2 fixed) changes no risk: the review pairs such findings (see moved.ts `pairSameValues`). Pure.
 *
 * The key is the source (`spec.source`, `spec.sources[1]`, an ApplicationSet's template's), the key path inside the
 * values (`image.tag`) and a digest of the value (SHA-256, in memory only: never in a report, fingerprint or log).
 */
import { createHash } from "node:crypto";
import { isScalar, parseDocument } from "yaml";
import { isPlainObject } from "../parse/classify.js";
import { argocdSources, withinOf } from "../parse/image-sources.js";
import type { ParsedDoc, ParsedFile } from "../parse/yaml-file.js";
import { formatPath, type JsonPath } from "./path.js";
import type { RawFinding } from "./types.js";

const SEP = "\u0000";

/** A scalar of some values: its path inside them, its value, and the line (and columns) it is written at in the file. */
interface Leaf {
  path: JsonPath;
  value: string;
  line: number;
  column: number;
  endColumn: number;
}

/** The scalars of a plain value, with their paths (list items by index). */
function scalars(value: unknown, path: JsonPath = []): Array<{ path: JsonPath; value: string }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => scalars(v, [...path, i]));
  if (isPlainObject(value)) return Object.entries(value).flatMap(([k, v]) => scalars(v, [...path, k]));
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return [{ path, value: String(value) }];
  return [];
}

/** The scalars of a `valuesObject`, each at the line of its value. */
function objectLeaves(doc: ParsedDoc, at: JsonPath, values: unknown): Leaf[] {
  return scalars(values).map(({ path, value }) => {
    const r = doc.locate([...at, ...path]);
    return { path, value, line: r.line, column: r.column, endColumn: r.line === r.endLine ? r.endColumn : Number.MAX_SAFE_INTEGER };
  });
}

/**
 * The scalars of a `helm.values` string, each at the line of the file it is written on (found as the image and secrets
 * rules find a line inside the string: its text and how many times that text occurs before it). A string that does
 * not parse as YAML, or whose lines the file text does not show verbatim, has none.
 */
function stringLeaves(file: ParsedFile, doc: ParsedDoc, at: JsonPath, text: string): Leaf[] {
  const embedded = parseDocument(text, { uniqueKeys: false });
  if (embedded.errors.length > 0 || file.text === null) return [];
  let value: unknown;
  try {
    value = embedded.toJS();
  } catch {
    return []; // an alias bomb: nothing to read
  }
  const [start, end] = doc.spanOf(at);
  const scalar = file.text.slice(start, end);
  const out: Leaf[] = [];
  for (const leaf of scalars(value)) {
    if (!isScalar(embedded.getIn(leaf.path, true))) continue;
    const within = withinOf(text, embedded, leaf.path);
    if (!within || within.needle === "") continue;
    let i = scalar.indexOf(within.needle);
    for (let n = 0; n < within.occurrence && i >= 0; n++) i = scalar.indexOf(within.needle, i + 1);
    if (i < 0) continue;
    const r = doc.rangeOf(start + i + within.value[0], start + i + within.value[1]);
    out.push({ ...leaf, line: r.line, column: r.column, endColumn: r.endColumn });
  }
  return out;
}

/** The Helm parameters of a source, each as the key path `--set` gives it (`image.tag`) at the line of its value. */
function parameterLeaves(doc: ParsedDoc, at: JsonPath, parameters: readonly unknown[]): Leaf[] {
  const out: Leaf[] = [];
  parameters.forEach((p, i) => {
    if (!isPlainObject(p) || typeof p.name !== "string" || p.name.trim() === "") return;
    if (typeof p.value !== "string" && typeof p.value !== "number" && typeof p.value !== "boolean") return;
    const r = doc.locate([...at, i, "value"]);
    out.push({ path: p.name.trim().split("."), value: String(p.value), line: r.line, column: r.column, endColumn: r.line === r.endLine ? r.endColumn : Number.MAX_SAFE_INTEGER });
  });
  return out;
}

/** The leaf a finding points at: the one on its line (the one whose columns hold its column, when several are). */
function leafAt(leaves: readonly Leaf[], f: RawFinding): Leaf | undefined {
  const onLine = leaves.filter((l) => l.line === f.line);
  return onLine.find((l) => l.column <= f.column && f.column <= l.endColumn) ?? onLine[0];
}

function digest(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

/**
 * The inline values key of each finding of a file that points into an Argo CD source's `helm.values`,
 * `helm.valuesObject` or `helm.parameters` (see the module comment); the others have none.
 */
export function inlineValuesKeys<F extends RawFinding>(file: ParsedFile, findings: readonly F[]): Map<F, string> {
  const out = new Map<F, string>();
  const byDoc = new Map<number, F[]>();
  for (const f of findings) {
    if (!f.path.includes(".helm.")) continue;
    const list = byDoc.get(f.docIndex);
    if (list) list.push(f);
    else byDoc.set(f.docIndex, [f]);
  }
  for (const [index, list] of byDoc) {
    const doc = file.docs.find((d) => d.index === index);
    if (!doc) continue;
    for (const [source, at] of argocdSources(doc)) {
      const helm = isPlainObject(source) ? source.helm : undefined;
      if (!isPlainObject(helm)) continue;
      const prefix = formatPath([...at, "helm"]);
      const forms: Array<[string, () => Leaf[]]> = [];
      if (typeof helm.values === "string") forms.push([`${prefix}.values`, () => stringLeaves(file, doc, [...at, "helm", "values"], helm.values as string)]);
      if (isPlainObject(helm.valuesObject)) forms.push([`${prefix}.valuesObject`, () => objectLeaves(doc, [...at, "helm", "valuesObject"], helm.valuesObject)]);
      if (Array.isArray(helm.parameters)) forms.push([`${prefix}.parameters`, () => parameterLeaves(doc, [...at, "helm", "parameters"], helm.parameters as unknown[])]);
      for (const [path, read] of forms) {
        const inside = list.filter((f) => f.path === path || f.path.startsWith(`${path}.`) || f.path.startsWith(`${path}[`));
        if (inside.length === 0) continue;
        const leaves = read();
        for (const f of inside) {
          const leaf = leafAt(leaves, f);
          if (leaf) out.set(f, [formatPath(at), formatPath(leaf.path), digest(leaf.value)].join(SEP));
        }
      }
    }
  }
  return out;
}
