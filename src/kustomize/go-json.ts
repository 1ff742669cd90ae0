/**
 * How Go's encoding/json (and sigs.k8s.io/yaml's strict decode on top of it) matches a map's keys to a struct's
 * fields: the exact name first, else without regard to case (`objRef`, `IMAGES:` work); a key that matches no field
 * is the caller's error. A later key for the same field wins.
 */
import type { OMap, ONode } from "./onode.js";

export function goJsonFields(m: OMap, known: readonly string[], unknown: (key: string) => never): Map<string, ONode> {
  const out = new Map<string, ONode>();
  for (const [key, e] of m.entries) {
    const field = known.find((k) => k === key) ?? known.find((k) => k.toLowerCase() === key.toLowerCase());
    if (field === undefined) unknown(key);
    out.set(field!, e.value);
  }
  return out;
}
