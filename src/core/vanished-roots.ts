/**
 * The findings of a root the head side no longer has (a deleted overlay, see render-plan.ts `vanishedRoots`): its
 * objects are gone, but a base line it shared with other overlays is not fixed while one of them still applies it.
 * Pure.
 */
import type { RenderScope } from "./fingerprint.js";
import type { Finding } from "./types.js";

type Internal = Finding & { renderScope?: RenderScope };

/** Rule and source range: where a finding is shown (the side and the overlay left out). */
function placeKey(f: Finding): string {
  return [f.ruleId, f.file, f.line, f.column, f.endLine, f.endColumn].join("\u0000");
}

/**
 * The findings without each `fixed` finding of a vanished root (`vanished`) whose rule and source range a finding of
 * the head side (`new` or `existing`) still has: that line is still applied, by another overlay (rendered on both
 * sides for this, see render-plan.ts), and its finding there says so. A vanished root's other findings stay
 * `fixed`: what only it applied (its own patches' lines, a base line every other overlay patches away) is gone —
 * unless an Application still points at its directory (`stillPointedAt`): then none of them is. Nor is one at a file a
 * root the head side could not render still reads (`readByUnrendered`: a plugin, a remote base): that root applies the
 * file as before, in a way this review cannot tell.
 */
export function withoutVanishedFixes<T extends Internal>(
  findings: readonly T[],
  vanished: readonly string[],
  stillPointedAt: readonly string[] = [],
  readByUnrendered: (file: string) => boolean = () => false,
): T[] {
  if (vanished.length === 0) return [...findings];
  const gone = new Set(vanished);
  // A deleted root an Application still points at: Argo CD fails there ("app path does not exist") and prunes
  // nothing, so what it applied keeps running and none of its findings is fixed.
  const kept = new Set(stillPointedAt);
  const isGone = (f: T): boolean => f.status === "fixed" && f.renderScope !== undefined && gone.has(f.renderScope.root);
  if (!findings.some(isGone)) return [...findings];
  const still = new Set(findings.filter((f) => f.status !== "fixed").map(placeKey));
  return findings.filter((f) => !isGone(f) || (!kept.has(f.renderScope!.root) && !still.has(placeKey(f)) && !readByUnrendered(f.file)));
}

/**
 * The findings without each `fixed` finding of a root the head side rendered only in part (`partial`: a lenient build
 * left remote resources out, see render-stage.ts): an object gone from what was rendered may still be applied from
 * the remote resource (an overlay that swaps its local base for a remote copy), so its finding is not called fixed —
 * unless `settled` says otherwise (a root that left out only Helm charts: see review.ts).
 */
export function withoutFixesOfPartialRoots<T extends Internal>(findings: readonly T[], partial: ReadonlySet<string>, settled: (f: T) => boolean = () => false): T[] {
  if (partial.size === 0) return [...findings];
  return findings.filter((f) => f.status !== "fixed" || f.renderScope === undefined || !partial.has(f.renderScope.root) || settled(f));
}

/**
 * The findings without each `fixed` finding of a root the pull request leaves unbuildable (`broken`: it rendered on
 * the base side, not on the head side), and without each at a file such a root read on the base side
 * (`baseReaders`): Argo CD cannot generate its manifests (ComparisonError) and leaves what it applied before running,
 * so nothing it applied is fixed — a file it still lists deleted (the build's own `guard/parse-error` says it is
 * broken) included. `held`: how many were left out, by file (for a note).
 */
export function withoutFixesOfBrokenRoots<T extends Internal>(
  findings: readonly T[],
  broken: ReadonlySet<string>,
  baseReaders: (file: string) => readonly string[],
): { findings: T[]; held: Map<string, { count: number; roots: string[] }> } {
  const held = new Map<string, { count: number; roots: string[] }>();
  if (broken.size === 0) return { findings: [...findings], held };
  const brokenReaders = (f: T): string[] => {
    const own = f.renderScope !== undefined && broken.has(f.renderScope.root) ? [f.renderScope.root] : [];
    return [...new Set([...own, ...baseReaders(f.file).filter((r) => broken.has(r))])].sort();
  };
  const kept = findings.filter((f) => {
    if (f.status !== "fixed") return true;
    const roots = brokenReaders(f);
    if (roots.length === 0) return true;
    const entry = held.get(f.file) ?? { count: 0, roots: [] };
    held.set(f.file, { count: entry.count + 1, roots: [...new Set([...entry.roots, ...roots])].sort() });
    return false;
  });
  return { findings: kept, held };
}
