/**
 * Patches: `patchesStrategicMerge`, `patches` (strategic merge or JSON 6902, inline or from a file, with or
 * without `target`) and `patchesJson6902`, applied the way kustomize's PatchStrategicMerge/Patch/PatchJson6902
 * transformers do. Values a patch writes keep the patch's origin (its file, or its line in kustomization.yaml).
 */
import { BuildFailure } from "./failure.js";
import { goTimestamp, scalarText, TIMESTAMP_LED } from "./go-yaml-scalar.js";
import { applyJsonPatch, readOps, type JsonOp } from "./json-patch.js";
import type { MergeSchemas } from "./merge-schema.js";
import { containsDuplicateKeys, get, isOMap, isOSeq, omap, oscalar, str, withEntry, withoutEntry, type DuplicateKeys, type OMap, type ONode } from "./onode.js";
import { curId, gvkOf, orgId, prevIds, stringMap, storePrevId, withNode, type Res } from "./res.js";
import { effectiveNamespace, idString, sameId, type ResId } from "./resid.js";
import { compileSelector, matchesLabels, type Selector } from "./selector.js";
import { strategicMerge } from "./smp.js";

export type LoadedPatch = { kind: "smp"; docs: OMap[]; file: string } | { kind: "json"; ops: JsonOp[]; file: string };

/** Tells a strategic merge patch from a JSON 6902 one, as kustomize's PatchTransformer does. */
export function classifyPatch(docs: readonly ONode[], what: string, file: string): LoadedPatch {
  if (docs.length === 0) throw new BuildFailure(`${what}: empty patch`);
  if (docs.length === 1 && isOSeq(docs[0])) return { kind: "json", ops: readOps(docs[0]!, what), file };
  if (docs.every(isOMap)) {
    const objects = patchObjects(docs as OMap[], what);
    // kustomize finds no strategic merge patch in it and reads it as JSON 6902, which an object is not.
    if (objects.length === 0) throw new BuildFailure(`${what}: json: cannot unmarshal object into Go value of type jsonpatch.Patch`);
    return { kind: "smp", docs: objects, file };
  }
  throw new BuildFailure(`${what}: unable to parse SM or JSON patch`);
}

/**
 * A patch as kustomize reads it when a key is written twice: a strategic merge patch is read by kyaml, which finds a
 * field's first key (see `containsDuplicateKeys` for where that fails), a JSON 6902 patch by sigs.k8s.io/yaml, which
 * keeps the last (kubectl kustomize agrees on both).
 */
export function classifyPatchAsRead(read: (duplicateKeys: DuplicateKeys) => readonly ONode[], what: string, file: string): LoadedPatch {
  const patch = classifyPatch(read("first"), what, file);
  if (patch.kind !== "json") return patch;
  const docs = read("last");
  return docs.some(containsDuplicateKeys) ? classifyPatch(docs, what, file) : patch;
}

/**
 * The objects of a strategic merge patch as kustomize's resource factory reads them (`SliceFromBytes`): empty
 * documents are dropped and a `…List` with `items` stands for its items, which come after the other documents.
 */
export function patchObjects(docs: readonly OMap[], what: string): OMap[] {
  const queue: ONode[] = [...docs];
  const out: OMap[] = [];
  while (queue.length) {
    const node = queue.shift()!;
    if (!isOMap(node)) throw new BuildFailure(`${what}: a strategic merge patch must be a map`);
    if (node.entries.size === 0) continue;
    const items = (str(node, "kind") ?? "").endsWith("List") ? get(node, "items") : undefined;
    if (items === undefined) {
      out.push(node);
      continue;
    }
    if (items.t === "s" && items.v === null) continue;
    if (!isOSeq(items)) throw new BuildFailure(`${what}: expected array in ${str(node, "kind")}/items`);
    queue.push(...items.items);
  }
  return out;
}

function patchId(p: OMap): ResId {
  const g = gvkOf(p);
  const meta = get(p, "metadata");
  return { ...g, name: str(meta, "name") ?? "", namespace: str(meta, "namespace") ?? "" };
}

