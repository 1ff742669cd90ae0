import { defineRule } from "../../core/rule.js";
import { has, roleDoc, type PolicyRule } from "./_rbac.js";

/** Which resources make each verb dangerous (the verb has no effect elsewhere). */
const TARGETS: Record<string, { resources: (r: string) => boolean; what: string }> = {
  escalate: { resources: (r) => r === "roles" || r === "clusterroles", what: "can add permissions it does not hold to roles" },
  bind: { resources: (r) => r === "roles" || r === "clusterroles", what: "can bind roles with permissions it does not hold" },
  impersonate: {
    resources: (r) => ["users", "groups", "serviceaccounts", "uids"].includes(r) || r.startsWith("userextras/"),
    what: "can act as other users, groups or service accounts",
  },
};

function applies(rule: PolicyRule, verb: string): boolean {
  const target = TARGETS[verb];
  if (!target) return false;
  return has(rule.resources, "*") || rule.resources.some((e) => target.resources(e.value));
}

export default defineRule({
  meta: {
    id: "rbac/escalation-verbs",
    title: "RBAC privilege-escalation verbs",
    severity: "high",
    description:
      "A Role or ClusterRole rule granting `escalate` or `bind` (on roles/clusterroles) or `impersonate` (on users, groups, serviceaccounts, uids or userextras), reported at the verb. `verbs: ['*']` is reported by rbac/wildcard-permissions, not here.",
    rationale:
      "RBAC normally stops a subject from granting more than it holds. `escalate` lets it edit roles beyond its own permissions, `bind` lets it bind any role (cluster-admin included), and `impersonate` lets it act as any identity: each is a direct path to cluster-admin.",
    fix: "Remove the verb; if a controller really needs `bind`, restrict it with `resourceNames` to the specific roles it hands out.",
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
