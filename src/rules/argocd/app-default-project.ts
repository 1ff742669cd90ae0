import type { JsonPath } from "../../core/path.js";
import { defineRule } from "../../core/rule.js";
import { isPlainObject } from "../../parse/classify.js";
import type { ParsedDoc } from "../../parse/yaml-file.js";
import { getIn } from "../../parse/workloads.js";
import { appSpecs, isTemplateExpr, type Obj } from "./_app-common.js";
import { listElements, parameterOf, parameterPath, valueIn } from "./_app-generators.js";

/**
 * The project a top-level generator's own template gives its Applications, and where it is written. Argo CD merges
 * that template over the ApplicationSet's without letting empty values override (`mergo.Merge`), so `project: ""` there
 * (a `kubectl get -o yaml` export writes one) gives none: null.
 */
function generatorProject(generator: Obj, path: JsonPath): { project: unknown; path: JsonPath } | null {
  for (const [key, body] of Object.entries(generator)) {
    const project = getIn(body, ["template", "spec", "project"]);
    if (project !== undefined && project !== null && project !== "") return { project, path: [...path, key, "template", "spec", "project"] };
  }
  return null;
}

/** The projects every top-level generator's template sets; null when one of them sets none (it uses the ApplicationSet's). */
function generatorProjects(doc: ParsedDoc): Array<{ project: unknown; path: JsonPath }> | null {
  const list = getIn(doc.value, ["spec", "generators"]);
  if (!Array.isArray(list) || list.length === 0) return null;
  const out: Array<{ project: unknown; path: JsonPath }> = [];
  for (const [i, g] of list.entries()) {
    const found = isPlainObject(g) ? generatorProject(g, ["spec", "generators", i]) : null;
    if (found === null) return null;
    out.push(found);
  }
  return out;
}

/** An ApplicationSet may leave the project to its templatePatch. */
function projectSetByPatch(doc: ParsedDoc): boolean {
  const patch = getIn(doc.value, ["spec", "templatePatch"]);
  return typeof patch === "string" && patch.includes("project");
}

export default defineRule({
  meta: {
    id: "argocd/app-default-project",
    title: "Application in the default project",
    severity: "medium",
    description:
      "An Application (or an ApplicationSet template) whose `spec.project` is `default` or not set, which means `default`, or whose templated project (`project: '{{project}}'`) a list generator element sets to `default`, reported at that element; when every generator's own `template` names a project (an empty one there does not count: Argo CD does not let empty values override), those are judged instead of the ApplicationSet's (not set in a fragment without `destination`, such as a Kustomize patch, is left to the object it patches).",
    rationale:
      "The `default` AppProject allows every source repository, every destination cluster and namespace and every cluster-scoped kind unless an administrator restricted it. An Application in it escapes the guard rails a dedicated project gives (allowed repos, destinations, resource kinds, roles).",
    fix: "Set `spec.project` to a dedicated AppProject that allows only this application's repositories and destinations.",
    example: {
      bad: "kind: Application\nspec:\n  project: default\n",
      good: "kind: Application\nspec:\n  project: team-payments\n",
    },
  },
  checkDoc({ doc, report }) {
    for (const ref of appSpecs(doc)) {
      // Every generator's own template names the project: the ApplicationSet's is never used; `default` there is.
      const byGenerators = ref.fromTemplate ? generatorProjects(doc) : null;
      if (byGenerators !== null) {
        for (const g of byGenerators) {
          if (g.project === "default") report({ path: g.path, message: `${ref.label}, generator template, uses the "default" AppProject.` });
        }
        continue;
      }
      const project = ref.spec.project;
      if (isTemplateExpr(project)) {
        // `project: '{{project}}'`: each list generator element that names `default` generates an Application in it.
        const param = ref.fromTemplate ? parameterOf(project) : null;
        if (param === null) continue;
        for (const le of listElements(doc.value)) {
          if (valueIn(le.element, param) !== "default") continue;
          report({ path: parameterPath(le, param), message: `${ref.label}, list element ${le.index + 1}, uses the "default" AppProject (${param}: default).` });
        }
        continue;
      }
      if (project === "default") {
        report({ path: [...ref.path, "project"], message: `${ref.label} uses the "default" AppProject.` });
      } else if (project === undefined || project === null || project === "") {
        if (ref.fromTemplate && projectSetByPatch(doc)) continue;
        // A fragment of an Application (a Kustomize strategic-merge patch, judged on its own when its root does not
        // render): no destination, which every Application has. The object it patches says which project.
        if (!ref.fromTemplate && !isPlainObject(ref.spec.destination)) continue;
        report({
          path: [...ref.path, "project"],
          // `project:` with no value: point at the key (the empty value has no text of its own).
          target: project === null ? "key" : "value",
          message: `${ref.label} sets no spec.project, so it runs in the "default" AppProject.`,
        });
      }
    }
  },
});
