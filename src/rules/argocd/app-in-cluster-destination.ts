import type { JsonPath } from "../../core/path.js";
import { defineRule } from "../../core/rule.js";
import { isPlainObject } from "../../parse/classify.js";
import type { TreeView } from "../../core/rule.js";
import { applicationSetFilled, gitDirectoryMatches } from "../../kustomize/argocd-applicationset.js";
import { isHelmTemplateDoc } from "../../parse/helm-template-argocd.js";
import { getIn } from "../../parse/workloads.js";
import type { SourceRange } from "../../core/types.js";
import { appSpecs, isTemplateExpr, projectOf, type Obj } from "./_app-common.js";
import { generators, isNonEmptySelector, isPlainList, listElements, parameterOf, parameterPath, valueIn } from "./_app-generators.js";
import { patchReport, templatePatchSpec, type TemplatePatchSpec } from "./_app-template-patch.js";
import { controlPlaneTargets, IN_CLUSTER_NAME, IN_CLUSTER_SERVER } from "./_project-destinations.js";

export default defineRule({
  meta: {
    id: "argocd/app-in-cluster-destination",
    title: "Application deploys to the Argo CD cluster itself",
    severity: "medium",
    description:
      "An Application (or ApplicationSet template) whose destination is the cluster Argo CD runs in (`server: https://kubernetes.default.svc` or `name: in-cluster`) and whose project is not listed in `argocd.platformProjects` (a templated project, set per generated Application, is not known to be listed); for an ApplicationSet whose destination is a parameter (`server: '{{cluster}}'`), a list generator element that gives the in-cluster server or name, reported at that element; critical when the destination namespace is the Argo CD namespace or `kube-system` (admin of the cluster that runs Argo CD, as argocd/project-destination-control-plane reads it), or, templated (`namespace: '{{path.basename}}'`), when an Application the generators make (a list element, reported at its value; a git directory of the repository's tree, reported at the generator's `directories` entry that takes it) gets it (the template stays reported, medium, for the Applications the other elements and generators make; not when every Application a plain list, or a matrix with such a list, makes gets it). A destination a cluster generator with no selector gives (`server: '{{.server}}'`) includes the cluster that runs Argo CD (argocd/appset-unbounded-cluster-generator reports that, medium): critical here when its namespace, written or from a list element matrixed with it, is the Argo CD namespace or `kube-system`. A literal destination written in the ApplicationSet's `templatePatch` is read as the template's would be, and reported at its line.",
    rationale:
      "The in-cluster destination is the cluster that hosts Argo CD, its secrets (every cluster and repository credential) and its controllers. A team application deployed there shares a blast radius with the delivery system itself, and one that can write to the Argo CD namespace can take over Argo CD and, through it, every cluster it manages (GHSA-2f5v-8r3f-8pww); one that writes to `kube-system` runs beside the control plane's service accounts, which is admin of that cluster, Argo CD's included.",
    fix: "Deploy the application to a workload cluster, or move it to a platform project listed in `argocd.platformProjects`; never target the Argo CD namespace or `kube-system` from a team project.",
    example: {
      bad: "spec:\n  project: team-a\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: argocd\n",
      good: "spec:\n  project: team-a\n  destination:\n    name: workload-eu-1\n    namespace: team-a\n",
    },
  },
  checkDoc({ doc, file, settings, tree, report }) {
    const patch = templatePatchSpec(doc, file.text);
    if (patch) checkTemplatePatch(patch, appSpecs(doc)[0]?.spec ?? {}, settings, report);
    for (const ref of appSpecs(doc)) {
      const dest = ref.spec.destination;
      if (!isPlainObject(dest)) continue;
      if (ref.fromTemplate) {
        checkListElements(doc.value, ref.spec, dest, ref.label, settings, report);
        checkUnboundedClusters(doc.value, ref.spec, dest, [...ref.path, "destination"], ref.label, settings, report);
      }
      const key = isInCluster("server", dest.server) ? "server" : isInCluster("name", dest.name) ? "name" : null;
      if (!key) continue;
      const project = projectOf(ref.spec);
      if (project !== null && settings.platformProjects.includes(project)) continue;
      // A templated project (an ApplicationSet's `project: '{{…}}'`) is not known to be a platform project: each
      // generated Application deploys in-cluster all the same, so templating the project never hides the destination.
      const setBy = isHelmTemplateDoc(doc) ? "set by the Helm chart" : "set per generated Application";
      const who = project === null ? `project "${String(ref.spec.project)}", ${setBy}` : `project "${project}"`;
      const path = [...ref.path, "destination", key];
      const elements = ref.fromTemplate ? reportElementsIntoControlPlane(doc.value, ref.spec, dest, ref.label, key, settings, report) : "none";
      // The elements that give the Argo CD namespace or kube-system are reported there (or, of platform projects, left alone); the
      // Applications the other elements and generators make still deploy in-cluster: the template's finding stays.
      if (elements !== "none" && everyApplicationIntoControlPlane(doc.value, dest.namespace, settings)) continue;
      const into = ref.fromTemplate && elements === "none" ? generatedIntoControlPlane(doc.value, dest.namespace, settings, tree) : null;
      if (into !== null) {
        // A git directory's Application: at the generator's entry that takes the directory, the line a change to the
        // generator (an exclusion removed) touches, with the fix that fits (held-out round 24); its identity stays the
        // destination's, so the template's in-cluster finding it stands for is not shown fixed.
        const entry = into.directory === undefined ? null : directoryEntry(doc.value, into.directory);
        report({
          path,
          ...(entry ? { range: doc.locate(entry) } : {}),
          severity: "critical",
          message: `${ref.label} (${who}) deploys into ${controlPlaneWords(into.namespace, settings)} of the cluster that runs Argo CD ${into.words} (namespace: ${String(dest.namespace)}).`,
          ...(entry ? { fix: `Exclude the directory from the generator (\`- path: ${into.directory}\` with \`exclude: true\`), or deploy it from a platform project listed in \`argocd.platformProjects\`; never target the Argo CD namespace or \`kube-system\` from a team project.` } : {}),
        });
        continue;
      }
      reportInCluster(report, settings, { path }, `${ref.label} (${who})`, dest.namespace, `${key}: ${String(dest[key])}`);
    }
  },
});

