/**
 * The review's pass for a hostPath volume the pull request pointed at another host directory. `k8s/host-path-volume`
 * names its finding by the volume and the host path (a waiver for `/var/lib/kubelet/pods` does not cover `/etc`), so
 * the first pass reads such a change as one `new` finding and one `fixed`. That is right when the two directories are
 * unrelated (the old mount is gone, the new one is another risk), but not otherwise:
 * - narrowed (the new path is inside the old one, `/var/lib` → `/var/lib/kubelet`): one risk, no worse — the head
 *   finding is `existing` and the base one not shown as fixed;
 * - widened (the old path is inside the new one, `/var/log` → `/var` or `/`): the head finding stays `new` (a wider
 *   mount), and the base one is not shown as fixed — its directory is still mounted.
 * Fingerprints stay as they are. Pure.
 */
import { fingerprintParts, type Fingerprintable } from "./fingerprint.js";

export type HostPathChange = "narrowed" | "widened";

const RULE = "k8s/host-path-volume";
/** `<volume>.hostPath.path["/var/log"]`: the volume's identity and the (normalised) host path. */
const HOST_PATH_IDENTITY = /^(.*\.hostPath)\.path\[("(?:[^"\\]|\\.)*")\]$/;

function volumeAndPath(f: Fingerprintable): { key: string; path: string } | null {
  if (f.ruleId !== RULE) return null;
  const [place, object, identity] = fingerprintParts(f);
  const m = HOST_PATH_IDENTITY.exec(identity);
  if (!m) return null;
  return { key: `${place}\u0000${object}\u0000${m[1]}`, path: JSON.parse(m[2]!) as string };
}

/** Whether host path `inner` is `outer` or a path below it. */
function within(inner: string, outer: string): boolean {
  return inner === outer || outer === "/" || inner.startsWith(`${outer}/`);
}

/**
 * Pairs head `k8s/host-path-volume` findings that would be `new` with base ones that would be `fixed` on the same
 * volume of the same object whose host paths nest one in the other. Each finding pairs once. Returns each paired head
 * finding's base twin and how the path changed.
 */
export function pairHostPathChanges<H extends Fingerprintable, B extends Fingerprintable>(head: readonly H[], base: readonly B[]): Map<H, { base: B; change: HostPathChange }> {
  const out = new Map<H, { base: B; change: HostPathChange }>();
  const byVolume = new Map<string, Array<{ f: B; path: string }>>();
  for (const f of base) {
    const v = volumeAndPath(f);
    if (!v) continue;
    const list = byVolume.get(v.key);
    if (list) list.push({ f, path: v.path });
    else byVolume.set(v.key, [{ f, path: v.path }]);
  }
  if (byVolume.size === 0) return out;
  for (const h of head) {
    const v = volumeAndPath(h);
    const candidates = v ? byVolume.get(v.key) : undefined;
    if (!v || !candidates) continue;
    const at = candidates.findIndex((b) => within(v.path, b.path) || within(b.path, v.path));
    if (at < 0) continue;
    const b = candidates[at]!;
    out.set(h, { base: b.f, change: within(v.path, b.path) ? "narrowed" : "widened" });
    candidates.splice(at, 1);
  }
  return out;
}