/** GetById: the one resource whose current or a previous id equals `id`. */
function findById(list: readonly Res[], id: ResId, what: string): number {
  const hits: number[] = [];
  list.forEach((r, i) => {
    if ([curId(r), ...prevIds(r)].some((x) => sameId(x, id))) hits.push(i);
  });
  if (hits.length === 1) return hits[0]!;
  if (hits.length > 1) throw new BuildFailure(`${what}: multiple matches for ${idString(id)}`);
  throw new BuildFailure(`${what}: no resource matches ${idString(id)} (kind ${id.kind || "?"}, apiVersion ${[id.group, id.version].filter(Boolean).join("/") || "?"})`);
}

export function select(list: readonly Res[], target: Selector): number[] {
  const sel = compileSelector(target);
  const out: number[] = [];
  list.forEach((r, i) => {
    const cur = curId(r);
    const org = orgId(r);
    if (sel.namespace && !sel.namespace.test(effectiveNamespace(org)) && !sel.namespace.test(effectiveNamespace(cur))) return;
    if (sel.name && !sel.name.test(org.name) && !sel.name.test(cur.name)) return;
    if (sel.group && !sel.group.test(cur.group)) return;
    if (sel.version && !sel.version.test(cur.version)) return;
    if (sel.kind && !sel.kind.test(cur.kind)) return;
    if (sel.labels && !matchesLabels(sel.labels, stringMap(r, "labels"))) return;
    if (sel.annotations && !matchesLabels(sel.annotations, stringMap(r, "annotations"))) return;
    out.push(i);
  });
  return out;
}

function setMeta(node: OMap, key: "name" | "namespace", from: OMap): OMap {
  const meta = get(node, "metadata");
  const orig = (get(from, "metadata") as OMap | undefined)?.entries.get(key);
  const m = isOMap(meta) ? meta : null;
  if (orig === undefined) {
    if (m === null || !m.entries.has(key)) return node;
    return withEntry(node, "metadata", withoutEntry(m, key), node.entries.get("metadata")?.key);
  }
  const base = m ?? (from.entries.get("metadata")!.value as OMap);
  return withEntry(node, "metadata", withEntry(base, key, orig.value, orig.key), node.entries.get("metadata")?.key ?? from.entries.get("metadata")?.key);
}

/** Resource.ApplySmPatch: merge, then put back kind, name (unless allowed to change) and namespace. */
function applySmp(r: Res, patch: OMap, options: Record<string, boolean>, file: string, schemas: MergeSchemas): Res | null {
  const before = r.node;
  let res = r;
  if (options.allowNameChange || options.allowKindChange) res = storePrevId(res);
  const merged = strategicMerge(before, patch, schemas(gvkOf(before)));
  if (merged === undefined || !isOMap(merged) || merged.entries.size === 0) return null;
  let node = merged;
  if (!options.allowKindChange) {
    const k = before.entries.get("kind");
    node = k ? withEntry(node, "kind", k.value, k.key) : withoutEntry(node, "kind");
  }
  if (!options.allowNameChange) node = setMeta(node, "name", before);
  node = setMeta(node, "namespace", before);
  return withNode(res, node, file);
}

/**
 * A targeted patch's labels and annotations go through kustomize's map[string]string copy first: values become
 * strings (`null` → "null") and an empty map disappears.
 */
function stringifyMeta(patch: OMap): OMap {
  const meta = get(patch, "metadata");
  if (!isOMap(meta)) return patch;
  let m: OMap = meta;
  for (const key of ["labels", "annotations"]) {
    const v = m.entries.get(key);
    if (v === undefined) continue;
    m = isOMap(v.value) && v.value.entries.size > 0 ? withEntry(m, key, stringValues(v.value), v.key) : withoutEntry(m, key);
  }
  return withEntry(patch, "metadata", m, patch.entries.get("metadata")?.key);
}

