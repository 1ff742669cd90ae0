/** Hand-built review results for the report tests (not used at run time). */
import { compareFindings, decide, type ReviewResult } from "../core/review.js";
import type { Finding, Severity } from "../core/types.js";

let seq = 0;

export function finding(over: Partial<Finding> = {}): Finding {
  seq++;
  return {
    ruleId: "argocd/project-source-repos-wildcard",
    severity: "high",
    status: "new",
    file: "apps/projects/team-a.yaml",
    line: 9,
    column: 7,
    endLine: 9,
    endColumn: 10,
    resource: { apiVersion: "argoproj.io/v1alpha1", kind: "AppProject", namespace: "argocd", name: "team-a" },
    path: "spec.sourceRepos[0]",
    message: 'AppProject "team-a" allows any source repository.',
    fix: "List the repositories this project may deploy from instead of `*`.",
    docIndex: 0,
    fingerprint: `fp${String(seq).padStart(6, "0")}`,
    suppressed: null,
    ...over,
  };
}

/** A result as `review()` would build it: sorted findings, counts and conclusion from `decide()`. */
export function result(findings: Finding[], over: Partial<Omit<ReviewResult, "findings" | "summary" | "conclusion">> = {}): ReviewResult {
  const failOn: Severity = over.failOn ?? "high";
  const decided = decide([...findings].sort(compareFindings), failOn);
  return { ...decided, notes: over.notes ?? [], filesReviewed: over.filesReviewed ?? 1, failOn };
}

/** A mixed review: new critical + high, a new low, an existing medium, a fixed high, a waived high. */
export function mixedResult(): ReviewResult {
  return result(
    [
      finding({ ruleId: "k8s/privileged-container", severity: "critical", file: "apps/web/deploy.yaml", line: 21, column: 23, endLine: 21, endColumn: 27, resource: { apiVersion: "apps/v1", kind: "Deployment", namespace: "web", name: "web" }, path: "spec.template.spec.containers[0].securityContext.privileged", message: 'Container "app" in Deployment "web" runs privileged.', fix: "Remove `privileged: true`." }),
      finding({ line: 9 }),
      finding({ ruleId: "k8s/missing-resources", severity: "low", file: "apps/web/deploy.yaml", line: 17, column: 11, endLine: 17, endColumn: 14, message: 'Container "app" has no resource limits.', fix: "Set `resources.limits`." }),
      finding({ ruleId: "argocd/app-default-project", severity: "medium", status: "existing", file: "apps/web/app.yaml", line: 6, column: 12, endLine: 6, endColumn: 19, message: 'Application "web" uses the default project.', fix: "Use a dedicated AppProject." }),
      finding({ ruleId: "argocd/project-destination-wildcard", severity: "high", status: "fixed", line: 14, message: 'AppProject "team-a" allows any destination namespace.' }),
      finding({ ruleId: "argocd/app-destructive-sync-options", severity: "high", file: "apps/web/app.yaml", line: 30, column: 9, endLine: 30, endColumn: 21, message: 'Application "web" syncs with Replace=true.', suppressed: { by: "waiver", reason: "migration window", expires: "2026-12-31T00:00:00.000Z", actor: "alice" } }),
    ],
    { filesReviewed: 3, notes: ["charts/web/templates/deploy.yaml: skipped — Helm template"] },
  );
}
