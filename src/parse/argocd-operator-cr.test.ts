import { describe, expect, it } from "@jest/globals";
import { parseConfig } from "../core/config.js";
import { review, scan, type FileChange } from "../core/review.js";
import { openshiftGitopsCr } from "../../test/helpers/argocd-cr.js";
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
  const everyday = openshiftGitopsCr([
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
  ]);
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

  // Held-out round 25: a plain file reported ConfigMap/argocd-rbac-cm at data["policy.default"], the same resource
  // rendered through Kustomize ArgoCD/openshift-gitops at spec.rbac.defaultPolicy: a waiver by resource held in one
  // (the render: test/engine/argocd-operator-cr-review.test.ts).
  describe("the resource's own identity", () => {
    const cr = openshiftGitopsCr(["  usersAnonymousEnabled: true", "  extraConfig:", '    "exec.enabled": "true"', "  rbac:", "    defaultPolicy: role:admin"]);
    const known = new Set(ALL_RULES.map((r) => r.meta.id));
    const waiver = { rule: "argocd/rbac-default-policy", resource: "ArgoCD/openshift-gitops", reason: "break-glass", expires: "2027-06-30" };
    const scanned = (files: Array<{ path: string; content: string }>, waivers: object[] = []) =>
      scan(files, { config: parseConfig({ waivers }, known), rules: ALL_RULES, now: new Date("2026-11-22T00:00:00Z") })
        .findings.map((f) => ({ ruleId: f.ruleId, line: f.line, column: f.column, resource: `${f.resource.kind}/${f.resource.namespace}/${f.resource.name}`, path: f.path, fix: f.fix, waived: f.suppressed !== null }))
        .sort((a, b) => a.line - b.line);
    const plain = [{ path: "gitops/argocd.yaml", content: cr }];
    const expected = [
      {
        ruleId: "argocd/anonymous-access",
        line: 7,
        column: 26,
        resource: "ArgoCD/openshift-gitops/openshift-gitops",
        path: "spec.usersAnonymousEnabled",
        fix: "Remove `spec.usersAnonymousEnabled` from the ArgoCD resource (or set it to false) and give people SSO accounts.",
        waived: false,
      },
      {
        ruleId: "argocd/exec-enabled",
        line: 9,
        column: 21,
        resource: "ArgoCD/openshift-gitops/openshift-gitops",
        path: 'spec.extraConfig["exec.enabled"]',
        fix: 'Leave `spec.extraConfig["exec.enabled"]` unset in the ArgoCD resource (or "false"); if the terminal is needed, grant `exec, create` only to named admin roles for specific projects.',
        waived: false,
      },
      {
        ruleId: "argocd/rbac-default-policy",
        line: 11,
        column: 20,
        resource: "ArgoCD/openshift-gitops/openshift-gitops",
        path: "spec.rbac.defaultPolicy",
        fix: "Set `spec.rbac.defaultPolicy: role:readonly` in the ArgoCD resource (or leave it empty) and bind `role:admin` only to named groups.",
        waived: false,
      },
    ];

    it("reports the ArgoCD resource at its fields, with fixes that name them", () => {
      expect(scanned(plain)).toEqual(expected);
    });

    it("honours a waiver by the resource's kind and name", () => {
      expect(scanned(plain, [waiver])).toEqual(expected.map((f) => ({ ...f, waived: f.ruleId === "argocd/rbac-default-policy" })));
    });

    it("honours the resource's own gitops-guard.io/ignore annotation, as a render does", () => {
      const annotated = cr.replace("  namespace: openshift-gitops\n", '  namespace: openshift-gitops\n  annotations:\n    gitops-guard.io/ignore: "argocd/rbac-default-policy -- break-glass"\n');
      const waived = expected.map((f) => ({ ...f, line: f.line + 2, waived: f.ruleId === "argocd/rbac-default-policy" }));
      expect(scanned([{ path: "gitops/argocd.yaml", content: annotated }])).toEqual(waived);
    });

    it("names spec.rbac.policy in the fix of a wildcard admin group written there", () => {
      const policy = cr.replace("    defaultPolicy: role:admin", '    policy: |\n      g, "*", role:admin');
      expect(scanned([{ path: "argocd.yaml", content: policy }]).filter((f) => f.ruleId === "argocd/rbac-default-policy")).toEqual([
        {
          ruleId: "argocd/rbac-default-policy",
          line: 12,
          column: 7,
          resource: "ArgoCD/openshift-gitops/openshift-gitops",
          path: "spec.rbac.policy",
          fix: "Bind `role:admin` only to named groups in `spec.rbac.policy` of the ArgoCD resource, not to a wildcard group or one every user is in.",
          waived: false,
        },
      ]);
    });
  });

  // Held-out round 25: the operator passes spec.server.extraCommandArgs to argocd-server and gives it spec.server.env.
  it("reports --disable-auth in spec.server.extraCommandArgs and ARGOCD_SERVER_DISABLE_AUTH in spec.server.env, each at its line, as the resource", () => {
    const server = (args: string[], env: string) =>
      ["apiVersion: argoproj.io/v1beta1", "kind: ArgoCD", "metadata:", "  name: gitops", "spec:", "  server:", "    extraCommandArgs:", ...args.map((a) => `      - ${a}`), "    env:", "      - name: ARGOCD_SERVER_DISABLE_AUTH", `        value: "${env}"`, ""].join("\n");
    const found = (text: string) => scan([{ path: "argocd.yaml", content: text }], { config: parseConfig({}, new Set(ALL_RULES.map((r) => r.meta.id))), rules: ALL_RULES, now: new Date("2026-11-22T00:00:00Z") })
      .findings.map((f) => ({ ruleId: f.ruleId, line: f.line, column: f.column, kind: f.resource.kind, path: f.path, severity: f.severity }));
    expect(found(server(["--insecure", "--disable-auth"], "true"))).toEqual([
      { ruleId: "argocd/anonymous-access", line: 9, column: 9, kind: "ArgoCD", path: "spec.server.extraCommandArgs[1]", severity: "critical" },
      { ruleId: "argocd/anonymous-access", line: 12, column: 16, kind: "ArgoCD", path: "spec.server.env[0].value", severity: "critical" },
    ]);
    // The flag takes precedence over the variable: --disable-auth=false keeps authentication on.
    expect(found(server(["--disable-auth=false"], "true"))).toEqual([]);
    expect(found(server(["--insecure"], "false"))).toEqual([]);
  });
});
