import { defineRule } from "../../core/rule.js";
import { bindingDoc } from "./_rbac.js";

export default defineRule({
  meta: {
    id: "rbac/cluster-admin-binding",
    title: "Binding to cluster-admin or system:masters",
    severity: "critical",
    description:
      "A ClusterRoleBinding or RoleBinding whose `roleRef` is the ClusterRole `cluster-admin` (at `roleRef.name`), or any binding with a Group subject `system:masters` (at that subject's name).",
    rationale:
      "`cluster-admin` is every permission on every resource: whoever holds the bound identity (a ServiceAccount token in a pod, a CI job, a user) owns the cluster, and through it every Secret. Bound in a RoleBinding it is still full control of the namespace, RBAC and Secrets included. `system:masters` bypasses RBAC altogether and cannot be revoked by removing bindings.",
    fix: "Bind a ClusterRole or Role that lists only the permissions the subject needs; keep cluster-admin for break-glass access outside GitOps.",
    example: {
      bad: "kind: ClusterRoleBinding\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\n",
      good: "kind: ClusterRoleBinding\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: ci-deployer\n",
    },
  },
  checkDoc({ doc, report }) {
    const binding = bindingDoc(doc);
    if (!binding) return;
    const { roleRef } = binding;
    if (roleRef.kind === "ClusterRole" && roleRef.name === "cluster-admin") {
      const who = binding.subjects
        .map(({ subject }) => (typeof subject.name === "string" ? `${String(subject.kind ?? "?")} ${subject.name}` : null))
        .filter((s): s is string => s !== null);
      const to = who.length ? ` to ${who.slice(0, 3).join(", ")}${who.length > 3 ? ` and ${who.length - 3} more` : ""}` : "";
      const scope = binding.kind === "RoleBinding" ? " (full control of the namespace)" : "";
      report({ path: ["roleRef", "name"], message: `${binding.label} grants cluster-admin${to}${scope}.` });
    }
    for (const { index, subject } of binding.subjects) {
      if (subject.kind === "Group" && subject.name === "system:masters") {
        report({ path: ["subjects", index, "name"], message: `${binding.label} binds the group system:masters, which bypasses RBAC entirely.` });
      }
    }
  },
});
