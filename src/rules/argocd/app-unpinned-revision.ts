import { defineRule } from "../../core/rule.js";
import { appSources, appSpecs, isTemplateExpr } from "./_app-common.js";
import { revisionProblem, type RevisionProblem } from "./_app-revision.js";

function explain(problem: RevisionProblem, rev: string): string {
  switch (problem) {
    case "missing":
      return "targetRevision is not set, so it tracks HEAD of the default branch";
    case "head":
      return `targetRevision "${rev}" tracks the tip of the default branch`;
    case "range":
      return `targetRevision "${rev}" is a version range, so a newly published version deploys without a review`;
    case "not-a-version":
      return `chart version "${rev}" is not an exact version`;
    case "branch":
      return `targetRevision "${rev}" is a branch or moving ref, not a tag or commit SHA`;
  }
}

/**
 * A whole value that a script or pipeline replaces before Argo CD reads it (`__GITOPS_REVISION__`, `${REVISION}`,
 * `$REVISION`, `<revision>`): what it becomes is decided outside this repository, so it is not judged, like a template.
 */
function isSubstitutedPlaceholder(rev: unknown): boolean {
  return typeof rev === "string" && /^\s*(?:__[A-Za-z0-9_]+__|\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Z_][A-Z0-9_]*|<[A-Za-z][A-Za-z0-9_. -]*>)\s*$/.test(rev);
}

export default defineRule({
  meta: {
    id: "argocd/app-unpinned-revision",
    title: "Production Application tracks a moving revision",
    severity: "medium",
    description:
      "Under production paths, an Application source (`source` or each of `sources[]`, also in ApplicationSet templates) whose `targetRevision` is missing, `HEAD`, a branch name or a version range (`*`, `1.*`, `>=1.0`, `^1.2`). Tag-like versions (`v1.2.3`, `1.2.3-rc.1`, `app-v1.2.3`), commit SHAs and, for Helm charts, exact chart versions pass; so do template expressions and whole-value placeholders a pipeline substitutes (`__GITOPS_REVISION__`, `${REVISION}`, `<revision>`), whose value is decided elsewhere.",
    rationale:
      "A moving revision means production changes whenever someone pushes to a branch or publishes a chart, without a pull request to this repository: nothing reviews the change and a rollback has no recorded state to return to. Argo CD's own guidance is to pin production to a tag or commit.",
    fix: "Pin `targetRevision` to a release tag (e.g. `v1.4.2`), a commit SHA or, for a Helm chart, an exact chart version, and change it through pull requests.",
    productionOnly: true,
    example: {
      bad: "source:\n  repoURL: https://github.com/example/app.git\n  path: deploy\n  targetRevision: main\n",
      good: "source:\n  repoURL: https://github.com/example/app.git\n  path: deploy\n  targetRevision: v1.4.2\n",
    },
  },
  checkDoc({ doc, report }) {
    const root = doc.value as { spec?: { templatePatch?: unknown } };
    const patch = root.spec?.templatePatch;
    for (const ref of appSpecs(doc)) {
      for (const src of appSources(ref)) {
        const rev = src.source.targetRevision;
        if (isTemplateExpr(rev) || isSubstitutedPlaceholder(rev)) continue;
        // A templatePatch may set the revision; do not guess what it renders to.
        if (ref.fromTemplate && (rev === undefined || rev === null) && typeof patch === "string" && patch.includes("targetRevision")) continue;
        const chart = src.source.chart;
        const problem = revisionProblem(rev, typeof chart === "string" && chart !== "");
        if (!problem) continue;
        report({
          path: [...src.path, "targetRevision"],
          target: rev === null ? "key" : "value",
          message: `${ref.label} ${src.name}: ${explain(problem, String(rev ?? "").trim())}.`,
        });
      }
    }
  },
});
