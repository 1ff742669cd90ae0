import { isPlainObject } from "../../parse/classify.js";
import { getIn, podSpecs } from "../../parse/workloads.js";
import type { ParsedDoc } from "../../parse/yaml-file.js";

/** Workload kinds whose API requires `spec.selector`. */
const NEEDS_SELECTOR = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"]);

/**
 * The old API versions that default `spec.selector` from the pod template's labels when it is left out (their
 * `SetDefaults_*`: extensions/v1beta1 Deployment, DaemonSet and ReplicaSet; apps/v1beta1 Deployment and StatefulSet).
 * apps/v1beta2 and apps/v1 require it.
 */
const DEFAULTS_SELECTOR: Readonly<Record<string, ReadonlySet<string>>> = {
  "extensions/v1beta1": new Set(["Deployment", "DaemonSet", "ReplicaSet"]),
  "apps/v1beta1": new Set(["Deployment", "StatefulSet"]),
};

/** Whether the API defaults this document's missing selector: an old API version, and template labels to copy. */
function selectorDefaulted(doc: ParsedDoc, kind: string): boolean {
  const versions = DEFAULTS_SELECTOR[doc.resource.apiVersion ?? ""];
  const labels = getIn(doc.value, ["spec", "template", "metadata", "labels"]);
  return versions !== undefined && versions.has(kind) && isPlainObject(labels) && Object.keys(labels).length > 0;
}

/**
 * True when a workload document is only a fragment of the object: a Kustomize strategic-merge patch (or a
 * similar overlay) that leaves out fields the API requires, so the rest of the object, including the fields
 * "missing X" rules look for, lives in another file. Signs: no `spec.selector` (apps/v1 workloads — not the old
 * API versions that default it from the template's labels, see DEFAULTS_SELECTOR —, Argo Rollouts without
 * `workloadRef`), no `spec.schedule` (CronJob), a pod spec without containers, a container without an image, or a
 * `$patch` directive.
 */
export function isWorkloadFragment(doc: ParsedDoc): boolean {
  const kind = doc.resource.kind ?? "";
  const spec = getIn(doc.value, ["spec"]);
  if (!isPlainObject(spec) || "$patch" in spec) return true;
  if (NEEDS_SELECTOR.has(kind) && !isPlainObject(spec.selector) && !selectorDefaulted(doc, kind)) return true;
  if (kind === "Rollout" && !isPlainObject(spec.selector) && !isPlainObject(spec.workloadRef)) return true;
  if (kind === "CronJob" && typeof spec.schedule !== "string") return true;
  return podSpecs(doc).some((pod) => {
    const list = pod.spec.containers;
    if (!Array.isArray(list) || list.length === 0) return true;
    return list.some((c) => !isPlainObject(c) || typeof c.image !== "string" || "$patch" in c);
  });
}
