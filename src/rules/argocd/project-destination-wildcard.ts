import { defineRule } from "../../core/rule.js";
import { appProject, q } from "./_project-appproject.js";
import { destinations, isWildcardServer } from "./_project-destinations.js";
import { isWildcardOnly } from "./_project-glob.js";

export default defineRule({
  meta: {
    id: "argocd/project-destination-wildcard",
    title: "AppProject allows any destination cluster or namespace",
    severity: "high",
    description:
      "A `spec.destinations[]` entry of an AppProject with `server: '*'`, `name: '*'` or `namespace: '*'`. Deny entries (a `!`-prefixed field) are never reported; wildcard servers are accepted when `permitOnlyProjectScopedClusters: true` limits the project to its own clusters.",
    rationale:
      "Destinations are the project's blast radius. A wildcard server or name lets its Applications deploy to every cluster registered in Argo CD, production included; a wildcard namespace lets them deploy into every namespace, including other teams' and the cluster's system namespaces.",
    fix: "List the clusters and namespaces the project deploys to (globs such as `team-a-*` are fine) instead of `*`.",
    example: {
      bad: "kind: AppProject\nspec:\n  destinations:\n    - server: '*'\n      namespace: '*'\n",
      good: "kind: AppProject\nspec:\n  destinations:\n    - server: https://kubernetes.default.svc\n      namespace: team-a-*\n",
    },
  },
  checkDoc({ doc, report }) {
    const proj = appProject(doc);
    if (!proj) return;
    const scopedClusters = proj.spec.permitOnlyProjectScopedClusters === true;
    for (const d of destinations(proj.spec)) {
      if (d.deny) continue;
      const base = ["spec", "destinations", d.index] as const;
      if (!scopedClusters && d.server !== null && isWildcardServer(d.server)) {
        report({ path: [...base, "server"], message: `${proj.label} destination server ${q(d.server)} allows every cluster registered in Argo CD.` });
      }
      if (!scopedClusters && d.name !== null && isWildcardOnly(d.name)) {
        report({ path: [...base, "name"], message: `${proj.label} destination name ${q(d.name)} allows every cluster registered in Argo CD.` });
      }
      if (d.namespace !== null && isWildcardOnly(d.namespace)) {
        report({ path: [...base, "namespace"], message: `${proj.label} destination namespace ${q(d.namespace)} allows every namespace of the destination cluster.` });
      }
    }
  },
});
