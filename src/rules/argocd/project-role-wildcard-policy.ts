import { defineRule } from "../../core/rule.js";
import { appProject, entryIdentity, objectItems, q, str, stringItems } from "./_project-appproject.js";
import { isWildcardOnly } from "./_project-glob.js";
import { grants, parsePolicyLines, permissions, type Permission } from "./_project-rbac-csv.js";

/** An action no-one would list by name: a pattern that matches it grants every resource action. */
const ANY_RESOURCE_ACTION = "action/zz.example.invalid/ZzKind/zz-action";

function isWildcardObject(object: string): boolean {
  return object.includes("*") && /^[*/]+$/.test(object.trim());
}

/** What is too broad about one allow line, or [] when it is scoped. */
function problems(p: Permission): string[] {
  const out: string[] = [];
  const anyAction = isWildcardOnly(p.action);
  if (anyAction) out.push('every action ("*")');
  if (isWildcardObject(p.object)) out.push(`every object (${q(p.object)})`);
  if (!anyAction && grants(p.resource, "applications") && grants(p.action, "override")) out.push("override");
  if (!anyAction && grants(p.resource, "applications") && grants(p.action, ANY_RESOURCE_ACTION)) out.push(`every resource action (${q(p.action)})`);
  if (grants(p.resource, "exec") && grants(p.action, "create")) out.push("exec into pods");
  return out;
}

export default defineRule({
  meta: {
    id: "argocd/project-role-wildcard-policy",
    title: "AppProject role with wildcard or dangerous permissions",
    severity: "high",
    description:
      "An AppProject `spec.roles[].policies` allow line whose action or object is `*`, or that grants `override`, `exec` (create) or every resource action (`action/*`); and a role bound to `groups: ['*']`. Deny lines are never reported.",
    rationale:
      "Project roles are handed to CI tokens and SSO groups. `*` grants everything, including deleting every Application; `override` lets the holder sync arbitrary local manifests or revisions (GHSA-2f5v-8r3f-8pww, GHSA-g623-jcgg-mhmm); `exec` opens a shell in any pod of the project; `action/*` runs any resource action. A role bound to the group `*` is held by everybody who can log in.",
    fix: "Grant the specific actions the role needs (e.g. `get`, `sync`) on the project's own Applications (`<project>/*`), and bind the role to named groups.",
    example: {
      bad: "roles:\n  - name: ci\n    policies:\n      - p, proj:team-a:ci, applications, *, team-a/*, allow\n",
      good: "roles:\n  - name: ci\n    policies:\n      - p, proj:team-a:ci, applications, sync, team-a/*, allow\n",
    },
  },
  checkDoc({ doc, report }) {
    const proj = appProject(doc);
    if (!proj) return;
    for (const role of objectItems(proj.spec.roles)) {
      const roleName = `role ${q(str(role.value, "name") ?? String(role.index))}`;
      for (const policy of stringItems(role.value.policies)) {
        const found = new Set<string>();
        for (const p of permissions(parsePolicyLines(policy.value))) {
          if (p.deny) continue;
          for (const why of problems(p)) found.add(why);
        }
        if (found.size === 0) continue;
        report({
          path: ["spec", "roles", role.index, "policies", policy.index],
          identity: entryIdentity(["spec", "roles", role.index, "policies"], policy.value),
          message: `${proj.label} ${roleName} policy grants ${[...found].join(", ")}.`,
        });
      }
      for (const group of stringItems(role.value.groups)) {
        if (!isWildcardOnly(group.value)) continue;
        report({
          path: ["spec", "roles", role.index, "groups", group.index],
          identity: entryIdentity(["spec", "roles", role.index, "groups"], group.value),
          message: `${proj.label} ${roleName} is bound to group ${q(group.value)}: every user who can log in to Argo CD holds it.`,
        });
      }
    }
  },
});
