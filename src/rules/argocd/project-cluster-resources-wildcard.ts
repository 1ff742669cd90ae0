import { defineRule } from "../../core/rule.js";
import { appProject, q } from "./_project-appproject.js";
import { clusterResourceGrant, covers, groupKinds, PRIVILEGED_CLUSTER_KINDS, type GroupKindEntry } from "./_project-cluster-resources.js";
import { globMatch, hasGlobSyntax, isWildcardOnly } from "./_project-glob.js";

export default defineRule({
  meta: {
    id: "argocd/project-cluster-resources-wildcard",
    title: "AppProject allows every cluster-scoped kind",
    severity: "high",
    description:
      "An AppProject `spec.clusterResourceWhitelist` entry with `kind: '*'`, whatever its group, unless a `clusterResourceBlacklist` entry with `kind: '*'` takes the whole group away again (Argo CD permits a kind only when it is whitelisted and not blacklisted); the message names the privileged groups a blacklist removes.",
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
    // Argo CD permits a cluster-scoped kind only when it is whitelisted and not blacklisted (IsGroupKindPermitted).
    const blacklist = groupKinds(proj.spec.clusterResourceBlacklist);
    for (const e of groupKinds(proj.spec.clusterResourceWhitelist)) {
      if (e.kind === null || !isWildcardOnly(e.kind) || blocksWholeEntry(blacklist, e)) continue;
      const group = e.group === "" ? "the core group" : isWildcardOnly(e.group) ? "any group" : `group ${q(e.group)}`;
      const removed = blacklist.filter((b) => b.kind !== null && PRIVILEGED_CLUSTER_KINDS.some((gk) => covers(e, gk.group, gk.kind) && covers(b, gk.group, gk.kind)));
      const but = removed.length > 0 ? ` but those clusterResourceBlacklist removes (${removed.map((b) => `${b.group === "" ? "core" : b.group}/${b.kind}`).join(", ")})` : "";
      report({
        path: ["spec", "clusterResourceWhitelist", e.index, "kind"],
        message: `${proj.label} clusterResourceWhitelist allows every cluster-scoped kind of ${group}${but}.`,
        grant: clusterResourceGrant(e),
      });
    }
  },
});

/**
 * Whether a blacklist entry takes away everything a wildcard whitelist entry allows: a `kind: '*'` entry whose group
 * covers the entry's (any group, or the entry's own group when that is one group).
 */
function blocksWholeEntry(blacklist: readonly GroupKindEntry[], e: GroupKindEntry): boolean {
  return blacklist.some((b) => b.kind !== null && isWildcardOnly(b.kind) && (isWildcardOnly(b.group) || (!hasGlobSyntax(e.group) && globMatch(b.group, e.group))));
}
