import type { Severity } from "../../core/types.js";
import { defineRule } from "../../core/rule.js";
import { allPowerfulRoleBound, bindingDoc, type BindingDoc } from "./_rbac.js";

/** Subjects that are everyone (or everyone without credentials), by kind and name, with what the message calls them. */
const EVERYONE: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Group: {
    "system:authenticated": "every authenticated user and ServiceAccount",
    "system:unauthenticated": "every unauthenticated request",
    "system:serviceaccounts": "every ServiceAccount in the cluster",
  },
  User: { "system:anonymous": "anonymous requests" },
};

/** The group of every ServiceAccount of one namespace: `system:serviceaccounts:<namespace>`. */
const NAMESPACE_ACCOUNTS = "system:serviceaccounts:";

/** Built-in ClusterRoles that write workloads and read Secrets (cluster-admin is rbac/cluster-admin-binding's). */
const WRITERS = new Set(["admin", "edit"]);

/**
 * A subject that is not one named identity: everyone (in the cluster), or every ServiceAccount of one namespace.
 * `who` is what the message calls it.
 */
interface BroadSubject {
  who: string;
  reach: "everyone" | "namespace";
}

/** Who a subject stands for when it is a broad group; null for a named subject (a User `system:serviceaccount:<ns>:<name>` is one account). */
function broadSubject(subject: Record<string, unknown>): BroadSubject | null {
  if (typeof subject.name !== "string") return null;
  const names = typeof subject.kind === "string" && Object.hasOwn(EVERYONE, subject.kind) ? EVERYONE[subject.kind] : undefined;
  if (names && Object.hasOwn(names, subject.name)) return { who: names[subject.name]!, reach: "everyone" };
  const namespace = subject.kind === "Group" && subject.name.startsWith(NAMESPACE_ACCOUNTS) ? subject.name.slice(NAMESPACE_ACCOUNTS.length) : "";
  return namespace !== "" ? { who: `every ServiceAccount of namespace ${namespace}`, reach: "namespace" } : null;
}

/**
 * How severe binding the role to a broad subject is: everyone is high, critical for admin/edit; every ServiceAccount
 * of one namespace (every pod that runs there) one step lower, medium, high for admin/edit.
 */
function broadSeverity(reach: BroadSubject["reach"], writer: boolean): Severity {
  if (reach === "everyone") return writer ? "critical" : "high";
  return writer ? "high" : "medium";
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
      "A (Cluster)RoleBinding with the subject Group `system:authenticated`, `system:unauthenticated` or `system:serviceaccounts` (every ServiceAccount in the cluster), or User `system:anonymous` (at that subject's name): high, critical when the role is the ClusterRole `admin` or `edit` (`cluster-admin`, or a role of the same file or render that grants everything, is reported by rbac/cluster-admin-binding). The subject Group `system:serviceaccounts:<namespace>` (every ServiceAccount of that namespace): one step lower, medium, high for `admin` or `edit`: it reaches every pod of one namespace rather than every identity of the cluster, but no more a named subject than the others. A ClusterRoleBinding of the ClusterRole `admin` or `edit` to named subjects (at `roleRef.name`): medium; a User `system:serviceaccount:<namespace>:<name>` is one named ServiceAccount.",
    rationale:
      "`system:authenticated` is every user and every ServiceAccount token in the cluster, and `system:serviceaccounts` every ServiceAccount token, so a pod anyone can compromise holds the role; `system:serviceaccounts:<namespace>` gives it to every pod of that namespace, whether its workload needs the role or not, and to whoever can start a pod there; `system:unauthenticated` and `system:anonymous` give it to whoever reaches the API server. `admin` and `edit` write workloads and read Secrets (with them every ServiceAccount token of the namespace); bound in a ClusterRoleBinding they do so in every namespace, kube-system included.",
    fix: "Bind the role to the groups, users or ServiceAccounts that need it, and bind `admin`/`edit` with a RoleBinding in the namespaces they work in.",
    example: {
      bad: "kind: ClusterRoleBinding\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}\nsubjects:\n  - {kind: Group, name: system:authenticated, apiGroup: rbac.authorization.k8s.io}\n",
      good: "kind: RoleBinding\nmetadata: {name: shop-devs, namespace: shop}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}\nsubjects:\n  - {kind: Group, name: shop-devs, apiGroup: rbac.authorization.k8s.io}\n",
    },
  },
  checkDoc({ doc, file, report }) {
    const binding = bindingDoc(doc);
    if (!binding) return;
    const where = binding.kind === "ClusterRoleBinding" ? " in every namespace" : doc.resource.namespace ? ` in namespace ${doc.resource.namespace}` : "";
    const writer = isBuiltIn(binding, WRITERS);
    // cluster-admin (or a role of the same file or render that grants everything) to everyone:
    // rbac/cluster-admin-binding's finding says it (one cause, one finding).
    const adminLike = isBuiltIn(binding, new Set(["cluster-admin"])) || allPowerfulRoleBound(binding, doc.resource.namespace, file.docs) !== null;
    const deferred = adminLike ? { deferredTo: "rbac/cluster-admin-binding" } : {};
    const named: string[] = [];
    for (const { index, subject } of binding.subjects) {
      const broad = broadSubject(subject);
      if (broad === null) {
        if (typeof subject.name === "string") named.push(`${String(subject.kind ?? "?")} ${subject.name}`);
        continue;
      }
      report({
        path: ["subjects", index, "name"],
        message: `${binding.label} grants ${roleText(binding)}${where} to ${broad.who} (${String(subject.kind)} ${String(subject.name)}).`,
        severity: broadSeverity(broad.reach, writer),
        ...deferred,
      });
    }
    if (binding.kind === "ClusterRoleBinding" && writer && named.length > 0) {
      const to = `${named.slice(0, 3).join(", ")}${named.length > 3 ? ` and ${named.length - 3} more` : ""}`;
      report({
        path: ["roleRef", "name"],
        message: `${binding.label} grants ${roleText(binding)} in every namespace to ${to}; bind it with a RoleBinding in the namespaces they work in.`,
        severity: "medium",
      });
    }
  },
});
