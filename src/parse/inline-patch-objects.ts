import type { JsonPath } from "../core/path.js";
import { isPlainObject } from "./classify.js";

/**
 * A kustomization's inline patch (`patches[].patch`, `patchesJson6902[].patch`, a `patchesStrategicMerge` entry written
 * as a block) as the part of an object it writes, so the document rules judge it as they judge the same patch written
 * in a file of its own. It matters where the root is reviewed file by file (its patch aims at an object the render
 * cannot see: a `helmCharts:` chart's, a remote base's — the usual Argo CD install overlay patching `argocd-server`):
 * a patch file is judged there as a document, and an inline patch was not judged at all (held-out round 21: an inline
 * `hostNetwork: true` passed with no finding, the same patch in a file failed the check). Pure; nothing is read from
 * the base. Argo CD's own objects and ConfigMaps are helm-argocd-values.ts's (judged by the Argo CD rules).
 */

type Obj = Record<string, unknown>;

/** What an inline patch writes into its target, and which paths of that object it writes. */
export interface PatchedPart {
  value: Obj;
  /** Whether a path of `value` is one the patch writes (or holds what it writes), not one filled in to name the object. */
  writes: (path: JsonPath) => boolean;
  /** The path in the patch's own text (a strategic-merge document, or a list of JSON 6902 ops) where a path of `value` is written. */
  inPatch: (path: JsonPath) => JsonPath;
}

/**
 * The API version of the kinds a patch's `target` usually names without `group`/`version` (Kustomize matches any
 * version then). A kind not here, with no version from the patch or target, is not judged: what it is is unknown.
 */
const KNOWN_API_VERSIONS: Readonly<Record<string, string>> = {
  Pod: "v1",
  Service: "v1",
  ServiceAccount: "v1",
  ConfigMap: "v1",
  Secret: "v1",
  Namespace: "v1",
  PersistentVolume: "v1",
  PersistentVolumeClaim: "v1",
  ReplicationController: "v1",
  Deployment: "apps/v1",
  StatefulSet: "apps/v1",
  DaemonSet: "apps/v1",
  ReplicaSet: "apps/v1",
  Job: "batch/v1",
  CronJob: "batch/v1",
  Ingress: "networking.k8s.io/v1",
  NetworkPolicy: "networking.k8s.io/v1",
  Role: "rbac.authorization.k8s.io/v1",
  ClusterRole: "rbac.authorization.k8s.io/v1",
  RoleBinding: "rbac.authorization.k8s.io/v1",
  ClusterRoleBinding: "rbac.authorization.k8s.io/v1",
  Rollout: "argoproj.io/v1alpha1",
};

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/**
 * The object a patch is aimed at, as the patch and its `target` name it: `kind` and `metadata.name` (the patch's own,
 * else its target's), the patch's metadata with that name, and the apiVersion the patch writes (else the target's
 * `group`/`version`; undefined when neither says). Null when the kind or name is unknown.
 */
export function patchedTarget(patch: Obj, target: Obj): { kind: string; metadata: Obj; apiVersion: string | undefined } | null {
  const meta = isPlainObject(patch.metadata) ? patch.metadata : {};
  const kind = str(patch.kind) ?? str(target.kind);
  const name = str(meta.name) ?? str(target.name);
  if (kind === undefined || name === undefined) return null;
  const group = str(target.group);
  const version = str(target.version);
  const fromTarget = group !== undefined && version !== undefined ? `${group}/${version}` : group === undefined ? version : undefined;
  return { kind, metadata: { ...meta, name }, apiVersion: str(patch.apiVersion) ?? fromTarget };
}

/** `apiVersion`, `kind` and `metadata.name` of the patched object: the patch's own, else its `target`'s. Null when unknown. */
function identity(patch: Obj, target: Obj): { apiVersion: string; kind: string; metadata: Obj } | null {
  const aimed = patchedTarget(patch, target);
  const apiVersion = aimed ? (aimed.apiVersion ?? KNOWN_API_VERSIONS[aimed.kind]) : undefined;
  return aimed && apiVersion !== undefined ? { apiVersion, kind: aimed.kind, metadata: aimed.metadata } : null;
}

