import { defineRule } from "../../core/rule.js";
import { isPlainObject } from "../../parse/classify.js";
import type { ParsedDoc } from "../../parse/yaml-file.js";
import { getIn } from "../../parse/workloads.js";
import { appSpecs, isTemplateExpr } from "./_app-common.js";
import { generators, listElements, parameterOf, parameterPath, valueIn } from "./_app-generators.js";

/** An ApplicationSet may leave the project to its templatePatch or to a generator's own template. */
function projectSetElsewhere(doc: ParsedDoc): boolean {
  const patch = getIn(doc.value, ["spec", "templatePatch"]);
  if (typeof patch === "string" && patch.includes("project")) return true;
  return generators(doc.value).some(({ generator }) =>
    Object.values(generator).some((body) => getIn(body, ["template", "spec", "project"]) !== undefined),
  );
}

export default defineRule({
  meta: {
    id: "argocd/app-default-project",
    title: "Application in the default project",
    severity: "medium",
    description:
      "An Application (or an ApplicationSet template) whose `spec.project` is `default` or not set, which means `default`, or whose templated project (`project: '{{project}}'`) a list generator element sets to `default`, reported at that element (not set in a fragment without `destination`, such as a Kustomize patch, is left to the object it patches).",
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
        if (ref.fromTemplate && projectSetElsewhere(doc)) continue;
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
