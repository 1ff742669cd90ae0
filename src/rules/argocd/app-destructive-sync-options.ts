import type { JsonPath } from "../../core/path.js";
import { defineRule, type Report } from "../../core/rule.js";
import { isKubernetesClass, isPlainObject } from "../../parse/classify.js";
import type { ParsedDoc } from "../../parse/yaml-file.js";
import { appSpecs, describeDoc } from "./_app-common.js";
import { fillFrom, listElements, parameterPath, valueIn } from "./_app-generators.js";
import { patchReport, templatePatchSpec, type TemplatePatchSpec } from "./_app-template-patch.js";

const SYNC_OPTIONS_ANNOTATION = "argocd.argoproj.io/sync-options";
/** Argo CD compares sync options exactly (after trimming annotation entries); `Replace=True` has no effect. */
const DESTRUCTIVE = new Set(["Replace=true", "Force=true"]);

const EFFECT = "resources are replaced, or deleted and recreated, instead of patched";

/**
 * Jobs are immutable: the sync-options annotation on the Job itself (often a hook) is how a changed Job is re-run,
 * and recreating it touches only that Job's pods (a CronJob: its Jobs). Low there; everywhere else it stays high.
 */
const RERUN_KINDS = new Set(["Job", "CronJob"]);

function isBatchRerun(doc: ParsedDoc): boolean {
  return doc.class === "kubernetes" && RERUN_KINDS.has(doc.resource.kind ?? "") && (doc.resource.apiVersion ?? "").startsWith("batch/");
}

function rerunEffect(kind: string): string {
  return kind === "CronJob"
    ? "the CronJob is recreated (deleting the Jobs it owns, running ones included) instead of patched; low, as it stays within this CronJob"
    : "the Job is deleted and recreated on sync, the usual way to re-run an immutable Job; low, as only this Job's pods are affected";
}

/** The destructive options in a comma-separated `argocd.argoproj.io/sync-options` value. */
function destructiveIn(annotation: unknown): string[] {
  if (typeof annotation !== "string") return [];
  const found = annotation.split(",").map((s) => s.trim()).filter((s) => DESTRUCTIVE.has(s));
  return [...new Set(found)];
}

/** The options of a spec's `syncPolicy.syncOptions`, trimmed (non-strings as ""); [] when there are none. */
function syncOptionsOf(spec: Record<string, unknown>): string[] {
  const policy = spec.syncPolicy;
  if (!isPlainObject(policy) || !Array.isArray(policy.syncOptions)) return [];
  return policy.syncOptions.map((opt) => (typeof opt === "string" ? opt.trim() : ""));
}

/** The destructive options an ApplicationSet's templatePatch writes literally that its template does not already list. */
function checkTemplatePatch(patch: TemplatePatchSpec, template: readonly string[], report: (r: Report) => void): void {
  syncOptionsOf(patch.ref.spec).forEach((option, i) => {
    if (!DESTRUCTIVE.has(option) || template.includes(option)) return;
    report({ ...patchReport(patch, ["syncPolicy", "syncOptions", i]), message: `${patch.ref.label} syncs with ${option}: ${EFFECT}.` });
  });
}

function plural(options: string[]): string {
  return options.length === 1 ? `sync option ${options[0]}` : `sync options ${options.join(", ")}`;
}

export default defineRule({
  meta: {
    id: "argocd/app-destructive-sync-options",
    title: "Destructive sync option (Replace or Force)",
    severity: "high",
    description:
      "An Application's (or ApplicationSet template's, or written literally in its `templatePatch`) `syncPolicy.syncOptions`, or the `argocd.argoproj.io/sync-options` annotation on any object (or a Kustomization's `commonAnnotations`), contains `Replace=true` or `Force=true` (for an ApplicationSet option filled from a list generator's element, `Replace={{replace}}`, reported at each element that makes it one). High, except in the annotation of a Job or CronJob (`batch/*`) itself, where it is low.",
    rationale:
      "`Replace=true` makes Argo CD use `kubectl replace`/`create` instead of apply, and `Force=true` deletes and recreates resources that cannot be patched. Argo CD documents both as potentially destructive: a Deployment or StatefulSet that is recreated drops its pods, a recreated PersistentVolumeClaim or CRD can take data with it, and an outage follows. In an Application's `syncOptions` or in `commonAnnotations` they apply to every resource synced. A Job's pod template is immutable, so `Force=true,Replace=true` on the Job itself (often an Argo CD hook such as a database migration) is the usual way to run a changed Job again: it recreates only that Job and its pods (for a CronJob, the Jobs it owns), hence low there.",
    fix: "Remove `Replace=true`/`Force=true`; if a resource is too large for client-side apply use `ServerSideApply=true`, and recreate an immutable resource deliberately, once, by hand.",
    example: {
      bad: "syncPolicy:\n  syncOptions:\n    - Replace=true\n",
      good: "syncPolicy:\n  syncOptions:\n    - ServerSideApply=true\n",
    },
  },
  checkDoc({ doc, file, report }) {
    const patch = templatePatchSpec(doc, file.text);
    if (patch) checkTemplatePatch(patch, appSpecs(doc).flatMap((ref) => syncOptionsOf(ref.spec)), report);
    for (const ref of appSpecs(doc)) {
      const policy = ref.spec.syncPolicy;
      if (!isPlainObject(policy) || !Array.isArray(policy.syncOptions)) continue;
      policy.syncOptions.forEach((opt, i) => {
        const option = typeof opt === "string" ? opt.trim() : "";
        if (DESTRUCTIVE.has(option)) {
          report({ path: [...ref.path, "syncPolicy", "syncOptions", i], message: `${ref.label} syncs with ${option}: ${EFFECT}.` });
        } else if (ref.fromTemplate && option.includes("{{")) {
          // `Replace={{replace}}`: a list generator's element decides, per generated Application; reported there.
          for (const le of listElements(doc.value)) {
            const filled = fillFrom(option, le);
            if (filled === null || !DESTRUCTIVE.has(filled.text.trim()) || filled.params.length === 0) continue;
            const param = filled.params[0]!;
            report({
              path: parameterPath(le, param),
              message: `${ref.label}, list element ${le.index + 1} (${param}: ${String(valueIn(le.element, param))}), syncs with ${filled.text.trim()} (${option}): ${EFFECT}.`,
            });
          }
        }
      });
    }

    const root = doc.value;
    if (!isPlainObject(root)) return;
    let path: JsonPath | null = null;
    let value: unknown;
    if (isKubernetesClass(doc.class) && isPlainObject(root.metadata) && isPlainObject(root.metadata.annotations)) {
      path = ["metadata", "annotations", SYNC_OPTIONS_ANNOTATION];
      value = root.metadata.annotations[SYNC_OPTIONS_ANNOTATION];
    } else if (doc.class === "kustomization" && isPlainObject(root.commonAnnotations)) {
      path = ["commonAnnotations", SYNC_OPTIONS_ANNOTATION];
      value = root.commonAnnotations[SYNC_OPTIONS_ANNOTATION];
    }
    const found = destructiveIn(value);
    if (path && found.length > 0) {
      const who = doc.class === "kustomization" ? "Kustomization commonAnnotations give every resource" : `${describeDoc(doc)} has`;
      const rerun = isBatchRerun(doc);
      report({
        path,
        message: `${who} ${plural(found)} in ${SYNC_OPTIONS_ANNOTATION}: ${rerun ? rerunEffect(doc.resource.kind ?? "") : EFFECT}.`,
        ...(rerun ? { severity: "low" as const } : {}),
      });
    }
  },
});
