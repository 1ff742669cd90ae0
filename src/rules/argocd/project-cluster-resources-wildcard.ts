import { defineRule } from "../../core/rule.js";
import { appProject, q } from "./_project-appproject.js";
import { groupKinds, clusterResourceGrant } from "./_project-cluster-resources.js";
import { isWildcardOnly } from "./_project-glob.js";

export default defineRule({
  meta: {
    id: "argocd/project-cluster-resources-wildcard",
    title: "AppProject allows every cluster-scoped kind",
    severity: "high",
    description: "An AppProject `spec.clusterResourceWhitelist` entry with `kind: '*'`, whatever its group.",
    rationale:
      "Cluster-scoped resources act on the whole cluster: ClusterRoles and ClusterRoleBindings, CRDs, admission webhooks, Namespaces, PersistentVolumes, StorageClasses. Argo CD allows none of them by default; a wildcard kind lets the project's Applications create any of them, including a ClusterRoleBinding to cluster-admin.",
    fix: "Allow only the cluster-scoped kinds the project needs, each with its group (e.g. `group: ''`, `kind: Namespace`).",
    example: {
      bad: "kind: AppProject\nspec:\n  clusterResourceWhitelist:\n    - group: '*'\n      kind: '*'\n",
      good: "kind: AppProject\nspec:\n  clusterResourceWhitelist:\n    - group: ''\n      kind: Namespace\n",
    },
  },
  checkDoc({ doc, report }) {
    const proj = appProject(doc);
    if (!proj) return;
    for (const e of groupKinds(proj.spec.clusterResourceWhitelist)) {
      if (e.kind === null || !isWildcardOnly(e.kind)) continue;
      const group = e.group === "" ? "the core group" : isWildcardOnly(e.group) ? "any group" : `group ${q(e.group)}`;
      report({
        path: ["spec", "clusterResourceWhitelist", e.index, "kind"],
        message: `${proj.label} clusterResourceWhitelist allows every cluster-scoped kind of ${group}.`,
        grant: clusterResourceGrant(e),
      });
    }
  },
});