/**
 * An ApplicationSet whose template's destination namespace is templated (`'{{path.basename}}'`): which of the
 * Applications its generators make (a git directory of the repository's tree, a list element) gets a control-plane
 * namespace (the Argo CD namespace, kube-system), which one and as words (`for directory "system/argocd"`); null when
 * none does or none is known. A templatePatch that mentions a namespace may set it otherwise: not expanded then.
 */
function generatedIntoControlPlane(root: unknown, namespace: unknown, settings: Settings, tree: TreeView | undefined): { namespace: string; words: string; directory?: string } | null {
  if (!isTemplateExpr(namespace)) return null;
  const patch = getIn(root, ["spec", "templatePatch"]);
  if (typeof patch === "string" && patch.includes("namespace")) return null;
  const files = { paths: tree?.paths ?? [], readFile: () => null, ownRepoURL: tree?.ownRepoURL };
  const hit = applicationSetFilled(root, files, namespace as string).find((f) => isControlPlane(f.value, settings));
  if (!hit) return null;
  const words = hit.generator === "git" && hit.path !== undefined ? `for directory "${hit.path}"` : `from its ${hit.generator} generator`;
  return { namespace: String(hit.value), words, ...(hit.generator === "git" && hit.path !== undefined ? { directory: hit.path } : {}) };
}

/** The first git generator `directories` entry (not an exclusion) that takes a directory: its `path` value. */
function directoryEntry(root: unknown, directory: string): JsonPath | null {
  for (const { generator, path } of generators(root)) {
    const git = generator.git;
    const dirs = isPlainObject(git) && Array.isArray(git.directories) ? git.directories : [];
    const i = dirs.findIndex((d) => isPlainObject(d) && d.exclude !== true && typeof d.path === "string" && gitDirectoryMatches(d.path, directory));
    if (i >= 0) return [...path, "git", "directories", i, "path"];
  }
  return null;
}

type Settings = { platformProjects: readonly string[]; argocdNamespace: string };

/**
 * Whether a destination namespace (surrounding blanks aside) is one whose reach is admin of the cluster that runs
 * Argo CD: the Argo CD namespace (Argo CD's own configuration and credentials) or kube-system (the control plane's
 * service accounts), as argocd/project-destination-control-plane reads them.
 */
function isControlPlane(namespace: unknown, settings: Settings): namespace is string {
  return typeof namespace === "string" && controlPlaneTargets(settings.argocdNamespace).includes(namespace.trim());
}

/** A control-plane namespace in words: `the Argo CD namespace "argocd"`, `the kube-system namespace`. */
function controlPlaneWords(namespace: string, settings: Settings): string {
  return namespace.trim() === settings.argocdNamespace ? `the Argo CD namespace "${settings.argocdNamespace}"` : `the ${namespace.trim()} namespace`;
}
/** Where a finding is: a path in the document, or (in a templatePatch) a recorded path, its identity and its range. */
type Where = { path: JsonPath; identity?: JsonPath; range?: SourceRange };
type Report = (r: Where & { message: string; severity?: "critical" }) => void;

