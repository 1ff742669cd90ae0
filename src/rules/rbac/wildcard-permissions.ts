import type { JsonPath } from "../../core/path.js";
import { defineRule } from "../../core/rule.js";
import type { SourceRange } from "../../core/types.js";
import { coversCoreGroup, groupsText, resourcesText, roleDoc, verbsText, type PolicyRule } from "./_rbac.js";

type WildcardField = "apiGroups" | "resources" | "verbs";

/**
 * The fields of a rule that hold `*`, each with its `*` entry, in field order. `verbs: ['*']` counts only on a rule
 * with resources (on `nonResourceURLs` alone it is not reported).
 */
function wildcardEntries(rule: PolicyRule): Array<{ field: WildcardField; path: JsonPath }> {
  const out: Array<{ field: WildcardField; path: JsonPath }> = [];
  const group = rule.apiGroups.find((e) => e.value === "*");
  if (group) out.push({ field: "apiGroups", path: [...rule.path, "apiGroups", group.index] });
  const resource = rule.resources.find((e) => e.value === "*");
  if (resource) out.push({ field: "resources", path: [...rule.path, "resources", resource.index] });
  const verb = rule.verbs.find((e) => e.value === "*");
  if (verb && rule.resources.length > 0) out.push({ field: "verbs", path: [...rule.path, "verbs", verb.index] });
  return out;
}

function compareRanges(a: SourceRange, b: SourceRange): number {
  return a.line - b.line || a.column - b.column;
}

/** `apiGroups, resources and verbs` */
function fieldsText(fields: readonly string[]): string {
  return fields.length === 1 ? fields[0]! : `${fields.slice(0, -1).join(", ")} and ${fields[fields.length - 1]!}`;
}

/**
 * The whole grant (verbs × resources × API groups), so a `*` limited to one group or to named objects is not read as
 * more than it is. One field: what that `*` covers. More: which fields hold `*`, then the grant, with what it reaches.
 */
function wildcardMessage(where: string, rule: PolicyRule, fields: readonly WildcardField[]): string {
  const groups = groupsText(rule.apiGroups);
  const secrets = fields.includes("resources") && coversCoreGroup(rule) && rule.resourceNames.length === 0;
  if (fields.length > 1) {
    const reach = [...(fields.includes("apiGroups") ? ["CRDs added later"] : []), ...(secrets ? ["Secrets"] : [])];
    const included = reach.length > 0 ? `, ${reach.join(" and ")} included` : "";
    return `${where} has "*" in ${fieldsText(fields)}: ${verbsText(rule)} on ${resourcesText(rule)} in ${groups}${included}.`;
  }
  if (fields[0] === "verbs") return `${where} allows every verb ("*") on ${resourcesText(rule)} in ${groups}.`;
  if (fields[0] === "resources") return `${where} covers ${resourcesText(rule)} ("*") in ${groups}${secrets ? ", Secrets included" : ""}, with ${verbsText(rule)}.`;
  return `${where} covers every API group ("*"), CRDs added later included, for ${resourcesText(rule)} with ${verbsText(rule)}.`;
}

export default defineRule({
  meta: {
    id: "rbac/wildcard-permissions",
    title: "RBAC rule with wildcards",
    severity: "high",
    description:
      "A Role or ClusterRole rule with `*` in `verbs`, `resources` or `apiGroups`; one finding per rule, at its first `*` entry, naming every field that holds one (one cause, one finding). `verbs: ['*']` on a rule that lists only `nonResourceURLs` (e.g. `/healthz`) is not reported.",
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
      // One cause, one finding: a rule's `*` entries are one grant, reported once, at the first in the text, naming each.
      const wildcards = wildcardEntries(rule);
      const first = [...wildcards].sort((a, b) => compareRanges(doc.locate(a.path), doc.locate(b.path)))[0];
      if (!first) continue;
      report({
        path: first.path,
        // The rule item and which of its fields hold `*`: a `*` added to another field of the same rule is a new grant.
        identity: [...rule.path, `*${wildcards.map((w) => w.field).join(",")}`],
        message: wildcardMessage(`${role.label} rules[${rule.index}]`, rule, wildcards.map((w) => w.field)),
      });
    }
  },
});
