/**
 * The review's pass for a risk a pull request made worse, or milder, in place: `allowPrivilegeEscalation: true` where
 * the field was unset (`k8s/privilege-escalation` high at the field, where the base had medium at the container), or
 * the other way round, or the same risk written and unset (`readOnlyRootFilesystem: false` deleted, the root filesystem
 * still writable: `k8s/writable-root-filesystem` at the field, then at the container). The two findings have different
 * identities — one at the container or pod, the other at a field inside it — so the first pass reads them as one `new`
 * and one `fixed`; they are one risk, whose severity may have changed. As for a finding of the same identity made more
 * severe (see review.ts): the head finding is `new` when it is more severe, `existing` when as severe or milder, and the
 * base one is not shown as `fixed`. Fingerprints stay as they are. Pure.
 */
import { fingerprintParts, type Fingerprintable } from "./fingerprint.js";

const SEP = "\u0000";

/** A container item (`…containers[name="api"]`, `…initContainers[0]`) or a pod spec (`…spec`), at the end of a path. */
const CONTAINER_OR_POD = /(?:(?:^|\.)(?:containers|initContainers|ephemeralContainers)\[(?:name="(?:[^"\\]|\\.)*"|\d+)\]|(?:^|\.)spec)$/;

/** A container item at the end of a path, with the pod spec that holds it. */
const CONTAINER = /^(.*)\.(?:containers|initContainers|ephemeralContainers)\[(?:name="(?:[^"\\]|\\.)*"|\d+)\]$/;

/**
 * Whether `inner` is a path inside `outer`, and `outer` is a container or a pod spec — or `outer` is a container and
 * `inner` a field of its pod's `securityContext` (pod-level `runAsNonRoot: false` deleted, the container still unset:
 * the same risk, judged at the pod, then at the container).
 */
function isInside(inner: string, outer: string): boolean {
  const pod = CONTAINER.exec(outer)?.[1];
  if (pod !== undefined && inner.startsWith(`${pod}.securityContext.`)) return true;
  if (!CONTAINER_OR_POD.test(outer) || !inner.startsWith(outer)) return false;
  const next = inner.charAt(outer.length);
  return next === "." || next === "[";
}

/**
 * Pairs head findings that would be `new` with base findings that would be `fixed` of the same rule and object whose
 * identities are a container or pod and a field inside it. Each finding pairs once. Returns
 * each paired head finding's base twin.
 */
export function pairChangedSeverity<H extends Fingerprintable, B extends Fingerprintable>(head: readonly H[], base: readonly B[]): Map<H, B> {
  const out = new Map<H, B>();
  if (head.length === 0 || base.length === 0) return out;
  const byRuleAndObject = new Map<string, Array<{ f: B; identity: string }>>();
  for (const f of base) {
    const [place, key, identity] = fingerprintParts(f);
    const k = [f.ruleId, place, key].join(SEP);
    const list = byRuleAndObject.get(k);
    if (list) list.push({ f, identity });
    else byRuleAndObject.set(k, [{ f, identity }]);
  }
  for (const h of head) {
    const [place, key, identity] = fingerprintParts(h);
    const candidates = byRuleAndObject.get([h.ruleId, place, key].join(SEP));
    const at = candidates?.findIndex((b) => isInside(identity, b.identity) || isInside(b.identity, identity)) ?? -1;
    if (at < 0) continue;
    out.set(h, candidates![at]!.f);
    candidates!.splice(at, 1);
  }
  return out;
}
