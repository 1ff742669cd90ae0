import { defineRule } from "../../core/rule.js";
import { isPlainObject } from "../../parse/classify.js";
import { containers } from "../../parse/workloads.js";
import { isWorkloadFragment } from "./_manifest-fragments.js";
import { containerLabel } from "./_pod-context.js";

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return isPlainObject(v) ? v : {};
}

function isSet(m: Obj, key: string): boolean {
  const v = m[key];
  return v !== undefined && v !== null && v !== "";
}

function joinOr(items: string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

export default defineRule({
  meta: {
    id: "k8s/missing-resources",
    title: "Container without resource requests or memory limit",
    severity: "low",
    description:
      "A container or init container without a memory limit, a CPU request or a memory request (CPU limits are not required); one finding per container listing what is missing. A limit without a request counts as the request (Kubernetes copies it), and pod-level `spec.resources` count for every container. Ephemeral containers cannot set resources and are skipped; a namespace LimitRange is not visible to the rule. Fragments such as Kustomize patches (no `spec.selector`, a container without an image) are skipped: the base holds the rest.",
    rationale:
      "Without requests the scheduler packs pods blindly and they are the first evicted under pressure; without a memory limit one leaking container can exhaust the node's memory and take its neighbours down. CPU limits are deliberately not required: they cause throttling and requests already guarantee a fair share.",
    fix: "Set `resources.requests.cpu`, `resources.requests.memory` and `resources.limits.memory` from observed usage (e.g. the VPA recommender or metrics).",
    example: {
      bad: "containers:\n  - name: web\n    image: nginx:1.27.3\n",
      good: "containers:\n  - name: web\n    image: nginx:1.27.3\n    resources:\n      requests: { cpu: 100m, memory: 128Mi }\n      limits: { memory: 256Mi }\n",
    },
  },
  checkDoc({ doc, report }) {
    if (isWorkloadFragment(doc)) return;
    for (const c of containers(doc)) {
      if (c.group === "ephemeralContainers") continue;
      const resources = c.container.resources;
      const { limits, requests } = { limits: obj(obj(resources).limits), requests: obj(obj(resources).requests) };
      const pod = obj(c.pod.spec.resources);
      const podLimits = obj(pod.limits);
      const podRequests = obj(pod.requests);
      const has = (kind: "requests" | "limits", res: string): boolean =>
        kind === "limits"
          ? isSet(limits, res) || isSet(podLimits, res)
          : isSet(requests, res) || isSet(limits, res) || isSet(podRequests, res) || isSet(podLimits, res);
      const missing: string[] = [];
      if (!has("limits", "memory")) missing.push("memory limit");
      if (!has("requests", "cpu")) missing.push("CPU request");
      if (!has("requests", "memory")) missing.push("memory request");
      if (missing.length === 0) continue;
      report({
        path: resources !== undefined && resources !== null ? [...c.path, "resources"] : c.path,
        identity: c.path,
        message: `${containerLabel(c)} "${c.name}" in ${doc.resource.kind} "${doc.resource.name ?? "?"}" has no ${joinOr(missing)}.`,
      });
    }
  },
});
