import { createHash } from "node:crypto";
import type { RawFinding } from "./types.js";

/** Identity of a resource for fingerprints and waivers: `Kind/namespace/name` (or the doc index). */
export function resourceKey(f: Pick<RawFinding, "resource" | "docIndex">): string {
  const r = f.resource;
  return `${r.kind ?? ""}/${r.namespace ?? ""}/${r.name ?? `#${f.docIndex}`}`;
}

/**
 * `ruleId + file + resource + JSON path`, hashed; no line numbers, so a finding keeps its identity when
 * lines above it move. `occurrence` separates findings that share all four (e.g. two tokens in one comment).
 */
export function fingerprint(f: RawFinding, occurrence = 0): string {
  const key = `${f.ruleId}\u0000${f.file}\u0000${resourceKey(f)}\u0000${f.path}\u0000${occurrence}`;
  return createHash("sha256").update(key).digest("hex").slice(0, 24);
}

/** Fingerprints a list, numbering findings that would otherwise collide. */
export function fingerprintAll<T extends RawFinding>(findings: readonly T[]): Array<T & { fingerprint: string }> {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const base = `${f.ruleId}|${f.file}|${resourceKey(f)}|${f.path}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return { ...f, fingerprint: fingerprint(f, n) };
  });
}
