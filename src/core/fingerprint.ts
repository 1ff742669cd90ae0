import { createHash } from "node:crypto";
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
}

type Fingerprintable = RawFinding & { renderScope?: RenderScope };

/** Identity of a resource for fingerprints and waivers: `Kind/namespace/name` (or the doc index). */
export function resourceKey(f: Pick<RawFinding, "resource" | "docIndex">): string {
  const r = f.resource;
  return `${r.kind ?? ""}/${r.namespace ?? ""}/${r.name ?? `#${f.docIndex}`}`;
}

/** The file and resource parts of a fingerprint: the file for a file's own findings, the root for rendered ones. */
function place(f: Fingerprintable): [string, string] {
  return f.renderScope ? [`kustomize:${f.renderScope.root}`, f.renderScope.resourceKey] : [f.file, resourceKey(f)];
}

/**
 * `ruleId + file + resource + JSON path` (for a rendered object: `ruleId + root + rendered resource + JSON path`),
 * hashed; no line numbers, so a finding keeps its identity when lines above it move. `occurrence` separates
 * findings that share all four (e.g. two tokens in one comment).
 */
export function fingerprint(f: Fingerprintable, occurrence = 0): string {
  const [file, resource] = place(f);
  const key = `${f.ruleId}\u0000${file}\u0000${resource}\u0000${f.path}\u0000${occurrence}`;
  return createHash("sha256").update(key).digest("hex").slice(0, 24);
}

/** Fingerprints a list, numbering findings that would otherwise collide. */
export function fingerprintAll<T extends Fingerprintable>(findings: readonly T[]): Array<T & { fingerprint: string }> {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const [file, resource] = place(f);
    const base = `${f.ruleId}|${file}|${resource}|${f.path}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return { ...f, fingerprint: fingerprint(f, n) };
  });
}
