/**
 * What `replacements:` says, read the way kustomize reads it. Entries written in the kustomization are read strictly
 * with the rest of it (unknown fields are errors); an entry `path: file.yaml` names a file holding one replacement or
 * a list of them, which kustomize's ReplacementTransformer reads leniently: YAML 1.1 turned into JSON, unknown
 * fields ignored, the first document only. Empty lists written in the kustomization count as absent (kustomize
 * writes the kustomization out again before configuring the transformer, dropping them); in a file they do not.
 */
import { BuildFailure } from "./failure.js";
import { isOMap, isOScalar, isOSeq, type OMap, type ONode } from "./onode.js";
import type { Src } from "./source.js";

/** kustomize's ResId fields of a selector; "" is unset. */
export interface ReplacementId {
  group: string;
  version: string;
  kind: string;
  name: string;
  namespace: string;
}

export interface ReplacementSelector extends ReplacementId {
  labelSelector: string;
  annotationSelector: string;
}

export interface FieldOptions {
  delimiter: string;
  index: number;
  create: boolean;
}

export interface FieldPathItem {
  value: string;
  at: Src | null;
}

export interface ReplacementSource {
  id: ReplacementId;
  fieldPath: string;
  options: FieldOptions | null;
}

export interface ReplacementTarget {
  select: ReplacementSelector | null;
  reject: ReplacementSelector[];
  fieldPaths: FieldPathItem[];
  options: FieldOptions | null;
  at: Src | null;
}

export interface Replacement {
  source: ReplacementSource | null;
  targets: ReplacementTarget[] | null;
  /** Where it is written, for messages (`apps/kustomization.yaml: replacements[0]`). */
  where: string;
}

/** One entry of a kustomization's `replacements:`: inline, or the file that holds some. */
export type ReplacementEntry = { kind: "inline"; replacement: Replacement } | { kind: "path"; path: FieldPathItem; where: string };

const ID_FIELDS = ["group", "version", "kind", "name", "namespace"] as const;
const SELECTOR_FIELDS = [...ID_FIELDS, "labelSelector", "annotationSelector"] as const;
const OPTION_FIELDS = ["delimiter", "index", "encoding", "create"] as const;

function absent(n: ONode | undefined): n is undefined {
  return n === undefined || (n.t === "s" && n.v === null);
}

class SpecReader {
  constructor(
    /** Message prefix: `invalid Kustomization FILE` or the replacements file. */
    private readonly prefix: string,
    /** Inline in a kustomization: unknown fields are errors and empty lists count as absent. */
    readonly strict: boolean,
  ) {}

  fail(field: string, expected: string): never {
    throw new BuildFailure(`${this.prefix}: ${field}: expected ${expected}`);
  }

  map(n: ONode | undefined, field: string, allowed: readonly string[]): OMap | null {
    if (absent(n)) return null;
    if (!isOMap(n)) this.fail(field, "a map");
    if (this.strict) {
      for (const k of n.entries.keys()) if (!allowed.includes(k)) throw new BuildFailure(`${this.prefix}: unknown field "${field}.${k}"`);
    }
    return n;
  }

  list(n: ONode | undefined, field: string): ONode[] | null {
    if (absent(n)) return null;
    if (!isOSeq(n)) this.fail(field, "a list");
    return n.items.length === 0 && this.strict ? null : [...n.items];
  }

  str(n: ONode | undefined, field: string): string {
    if (absent(n)) return "";
    if (!isOScalar(n) || typeof n.v !== "string") this.fail(field, "a string");
    return n.v;
  }

  int(n: ONode | undefined, field: string): number {
    if (absent(n)) return 0;
    if (!isOScalar(n) || typeof n.v !== "number" || !Number.isSafeInteger(n.v)) this.fail(field, "an integer");
    return n.v;
  }

  bool(n: ONode | undefined, field: string): boolean {
    if (absent(n)) return false;
    if (!isOScalar(n) || typeof n.v !== "boolean") this.fail(field, "true or false");
    return n.v;
  }
}

function field(m: OMap, key: string): ONode | undefined {
  return m.entries.get(key)?.value;
}

function readId(r: SpecReader, m: OMap, at: string): ReplacementId {
  const s = (k: string) => r.str(field(m, k), `${at}.${k}`);
  return { group: s("group"), version: s("version"), kind: s("kind"), name: s("name"), namespace: s("namespace") };
}

