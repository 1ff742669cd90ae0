import { describe, expect, it } from "@jest/globals";
import { REMOTE_BASE_PATCHES } from "../../../test/helpers/argocd-fixtures.js";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import rule from "./rbac-default-policy.js";

describe("argocd/rbac-default-policy", () => {
  it("flags a non-read-only policy.default and wildcard groups bound to role:admin, at the policy line", () => {
    const findings = runFixture(rule, "invalid-rbac-cm.yaml");
    expect(positions(findings)).toEqual([
      { line: 7, column: 19, path: 'data["policy.default"]', severity: "critical" },
      // the `g, "*", role:admin` line inside the policy.csv block (after a blank line)
      { line: 12, column: 5, path: 'data["policy.csv"]', severity: "critical" },
      // the line inside the `|-` block of policy.extra.csv (after a comment line)
      { line: 15, column: 5, path: 'data["policy.extra.csv"]', severity: "critical" },
      // a custom default role that can sync; its policy.csv is a quoted string, so the finding is the default
      { line: 25, column: 19, path: 'data["policy.default"]', severity: "critical" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'ConfigMap "argocd-rbac-cm" policy.default "role:admin" gives every user who can log in more than read access.',
      'ConfigMap "argocd-rbac-cm" policy.csv makes everyone in wildcard group "*" an Argo CD admin.',
      'ConfigMap "argocd-rbac-cm" policy.extra.csv makes everyone in wildcard group "my-org:*" an Argo CD admin.',
      'ConfigMap "argocd-rbac-cm" policy.default "role:developer" gives every user who can log in more than read access.',
    ]);
  });

  it("reads policy lines as Argo CD's CSV does: a double-quoted group is unquoted, a single-quoted one is a name", () => {
    const cm = (group: string): string =>
      ["apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: argocd-rbac-cm", "data:", "  policy.default: role:readonly", "  policy.csv: |", `    g, ${group}, role:admin`, ""].join("\n");
    for (const group of ["*", '"*"', ' "*" ']) {
      expect([group, positions(runRule(rule, cm(group)))]).toEqual([group, [{ line: 8, column: 5, path: 'data["policy.csv"]', severity: "critical" }]]);
    }
    // `'*'` binds role:admin to the group named '*', quotes included: no one's group, not everyone.
    expect(runRule(rule, cm("'*'"))).toEqual([]);
    expect(runRule(rule, cm("'my-org:*'"))).toEqual([]);
  });

  it("flags configs.rbac in argo-cd Helm values", () => {
    expect(positions(runFixture(rule, "invalid-helm-values.yaml"))).toEqual([
      { line: 3, column: 21, path: 'data["policy.default"]', severity: "critical" },
    ]);
    // An umbrella chart's values for its argo-cd dependency under the alias `argocd:` (held-out round 12).
    const aliased = runRule(rule, "argocd:\n  configs:\n    rbac:\n      policy.default: role:admin\n");
    expect(positions(aliased)).toEqual([{ line: 4, column: 23, path: 'data["policy.default"]', severity: "critical" }]);
    expect(aliased[0]!.message).toBe('Helm values argocd.configs.rbac policy.default "role:admin" gives every user who can log in more than read access.');
  });

  it("reads configMapGenerator literals of argocd-rbac-cm only", () => {
    const findings = runFixture(rule, "invalid-kustomization.yaml");
    expect(positions(findings)).toEqual([
      { line: 11, column: 9, path: "configMapGenerator[1].literals[0]", severity: "critical" },
      { line: 12, column: 9, path: "configMapGenerator[1].literals[1]", severity: "critical" },
    ]);
    expect(findings[1]!.message).toBe('configMapGenerator "argocd-rbac-cm" policy.csv makes everyone in wildcard group "my-org:*" an Argo CD admin.');
  });

  it("passes role:readonly, empty and deny-all defaults, read-only custom roles and named admin groups", () => {
    expect(runFixture(rule, "valid-readonly.yaml")).toEqual([]);
  });

  it("points at the whole policy value when it is not a literal block", () => {
    const yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-rbac-cm\ndata:\n  policy.csv: \"p, role:x, applications, get, */*, allow\\ng, *, role:admin\"\n";
    expect(positions(runRule(rule, yaml))).toEqual([{ line: 6, column: 15, path: 'data["policy.csv"]', severity: "critical" }]);
  });

  it("flags an inline strategic-merge patch of argocd-rbac-cm in a kustomization whose base is remote (the root reviewed file by file), at its line", () => {
    const findings = runRule(rule, REMOTE_BASE_PATCHES, { file: "argocd/kustomization.yaml" });
    expect(positions(findings)).toEqual([{ line: 15, column: 25, path: 'data["policy.default"]', severity: "critical" }]);
    expect(findings[0]!.message).toBe('inline patch patches[0] of ConfigMap "argocd-rbac-cm" policy.default "role:admin" gives every user who can log in more than read access.');
  });
});

describe("argocd/rbac-default-policy: a wildcard group bound to an admin by another name (held-out round 8)", () => {
  const rbac = (csv: string[]): string => ["apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: argocd-rbac-cm", "  namespace: argocd", "data:", "  policy.csv: |", ...csv.map((l) => `    ${l}`), ""].join("\n");

  it("reports `g, *, role:deployer` when role:deployer (or a parent of it) is allowed every action on every resource", () => {
    const found = runRule(rule, rbac(["p, role:deployer, *, *, */*, allow", "g, *, role:deployer"]));
    expect(positions(found)).toEqual([{ line: 9, column: 5, path: 'data["policy.csv"]', severity: "critical" }]);
    expect(found[0]!.message).toBe('ConfigMap "argocd-rbac-cm" policy.csv makes everyone in wildcard group "*" an Argo CD admin ("role:deployer" is allowed every action on every resource).');
    const inherited = runRule(rule, rbac(["p, role:all, *, *, *, allow", "g, role:ops, role:all", "g, my-org:*, role:ops"]));
    expect(inherited.map((f) => f.line)).toEqual([10]);
  });

  it("reports OpenShift's groups of every authenticated user bound to role:admin (held-out round 23)", () => {
    for (const group of ["system:authenticated", "system:authenticated:oauth", '"system:authenticated"']) {
      const found = runRule(rule, rbac(["g, system:cluster-admins, role:admin", `g, ${group}, role:admin`]));
      expect(positions(found)).toEqual([{ line: 9, column: 5, path: 'data["policy.csv"]', severity: "critical" }]);
      expect(found[0]!.message).toContain("which OpenShift gives every user it authenticates, an Argo CD admin");
      expect(found[0]!.fix).toBe(rule.meta.fix);
    }
    // The operator's own default binding of a named group stays quiet; so does the readonly role for everyone.
    expect(runRule(rule, rbac(["g, system:cluster-admins, role:admin", "g, system:authenticated, role:readonly"]))).toEqual([]);
  });

  it("passes a wildcard group bound to a role narrower than everything, or to one with a deny line", () => {
    expect(runRule(rule, rbac(["p, role:deployer, applications, *, */*, allow", "g, *, role:deployer"]))).toEqual([]);
    expect(runRule(rule, rbac(["p, role:deployer, *, sync, */*, allow", "g, *, role:deployer"]))).toEqual([]);
    expect(runRule(rule, rbac(["p, role:deployer, *, *, */*, allow", "p, role:deployer, clusters, *, *, deny", "g, *, role:deployer"]))).toEqual([]);
    expect(runRule(rule, rbac(["p, role:deployer, *, *, */*, allow", "g, my-org:platform, role:deployer"]))).toEqual([]);
  });
});

describe("argocd/rbac-default-policy: the built-in read-only default widened by policy.csv (held-out round 21)", () => {
  const rbac = (csv: string[]): string =>
    ["apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: argocd-rbac-cm", "  namespace: argocd", "data:", "  policy.default: role:readonly", "  policy.csv: |", ...csv.map((l) => `    ${l}`), ""].join("\n");

  it("reports a policy line allowing role:readonly (or a role it inherits) more than get, at that line", () => {
    const found = runRule(rule, rbac(["g, my-org:platform, role:admin", "p, role:readonly, applications, *, */*, allow"]));
    expect(positions(found)).toEqual([{ line: 10, column: 5, path: 'data["policy.csv"]', severity: "critical" }]);
    expect(found[0]!.message).toBe('ConfigMap "argocd-rbac-cm" policy.csv allows "*" on "applications" to the default role "role:readonly": every user who can log in gets more than read access.');
    // The fix is about the line, not the default that is already read-only (held-out round 23).
    expect(found[0]!.fix).toMatch(/^Remove or narrow the policy line that gives `role:readonly` more than `get`/);
    const inherited = runRule(rule, rbac(["p, role:syncer, applications, sync, */*, allow", "g, role:readonly, role:syncer"]));
    expect(inherited.map((f) => [f.line, f.message])).toEqual([
      [10, 'ConfigMap "argocd-rbac-cm" policy.csv makes "role:syncer" a parent of the default role "role:readonly": every user who can log in gets more than read access.'],
    ]);
    expect(runRule(rule, rbac(["g, my-org:platform, role:admin", "g, role:readonly, role:admin"])).map((f) => f.line)).toEqual([10]);
  });

  it("passes role:readonly given more get permissions, a UI extension to invoke, or denied something", () => {
    expect(runRule(rule, rbac(["p, role:readonly, logs, get, */*, allow", "p, role:readonly, applications, sync, */*, deny"]))).toEqual([]);
    // A UI extension's backend for viewers, as Argo CD's own production overlay writes it (../shared/corpus).
    expect(runRule(rule, rbac(["p, role:readonly, extensions, invoke, metrics, allow"]))).toEqual([]);
  });
});
