import { defineRule } from "../../core/rule.js";
import type { JsonPath } from "../../core/path.js";
import { getIn } from "../../parse/workloads.js";
import { appSpecs, automatedSync, type AppSpecRef } from "./_app-common.js";
import { patchReport, templatePatchSpec } from "./_app-template-patch.js";

/** One finding about a flag of `syncPolicy.automated`, by its path from the spec. */
interface AutomatedFinding {
  at: JsonPath;
  severity?: "high";
  message: string;
}

/** What an Application spec's automated sync does that the rule reports. */
function automatedFindings(ref: AppSpecRef, isProduction: boolean): AutomatedFinding[] {
  const automated = automatedSync(ref.spec);
  if (!automated) return [];
  const out: AutomatedFinding[] = [];
  const at: JsonPath = ["syncPolicy", "automated"];
  if (automated.allowEmpty === true) {
    out.push({
      at: [...at, "allowEmpty"],
      severity: "high",
      message: `${ref.label} allows automated sync to prune every resource when its source renders nothing (allowEmpty: true).`,
    });
  }
  if (isProduction && automated.prune === true) {
    out.push({ at: [...at, "prune"], message: `${ref.label} automatically prunes production resources that disappear from its source (prune: true).` });
  }
  return out;
}

export default defineRule({
  meta: {
    id: "argocd/app-auto-prune",
    title: "Automated sync prunes resources",
    severity: "medium",
    description:
      "`syncPolicy.automated` with `prune: true` on an Application (or ApplicationSet template, or a literal value in its `templatePatch`) under production paths (medium), or with `allowEmpty: true` anywhere (high). Automated sync switched off with `enabled: false` is not reported.",
    rationale:
      "With automated pruning, a resource that disappears from the rendered manifests (a bad merge, a renamed path, a broken overlay) is deleted from the cluster at once, with no human in the loop; Argo CD leaves pruning off by default as a safety mechanism. `allowEmpty: true` also removes the last guard, so a source that renders nothing deletes every resource of the application.",
    fix: "Leave `prune` off for production automated sync (prune by a reviewed manual sync instead), and remove `allowEmpty: true`.",
    example: {
      bad: "syncPolicy:\n  automated:\n    prune: true\n    allowEmpty: true\n",
      good: "syncPolicy:\n  automated:\n    selfHeal: true\n",
    },
  },
  checkDoc({ doc, file, isProduction, report }) {
    for (const ref of appSpecs(doc)) {
      for (const f of automatedFindings(ref, isProduction)) {
        report({ path: [...ref.path, ...f.at], message: f.message, ...(f.severity ? { severity: f.severity } : {}) });
      }
    }
    // An ApplicationSet's templatePatch: its literal flags, unless the template already sets the same.
    const patch = templatePatchSpec(doc, file.text);
    if (!patch) return;
    for (const f of automatedFindings(patch.ref, isProduction)) {
      if (getIn(doc.value, ["spec", "template", "spec", ...f.at]) === true) continue;
      report({ ...patchReport(patch, f.at), message: f.message, ...(f.severity ? { severity: f.severity } : {}) });
    }
  },
});
