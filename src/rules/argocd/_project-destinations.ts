import type { Obj, Item } from "./_project-appproject.js";
import { objectItems, str } from "./_project-appproject.js";
import { globMatch, isDeny, isWildcardOnly } from "./_project-glob.js";

export interface Destination extends Item<Obj> {
  server: string | null;
  name: string | null;
  namespace: string | null;
  /** An entry with a `!`-prefixed field is a deny entry: it is never reported. */
  deny: boolean;
}

export function destinations(spec: Obj): Destination[] {
  return objectItems(spec.destinations).map((d) => {
    const server = str(d.value, "server");
    const name = str(d.value, "name");
    const namespace = str(d.value, "namespace");
    const deny = [server, name, namespace].some((f) => f !== null && isDeny(f));
    return { ...d, server, name, namespace, deny };
  });
}

/** `https://*`, `*`: a server pattern that matches every cluster URL. */
export function isWildcardServer(server: string): boolean {
  const s = server.trim();
  return isWildcardOnly(s) || /^(https?|\*+):\/\/\*+\/?$/i.test(s);
}

/**
 * The namespaces among `targets` that the project's destinations let Applications deploy into: an
 * allow entry whose namespace pattern matches, and no deny entry (`namespace: '!x'`) that blocks it
 * (Argo CD applies a namespace deny whatever its server).
 */
export function reachableNamespaces(dest: Destination, all: readonly Destination[], targets: readonly string[]): string[] {
  if (dest.deny || dest.namespace === null) return [];
  const pattern = dest.namespace.trim();
  return targets.filter((t) => {
    if (!globMatch(pattern, t)) return false;
    return !all.some((d) => d.namespace !== null && isDeny(d.namespace) && globMatch(d.namespace.trim().slice(1), t));
  });
}