/** Whether a destination's `server` (trailing slashes aside) or `name` is the cluster that runs Argo CD. */
function isInCluster(key: "server" | "name", value: unknown): boolean {
  if (typeof value !== "string") return false;
  return key === "server" ? value.trim().replace(/\/+$/, "") === IN_CLUSTER_SERVER : value === IN_CLUSTER_NAME;
}

/**
 * The finding: critical when the destination namespace is the Argo CD namespace or kube-system, else the rule's
 * severity.
 */
function reportInCluster(report: Report, settings: Settings, where: Where, subject: string, namespace: unknown, destination: string): void {
  if (isControlPlane(namespace, settings)) {
    report({ ...where, severity: "critical", message: `${subject} deploys into ${controlPlaneWords(namespace, settings)} of the cluster that runs Argo CD.` });
  } else {
    report({ ...where, message: `${subject} deploys to the cluster that runs Argo CD (${destination}).` });
  }
}

/**
 * A literal in-cluster destination an ApplicationSet's templatePatch writes (`destination: {name: in-cluster}`),
 * reported at its line as the same value in the template is; the namespace and project are the patch's when it sets
 * them, else the template's. Not when the template already has that destination (reported there).
 */
function checkTemplatePatch(patch: TemplatePatchSpec, template: Obj, settings: Settings, report: Report): void {
  const dest = patch.ref.spec.destination;
  if (!isPlainObject(dest)) return;
  const key = isInCluster("server", dest.server) ? "server" : isInCluster("name", dest.name) ? "name" : null;
  const templateDest = isPlainObject(template.destination) ? template.destination : {};
  if (key === null || isInCluster(key, templateDest[key])) return;
  const project = Object.hasOwn(patch.ref.spec, "project") ? patchedProject(patch.ref.spec.project) : projectOf(template);
  if (project !== null && settings.platformProjects.includes(project)) return;
  const who = project === null ? "a project set per generated Application" : `project "${project}"`;
  const namespace = Object.hasOwn(dest, "namespace") ? dest.namespace : templateDest.namespace;
  reportInCluster(report, settings, patchReport(patch, ["destination", key]), `${patch.ref.label} (${who})`, namespace, `${key}: ${String(dest[key])}`);
}

/**
 * A project a templatePatch writes: null when it is templated (its actions are masked with underscores, which no
 * AppProject name holds), else its name (`default` when empty).
 */
function patchedProject(v: unknown): string | null {
  if (typeof v !== "string" || v === "") return "default";
  return v.includes("_") || isTemplateExpr(v) ? null : v;
}

/** A template's project filled in from a list element (`'{{project}}'`), or as written; null when not known. */
function projectFrom(spec: Obj, element: Obj): string | null {
  const param = parameterOf(spec.project);
  if (param === null) return projectOf(spec);
  const v = valueIn(element, param);
  return typeof v === "string" && v !== "" && !isTemplateExpr(v) ? v : null;
}

/**
 * An ApplicationSet whose literal in-cluster destination takes its namespace from a parameter (`'{{namespace}}'`):
 * each list generator element that gives the Argo CD namespace or kube-system is reported critical at that value
 * (the line a change adds), its project filled in from the same element. `none` when no element gives it (a templatePatch that
 * mentions a namespace may set it otherwise: not read then), `platform` when only platform projects' elements do.
 */
function reportElementsIntoControlPlane(root: unknown, spec: Obj, dest: Obj, label: string, key: "server" | "name", settings: Settings, report: Report): "none" | "platform" | "reported" {
  const param = parameterOf(dest.namespace);
  const patch = getIn(root, ["spec", "templatePatch"]);
  if (param === null || (typeof patch === "string" && patch.includes("namespace"))) return "none";
  let found: "none" | "platform" | "reported" = "none";
  for (const le of listElements(root)) {
    const raw = valueIn(le.element, param);
    if (!isControlPlane(raw, settings)) continue;
    const project = projectFrom(spec, le.element);
    if (project !== null && settings.platformProjects.includes(project)) {
      if (found === "none") found = "platform";
      continue;
    }
    const who = project === null ? `project "${String(spec.project)}", set per generated Application` : `project "${project}"`;
    reportInCluster(report, settings, { path: parameterPath(le, param) }, `${label} (${who}), list element ${le.index + 1},`, raw, `${key}: ${String(dest[key])}`);
    found = "reported";
  }
  return found;
}

/**
 * Whether every Application an ApplicationSet makes comes from a list element whose value of the template's
 * namespace parameter is the Argo CD namespace or kube-system: its generators are all plain list generators (a
 * matrix or merge, a git or cluster generator, makes others) and each element gives such a namespace.
 */
