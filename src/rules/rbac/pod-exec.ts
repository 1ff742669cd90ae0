import { defineRule } from "../../core/rule.js";
import { coversCoreGroup, roleDoc } from "./_rbac.js";

const SUBRESOURCES = ["pods/exec", "pods/attach", "pods/*"];

export default defineRule({
  meta: {
    id: "rbac/pod-exec",
    title: "RBAC allows exec or attach into pods",
    severity: "medium",
    description:
      "A Role or ClusterRole rule in the core API group that grants `create`, `get` or `*` on `pods/exec`, `pods/attach` or `pods/*`, reported at the resource entry. `get` counts because exec over WebSocket needed only `get` until Kubernetes v1.35 (kubernetes/kubernetes#134577). `resources: ['*']` is left to rbac/wildcard-permissions.",
    rationale:
      "Exec and attach run commands inside a running container: the subject gets the container's files, environment variables (often credentials) and its service-account token, bypassing whatever the application itself enforces.",
    fix: "Drop `pods/exec` and `pods/attach` from the role; grant them to humans through a separate, audited break-glass role, not to workloads or CI.",
    example: {
      bad: "rules:\n  - apiGroups: [\"\"]\n    resources: [\"pods/exec\"]\n    verbs: [\"create\"]\n",
      good: "rules:\n  - apiGroups: [\"\"]\n    resources: [\"pods\", \"pods/log\"]\n    verbs: [\"get\", \"list\"]\n",
    },
  },
  checkDoc({ doc, report }) {
    const role = roleDoc(doc);
    if (!role) return;
    for (const rule of role.rules) {
      if (!coversCoreGroup(rule)) continue;
      const verbs = rule.verbs.map((e) => e.value);
      const create = verbs.includes("create") || verbs.includes("*");
      const getOnly = !create && verbs.includes("get");
      if (!create && !getOnly) continue;
      for (const resource of rule.resources) {
        if (!SUBRESOURCES.includes(resource.value)) continue;
        const what = resource.value === "pods/*" ? "every pod subresource, exec and attach included" : resource.value;
        const effect = resource.value === "pods/attach" ? "attach to running containers" : "run commands in pods";
        const message = create
          ? `${role.label} rules[${rule.index}] allows ${verbs.includes("create") ? "create" : "every verb"} on ${what}: it can ${effect}.`
          : `${role.label} rules[${rule.index}] allows get on ${what}, which is enough to ${effect} over WebSocket on clusters before Kubernetes v1.35.`;
        report({ path: [...rule.path, "resources", resource.index], message });
      }
    }
  },
});
