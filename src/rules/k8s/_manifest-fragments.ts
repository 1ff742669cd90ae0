import { isPlainObject } from "../../parse/classify.js";
import { getIn, podSpecs } from "../../parse/workloads.js";
import type { ParsedDoc } from "../../parse/yaml-file.js";

/** Workload kinds whose API requires `spec.selector`. */
const NEEDS_SELECTOR = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"]);

/**
 * True when a workload document is only a fragment of the object: a Kustomize strategic-merge patch (or a
 * similar overlay) that leaves out fields the API requires, so the rest of the object, including the fields
 * "missing X" rules look for, lives in another file. Signs: no `spec.selector` (apps/v1 workloads, Argo
 * Rollouts without `workloadRef`), no `spec.schedule` (CronJob), a pod spec without containers, a container
 * without an image, or a `$patch` directive.
 */
export function isWorkloadFragment(doc: ParsedDoc): boolean {
  const kind = doc.resource.kind ?? "";
  const spec = getIn(doc.value, ["spec"]);
  if (!isPlainObject(spec) || "$patch" in spec) return true;
  if (NEEDS_SELECTOR.has(kind) && !isPlainObject(spec.selector)) return true;
  if (kind === "Rollout" && !isPlainObject(spec.selector) && !isPlainObject(spec.workloadRef)) return true;
  if (kind === "CronJob" && typeof spec.schedule !== "string") return true;
  return podSpecs(doc).some((pod) => {
    const list = pod.spec.containers;
    if (!Array.isArray(list) || list.length === 0) return true;
    return list.some((c) => !isPlainObject(c) || typeof c.image !== "string" || "$patch" in c);
  });
}
