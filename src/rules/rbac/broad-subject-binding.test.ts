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
  it("flags everyone as a subject at its name (critical for admin/edit), and admin/edit cluster-wide at roleRef.name (medium)", () => {
    const findings = runFixture(rule, "invalid-bindings.yaml");
    expect(positions(findings)).toEqual([
      { line: 12, column: 11, path: "subjects[0].name", severity: "critical" },
      { line: 26, column: 11, path: "subjects[0].name", severity: "high" },
      { line: 41, column: 11, path: "subjects[0].name", severity: "high" },
      { line: 52, column: 9, path: "roleRef.name", severity: "medium" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'ClusterRoleBinding "everyone-edits" grants ClusterRole edit in every namespace to every authenticated user and ServiceAccount (Group system:authenticated).',
      'ClusterRoleBinding "public-view" grants ClusterRole view in every namespace to every unauthenticated request (Group system:unauthenticated).',
      'RoleBinding "anonymous-reader" grants Role reader in namespace shop to anonymous requests (User system:anonymous).',
      'ClusterRoleBinding "developers-admin" grants ClusterRole admin in every namespace to Group developers, User alice; bind it with a RoleBinding in the namespaces they work in.',
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
});
