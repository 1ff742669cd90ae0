/** A resource during a build: its node plus the bookkeeping kustomize keeps in build annotations. */
import { get, str, type OMap } from "./onode.js";
import { parseApiVersion, type Gvk, type ResId } from "./resid.js";
import type { Src } from "./source.js";

export interface PrevId {
  kind: string;
  name: string;
  namespace: string;
}

export interface Res {
  readonly node: OMap;
  /** Ids before name/namespace changes (kustomize's previousNames/Namespaces/Kinds), oldest first. */
  readonly prevIds: readonly PrevId[];
  /** Name prefixes/suffixes added, innermost first (for telling name references apart). */
  readonly prefixes: readonly string[];
  readonly suffixes: readonly string[];
  /** Generated ConfigMap/Secret whose name gets the content hash at the end of the build. */
  readonly needsHash: boolean;
  /** Generator behavior, for merging generated resources into ones from bases. */
  readonly behavior: "create" | "merge" | "replace" | null;
  readonly definedAt: Src | null;
  /** Files values of this resource came from, the defining file first. */
  readonly files: readonly string[];
  /** The generator that made this resource (kept when an overlay's generator merges into it), for origin annotations. */
  readonly generatedBy?: "ConfigMapGenerator" | "SecretGenerator";
  /** Names of the `vars:` that read a field of this resource (kustomize's refVarNames); see vars.ts. */
  readonly refVars?: readonly string[];
}

export function gvkOf(node: OMap): Gvk {
  const { group, version } = parseApiVersion(str(node, "apiVersion") ?? "");
  return { group, version, kind: str(node, "kind") ?? "" };
}

const ids = new WeakMap<OMap, ResId>();

/** The current id (cached per node: nodes are immutable). */
export function curId(r: Res): ResId {
  let id = ids.get(r.node);
  if (id === undefined) {
    const meta = get(r.node, "metadata");
    id = { ...gvkOf(r.node), name: str(meta, "name") ?? "", namespace: str(meta, "namespace") ?? "" };
    ids.set(r.node, id);
  }
  return id;
}

/** Previous ids with the current apiVersion (as kustomize rebuilds them from annotations). */
export function prevIds(r: Res): ResId[] {
  const g = gvkOf(r.node);
  return r.prevIds.map((p) => ({ group: g.group, version: g.version, kind: p.kind, name: p.name, namespace: p.namespace }));
}

/** The original id: the first previous id, or the current one. */
export function orgId(r: Res): ResId {
  const p = r.prevIds[0];
  if (!p) return curId(r);
  const g = gvkOf(r.node);
  return { group: g.group, version: g.version, kind: p.kind, name: p.name, namespace: p.namespace };
}

export function storePrevId(r: Res): Res {
  const id = curId(r);
  return { ...r, prevIds: [...r.prevIds, { kind: id.kind, name: id.name, namespace: id.namespace }] };
}

export function withNode(r: Res, node: OMap, file?: string): Res {
  if (file === undefined || r.files.includes(file)) return { ...r, node };
  return { ...r, node, files: [...r.files, file] };
}

export function addFile(r: Res, file: string | undefined): Res {
  if (file === undefined || r.files.includes(file)) return r;
  return { ...r, files: [...r.files, file] };
}

/** Labels (or annotations) as a string map, for selectors. */
export function stringMap(r: Res, field: "labels" | "annotations"): Map<string, string> {
  const m = get(get(r.node, "metadata"), field);
  const out = new Map<string, string>();
  if (m && m.t === "m") for (const [k, e] of m.entries) if (e.value.t === "s") out.set(k, e.value.v === null ? "" : String(e.value.v));
  return out;
}
