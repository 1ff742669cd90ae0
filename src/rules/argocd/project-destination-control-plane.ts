import { defineRule } from "../../core/rule.js";
import { appProject, q } from "./_project-appproject.js";
import { hasGlobSyntax, isDeny } from "./_project-glob.js";
import { clusterScope, controlPlaneTargets, destinations, reachableNamespaces, type ClusterScope, destinationGrant, isShadowedDeny } from "./_project-destinations.js";

export default defineRule({
  meta: {
    id: "argocd/project-destination-control-plane",
    title: "AppProject can deploy into the Argo CD or kube-system namespace",
    severity: "critical",
    description:
      "An AppProject destination whose namespace pattern matches the Argo CD namespace (`argocd`, or `argocd.namespace` in the config) or `kube-system`, `*` included, unless a negated namespace (`namespace: '!argocd'`) in any entry excludes it. As in Argo CD, a negated pattern matches every other namespace: `namespace: '!kube-system'` with a server reaches `argocd` (reported on that entry unless another entry without a negated field, such as `namespace: '*'` on the same cluster, already allows all it does: that one is the finding). Entries with neither `server` nor `name` only deny. Critical; high when the entry reaches only the Argo CD namespace of remote clusters (not the in-cluster server `https://kubernetes.default.svc` / `in-cluster`, nor `*`), which is not where this Argo CD runs. A project listed in `argocd.platformProjects` is declared to deploy there: its entries that name such a namespace explicitly (`namespace: argocd`) pass, while a pattern that reaches one (`*`, `argo*`, `!kube-system`) is still reported. A wildcard namespace reported here is not reported again by argocd/project-destination-wildcard.",
    rationale:
      "Argo CD's documentation warns that projects which can deploy to the Argo CD namespace grant admin access: an Application there can create Applications in any project, replace Argo CD's own configuration, RBAC and credentials. That is the namespace in the cluster Argo CD runs in (the in-cluster destination); the same namespace in a remote cluster holds an Argo CD instance or agent only if one is installed there. `kube-system` holds each cluster's control-plane components and their highly privileged service accounts: deploying there is admin access to that cluster.",
    fix: "Scope the destination to the team's namespaces (e.g. `team-a-*`), or add deny entries `namespace: '!argocd'` and `namespace: '!kube-system'`; keep those namespaces to a platform project listed in `argocd.platformProjects`, which names them explicitly (`namespace: argocd`) rather than by a pattern.",
    example: {
      bad: "kind: AppProject\nspec:\n  destinations:\n    - server: https://kubernetes.default.svc\n      namespace: '*'\n",
      good: "kind: AppProject\nspec:\n  destinations:\n    - server: https://kubernetes.default.svc\n      namespace: '*'\n    - server: https://kubernetes.default.svc\n      namespace: '!argocd'\n    - server: https://kubernetes.default.svc\n      namespace: '!kube-system'\n",
    },
  },
  checkDoc({ doc, settings, report }) {
    const proj = appProject(doc);
    if (!proj) return;
    const all = destinations(proj.spec);
    const platform = settings.platformProjects.includes(proj.name);
    for (const d of all) {
      const hit = reachableNamespaces(d, all, controlPlaneTargets(settings.argocdNamespace));
      if (hit.length === 0 || d.namespace === null || isShadowedDeny(d, all)) continue;
      // What `argocd.platformProjects` declares: that project deploys into the control plane, by name.
      if (platform && isExplicitNamespace(d.namespace)) continue;
      const scope = clusterScope(d);
      const names = hit.map((n) => `"${n}"`).join(" and ");
      const through = hit.length === 1 && d.namespace.trim() === hit[0] ? "" : ` (namespace pattern ${q(d.namespace)})`;
      // Only the Argo CD namespace of remote clusters: not this Argo CD's own namespace.
      const remoteOnly = !scope.inCluster && hit.every((n) => n === settings.argocdNamespace);
      report({
        path: ["spec", "destinations", d.index, "namespace"],
        message: `${proj.label} can deploy into the ${names} namespace${hit.length > 1 ? "s" : ""}${through} of ${scope.label}, which amounts to ${remoteOnly ? REMOTE_ARGOCD : `admin access to ${adminOf(hit, scope, settings.argocdNamespace)}`}.`,
        ...(remoteOnly ? { severity: "high" as const } : {}),
        grant: destinationGrant(d),
      });
    }
  },
});

/** A namespace written as one name (`argocd`), not a pattern (`*`, `argo*`) nor a negation (`!kube-system`). */
function isExplicitNamespace(pattern: string): boolean {
  const p = pattern.trim();
  return p !== "" && !hasGlobSyntax(p) && !isDeny(p);
}

const REMOTE_ARGOCD = "control of any Argo CD instance or agent installed there";

/**
 * Whose admin a destination makes its Applications: Argo CD itself when it reaches the Argo CD namespace of the
 * cluster Argo CD runs in; each reached cluster when it reaches kube-system (which covers anything installed there).
 */
function adminOf(hit: readonly string[], scope: ClusterScope, argocdNamespace: string): string {
  const out: string[] = [];
  if (hit.includes(argocdNamespace) && scope.inCluster) out.push("Argo CD itself");
  if (hit.includes("kube-system")) {
    if (scope.every) out.push("every cluster Argo CD manages");
    else if (!scope.remote) out.push("the cluster Argo CD runs in");
    else out.push(scope.single ? "that cluster" : "those clusters");
  }
  return out.join(" and to ");
}