/** A strategic-merge patch as the document it is (kind and name from its `target` when it leaves them out). */
export function strategicMergePart(patch: Obj, target: Obj): PatchedPart | null {
  const id = identity(patch, target);
  if (id === null) return null;
  return { value: { ...patch, ...id }, writes: (path) => holds(patch, path), inPatch: (path) => path };
}

/** One JSON pointer's segments (`~1` is `/`, `~0` is `~`); null for the whole document or a pointer that is none. */
function pointer(path: string): string[] | null {
  if (!path.startsWith("/") || path === "/") return null;
  return path
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/**
 * A JSON 6902 patch as the partial object its `add`/`replace` ops write into the `target` (`kind`/`name` from the
 * target, each op's `value` at its path: `/spec/template/spec/hostNetwork` = true is a pod spec with `hostNetwork:
 * true`). Ops that write nothing (`remove`, `move`, `copy`, `test`) are left out. Null when no op writes anything.
 */
export function jsonPatchPart(ops: readonly unknown[], target: Obj): PatchedPart | null {
  const id = identity({}, target);
  if (id === null) return null;
  const value: Obj = { ...id, metadata: { ...id.metadata } };
  const written: Array<{ path: JsonPath; op: number }> = [];
  ops.forEach((op: unknown, i) => {
    if (!isPlainObject(op) || (op.op !== "add" && op.op !== "replace") || typeof op.path !== "string" || !("value" in op)) return;
    const segments = pointer(op.path);
    const at = segments === null ? null : writeAt(value, segments, structuredClone(op.value));
    if (at !== null) written.push({ path: at, op: i });
  });
  if (written.length === 0) return null;
  const under = (path: JsonPath, prefix: JsonPath): boolean => prefix.length <= path.length && prefix.every((s, k) => s === path[k]);
  return {
    value,
    // What an op's value holds, or an object or list on the way to it — not a list item filled in before it.
    writes: (path) => written.some((w) => under(path, w.path) || under(w.path, path)),
    inPatch: (path) => {
      // The last op that wrote this path or an object holding it; else the first op that wrote inside it.
      const holder = [...written].reverse().find((w) => under(path, w.path));
      if (holder) return [holder.op, "value", ...path.slice(holder.path.length)];
      const inside = written.find((w) => under(w.path, path));
      return inside ? [inside.op, "value"] : [];
    },
  };
}

/**
 * Writes `v` at a pointer's segments into `root`, making the maps and lists on the way (a digit or `-` under a list
 * is an item: `-` appends). Returns the path written, or null when a segment cannot be followed (a scalar on the way).
 */
function writeAt(root: Obj, segments: readonly string[], v: unknown): JsonPath | null {
  const path: Array<string | number> = [];
  let cur: Obj | unknown[] = root;
  for (let k = 0; k < segments.length; k++) {
    const seg = segments[k]!;
    const last = k === segments.length - 1;
    const nextIsItem = !last && /^(?:\d+|-)$/.test(segments[k + 1]!);
    const key: string | number | null = Array.isArray(cur) ? (seg === "-" ? cur.length : /^\d+$/.test(seg) ? Number(seg) : null) : seg;
    if (key === null) return null;
    path.push(key);
    if (Array.isArray(cur)) {
      // Items before it that the patch does not write stay empty maps (never judged: see `writes`).
      while (cur.length < (key as number)) cur.push({});
    }
    const container = cur as Record<string | number, unknown>;
    if (last) {
      container[key] = v;
      return path;
    }
    const existing: unknown = container[key];
    if (isPlainObject(existing) || Array.isArray(existing)) cur = existing;
    else if (existing === undefined || existing === null) {
      const made: Obj | unknown[] = nextIsItem ? [] : {};
      container[key] = made;
      cur = made;
    } else return null;
  }
  return null;
}

/** Whether a value holds something at `path`. */
function holds(value: unknown, path: JsonPath): boolean {
  let cur = value;
  for (const seg of path) {
    if (typeof seg === "number" ? !Array.isArray(cur) || seg >= cur.length : !isPlainObject(cur) || !(seg in cur)) return false;
    cur = typeof seg === "number" ? (cur as unknown[])[seg] : (cur as Obj)[seg];
  }
  return true;
}
