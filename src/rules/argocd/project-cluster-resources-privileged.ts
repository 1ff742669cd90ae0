import { defineRule } from "../../core/rule.js";
import { appProject } from "./_project-appproject.js";
import { covers, groupKinds, PRIVILEGED_CLUSTER_KINDS, clusterResourceGrant } from "./_project-cluster-resources.js";
import { isWildcardOnly } from "./_project-glob.js";

export default defineRule({
  meta: {
    id: "argocd/project-cluster-resources-privileged",
    title: "AppProject allows privileged cluster-scoped kinds",
    severity: "high",
    description:
      "An AppProject `spec.clusterResourceWhitelist` entry that allows ClusterRole, ClusterRoleBinding, CustomResourceDefinition, MutatingWebhookConfiguration or ValidatingWebhookConfiguration (by name or by a glob such as `Cluster*`), unless `clusterResourceBlacklist` removes it again. `kind: '*'` is reported by argocd/project-cluster-resources-wildcard.",
    rationale:
      "These kinds control the whole cluster. A ClusterRoleBinding can make anyone cluster-admin; a ClusterRole can grant any permission; a CRD change can break or take over every controller using it; an admission webhook sees (and can rewrite) every object created in the cluster, Secrets included. A project that may deploy them is effectively a cluster-admin project.",
    fix: "Remove these kinds from the project's whitelist and deploy them from a platform project reviewed by cluster administrators.",
    example: {
      bad: "kind: AppProject\nspec:\n  clusterResourceWhitelist:\n    - group: rbac.authorization.k8s.io\n      kind: ClusterRoleBinding\n",
      good: "kind: AppProject\nspec:\n  clusterResourceWhitelist:\n    - group: ''\n      kind: Namespace\n",
    },
  },
  checkDoc({ doc, report }) {
    const proj = appProject(doc);
    if (!proj) return;
    const blacklist = groupKinds(proj.spec.clusterResourceBlacklist);
    for (const e of groupKinds(proj.spec.clusterResourceWhitelist)) {
      if (e.kind === null || isWildcardOnly(e.kind)) continue;
      const allowed = PRIVILEGED_CLUSTER_KINDS.filter(
        (gk) => covers(e, gk.group, gk.kind) && !blacklist.some((b) => covers(b, gk.group, gk.kind)),
      ).map((gk) => gk.kind);
      if (allowed.length === 0) continue;
      report({
        path: ["spec", "clusterResourceWhitelist", e.index, "kind"],
        message: `${proj.label} clusterResourceWhitelist allows ${allowed.join(", ")}, which lets the project's Applications take control of the whole cluster.`,
        grant: clusterResourceGrant(e),
      });
    }
  },
});
