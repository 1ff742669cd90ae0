import type { Obj, Item } from "./_project-appproject.js";
import { objectItems, str } from "./_project-appproject.js";
import { globMatch, isDeny, isWildcardOnly } from "./_project-glob.js";

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
