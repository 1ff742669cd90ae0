import { defineRule } from "../../core/rule.js";
import { isPlainObject } from "../../parse/classify.js";
import { appSpecs, projectOf } from "./_app-common.js";
import { IN_CLUSTER_NAME, IN_CLUSTER_SERVER } from "./_project-destinations.js";

export default defineRule({
  meta: {
    id: "argocd/app-in-cluster-destination",
    title: "Application deploys to the Argo CD cluster itself",
    severity: "medium",
    description:
      "An Application (or ApplicationSet template) whose destination is the cluster Argo CD runs in (`server: https://kubernetes.default.svc` or `name: in-cluster`) and whose project is not listed in `argocd.platformProjects` (a templated project, set per generated Application, is not known to be listed); critical when the destination namespace is the Argo CD namespace.",
    rationale:
      "The in-cluster destination is the cluster that hosts Argo CD, its secrets (every cluster and repository credential) and its controllers. A team application deployed there shares a blast radius with the delivery system itself, and one that can write to the Argo CD namespace can take over Argo CD and, through it, every cluster it manages (GHSA-2f5v-8r3f-8pww).",
    fix: "Deploy the application to a workload cluster, or move it to a platform project listed in `argocd.platformProjects`; never target the Argo CD namespace from a team project.",
    example: {
      bad: "spec:\n  project: team-a\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: argocd\n",
      good: "spec:\n  project: team-a\n  destination:\n    name: workload-eu-1\n    namespace: team-a\n",
    },
  },
  checkDoc({ doc, settings, report }) {
    for (const ref of appSpecs(doc)) {
      const dest = ref.spec.destination;
      if (!isPlainObject(dest)) continue;
      const server = typeof dest.server === "string" ? dest.server.trim().replace(/\/+$/, "") : null;
      const key = server === IN_CLUSTER_SERVER ? "server" : dest.name === IN_CLUSTER_NAME ? "name" : null;
      if (!key) continue;
      const project = projectOf(ref.spec);
      if (project !== null && settings.platformProjects.includes(project)) continue;
      // A templated project (an ApplicationSet's `project: '{{…}}'`) is not known to be a platform project: each
      // generated Application deploys in-cluster all the same, so templating the project never hides the destination.
      const who = project === null ? `project "${String(ref.spec.project)}", set per generated Application` : `project "${project}"`;
      const path = [...ref.path, "destination", key];
      if (dest.namespace === settings.argocdNamespace) {
        report({
          path,
          severity: "critical",
          message: `${ref.label} (${who}) deploys into the Argo CD namespace "${settings.argocdNamespace}" of the cluster that runs Argo CD.`,
        });
      } else {
        report({ path, message: `${ref.label} (${who}) deploys to the cluster that runs Argo CD (${key}: ${String(dest[key])}).` });
      }
    }
  },
});