function readSelector(r: SpecReader, n: ONode | undefined, at: string): ReplacementSelector | null {
  const m = r.map(n, at, SELECTOR_FIELDS);
  if (m === null) return null;
  return { ...readId(r, m, at), labelSelector: r.str(field(m, "labelSelector"), `${at}.labelSelector`), annotationSelector: r.str(field(m, "annotationSelector"), `${at}.annotationSelector`) };
}

function readOptions(r: SpecReader, n: ONode | undefined, at: string): FieldOptions | null {
  const m = r.map(n, at, OPTION_FIELDS);
  if (m === null) return null;
  r.str(field(m, "encoding"), `${at}.encoding`);
  return { delimiter: r.str(field(m, "delimiter"), `${at}.delimiter`), index: r.int(field(m, "index"), `${at}.index`), create: r.bool(field(m, "create"), `${at}.create`) };
}

function readTarget(r: SpecReader, n: ONode, at: string): ReplacementTarget {
  const m = r.map(n, at, ["select", "reject", "fieldPaths", "options"]);
  if (m === null) r.fail(at, "a map");
  const reject = (r.list(field(m, "reject"), `${at}.reject`) ?? []).map((x, i) => {
    const s = readSelector(r, x, `${at}.reject[${i}]`);
    if (s === null) r.fail(`${at}.reject[${i}]`, "a map");
    return s;
  });
  const fieldPaths = (r.list(field(m, "fieldPaths"), `${at}.fieldPaths`) ?? []).map((x, i) => ({ value: r.str(x, `${at}.fieldPaths[${i}]`), at: x.src }));
  return { select: readSelector(r, field(m, "select"), `${at}.select`), reject, fieldPaths, options: readOptions(r, field(m, "options"), `${at}.options`), at: m.src };
}

function readReplacement(r: SpecReader, m: OMap, at: string, where: string): Replacement {
  const sm = r.map(field(m, "source"), `${at}.source`, [...ID_FIELDS, "fieldPath", "options"]);
  const source: ReplacementSource | null =
    sm === null ? null : { id: readId(r, sm, `${at}.source`), fieldPath: r.str(field(sm, "fieldPath"), `${at}.source.fieldPath`), options: readOptions(r, field(sm, "options"), `${at}.source.options`) };
  const targets = r.list(field(m, "targets"), `${at}.targets`)?.map((x, i) => readTarget(r, x, `${at}.targets[${i}]`)) ?? null;
  return { source, targets, where };
}

/** The `replacements:` of a kustomization (read strictly, as the rest of it). */
export function readReplacementEntries(n: ONode | undefined, file: string): ReplacementEntry[] {
  const r: SpecReader = new SpecReader(`invalid Kustomization ${file}`, true);
  return (r.list(n, "replacements") ?? []).map((x, i): ReplacementEntry => {
    const at = `replacements[${i}]`;
    const m = r.map(x, at, ["path", "source", "targets"]);
    if (m === null) r.fail(at, "a map");
    const path = r.str(field(m, "path"), `${at}.path`);
    const replacement = readReplacement(r, m, at, `${file}: ${at}`);
    if (path === "") return { kind: "inline", replacement };
    if (replacement.source !== null || replacement.targets !== null) {
      throw new BuildFailure(`${file}: ${at}: cannot specify both path and inline replacement`);
    }
    return { kind: "path", path: { value: path, at: field(m, "path")!.src }, where: `${file}: ${at}` };
  });
}

/** The replacements of a file named by `path:` (its first YAML 1.1 document: one replacement, or a list). */
export function readReplacementFile(docs: readonly ONode[], path: string): Replacement[] {
  const r: SpecReader = new SpecReader(path, false);
  const doc = docs[0];
  if (isOSeq(doc)) {
    return doc.items.map((x, i) => {
      if (absent(x)) return { source: null, targets: null, where: `${path}: [${i}]` };
      const m = r.map(x, `[${i}]`, []);
      if (m === null) r.fail(`[${i}]`, "a replacement (a map)");
      return readReplacement(r, m, `[${i}]`, `${path}: [${i}]`);
    });
  }
  if (isOMap(doc)) return [readReplacement(r, doc, "replacement", path)];
  const kind = doc === undefined || doc.v === null ? "invalid" : typeof doc.v === "number" ? "float64" : typeof doc.v;
  throw new BuildFailure(`${path}: unsupported replacement type encountered within replacement path: ${kind}`);
}
