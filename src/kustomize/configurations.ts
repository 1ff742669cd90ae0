/**
 * Reading a `configurations:` file (kustomize's builtinconfig makeTransformerConfigFromBytes): a TransformerConfig
 * document, decoded as sigs.k8s.io/yaml's strict unmarshal does — keys match field names without regard to case,
 * unknown fields and wrongly typed values are errors, only the first YAML document counts.
 */
import { BuildFailure } from "./failure.js";
import { goJsonFields } from "./go-json.js";
import type { FieldSpec } from "./fieldspec.js";
import { isNull, isOMap, isOScalar, isOSeq, type OMap, type ONode } from "./onode.js";
import { DEFAULT_CONFIG, EMPTY_CONFIG, FS_FIELDS, mergeConfig, sortedConfig, type FsField, type NameBackRef, type TransformerConfig } from "./transformer-config.js";

class ConfigReader {
  constructor(private readonly file: string) {}

  fail(field: string, problem: string): never {
    throw new BuildFailure(`${this.file}: invalid transformer configuration: ${field}: ${problem}`);
  }

  /** The entries of a map by the field they set (Go's case-insensitive field match; a later key for the same field wins). */
  fields(n: ONode, where: string, known: readonly string[]): Map<string, ONode> {
    if (!isOMap(n)) this.fail(where, "expected a map");
    return goJsonFields(n as OMap, known, (key) => this.fail(where, `unknown field "${key}"`));
  }

  str(n: ONode | undefined, where: string): string | undefined {
    if (isNull(n)) return undefined;
    if (!isOScalar(n) || typeof n!.v !== "string") this.fail(where, "expected a string");
    return (n as { v: string }).v || undefined;
  }

  list(n: ONode | undefined, where: string): ONode[] {
    if (isNull(n)) return [];
    if (!isOSeq(n)) this.fail(where, "expected a list");
    return [...n.items];
  }

  fieldSpec(n: ONode, where: string): FieldSpec {
    if (isNull(n)) return { path: "" };
    const f = this.fields(n, where, ["group", "version", "kind", "path", "create"]);
    const create = f.get("create");
    if (!isNull(create) && (!isOScalar(create) || typeof create!.v !== "boolean")) this.fail(`${where}.create`, "expected true or false");
    const spec: FieldSpec = { path: this.str(f.get("path"), `${where}.path`) ?? "", create: create?.t === "s" && create.v === true };
    for (const k of ["group", "version", "kind"] as const) {
      const v = this.str(f.get(k), `${where}.${k}`);
      if (v !== undefined) spec[k] = v;
    }
    return spec;
  }

  nameReference(n: ONode, where: string): NameBackRef {
    if (isNull(n)) return { kind: "", referrers: [] };
    const f = this.fields(n, where, ["group", "version", "kind", "fieldSpecs"]);
    const ref: NameBackRef = {
      kind: this.str(f.get("kind"), `${where}.kind`) ?? "",
      referrers: this.list(f.get("fieldSpecs"), `${where}.fieldSpecs`).map((x, i) => this.fieldSpec(x, `${where}.fieldSpecs[${i}]`)),
    };
    for (const k of ["group", "version"] as const) {
      const v = this.str(f.get(k), `${where}.${k}`);
      if (v !== undefined) ref[k] = v;
    }
    return ref;
  }
}

/** One file's own config (makeTransformerConfigFromBytes, without the defaults). `docs` are the file's YAML documents. */
export function readConfiguration(docs: readonly ONode[], file: string): TransformerConfig {
  const doc = docs[0];
  if (isNull(doc)) return EMPTY_CONFIG;
  const r = new ConfigReader(file);
  const f = r.fields(doc!, "the document", [...FS_FIELDS, "nameReference"]);
  const own: { -readonly [K in keyof TransformerConfig]: TransformerConfig[K] } = { ...EMPTY_CONFIG };
  for (const k of FS_FIELDS) own[k as FsField] = r.list(f.get(k), k).map((x, i) => r.fieldSpec(x, `${k}[${i}]`));
  own.nameReference = r.list(f.get("nameReference"), "nameReference").map((x, i) => r.nameReference(x, `nameReference[${i}]`));
  return own;
}

/**
 * MakeTransformerConfig: the files merged one by one into an empty config (loadDefaultConfig), then into the
 * defaults. Without files, the defaults themselves.
 */
export function targetConfig(files: readonly TransformerConfig[]): TransformerConfig {
  if (files.length === 0) return DEFAULT_CONFIG;
  // makeTransformerConfigFromBytes sorts a file's lists before they are merged.
  const own = files.reduce((acc, f) => mergeConfig(acc, sortedConfig(f)), EMPTY_CONFIG);
  return mergeConfig(DEFAULT_CONFIG, own);
}