/** A map whose scalar values are strings, as Go's map[string]string would hold them. */
export function stringValues(m: OMap): OMap {
  const entries = new Map(m.entries);
  for (const [k, e] of m.entries) {
    // A number or boolean keeps its spelling (`0644`, `1.10`, `True`), as kustomize keeps the text of a string field.
    if (e.value.t === "s" && typeof e.value.v !== "string") entries.set(k, { key: e.key, value: oscalar(e.value.v === null ? "null" : scalarText(e.value), e.value.src) });
    // A plain timestamp keeps its spelling too (`2001-12-14`, not 2001-12-14T00:00:00Z; `2001-12-14t21:59:43.10Z`).
    else if (e.value.t === "s" && typeof e.value.v === "string" && TIMESTAMP_LED.test(e.value.v) && e.value.src && !PRINTED_THROUGH_JSON.has(e.value)) {
      const text = e.value.src.f.text.slice(e.value.src.s, e.value.src.e);
      if (text !== e.value.v && goTimestamp(text) === e.value.v) entries.set(k, { key: e.key, value: oscalar(text, e.value.src) });
    }
  }
  return omap(entries, m.src);
}

function smpWithTarget(list: Res[], docs: readonly OMap[], target: Selector | null, options: Record<string, boolean>, file: string, what: string, schemas: MergeSchemas): Res[] {
  let out = list;
  for (const doc of docs) {
    if (target === null) {
      const i = findById(out, patchId(doc), what);
      const r = applySmp(out[i]!, doc, options, file, schemas);
      out = r === null ? out.filter((_, j) => j !== i) : out.map((x, j) => (j === i ? r : x));
      continue;
    }
    const hits = new Set(select(out, target));
    const next: Res[] = [];
    const targeted = stringifyMeta(doc);
    out.forEach((x, j) => {
      if (!hits.has(j)) return next.push(x);
      const r = applySmp(x, withApiVersionOf(targeted, x.node), options, file, schemas);
      if (r !== null) next.push(r);
    });
    out = next;
  }
  return out;
}

/**
 * kustomize's PatchTransformer gives its copy of a targeted strategic merge patch the selected object's group and
 * version (`SetGvk`, then the patch's own kind back): a patch written for `v1` leaves a `v2` object's apiVersion alone,
 * even with allowKindChange.
 */
function withApiVersionOf(patch: OMap, target: OMap): OMap {
  const own = target.entries.get("apiVersion");
  const written = patch.entries.get("apiVersion");
  if (own === undefined || (written !== undefined && written.value.t === "s" && own.value.t === "s" && written.value.v === own.value.v)) return patch;
  return withEntry(patch, "apiVersion", own.value, own.key);
}

function jsonWithTarget(list: Res[], ops: readonly JsonOp[], target: Selector, file: string, what: string): Res[] {
  const hits = new Set(select(list, target));
  return list.map((r, i) => {
    if (!hits.has(i)) return r;
    const res = storePrevId(r);
    const node = applyJsonPatch(withBuildAnnotations(res), ops, what);
    if (!isOMap(node)) throw new BuildFailure(`${what}: the patch did not leave an object`);
    return withNode(res, annotationsThroughJson(withoutBuildAnnotations(node, res)), file);
  });
}

/**
 * The build annotations kustomize keeps on an object during the build (its earlier ids, the prefixes and suffixes
 * added, a generator's behavior and hash mark), as a JSON 6902 patch sees them; absent ones are not set. (A generator
 * that writes no `behavior` is "unspecified" to kustomize and "create" here: only a patch that copies the whole
 * annotations map of a generated object out of it can tell.)
 */
function buildAnnotations(r: Res): Array<[string, string | null]> {
  const ids = (field: "kind" | "name" | "namespace"): string => r.prevIds.map((id) => (field === "namespace" ? id.namespace || "default" : id[field])).join(",");
  const list = (items: readonly string[]): string | null => (items.length > 0 ? items.join(",") : null);
  return [
    ["generatorBehavior", r.generatedBy !== undefined ? (r.behavior ?? "unspecified") : null],
    ["needsHashSuffix", r.needsHash ? "enabled" : null],
    ["prefixes", list(r.prefixes)],
    ["suffixes", list(r.suffixes)],
    ["previousKinds", ids("kind")],
    ["previousNames", ids("name")],
    ["previousNamespaces", ids("namespace")],
  ].map(([name, value]) => [`internal.config.kubernetes.io/${name!}`, value]);
}

