import { defineRule } from "../../core/rule.js";
import { containers } from "../../parse/workloads.js";

export default defineRule({
  meta: {
    id: "k8s/privileged-container",
    title: "Privileged container",
    severity: "critical",
    description: "A container, init container or ephemeral container with `securityContext.privileged: true`.",
    rationale:
      "A privileged container has every capability and full access to the host's devices: escaping to the node is trivial, and from the node to the cluster. Pod Security Standards baseline forbids it.",
    fix: "Remove `privileged: true`; grant only the specific capabilities the process needs under `securityContext.capabilities.add`.",
    example: {
      bad: "containers:\n  - name: app\n    securityContext:\n      privileged: true\n",
      good: "containers:\n  - name: app\n    securityContext:\n      privileged: false\n",
    },
  },
  checkDoc({ doc, report }) {
    for (const c of containers(doc)) {
      const sc = c.container.securityContext;
      if (typeof sc === "object" && sc !== null && (sc as Record<string, unknown>).privileged === true) {
        report({
          path: [...c.path, "securityContext", "privileged"],
          message: `Container "${c.name}" in ${doc.resource.kind} "${doc.resource.name ?? "?"}" runs privileged.`,
        });
      }
    }
  },
});
