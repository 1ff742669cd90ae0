import { defineRule } from "../../core/rule.js";
import type { JsonPath } from "../../core/path.js";
import { getIn } from "../../parse/workloads.js";
import { isPlainObject } from "../../parse/classify.js";
import { appSpecs, automatedSync, type AppSpecRef, type Obj } from "./_app-common.js";
import { namesOnlyNonProduction } from "./_app-environment.js";
import { patchReport, templatePatchSpec } from "./_app-template-patch.js";

/** One finding about a flag of `syncPolicy.automated`, by its path from the spec. */
interface AutomatedFinding {
  at: JsonPath;
  severity?: "high";
  message: string;
}

/**
 * `syncPolicy.automated` as an Application gets it: its own flags, or for a templatePatch the patch's flags over the
 * template's (`base`), as Argo CD merges them. Null when there is none or it is switched off with `enabled: false`.
 */
function effectiveAutomated(spec: Obj, base: Obj | null): Obj | null {
  if (!base) return automatedSync(spec);
  const own = getIn(spec, ["syncPolicy", "automated"]);
  if (!isPlainObject(own)) return null;
  const under = getIn(base, ["syncPolicy", "automated"]);
  return automatedSync({ syncPolicy: { automated: isPlainObject(under) ? { ...under, ...own } : own } });
}

/**
 * What an Application spec's automated sync does that the rule reports. `allowEmpty: true` matters only with
 * `prune: true`: without pruning, an empty source deletes nothing (Argo CD's own guard then has nothing to guard).
 */
function automatedFindings(ref: AppSpecRef, isProduction: boolean, base: Obj | null = null): AutomatedFinding[] {
  const automated = effectiveAutomated(ref.spec, base);
  if (!automated) return [];
  const out: AutomatedFinding[] = [];
  const at: JsonPath = ["syncPolicy", "automated"];
  if (automated.allowEmpty === true && automated.prune === true) {
    out.push({
      at: [...at, "allowEmpty"],
      severity: "high",
      message: `${ref.label} allows automated sync to prune every resource when its source renders nothing (allowEmpty: true with prune: true).`,
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
      "`syncPolicy.automated` with `prune: true` on an Application (or ApplicationSet template, or a literal value in its `templatePatch`) under production paths (medium; not an ApplicationSet whose template names only a non-production environment, such as `project: staging`), or with `prune: true` and `allowEmpty: true` together anywhere (high; `allowEmpty` without `prune` deletes nothing). Automated sync switched off with `enabled: false` is not reported.",
    rationale:
      "With automated pruning, a resource that disappears from the rendered manifests (a bad merge, a renamed path, a broken overlay) is deleted from the cluster at once, with no human in the loop; Argo CD leaves pruning off by default as a safety mechanism. `allowEmpty: true` with `prune: true` also removes the last guard, so a source that renders nothing deletes every resource of the application; without `prune: true` automated sync deletes nothing, so `allowEmpty` alone is not reported.",
    fix: "Leave `prune` off for production automated sync (prune by a reviewed manual sync instead), and remove `allowEmpty: true` wherever `prune: true` stays.",
    example: {
      bad: "syncPolicy:\n  automated:\n    prune: true\n    allowEmpty: true\n",
      good: "syncPolicy:\n  automated:\n    selfHeal: true\n",
    },
  },
  checkDoc({ doc, file, isProduction: productionPath, report }) {
    // A production path's ApplicationSet whose template names only a non-production environment generates those.
    const isProduction = productionPath && !namesOnlyNonProduction(doc);
    for (const ref of appSpecs(doc)) {
      for (const f of automatedFindings(ref, isProduction)) {
        report({ path: [...ref.path, ...f.at], message: f.message, ...(f.severity ? { severity: f.severity } : {}) });
      }
    }
    // An ApplicationSet's templatePatch: its literal flags over the template's, unless the template alone already
    // gives the same finding (a flag only the template writes is reported at the templatePatch it combines with).
    const patch = templatePatchSpec(doc, file.text);
    if (!patch) return;
    const template = getIn(doc.value, ["spec", "template", "spec"]);
    const base = isPlainObject(template) ? template : null;
    const byTemplate = new Set(appSpecs(doc).flatMap((ref) => automatedFindings(ref, isProduction).map((f) => f.at.join("."))));
    for (const f of automatedFindings(patch.ref, isProduction, base)) {
      if (byTemplate.has(f.at.join("."))) continue;
      report({ ...patchReport(patch, f.at), message: f.message, ...(f.severity ? { severity: f.severity } : {}) });
    }
  },
});
