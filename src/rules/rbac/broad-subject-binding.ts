import type { Severity } from "../../core/types.js";
import { defineRule } from "../../core/rule.js";
import { bindingDoc, type BindingDoc } from "./_rbac.js";

/** Subjects that are everyone (or everyone without credentials), by kind and name, with what the message calls them. */
const EVERYONE: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Group: { "system:authenticated": "every authenticated user and ServiceAccount", "system:unauthenticated": "every unauthenticated request" },
  User: { "system:anonymous": "anonymous requests" },
};

/** Built-in ClusterRoles that write workloads and read Secrets (cluster-admin is rbac/cluster-admin-binding's). */
const WRITERS = new Set(["admin", "edit"]);

/** Who a subject stands for when it is everyone; null for a named subject. */
function everyone(subject: Record<string, unknown>): string | null {
  const names = EVERYONE[typeof subject.kind === "string" ? subject.kind : ""];
  return names && typeof subject.name === "string" ? (names[subject.name] ?? null) : null;
}

/** `ClusterRole edit`, for messages. */
function roleText(binding: BindingDoc): string {
  return `${String(binding.roleRef.kind ?? "role")} ${String(binding.roleRef.name ?? "?")}`;
}

/** Whether the binding's role is the built-in ClusterRole of that name. */
function isBuiltIn(binding: BindingDoc, names: ReadonlySet<string>): boolean {
  return binding.roleRef.kind === "ClusterRole" && typeof binding.roleRef.name === "string" && names.has(binding.roleRef.name);
}

export default defineRule({
  meta: {
    id: "rbac/broad-subject-binding",
    title: "Binding to everyone, or admin/edit cluster-wide",
    severity: "high",
    description:
      "A (Cluster)RoleBinding with the subject Group `system:authenticated` or `system:unauthenticated`, or User `system:anonymous` (at that subject's name): high, critical when the role is the ClusterRole `admin` or `edit` (`cluster-admin` is reported by rbac/cluster-admin-binding). A ClusterRoleBinding of the ClusterRole `admin` or `edit` to named subjects (at `roleRef.name`): medium.",
    rationale:
      "`system:authenticated` is every user and every ServiceAccount token in the cluster, so a pod anyone can compromise holds the role; `system:unauthenticated` and `system:anonymous` give it to whoever reaches the API server. `admin` and `edit` write workloads and read Secrets (with them every ServiceAccount token of the namespace); bound in a ClusterRoleBinding they do so in every namespace, kube-system included.",
    fix: "Bind the role to the groups, users or ServiceAccounts that need it, and bind `admin`/`edit` with a RoleBinding in the namespaces they work in.",
    example: {
      bad: "kind: ClusterRoleBinding\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}\nsubjects:\n  - {kind: Group, name: system:authenticated, apiGroup: rbac.authorization.k8s.io}\n",
      good: "kind: RoleBinding\nmetadata: {name: shop-devs, namespace: shop}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}\nsubjects:\n  - {kind: Group, name: shop-devs, apiGroup: rbac.authorization.k8s.io}\n",
    },
  },
  checkDoc({ doc, report }) {
    const binding = bindingDoc(doc);
    if (!binding) return;
    const where = binding.kind === "ClusterRoleBinding" ? " in every namespace" : doc.resource.namespace ? ` in namespace ${doc.resource.namespace}` : "";
    const severity: Severity = isBuiltIn(binding, WRITERS) ? "critical" : "high";
    // cluster-admin to everyone: rbac/cluster-admin-binding's finding says it (one cause, one finding).
    const deferred = isBuiltIn(binding, new Set(["cluster-admin"])) ? { deferredTo: "rbac/cluster-admin-binding" } : {};
    const named: string[] = [];
    for (const { index, subject } of binding.subjects) {
      const who = everyone(subject);
      if (who === null) {
        if (typeof subject.name === "string") named.push(`${String(subject.kind ?? "?")} ${subject.name}`);
        continue;
      }
      report({
        path: ["subjects", index, "name"],
        message: `${binding.label} grants ${roleText(binding)}${where} to ${who} (${String(subject.kind)} ${String(subject.name)}).`,
        severity,
        ...deferred,
      });
    }
    if (binding.kind === "ClusterRoleBinding" && isBuiltIn(binding, WRITERS) && named.length > 0) {
      const to = `${named.slice(0, 3).join(", ")}${named.length > 3 ? ` and ${named.length - 3} more` : ""}`;
      report({
        path: ["roleRef", "name"],
        message: `${binding.label} grants ${roleText(binding)} in every namespace to ${to}; bind it with a RoleBinding in the namespaces they work in.`,
        severity: "medium",
      });
    }
  },
});
