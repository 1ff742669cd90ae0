/**
 * Kustomize's own transformer and generator configurations (`apiVersion: builtin`) listed under `transformers:` or
 * `generators:`: no plugin runs them, so `kubectl kustomize` builds them offline. Each one this build supports is
 * read as the kustomization fields that do the same thing (a `PatchTransformer` as one `patches:` entry, an
 * `ImageTagTransformer` as one `images:` entry, a `ConfigMapGenerator` as one `configMapGenerator:` entry, …), its
 * nodes kept, so what it writes keeps the config file's lines as origins. Pure.
 */
import { BuildFailure } from "./failure.js";
import { readKustomization, type Kustomization } from "./kustomization.js";
import { get, isOMap, isOSeq, omap, oseq, str, type OEntry, type OMap, type ONode } from "./onode.js";

/** Whether a config document is one of Kustomize's own (`apiVersion: builtin`). */
export function isBuiltinConfig(doc: ONode): doc is OMap {
  return isOMap(doc) && str(doc, "apiVersion") === "builtin";
}

/** The entries of `m` among `keys`, renamed where `rename` says (`jsonOp` → `patch`). */
function pick(m: OMap, keys: readonly string[], rename: Readonly<Record<string, string>> = {}): OMap {
  const out = new Map<string, OEntry>();
  for (const k of keys) {
    const e = m.entries.get(k);
    if (e !== undefined) out.set(rename[k] ?? k, e);
  }
  return omap(out, m.src);
}

/** A kustomization node of one field holding `value`. */
function field(name: string, value: ONode, at: OMap): OMap {
  return omap(new Map([[name, { key: at.src, value }]]), at.src);
}

/** `fieldSpecs` absent, or only `metadata/name` of every kind (what namePrefix/nameSuffix change): the default. */
function defaultNameSpecs(doc: OMap): boolean {
  const specs = get(doc, "fieldSpecs");
  if (specs === undefined) return true;
  return isOSeq(specs) && specs.items.every((s) => isOMap(s) && str(s, "path") === "metadata/name" && [...s.entries.keys()].every((k) => k === "path"));
}

/**
 * A built-in configuration as the kustomization (in `dir`) that does the same; throws a BuildFailure for a kind (or a
 * setting, such as custom `fieldSpecs`) this build does not support. `file` names the config in messages.
 */
export function builtinAsKustomization(doc: OMap, file: string, dir: string): Kustomization {
  const kind = str(doc, "kind") ?? "";
  const one = (name: string, item: ONode): Kustomization => readKustomization(field(name, oseq([item], doc.src), doc), file, dir);
  const unsupported = (why: string): never => {
    throw new BuildFailure(`${file}: the built-in ${kind || "configuration"}${why} is not supported by the in-process render`);
  };
  switch (kind) {
    case "PatchTransformer":
      return one("patches", pick(doc, ["patch", "path", "target", "options"]));
    case "PatchJson6902Transformer":
      return one("patchesJson6902", pick(doc, ["target", "path", "jsonOp"], { jsonOp: "patch" }));
    case "PatchStrategicMergeTransformer": {
      const paths = get(doc, "paths");
      const inline = get(doc, "patches");
      const items = [...(isOSeq(paths) ? paths.items : []), ...(inline !== undefined && !isOSeq(inline) ? [inline] : [])];
      return readKustomization(field("patchesStrategicMerge", oseq(items, doc.src), doc), file, dir);
    }
    case "ImageTagTransformer": {
      const image = get(doc, "imageTag");
      if (get(doc, "fieldSpecs") !== undefined) unsupported(" with fieldSpecs");
      if (!isOMap(image)) unsupported(" without imageTag");
      return one("images", image!);
    }
    case "PrefixSuffixTransformer":
    case "PrefixTransformer":
    case "SuffixTransformer": {
      if (!defaultNameSpecs(doc)) unsupported(" with fieldSpecs other than metadata/name");
      return readKustomization(pick(doc, ["prefix", "suffix"], { prefix: "namePrefix", suffix: "nameSuffix" }), file, dir);
    }
    case "ConfigMapGenerator":
    case "SecretGenerator": {
      const meta = get(doc, "metadata");
      const named = isOMap(meta) ? [...["name", "namespace"].flatMap((k) => (meta.entries.has(k) ? [[k, meta.entries.get(k)!] as const] : []))] : [];
      const rest = pick(doc, ["behavior", "literals", "files", "envs", "env", "options", "type"]);
      const spec = omap(new Map<string, OEntry>([...named, ...rest.entries]), doc.src);
      return one(kind === "ConfigMapGenerator" ? "configMapGenerator" : "secretGenerator", spec);
    }
    default:
      return unsupported("");
  }
}
