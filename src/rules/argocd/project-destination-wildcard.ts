import { defineRule } from "../../core/rule.js";
import { appProject, q } from "./_project-appproject.js";
import { allowsAnyCluster, controlPlaneTargets, destinationGrant, destinations, isNegatedWildcard, isShadowedDeny, isWildcardServer, reachableNamespaces, type Destination } from "./_project-destinations.js";
import { isWildcardOnly } from "./_project-glob.js";

type Field = "server" | "name" | "namespace";

const SCOPE: Record<Field, string> = {
  server: "every cluster registered in Argo CD",
  name: "every cluster registered in Argo CD",
  namespace: "every namespace of the destination cluster",
};

export default defineRule({
  meta: {
    id: "argocd/project-destination-wildcard",
    title: "AppProject allows any destination cluster or namespace",
    severity: "high",
    description:
      "A `spec.destinations[]` entry of an AppProject with `server: '*'`, `name: '*'` or `namespace: '*'`, or, failing that, a negated field (`'!kube-system'`): Argo CD reads `!x` as \"every value except x\", so such an entry still allows everything else. Entries with neither `server` nor `name` only deny and are not reported, nor is a negated entry another entry already covers (Argo CD's deny pattern: `'!kube-system'` beside `'*'` on the same cluster, where the `'*'` entry is the finding); wildcard servers are accepted when `permitOnlyProjectScopedClusters: true` limits the project to its own clusters. A namespace pattern that also reaches the Argo CD namespace or `kube-system` is left to argocd/project-destination-control-plane (one cause, one finding).",
    rationale:
      "Destinations are the project's blast radius. A wildcard server or name lets its Applications deploy to every cluster registered in Argo CD, production included; a wildcard namespace lets them deploy into every namespace, including other teams' and the cluster's system namespaces. A `!` field is often meant as a pure deny entry, but Argo CD's matcher makes it an allow for every other value.",
    fix: "List the clusters and namespaces the project deploys to (globs such as `team-a-*` are fine) instead of `*` or a `!` pattern.",
    example: {
      bad: "kind: AppProject\nspec:\n  destinations:\n    - server: '*'\n      namespace: '*'\n",
      good: "kind: AppProject\nspec:\n  destinations:\n    - server: https://kubernetes.default.svc\n      namespace: team-a-*\n",
    },
  },
  checkDoc({ doc, settings, report }) {
    const proj = appProject(doc);
    if (!proj) return;
    const scopedClusters = proj.spec.permitOnlyProjectScopedClusters === true;
    const all = destinations(proj.spec);
    for (const d of all) {
      // Argo CD's deny pattern: a negated entry whose allowance another entry already grants only denies.
      if (!allowsAnyCluster(d) || isShadowedDeny(d, all)) continue;
      const base = ["spec", "destinations", d.index] as const;
      const clusterFields: Field[] = scopedClusters ? [] : ["server", "name"];
      // One cause, one finding: a namespace pattern that reaches the Argo CD namespace or kube-system is reported
      // (critical, naming them) by argocd/project-destination-control-plane.
      const controlPlane = reachableNamespaces(d, all, controlPlaneTargets(settings.argocdNamespace)).length > 0;
      const fields: Field[] = controlPlane ? clusterFields : [...clusterFields, "namespace"];
      const wildcards = fields.filter((f) => {
        const v = d[f];
        return v !== null && (f === "server" ? isWildcardServer(v) : isWildcardOnly(v));
      });
      // One entry, one finding: `server: '*'` and `name: '*'` together say one thing (every cluster), at the first written.
      const written = Object.keys(d.value);
      const clusters = wildcards.filter((f) => f !== "namespace").sort((a, b) => written.indexOf(a) - written.indexOf(b));
      if (clusters.length > 0) {
        const f = clusters[0]!;
        const shown = clusters.map((c) => `${c} ${q(d[c] ?? "")}`).join(" and ");
        report({ path: [...base, f], message: `${proj.label} destination ${shown}${alongside(d, f)} ${clusters.length > 1 ? "allow" : "allows"} ${SCOPE[f]}.`, grant: destinationGrant(d) });
      }
      if (wildcards.includes("namespace")) {
        report({ path: [...base, "namespace"], message: `${proj.label} destination namespace ${q(d.namespace ?? "")}${alongside(d, "namespace")} allows ${SCOPE.namespace}.`, grant: destinationGrant(d) });
      }
      if (wildcards.length > 0) continue;
      const negated = fields.find((f) => {
        const v = d[f];
        return v !== null && isNegatedWildcard(v);
      });
      if (negated === undefined) continue;
      const v = (d[negated] ?? "").trim();
      report({
        path: [...base, negated],
        message: `${proj.label} destination ${negated} ${q(v)}${alongside(d, negated)} allows ${SCOPE[negated]} except ${q(v.slice(1))} (Argo CD reads "!x" as "anything but x").`,
        grant: destinationGrant(d),
      });
    }
  },
});

/**
 * Which destination a finding is about, by its other fields (` (namespace "payments")`): a project lists many, and a
 * review that removes one says which.
 */
function alongside(d: Destination, field: Field): string {
  const others: Field[] = field === "namespace" ? ["server", "name"] : ["namespace"];
  const shown = others.filter((f) => d[f] !== null);
  return shown.length === 0 ? "" : ` (${shown.map((f) => `${f} ${q(d[f]!)}`).join(", ")})`;
}
