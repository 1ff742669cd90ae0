import { defineRule } from "../../core/rule.js";
import { coversCoreGroup, groupsText, resourcesText, roleDoc, verbsText } from "./_rbac.js";

export default defineRule({
  meta: {
    id: "rbac/wildcard-permissions",
    title: "RBAC rule with wildcards",
    severity: "high",
    description:
      "A Role or ClusterRole rule with `*` in `verbs`, `resources` or `apiGroups`; one finding per field, at the `*` entry. `verbs: ['*']` on a rule that lists only `nonResourceURLs` (e.g. `/healthz`) is not reported.",
    rationale:
      "A wildcard grants everything that exists now and everything added later, CRDs and subresources included: `*` resources in the core group reads Secrets, `*` verbs include `escalate`, `bind` and `impersonate`. Least privilege needs the list spelled out.",
    fix: "List the exact verbs, resources and API groups the workload needs (`kubectl auth can-i --list` or audit logs show what it uses).",
    example: {
      bad: "rules:\n  - apiGroups: [\"*\"]\n    resources: [\"*\"]\n    verbs: [\"*\"]\n",
      good: "rules:\n  - apiGroups: [\"apps\"]\n    resources: [\"deployments\"]\n    verbs: [\"get\", \"list\", \"watch\"]\n",
    },
  },
  checkDoc({ doc, report }) {
    const role = roleDoc(doc);
    if (!role) return;
    for (const rule of role.rules) {
      // Each message states the whole grant (verbs × resources × API groups), so a `*` limited to one group
      // or to named objects is not read as more than it is.
      const where = `${role.label} rules[${rule.index}]`;
      const groups = groupsText(rule.apiGroups);
      const verb = rule.verbs.find((e) => e.value === "*");
      if (verb && rule.resources.length > 0) {
        report({ path: [...rule.path, "verbs", verb.index], message: `${where} allows every verb ("*") on ${resourcesText(rule)} in ${groups}.` });
      }
      const resource = rule.resources.find((e) => e.value === "*");
      if (resource) {
        const secrets = coversCoreGroup(rule) && rule.resourceNames.length === 0 ? ", Secrets included" : "";
        report({
          path: [...rule.path, "resources", resource.index],
          message: `${where} covers ${resourcesText(rule)} ("*") in ${groups}${secrets}, with ${verbsText(rule)}.`,
        });
      }
      const group = rule.apiGroups.find((e) => e.value === "*");
      if (group) {
        report({
          path: [...rule.path, "apiGroups", group.index],
          message: `${where} covers every API group ("*"), CRDs added later included, for ${resourcesText(rule)} with ${verbsText(rule)}.`,
        });
      }
    }
  },
});
