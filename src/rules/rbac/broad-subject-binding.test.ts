import { describe, expect, it } from "@jest/globals";
import { scan } from "../../core/review.js";
import { parseConfig } from "../../core/config.js";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import { ALL_RULES, RULE_IDS } from "../index.js";
import rule from "./broad-subject-binding.js";

const binding = (kind: string, role: string, subject: string) =>
  [
    "apiVersion: rbac.authorization.k8s.io/v1",
    `kind: ${kind}`,
    "metadata: {name: b, namespace: shop}",
    `roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${role}}`,
    `subjects: [${subject}]`,
    "",
  ].join("\n");

describe("rbac/broad-subject-binding", () => {
  it("flags everyone and every ServiceAccount (of the cluster or of a namespace) as a subject at its name, and admin/edit cluster-wide at roleRef.name (medium)", () => {
    const findings = runFixture(rule, "invalid-bindings.yaml");
    expect(positions(findings)).toEqual([
      { line: 12, column: 11, path: "subjects[0].name", severity: "critical" },
      { line: 26, column: 11, path: "subjects[0].name", severity: "high" },
      { line: 41, column: 11, path: "subjects[0].name", severity: "high" },
      { line: 72, column: 11, path: "subjects[0].name", severity: "high" },
      { line: 87, column: 11, path: "subjects[0].name", severity: "high" },
      { line: 52, column: 9, path: "roleRef.name", severity: "medium" },
      { line: 101, column: 11, path: "subjects[0].name", severity: "medium" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'ClusterRoleBinding "everyone-edits" grants ClusterRole edit in every namespace to every authenticated user and ServiceAccount (Group system:authenticated).',
      'ClusterRoleBinding "public-view" grants ClusterRole view in every namespace to every unauthenticated request (Group system:unauthenticated).',
      'RoleBinding "anonymous-reader" grants Role reader in namespace shop to anonymous requests (User system:anonymous).',
      'ClusterRoleBinding "all-sa-secret-reader" grants ClusterRole secret-reader in every namespace to every ServiceAccount in the cluster (Group system:serviceaccounts).',
      'RoleBinding "shop-pods-edit" grants ClusterRole edit in namespace shop to every ServiceAccount of namespace shop (Group system:serviceaccounts:shop).',
      'ClusterRoleBinding "developers-admin" grants ClusterRole admin in every namespace to Group developers, User alice; bind it with a RoleBinding in the namespaces they work in.',
      'RoleBinding "shop-pods-view" grants ClusterRole view in namespace shop to every ServiceAccount of namespace shop (Group system:serviceaccounts:shop).',
    ]);
  });

  it("passes admin/edit in a RoleBinding to named subjects, custom roles, and look-alike subjects or roles", () => {
    expect(runFixture(rule, "valid-bindings.yaml")).toEqual([]);
  });

  it("says a binding of edit to everyone and named subjects once for each cause", () => {
    const both = binding("ClusterRoleBinding", "edit", "{kind: Group, name: system:authenticated}, {kind: Group, name: devs}");
    expect(positions(runRule(rule, both))).toEqual([
      { line: 5, column: 32, path: "subjects[0].name", severity: "critical" },
      { line: 4, column: 73, path: "roleRef.name", severity: "medium" },
    ]);
    expect(positions(runRule(rule, binding("ClusterRoleBinding", "edit", "{kind: Group, name: system:authenticated}")))).toHaveLength(1);
  });

  it("leaves cluster-admin to everyone to rbac/cluster-admin-binding (one cause, one finding)", () => {
    const text = binding("ClusterRoleBinding", "cluster-admin", "{kind: Group, name: system:authenticated}");
    const result = scan([{ path: "rbac.yaml", content: text }], { config: parseConfig({}, RULE_IDS), rules: ALL_RULES, now: new Date("2026-01-01T00:00:00Z") });
    expect(result.findings.filter((f) => f.ruleId.startsWith("rbac/")).map((f) => [f.ruleId, f.severity, f.path])).toEqual([["rbac/cluster-admin-binding", "critical", "roleRef.name"]]);
  });

  it("leaves a role of the same file that grants everything, bound to everyone, to rbac/cluster-admin-binding too (held-out round 18)", () => {
    const role = ["apiVersion: rbac.authorization.k8s.io/v1", "kind: ClusterRole", "metadata: {name: all-powerful}", 'rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]', ""].join("\n");
    const text = `${binding("ClusterRoleBinding", "all-powerful", "{kind: Group, name: system:authenticated}")}---\n${role}`;
    const result = scan([{ path: "rbac.yaml", content: text }], { config: parseConfig({}, RULE_IDS), rules: ALL_RULES, now: new Date("2026-01-01T00:00:00Z") });
    expect(result.findings.filter((f) => f.ruleId.startsWith("rbac/")).map((f) => [f.ruleId, f.severity, f.line, f.path])).toEqual([
      ["rbac/cluster-admin-binding", "critical", 4, "roleRef.name"],
      ["rbac/wildcard-permissions", "high", 10, "rules[0].apiGroups[0]"],
    ]);
  });

  describe("the ServiceAccount groups", () => {
    it("weighs edit to every ServiceAccount in the cluster as edit to every authenticated user (critical), at the subject", () => {
      for (const group of ["system:serviceaccounts", "system:authenticated"]) {
        expect(positions(runRule(rule, binding("ClusterRoleBinding", "edit", `{kind: Group, name: ${group}}`)))).toEqual([
          { line: 5, column: 32, path: "subjects[0].name", severity: "critical" },
        ]);
      }
    });

    it("weighs every ServiceAccount of one namespace one step lower (high for edit, medium otherwise), cluster-wide too", () => {
      const shop = "{kind: Group, name: system:serviceaccounts:shop}";
      expect(positions(runRule(rule, binding("ClusterRoleBinding", "edit", shop)))).toEqual([{ line: 5, column: 32, path: "subjects[0].name", severity: "high" }]);
      expect(positions(runRule(rule, binding("ClusterRoleBinding", "view", shop)))).toEqual([{ line: 5, column: 32, path: "subjects[0].name", severity: "medium" }]);
      expect(runRule(rule, binding("ClusterRoleBinding", "edit", shop))[0]?.message).toBe(
        'ClusterRoleBinding "b" grants ClusterRole edit in every namespace to every ServiceAccount of namespace shop (Group system:serviceaccounts:shop).',
      );
    });

    it("keeps one ServiceAccount (User system:serviceaccount:<ns>:<name>) a named subject", () => {
      const one = "{kind: User, name: system:serviceaccount:shop:ci}";
      expect(positions(runRule(rule, binding("ClusterRoleBinding", "edit", one)))).toEqual([{ line: 4, column: 73, path: "roleRef.name", severity: "medium" }]);
      expect(runRule(rule, binding("ClusterRoleBinding", "view", one))).toEqual([]);
      expect(runRule(rule, binding("ClusterRoleBinding", "view", "{kind: User, name: system:serviceaccounts}"))).toEqual([]);
    });

    it("leaves cluster-admin to them to rbac/cluster-admin-binding", () => {
      for (const group of ["system:serviceaccounts", "system:serviceaccounts:shop"]) {
        expect(runRule(rule, binding("ClusterRoleBinding", "cluster-admin", `{kind: Group, name: ${group}}`))).toEqual([]);
      }
    });
  });
});
