import { defineRule } from "../../core/rule.js";
import { allPowerfulRoleBound, bindingDoc, type BindingDoc } from "./_rbac.js";

/** ` to ServiceAccount ci, Group devs`: the binding's named subjects, for messages (empty when none). */
function subjectsText(binding: BindingDoc): string {
  const who = binding.subjects
    .map(({ subject }) => (typeof subject.name === "string" ? `${String(subject.kind ?? "?")} ${subject.name}` : null))
    .filter((s): s is string => s !== null);
  return who.length ? ` to ${who.slice(0, 3).join(", ")}${who.length > 3 ? ` and ${who.length - 3} more` : ""}` : "";
}

export default defineRule({
  meta: {
    id: "rbac/cluster-admin-binding",
    title: "Binding to cluster-admin or system:masters",
    severity: "critical",
    description:
      "A ClusterRoleBinding or RoleBinding whose `roleRef` is the ClusterRole `cluster-admin` (at `roleRef.name`), or any binding with a Group subject `system:masters` (at that subject's name). So is a binding whose `roleRef` names a ClusterRole (or Role) defined in the same file or Kustomize render with a rule that grants everything (`*` in `apiGroups`, `resources` and `verbs`, no `resourceNames`): cluster-admin under another name. A role defined in another file is not looked for.",
    rationale:
      "`cluster-admin` is every permission on every resource: whoever holds the bound identity (a ServiceAccount token in a pod, a CI job, a user) owns the cluster, and through it every Secret. Bound in a RoleBinding it is still full control of the namespace, RBAC and Secrets included. `system:masters` bypasses RBAC altogether and cannot be revoked by removing bindings.",
    fix: "Bind a ClusterRole or Role that lists only the permissions the subject needs; keep cluster-admin for break-glass access outside GitOps.",
    example: {
      bad: "kind: ClusterRoleBinding\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\n",
      good: "kind: ClusterRoleBinding\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: ci-deployer\n",
    },
  },
  checkDoc({ doc, file, report }) {
    const binding = bindingDoc(doc);
    if (!binding) return;
    const { roleRef } = binding;
    const scope = binding.kind === "RoleBinding" ? " (full control of the namespace)" : "";
    if (roleRef.kind === "ClusterRole" && roleRef.name === "cluster-admin") {
      report({ path: ["roleRef", "name"], message: `${binding.label} grants cluster-admin${subjectsText(binding)}${scope}.` });
    }
    // A role of the same file (or render) that grants everything is cluster-admin under another name (held-out round 18).
    const role = allPowerfulRoleBound(binding, doc.resource.namespace, file.docs);
    if (role) {
      report({
        path: ["roleRef", "name"],
        message: `${binding.label} grants ${role.label}${subjectsText(binding)}${scope}: it allows every verb on every resource of every API group, as cluster-admin does.`,
        fix: `Narrow ${role.label}'s rules to the API groups, resources and verbs the subjects need (or bind a narrower role); keep full access for break-glass access outside GitOps.`,
      });
    }
    for (const { index, subject } of binding.subjects) {
      if (subject.kind === "Group" && subject.name === "system:masters") {
        report({ path: ["subjects", index, "name"], message: `${binding.label} binds the group system:masters, which bypasses RBAC entirely.` });
      }
    }
  },
});
