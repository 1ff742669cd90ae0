/**
 * The sources Argo CD reads of an Application's spec (or of an ApplicationSet's template spec): `spec.sources` when it
 * is a non-empty list — Argo CD then ignores `spec.source` (its multiple-sources docs; `HasMultipleSources()` is
 * `len(spec.sources) > 0`) — else `spec.source`. Each comes with its place as numbered across both fields: 0 for
 * `spec.source`, i + 1 for `spec.sources[i]`. Generic over the node type, so plain data and origin-tracked nodes share it.
 */
export function argoCdReadSources<T>(source: T | undefined, sources: readonly T[] | null | undefined): Array<{ source: T | undefined; index: number }> {
  if (sources && sources.length > 0) return sources.map((s, i) => ({ source: s, index: i + 1 }));
  return source === undefined ? [] : [{ source, index: 0 }];
}

/** `argoCdReadSources` of a spec given as plain data (anything else: none). */
export function argoCdReadSourcesOf(spec: unknown): Array<{ source: unknown; index: number }> {
  if (typeof spec !== "object" || spec === null) return [];
  const s = spec as { source?: unknown; sources?: unknown };
  return argoCdReadSources(s.source, Array.isArray(s.sources) ? (s.sources as unknown[]) : null);
}