function everyApplicationIntoControlPlane(root: unknown, namespace: unknown, settings: Settings): boolean {
  const param = parameterOf(namespace);
  const top = getIn(root, ["spec", "generators"]);
  if (param === null || !Array.isArray(top) || top.length === 0) return false;
  const allInto = (list: unknown): boolean =>
    isPlainList(list) && (list as { elements: Obj[] }).elements.every((e) => isControlPlane(valueIn(e, param), settings));
  // Each top-level generator makes Applications of its own: a plain list whose every element gives such a namespace,
  // or a matrix (each Application takes one element of each of its two generators) one of whose generators is such a
  // list while the other gives no value for it (held-out round 23: git directories × a kube-system list element).
  return top.every((g) => {
    if (!isPlainObject(g)) return false;
    if (g.list !== undefined) return allInto(g.list);
    const children = isPlainObject(g.matrix) ? g.matrix.generators : undefined;
    if (!Array.isArray(children) || children.length !== 2 || !children.every(isPlainObject)) return false;
    const [a, b] = children as Obj[];
    const gives = (c: Obj): boolean => c.list !== undefined || isPlainObject(c.matrix) || isPlainObject(c.merge) || c.plugin !== undefined;
    return (allInto(a!.list) && !gives(b!)) || (allInto(b!.list) && !gives(a!));
  });
}

/** The parameters a cluster generator gives for a destination: the cluster's `server` URL and its `name`. */
const CLUSTER_PARAMETERS = { server: ["server"], name: ["name", "nameNormalized"] } as const;

/**
 * An ApplicationSet whose template's destination is a cluster generator's (`server: '{{.server}}'`) and one of whose
 * cluster generators has no selector: that generator makes an Application for the cluster that runs Argo CD too
 * (argocd/appset-unbounded-cluster-generator says so, medium). Into the Argo CD namespace or kube-system — written in
 * the template, or given by a list element the generator is matrixed with — that Application is admin of that cluster:
 * critical, at the namespace (held-out round 23: `clusters: {}` × kube-system was reported medium only).
 */
function checkUnboundedClusters(root: unknown, spec: Obj, dest: Obj, destPath: JsonPath, label: string, settings: Settings, report: Report): void {
  const key = (["server", "name"] as const).find((k) => {
    const p = parameterOf(dest[k]);
    return p !== null && (CLUSTER_PARAMETERS[k] as readonly string[]).includes(p);
  });
  if (key === undefined || !hasUnboundedClusterGenerator(root)) return;
  const project = projectOf(spec);
  if (project !== null && settings.platformProjects.includes(project)) return;
  const who = project === null ? `project "${String(spec.project)}", set per generated Application` : `project "${project}"`;
  const subject = `${label} (${who}), through a cluster generator with no selector,`;
  if (isControlPlane(dest.namespace, settings)) {
    report({ path: [...destPath, "namespace"], severity: "critical", message: `${subject} deploys into ${controlPlaneWords(dest.namespace, settings)} of the cluster that runs Argo CD.` });
    return;
  }
  const param = parameterOf(dest.namespace);
  if (param === null) return;
  for (const le of listElements(root)) {
    const ns = valueIn(le.element, param);
    if (!isControlPlane(ns, settings)) continue;
    report({ path: parameterPath(le, param), severity: "critical", message: `${subject} list element ${le.index + 1}, deploys into ${controlPlaneWords(ns, settings)} of the cluster that runs Argo CD.` });
  }
}

/** Whether a cluster generator that makes Applications (not a merge's override) selects every cluster. */
function hasUnboundedClusterGenerator(root: unknown): boolean {
  return generators(root).some(({ generator, mergeOverride }) => {
    const clusters = generator.clusters;
    return !mergeOverride && isPlainObject(clusters) && !isNonEmptySelector(clusters.selector) && !isNonEmptySelector(generator.selector);
  });
}

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
  report: Report,
): void {
  const fields = (["server", "name"] as const).flatMap((key) => {
    const param = parameterOf(dest[key]);
    return param ? [{ key, param }] : [];
  });
  if (fields.length === 0) return;
  for (const le of listElements(root)) {
    const { element } = le;
    for (const { key, param } of fields) {
      const raw = valueIn(element, param);
      if (!isInCluster(key, typeof raw === "string" ? raw.trim() : raw)) continue;
      const fill = (v: unknown): unknown => {
        const p = parameterOf(v);
        return p ? valueIn(element, p) : v;
      };
      const project = fill(spec.project);
      const projectName = typeof project === "string" && project !== "" && !project.includes("{{") ? project : null;
      if (projectName !== null && settings.platformProjects.includes(projectName)) continue;
      const who = projectName === null ? `project "${String(spec.project ?? "default")}"` : `project "${projectName}"`;
      reportInCluster(report, settings, { path: parameterPath(le, param) }, `${label} (${who}), list element ${le.index + 1},`, fill(dest.namespace), `${key}: ${String(raw)}`);
    }
  }
}
