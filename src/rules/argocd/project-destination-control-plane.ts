import { defineRule } from "../../core/rule.js";
import { appProject, q } from "./_project-appproject.js";
import { destinations, reachableNamespaces } from "./_project-destinations.js";

export default defineRule({
  meta: {
    id: "argocd/project-destination-control-plane",
    title: "AppProject can deploy into the Argo CD or kube-system namespace",
    severity: "critical",
    description:
      "An AppProject destination whose namespace pattern matches the Argo CD namespace (`argocd`, or `argocd.namespace` in the config) or `kube-system`, `*` included, unless a negated namespace (`namespace: '!argocd'`) in any entry excludes it. As in Argo CD, a negated pattern matches every other namespace: `namespace: '!kube-system'` with a server reaches `argocd`. Entries with neither `server` nor `name` only deny.",
    rationale:
      "Argo CD's documentation warns that projects which can deploy to the Argo CD namespace grant admin access: an Application there can create Applications in any project, replace Argo CD's own configuration, RBAC and credentials. `kube-system` holds the cluster's control-plane components and their highly privileged service accounts.",
    fix: "Scope the destination to the team's namespaces (e.g. `team-a-*`), or add deny entries `namespace: '!argocd'` and `namespace: '!kube-system'`; keep those namespaces to a platform project.",
    example: {
      bad: "kind: AppProject\nspec:\n  destinations:\n    - server: https://kubernetes.default.svc\n      namespace: '*'\n",
      good: "kind: AppProject\nspec:\n  destinations:\n    - server: https://kubernetes.default.svc\n      namespace: '*'\n    - server: https://kubernetes.default.svc\n      namespace: '!argocd'\n    - server: https://kubernetes.default.svc\n      namespace: '!kube-system'\n",
    },
  },
  checkDoc({ doc, settings, report }) {
    const proj = appProject(doc);
    if (!proj) return;
    const targets = [...new Set([settings.argocdNamespace, "kube-system"])];
    const all = destinations(proj.spec);
    for (const d of all) {
      const hit = reachableNamespaces(d, all, targets);
      if (hit.length === 0 || d.namespace === null) continue;
      const names = hit.map((n) => `"${n}"`).join(" and ");
      const what = hit.length === 1 && d.namespace.trim() === hit[0] ? "" : ` through pattern ${q(d.namespace)}`;
      const grants = hit.map((n) => (n === settings.argocdNamespace ? "Argo CD itself" : "the cluster's control plane")).join(" and ");
      report({
        path: ["spec", "destinations", d.index, "namespace"],
        message: `${proj.label} can deploy into the ${names} namespace${hit.length > 1 ? "s" : ""}${what}, which amounts to admin access to ${grants}.`,
      });
    }
  },
});
