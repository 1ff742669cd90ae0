import { defineRule } from "../../core/rule.js";
import { isPlainObject } from "../../parse/classify.js";
import { appSpecs, projectOf } from "./_app-common.js";
import { generators } from "./_app-generators.js";
import { IN_CLUSTER_NAME, IN_CLUSTER_SERVER } from "./_project-destinations.js";

export default defineRule({
  meta: {
    id: "argocd/app-in-cluster-destination",
    title: "Application deploys to the Argo CD cluster itself",
    severity: "medium",
    description:
      "An Application (or ApplicationSet template) whose destination is the cluster Argo CD runs in (`server: https://kubernetes.default.svc` or `name: in-cluster`) and whose project is not listed in `argocd.platformProjects` (a templated project, set per generated Application, is not known to be listed); for an ApplicationSet whose destination is a parameter (`server: '{{cluster}}'`), a list generator element that gives the in-cluster server or name, reported at that element; critical when the destination namespace is the Argo CD namespace.",
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
      if (ref.fromTemplate) checkListElements(doc.value, ref.spec, dest, ref.label, settings, report);
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

/** `{{cluster}}`, `{{ .cluster.server }}`: a template value that is one parameter, by its dotted name; else null. */
function parameterOf(v: unknown): string | null {
  if (typeof v !== "string") return null;
  const m = /^\{\{\s*\.?([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)\s*\}\}$/.exec(v.trim());
  return m ? m[1]! : null;
}

/** A parameter's value in a list generator's element (`values.x` and nested maps by their dotted path). */
function valueIn(element: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(element, name)) return element[name];
  let v: unknown = element;
  for (const part of name.split(".")) v = isPlainObject(v) ? v[part] : undefined;
  return v;
}

type Settings = { platformProjects: readonly string[]; argocdNamespace: string };

/**
 * An ApplicationSet whose template takes its destination from a parameter (`server: '{{cluster}}'`) deploys in-cluster
 * where a list generator's element gives the in-cluster server or name: reported at that element's value, where the
 * destination is written (the project and namespace filled in from the same element).
 */
function checkListElements(
  root: unknown,
  spec: Record<string, unknown>,
  dest: Record<string, unknown>,
  label: string,
  settings: Settings,
  report: (r: { path: (string | number)[]; message: string; severity?: "critical" }) => void,
): void {
  const fields = (["server", "name"] as const).flatMap((key) => {
    const param = parameterOf(dest[key]);
    return param ? [{ key, param }] : [];
  });
  if (fields.length === 0) return;
  for (const { generator, path } of generators(root)) {
    const list = generator.list;
    if (!isPlainObject(list) || !Array.isArray(list.elements)) continue;
    list.elements.forEach((element, i) => {
      if (!isPlainObject(element)) return;
      for (const { key, param } of fields) {
        const raw = valueIn(element, param);
        const value = typeof raw === "string" ? raw.trim().replace(/\/+$/, "") : null;
        if (value !== (key === "server" ? IN_CLUSTER_SERVER : IN_CLUSTER_NAME)) continue;
        const fill = (v: unknown): unknown => {
          const p = parameterOf(v);
          return p ? valueIn(element, p) : v;
        };
        const project = fill(spec.project);
        const projectName = typeof project === "string" && project !== "" && !project.includes("{{") ? project : null;
        if (projectName !== null && settings.platformProjects.includes(projectName)) continue;
        const who = projectName === null ? `project "${String(spec.project ?? "default")}"` : `project "${projectName}"`;
        const at = [...path, "list", "elements", i, ...(Object.hasOwn(element, param) ? [param] : param.split("."))];
        const where = `${label} (${who}), list element ${i + 1},`;
        if (fill(dest.namespace) === settings.argocdNamespace) {
          report({ path: at, severity: "critical", message: `${where} deploys into the Argo CD namespace "${settings.argocdNamespace}" of the cluster that runs Argo CD.` });
        } else {
          report({ path: at, message: `${where} deploys to the cluster that runs Argo CD (${key}: ${String(raw)}).` });
        }
      }
    });
  }
}
