import { grantCovered, type Grant } from "../../core/grant.js";
import type { Obj, Item } from "./_project-appproject.js";
import { objectItems, q, str } from "./_project-appproject.js";
import { globMatch, hasGlobSyntax, isDeny, isWildcardOnly } from "./_project-glob.js";

/** The cluster Argo CD runs in, as Applications address it. */
export const IN_CLUSTER_SERVER = "https://kubernetes.default.svc";
export const IN_CLUSTER_NAME = "in-cluster";

export interface Destination extends Item<Obj> {
  server: string | null;
  name: string | null;
  namespace: string | null;
}

export function destinations(spec: Obj): Destination[] {
  return objectItems(spec.destinations).map((d) => ({ ...d, server: str(d.value, "server"), name: str(d.value, "name"), namespace: str(d.value, "namespace") }));
}

/**
 * A destination field as Argo CD evaluates it (`globMatch(pattern, value, allowNegation=true)` in
 * `AppProject.isDestinationMatched`): `!x` matches every value except those matching `x`. So an entry with a
 * negated field is not a pure deny entry: it still allows the complement (`namespace: '!kube-system'` allows
 * every other namespace), and additionally denies `x` to every other entry.
 */
export function fieldMatches(pattern: string, value: string): boolean {
  const p = pattern.trim();
  return isDeny(p) ? !globMatch(p.slice(1), value) : globMatch(p, value);
}

/**
 * `!team1-*`: a negated field that matches every value but those of one pattern, i.e. nearly as broad as `*`.
 * (`!*` matches nothing and is not one.)
 */
export function isNegatedWildcard(pattern: string): boolean {
  const p = pattern.trim();
  return isDeny(p) && p.length > 1 && !isWildcardOnly(p.slice(1));
}

/**
 * Whether an entry can allow any destination at all: Argo CD matches an Application's destination against the
 * entry's `server` or `name`, so an entry with neither (`- namespace: '!kube-system'`) only denies.
 */
export function allowsAnyCluster(dest: Destination): boolean {
  return [dest.server, dest.name].some((f) => f !== null && f.trim() !== "");
}

/** `https://*`, `*`: a server pattern that matches every cluster URL. */
export function isWildcardServer(server: string): boolean {
  const s = server.trim();
  return isWildcardOnly(s) || /^(https?|\*+):\/\/\*+\/?$/i.test(s);
}

/**
 * The namespaces among `targets` that a destination lets Applications deploy into: its namespace pattern
 * matches (negation included), and no negated namespace field of any entry (`namespace: '!x'`) blocks it
 * (Argo CD applies a namespace deny whatever the entry's server).
 */
export function reachableNamespaces(dest: Destination, all: readonly Destination[], targets: readonly string[]): string[] {
  if (dest.namespace === null || !allowsAnyCluster(dest)) return [];
  const pattern = dest.namespace;
  return targets.filter((t) => {
    if (!fieldMatches(pattern, t)) return false;
    return !all.some((d) => d.namespace !== null && isDeny(d.namespace) && !fieldMatches(d.namespace, t));
  });
}

/** The namespaces whose reach means control-plane access: the Argo CD namespace and kube-system. */
export function controlPlaneTargets(argocdNamespace: string): string[] {
  return [...new Set([argocdNamespace, "kube-system"])];
}

export interface ClusterScope {
  /** The entry reaches the in-cluster API server, the cluster Argo CD runs in. */
  inCluster: boolean;
  /** The entry reaches other clusters too (a remote address, a glob or a negated pattern). */
  remote: boolean;
  /** `server: '*'` or `name: '*'`. */
  every: boolean;
  /** Exactly one cluster other than the in-cluster one (a literal address or name). */
  single: boolean;
  /** For messages: `the in-cluster API server`, `cluster "prod-eu-1"`, `every cluster registered in Argo CD`. */
  label: string;
}

/** Which clusters a destination entry's `server`/`name` patterns reach, in Argo CD's matching. */
export function clusterScope(dest: Destination): ClusterScope {
  const fields: Array<{ field: "server" | "name"; value: string; inClusterValue: string }> = [];
  if (dest.server?.trim()) fields.push({ field: "server", value: dest.server.trim().replace(/(?<=[^/])\/+$/, ""), inClusterValue: IN_CLUSTER_SERVER });
  if (dest.name?.trim()) fields.push({ field: "name", value: dest.name.trim(), inClusterValue: IN_CLUSTER_NAME });
  const every = fields.some((f) => (f.field === "server" ? isWildcardServer(f.value) : isWildcardOnly(f.value)));
  const inCluster = every || fields.some((f) => fieldMatches(f.value, f.inClusterValue));
  const remote = every || fields.some((f) => f.value !== f.inClusterValue);
  const others = fields.filter((f) => f.value !== f.inClusterValue);
  const literal = (v: string): boolean => !hasGlobSyntax(v) && !isDeny(v);
  const single = !every && !inCluster && others.length === 1 && literal(others[0]!.value);
  let label: string;
  if (every) label = "every cluster registered in Argo CD";
  else if (!remote) label = "the in-cluster API server";
  else {
    const named = others.map((f) => (literal(f.value) ? `cluster ${q(f.value)}` : `the clusters matching ${f.field} ${q(f.value)}`));
    label = `${named.join(" or ")}${inCluster ? ", the in-cluster API server included" : ""}`;
  }
  return { inCluster, remote, every, single, label };
}

/**
 * What a destination entry grants, for a review to tell a narrowed entry from a new one (see core/grant.ts): the
 * cluster (`*` for a wildcard server or name, which reach every cluster however an Application names it; else the
 * server, or the name, as written) and the namespace pattern.
 */
export function destinationGrant(d: Destination): Grant {
  const every = (d.server !== null && isWildcardServer(d.server)) || (d.name !== null && isWildcardOnly(d.name));
  const cluster = every ? "*" : d.server !== null && d.server.trim() !== "" ? `server=${d.server.trim()}` : `name=${(d.name ?? "").trim()}`;
  return { kind: "argocd/destination", fields: { cluster, ...(d.namespace !== null ? { namespace: d.namespace } : {}) } };
}

/** Whether any of an entry's `server`, `name` or `namespace` is negated (`!x`). */
export function hasNegatedField(d: Destination): boolean {
  return [d.server, d.name, d.namespace].some((f) => f !== null && isDeny(f));
}

/**
 * Argo CD's documented deny pattern (`namespace: '!kube-system'` beside `namespace: '*'` on the same cluster): an entry
 * with a negated field whose every allowance another entry, with none, already grants. Its only effect is the deny,
 * so the destination rules leave it to the other entry's finding (one cause, one finding) instead of reporting it as
 * "every namespace except kube-system".
 */
export function isShadowedDeny(d: Destination, all: readonly Destination[]): boolean {
  if (!hasNegatedField(d)) return false;
  const allows = all.filter((o) => o !== d && allowsAnyCluster(o) && !hasNegatedField(o)).map(destinationGrant);
  return grantCovered(destinationGrant(d), allows);
}
