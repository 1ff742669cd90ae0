/**
 * What one entry of a list of allowances grants (an AppProject's destination, a cluster-scoped kind it may create), as
 * a finding on that entry records it (`Report.grant`). In a review, a new finding whose grant the base version of the
 * same object already held is existing: a pull request that narrows `namespace: '*'` to `namespace: argocd`, or
 * `kind: '*'` to `kind: CustomResourceDefinition`, takes access away and adds none, and must not be blocked for it.
 * Pure.
 */
export interface Grant {
  /** What is granted ("argocd/destination", "argocd/cluster-resource"): grants of different kinds never cover each other. */
  kind: string;
  /** The entry's patterns by field (`namespace: "argo*"`); a field the entry does not set is absent. */
  fields: Readonly<Record<string, string>>;
}

/**
 * Whether a pattern of a base entry matches every value a head entry's pattern (or value) can: `*` matches all, a
 * negated head pattern (`!kube-system`, which matches at most every other value) included; the same pattern covers
 * itself; a glob (`team-*`) matches the head pattern as text (`team-a-*` is within `team-*`); otherwise a negated
 * pattern (`!x`) on either side is never taken to cover (what it allows depends on the other entries).
 */
export function patternCovers(base: string, head: string): boolean {
  const b = base.trim();
  const h = head.trim();
  if (/^\*+$/.test(b) || b === h) return true;
  if (b.startsWith("!") || h.startsWith("!")) return false;
  if (!b.includes("*") && !b.includes("?")) return b === h;
  const re = new RegExp(`^${b.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*+/g, ".*").replace(/\?/g, ".")}$`);
  return re.test(h);
}

/** A head grant one of the base grants covers: same kind, and every field the head sets matched by the base's. */
export function grantCovered(head: Grant, base: readonly Grant[]): boolean {
  return base.some((b) => b.kind === head.kind && Object.entries(head.fields).every(([k, v]) => b.fields[k] !== undefined && patternCovers(b.fields[k]!, v)));
}
