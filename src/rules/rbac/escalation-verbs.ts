import { defineRule } from "../../core/rule.js";
import { coversCoreGroup, has, roleDoc, type PolicyRule } from "./_rbac.js";

/**
 * Which resources make each verb dangerous (the verb has no effect elsewhere). `wildcard`: whether `resources: ['*']`
 * counts too; not for `create`, which on `*` is rbac/wildcard-permissions' finding and on most resources harmless.
 * `coreOnly`: the resource is the core API group's.
 */
const TARGETS: Record<string, { resources: (r: string) => boolean; what: string; wildcard: boolean; coreOnly?: boolean }> = {
  escalate: { resources: (r) => r === "roles" || r === "clusterroles", what: "can add permissions it does not hold to roles", wildcard: true },
  bind: { resources: (r) => r === "roles" || r === "clusterroles", what: "can bind roles with permissions it does not hold", wildcard: true },
  impersonate: {
    resources: (r) => ["users", "groups", "serviceaccounts", "uids"].includes(r) || r.startsWith("userextras/"),
    what: "can act as other users, groups or service accounts",
    wildcard: true,
  },
  create: {
    resources: (r) => r === "serviceaccounts/token" || r === "serviceaccounts/*",
    what: "can mint a token for any ServiceAccount where it is bound (serviceaccounts/token) and act as that account: impersonation by another name",
    wildcard: false,
    coreOnly: true,
  },
};

function applies(rule: PolicyRule, verb: string): boolean {
  const target = Object.hasOwn(TARGETS, verb) ? TARGETS[verb] : undefined;
  if (!target) return false;
  if (target.coreOnly && !coversCoreGroup(rule)) return false;
  return (target.wildcard && has(rule.resources, "*")) || rule.resources.some((e) => target.resources(e.value));
}

export default defineRule({
  meta: {
    id: "rbac/escalation-verbs",
    title: "RBAC privilege-escalation verbs",
    severity: "high",
    description:
      "A Role or ClusterRole rule granting `escalate` or `bind` (on roles/clusterroles), `impersonate` (on users, groups, serviceaccounts, uids or userextras) or `create` on `serviceaccounts/token` (or `serviceaccounts/*`) in the core API group, reported at the verb. `verbs: ['*']` is reported by rbac/wildcard-permissions, not here, and so is `create` on `resources: ['*']`.",
    rationale:
      "RBAC normally stops a subject from granting more than it holds. `escalate` lets it edit roles beyond its own permissions, `bind` lets it bind any role (cluster-admin included), and `impersonate` lets it act as any identity: each is a direct path to cluster-admin. `create` on `serviceaccounts/token` (the TokenRequest API) mints a token for any ServiceAccount of the namespaces it is bound in, controllers' and operators' included, which is impersonating them by another name.",
    fix: "Remove the verb; if a controller really needs `bind` or `create` on `serviceaccounts/token`, restrict it with `resourceNames` to the specific roles or ServiceAccounts it hands out.",
    example: {
      bad: "rules:\n  - apiGroups: [\"rbac.authorization.k8s.io\"]\n    resources: [\"clusterroles\"]\n    verbs: [\"bind\", \"escalate\"]\n",
      good: "rules:\n  - apiGroups: [\"rbac.authorization.k8s.io\"]\n    resources: [\"clusterroles\"]\n    verbs: [\"get\", \"list\"]\n",
    },
  },
  checkDoc({ doc, report }) {
    const role = roleDoc(doc);
    if (!role) return;
    for (const rule of role.rules) {
      for (const verb of rule.verbs) {
        if (!applies(rule, verb.value)) continue;
        const narrowed = rule.resourceNames.length > 0 ? ` (limited to ${rule.resourceNames.length} named object${rule.resourceNames.length > 1 ? "s" : ""})` : "";
        report({
          path: [...rule.path, "verbs", verb.index],
          message: `${role.label} rules[${rule.index}] grants "${verb.value}": it ${TARGETS[verb.value]!.what}${narrowed}.`,
        });
      }
    }
  },
});
