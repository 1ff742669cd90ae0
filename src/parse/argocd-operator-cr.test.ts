import { describe, expect, it } from "@jest/globals";
import { parseConfig } from "../core/config.js";
import { review, type FileChange } from "../core/review.js";
import { ALL_RULES } from "../rules/index.js";

/** The Argo CD Operator's ArgoCD resource, judged as the argocd-cm and argocd-rbac-cm it writes (see argocd-operator-cr.ts). */
describe("the Argo CD Operator's ArgoCD resource", () => {
  const run = (changes: FileChange[]) =>
    review({ changes, config: parseConfig({}, new Set(ALL_RULES.map((r) => r.meta.id))), rules: ALL_RULES, now: new Date("2026-11-22T00:00:00Z") }).findings.map((f) => ({
      ruleId: f.ruleId,
      file: f.file,
      line: f.line,
      column: f.column,
      status: f.status,
      message: f.message,
    }));
  const added = (path: string, head: string): FileChange => ({ path, status: "added", head });

  // The operator's default instance, as OpenShift GitOps writes it (and as real repositories keep it).
  const everyday = [
    "apiVersion: argoproj.io/v1beta1",
    "kind: ArgoCD",
    "metadata:",
    "  name: openshift-gitops",
    "  namespace: openshift-gitops",
    "spec:",
    "  server:",
    "    route:",
    "      enabled: true",
    "    resources:",
    "      limits:",
    "        cpu: 500m",
    "        memory: 256Mi",
    "  rbac:",
    "    defaultPolicy: ''",
    "    policy: |",
    "      g, system:cluster-admins, role:admin",
    "    scopes: '[groups]'",
    "",
  ].join("\n");
  const admin = everyday.replace("    defaultPolicy: ''", "    defaultPolicy: 'role:admin'");

  it("reports spec.rbac.defaultPolicy role:admin at its value, naming the ArgoCD resource, as argocd-rbac-cm's policy.default is", () => {
    expect(run([added("gitops/argocd.yaml", admin)])).toEqual([
      {
        ruleId: "argocd/rbac-default-policy",
        file: "gitops/argocd.yaml",
        line: 15,
        column: 20,
        status: "new",
        message:
          'ArgoCD "openshift-gitops" policy.default "role:admin" gives every user who can log in more than read access. The Argo CD Operator writes its spec.rbac.defaultPolicy into argocd-rbac-cm as policy.default.',
      },
    ]);
  });

  it("stays quiet on an everyday instance (defaultPolicy '' or role:readonly, the operator's cluster-admins line)", () => {
    expect(run([added("gitops/argocd.yaml", everyday)])).toEqual([]);
    expect(run([added("gitops/argocd.yaml", everyday.replace("''", "'role:readonly'").replace("argoproj.io/v1beta1", "argoproj.io/v1alpha1"))])).toEqual([]);
  });

  it("judges the policy line, extraConfig keys and the fields the operator writes into argocd-cm, each at its line", () => {
    const cr = [
      "apiVersion: argoproj.io/v1alpha1",
      "kind: ArgoCD",
      "metadata:",
      "  name: argocd",
      "spec:",
      "  usersAnonymousEnabled: true",
      "  kustomizeBuildOptions: --enable-alpha-plugins",
      "  extraConfig:",
      '    "exec.enabled": "true"',
      '    "accounts.ci": apiKey',
      "  rbac:",
      "    policy: |",
      "      g, system:cluster-admins, role:admin",
      '      g, "*", role:admin',
      "",
    ].join("\n");
    const byLine = run([added("argocd.yaml", cr)]).sort((a, b) => a.line - b.line);
    expect(byLine.map(({ message: _m, ...f }) => f)).toEqual([
      { ruleId: "argocd/anonymous-access", file: "argocd.yaml", line: 6, column: 26, status: "new" },
      { ruleId: "argocd/kustomize-unsafe-build-options", file: "argocd.yaml", line: 7, column: 26, status: "new" },
      { ruleId: "argocd/exec-enabled", file: "argocd.yaml", line: 9, column: 21, status: "new" },
      // the `g, "*", role:admin` line inside `policy: |`
      { ruleId: "argocd/rbac-default-policy", file: "argocd.yaml", line: 14, column: 7, status: "new" },
    ]);
    // extraConfig takes precedence over the field, as the operator writes it.
    const off = cr.replace('    "exec.enabled": "true"', '    "users.anonymous.enabled": "false"');
    expect(run([added("argocd.yaml", off)]).map((f) => f.ruleId)).toEqual(["argocd/rbac-default-policy", "argocd/kustomize-unsafe-build-options"]);
  });

  it("keeps an unchanged setting existing when the pull request edits something else of the resource", () => {
    const edited = admin.replace("        cpu: 500m", "        cpu: '1'");
    expect(run([{ path: "gitops/argocd.yaml", status: "modified", base: admin, head: edited }]).map((f) => [f.ruleId, f.line, f.status])).toEqual([
      ["argocd/rbac-default-policy", 15, "existing"],
    ]);
  });
});
