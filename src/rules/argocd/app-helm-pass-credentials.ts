import { defineRule } from "../../core/rule.js";
import { isPlainObject } from "../../parse/classify.js";
import { getIn } from "../../parse/workloads.js";
import { appSources, appSpecs } from "./_app-common.js";
import { patchReport, templatePatchSpec } from "./_app-template-patch.js";

export default defineRule({
  meta: {
    id: "argocd/app-helm-pass-credentials",
    title: "Helm source passes repository credentials to every domain",
    severity: "medium",
    description: "An Application source (`source` or any of `sources[]`, also in ApplicationSet templates and, written literally, in their `templatePatch`) with `helm.passCredentials: true`.",
    rationale:
      "`passCredentials` makes Helm send the chart repository's credentials to every domain it fetches from, not only to the repository's own host: a chart (or index) that points a dependency or tarball at another host receives the username and password.",
    fix: "Remove `helm.passCredentials: true`; host the chart and its dependencies in the repository the credentials belong to, or give each host its own repository credentials in Argo CD.",
    example: {
      bad: "source:\n  chart: web\n  helm:\n    passCredentials: true\n",
      good: "source:\n  chart: web\n  helm:\n    releaseName: web\n",
    },
  },
  checkDoc({ doc, file, report }) {
    for (const ref of appSpecs(doc)) {
      for (const src of appSources(ref)) {
        const helm = src.source.helm;
        if (!isPlainObject(helm) || helm.passCredentials !== true) continue;
        const chart = typeof src.source.chart === "string" ? ` (chart "${src.source.chart}")` : "";
        report({
          path: [...src.path, "helm", "passCredentials"],
          message: `${ref.label} ${src.name}${chart} passes Helm repository credentials to every domain (helm.passCredentials: true).`,
        });
      }
    }
    // An ApplicationSet's templatePatch: a literal passCredentials the template does not already set.
    const patch = templatePatchSpec(doc, file.text);
    if (!patch) return;
    for (const src of appSources(patch.ref)) {
      const helm = src.source.helm;
      const at = [...src.path, "helm", "passCredentials"];
      if (!isPlainObject(helm) || helm.passCredentials !== true) continue;
      if (getIn(doc.value, ["spec", "template", "spec", ...at]) === true) continue;
      report({ ...patchReport(patch, at), message: `${patch.ref.label} ${src.name} passes Helm repository credentials to every domain (helm.passCredentials: true).` });
    }
  },
});