/**
 * The object as kustomize hands it to a JSON 6902 patch: its annotations hold kustomize's build annotations (the
 * earlier ids just stored among them), so `metadata/annotations` exists even when the object has none — a `copy`, `move` or `add` into
 * `/metadata/annotations/x` works, and `remove /metadata/annotations` does too (kubectl kustomize agrees:
 * test/kustomize/kubectl-cases/json6902-into-annotations).
 */
function withBuildAnnotations(r: Res): OMap {
  const meta = get(r.node, "metadata");
  if (!isOMap(meta)) return r.node;
  const old = meta.entries.get("annotations");
  if (old !== undefined && !isOMap(old.value) && !(old.value.t === "s" && old.value.v === null)) return r.node;
  let annotations: OMap = isOMap(old?.value) ? old.value : omap(new Map(), null);
  for (const [name, value] of buildAnnotations(r)) if (value !== null) annotations = withEntry(annotations, name, oscalar(value, null), null);
  return withEntry(r.node, "metadata", withEntry(meta, "annotations", annotations, old?.key ?? null), r.node.entries.get("metadata")?.key);
}

/** The build annotations taken out again after the patch (the build keeps what they say in `Res`). */
function withoutBuildAnnotations(node: OMap, r: Res): OMap {
  const meta = get(node, "metadata");
  const annotations = get(meta, "annotations");
  if (!isOMap(meta) || !isOMap(annotations)) return node;
  let kept = annotations;
  for (const [name] of buildAnnotations(r)) kept = withoutEntry(kept, name);
  if (kept === annotations) return node;
  return withEntry(node, "metadata", withEntry(meta, "annotations", kept, meta.entries.get("annotations")?.key), node.entries.get("metadata")?.key);
}

/** Annotation values a JSON round trip has printed: their spelling is gone, so `stringValues` must not bring it back. */
const PRINTED_THROUGH_JSON = new WeakSet<ONode>();

/**
 * kustomize applies a JSON 6902 patch to the object as JSON and reads it back: an annotation's value is then the value
 * printed (`True` is "true", `0644` is "420", `1.10` is "1.1", a timestamp as Go prints it), not its spelling.
 */
function annotationsThroughJson(node: OMap): OMap {
  const meta = get(node, "metadata");
  const annotations = get(meta, "annotations");
  if (!isOMap(meta) || !isOMap(annotations)) return node;
  const entries = new Map(annotations.entries);
  for (const [k, e] of annotations.entries) {
    const v = e.value;
    if (v.t !== "s" || v.v === null || (typeof v.v === "string" && !TIMESTAMP_LED.test(v.v))) continue;
    const printed = oscalar(typeof v.v === "number" ? goJsonNumber(v.v) : String(v.v), v.src);
    PRINTED_THROUGH_JSON.add(printed);
    entries.set(k, { key: e.key, value: printed });
  }
  const a = omap(entries, annotations.src);
  return withEntry(node, "metadata", withEntry(meta, "annotations", a, meta.entries.get("annotations")?.key), node.entries.get("metadata")?.key);
}

/** A number as it comes back from JSON through go-yaml: an integer as one, else Go's shortest `%g` (`1e-05`, `1.5e+06`). */
function goJsonNumber(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 2 ** 63) return BigInt(v).toString();
  const [mantissa, exp] = v.toExponential().split("e") as [string, string];
  const e = Number(exp);
  if (e >= -4 && e < 6) return String(v);
  return `${mantissa}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
}

/** Applies a loaded patch; a strategic merge one with the merge schema in effect (built-in, or the build's `openapi:`). */
export function applyPatch(list: Res[], patch: LoadedPatch, target: Selector | null, options: Record<string, boolean>, what: string, schemas: MergeSchemas): Res[] {
  if (patch.kind === "smp") {
    if (target !== null && patch.docs.length > 1) {
      throw new BuildFailure(`${what}: Multiple Strategic-Merge Patches in one \`patches\` entry is not allowed to set \`patches.target\` field`);
    }
    return smpWithTarget(list, patch.docs, target, options, patch.file, what, schemas);
  }
  if (target === null) throw new BuildFailure(`${what}: a JSON 6902 patch needs a target`);
  return jsonWithTarget(list, patch.ops, target, patch.file, what);
}
