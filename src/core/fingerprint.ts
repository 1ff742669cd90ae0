import { createHash } from "node:crypto";
import { formatSegment, type JsonPath } from "./path.js";
import type { RawFinding } from "./types.js";

/**
 * Where a finding on a rendered (Kustomize) object belongs, for its fingerprint: the root it was rendered from and
 * the object's identity after every transform — never the file or line the value was written at, so moving a
 * value from a base to an overlay does not make the finding new.
 */
export interface RenderScope {
  /** The root's directory (the overlay). */
  root: string;
  /** `Kind/namespace/name` of the rendered object (a generator's content-hash suffix left out). */
  resourceKey: string;
  /**
   * What reports call the render (the root with an Application's kustomize overrides); not part of the fingerprint,
   * so editing an Application's overrides does not make the root's other findings new.
   */
  label?: string;
  /**
   * `Kind/namespace/name` of the object as written in its own file, before the overlay's prefixes and namespace: one
   * line reaching objects written apart (a component's sidecar patched into the carts and orders Deployments) is
   * told from one base object rendered under several names. For messages only; not part of the fingerprint.
   */
  written?: string;
  /**
   * The JSON path with each list item that has a name written as `[name=…]` (see `identityPath`): an overlay that
   * puts a sidecar before the base's container, or deletes the container before it, does not change the identity of
   * the container's findings. Absent: the finding's own path.
   */
  identity?: string;
}

export type Fingerprintable = RawFinding & { renderScope?: RenderScope };

/** Identity of a resource for fingerprints and waivers: `Kind/namespace/name` (or the doc index). */
export function resourceKey(f: Pick<RawFinding, "resource" | "docIndex">): string {
  const r = f.resource;
  return `${r.kind ?? ""}/${r.namespace ?? ""}/${r.name ?? `#${f.docIndex}`}`;
}

/** The place of a rendered object's findings in their fingerprints: its root. */
export function renderPlace(root: string): string {
  return `kustomize:${root}`;
}

/**
 * The place, resource and path parts of a fingerprint: the file for a file's own findings, the root (`renderPlace`)
 * for rendered ones; `Kind/namespace/name`; the identity path.
 */
export function fingerprintParts(f: Fingerprintable): [place: string, resource: string, identity: string] {
  const s = f.renderScope;
  return s ? [renderPlace(s.root), s.resourceKey, s.identity ?? f.identity ?? f.path] : [f.file, resourceKey(f), f.identity ?? f.path];
}

/**
 * A JSON path printed with list items by name where the list names them (every item a map with a distinct string
 * `name`, as containers, volumes and env are): `spec.template.spec.containers[name=web].securityContext.privileged`.
 * Items of a list of maps without names are named by the fields that say what they are (an AppProject destination's
 * `server`/`name`/`namespace`, an RBAC rule's groups, resources and verbs, a toleration's key — never a value that
 * could be a secret: see IDENTIFYING_FIELDS) when those tell every item apart: removing the third of seven
 * destinations leaves the others' findings where they were, and the one removed is the one `fixed`. Items of other
 * lists keep their index. One walk down the path.
 */
export function identityPath(value: unknown, path: JsonPath): string {
  let out = "";
  let v = value;
  for (const seg of path) {
    const name = typeof seg === "number" && Array.isArray(v) ? (uniqueName(v, seg) ?? identifyingFields(v, seg)) : null;
    out += name === null ? formatSegment(seg, out === "") : typeof name === "string" ? `[name=${JSON.stringify(name)}]` : `[${name.fields}]`;
    v = typeof v === "object" && v !== null ? (v as Record<string | number, unknown>)[seg] : undefined;
  }
  return out;
}

/**
 * Fields that identify an item of a list of maps without names, and never hold a credential (the identity is hashed
 * into a fingerprint; a value that could be a secret stays out of it). Lists whose items carry none of them, or the
 * same ones, keep indexes.
 */
const IDENTIFYING_FIELDS = [
  "server", "name", "namespace", // Argo CD destinations
  "apiGroups", "resources", "verbs", "resourceNames", "nonResourceURLs", // RBAC rules
  "group", "kind", // AppProject resource lists
  "key", "operator", "effect", // tolerations
  "containerPort", "hostPort", "protocol", "port", "targetPort", // ports
  "mountPath", "subPath", // volume mounts
  "repoURL", "path", "chart", // Argo CD sources
] as const;

/**
 * The identifying fields of a list's item, printed, when every item has them and no two print alike; null otherwise.
 * A list of one item too: its identity must not change when a second item joins it (or leaves it), or the pull request
 * that adds a read-only RBAC rule beside a wildcard one would report the wildcard's findings new (and fixed).
 */
function identifyingFields(list: readonly unknown[], index: number): { fields: string } | null {
  const printed = new Set<string>();
  let own: string | null = null;
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (typeof item !== "object" || item === null || Array.isArray(item)) return null;
    const parts: string[] = [];
    for (const f of IDENTIFYING_FIELDS) {
      const x = (item as Record<string, unknown>)[f];
      if (x === undefined) continue;
      if (!isScalarOrScalars(x)) return null;
      parts.push(`${f}=${JSON.stringify(x)}`);
    }
    const key = parts.join(",");
    if (key === "" || printed.has(key)) return null;
    printed.add(key);
    if (i === index) own = key;
  }
  return own === null ? null : { fields: own };
}

function isScalarOrScalars(x: unknown): boolean {
  const scalar = (y: unknown) => y === null || typeof y === "string" || typeof y === "number" || typeof y === "boolean";
  return scalar(x) || (Array.isArray(x) && x.every(scalar));
}

/** The `name` of a list's item when every item of the list has a distinct string name; null otherwise. */
function uniqueName(list: readonly unknown[], index: number): string | null {
  const names = new Set<string>();
  for (const item of list) {
    const n = typeof item === "object" && item !== null && !Array.isArray(item) ? (item as { name?: unknown }).name : undefined;
    if (typeof n !== "string" || names.has(n)) return null;
    names.add(n);
  }
  const own = list[index] as { name?: string } | undefined;
  return own?.name ?? null;
}

/**
 * `ruleId + file + resource + JSON path` (for a rendered object: `ruleId + root + rendered resource + JSON path`),
 * hashed; no line numbers, so a finding keeps its identity when lines above it move. `occurrence` separates
 * findings that share all four (e.g. two tokens in one comment).
 */
export function fingerprint(f: Fingerprintable, occurrence = 0): string {
  const [file, resource, path] = fingerprintParts(f);
  const key = `${f.ruleId}\u0000${file}\u0000${resource}\u0000${path}\u0000${occurrence}`;
  return createHash("sha256").update(key).digest("hex").slice(0, 24);
}

/** Fingerprints a list, numbering findings that would otherwise collide. */
export function fingerprintAll<T extends Fingerprintable>(findings: readonly T[]): Array<T & { fingerprint: string }> {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const [file, resource, path] = fingerprintParts(f);
    const base = `${f.ruleId}|${file}|${resource}|${path}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return { ...f, fingerprint: fingerprint(f, n) };
  });
}
