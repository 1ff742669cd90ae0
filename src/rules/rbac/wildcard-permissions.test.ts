import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./wildcard-permissions.js";

describe("rbac/wildcard-permissions", () => {
  it("flags each field holding `*`, at the `*` entry", () => {
    const findings = runFixture(rule, "invalid-roles.yaml");
    expect(positions(findings)).toEqual([
      { line: 6, column: 17, path: "rules[0].apiGroups[0]", severity: "high" },
      { line: 7, column: 17, path: "rules[0].resources[0]", severity: "high" },
      { line: 8, column: 13, path: "rules[0].verbs[0]", severity: "high" },
      { line: 23, column: 9, path: "rules[0].verbs[1]", severity: "high" },
      { line: 25, column: 17, path: "rules[1].resources[0]", severity: "high" },
      { line: 35, column: 17, path: "rules[0].resources[0]", severity: "high" },
      { line: 36, column: 13, path: "rules[0].verbs[0]", severity: "high" },
      { line: 37, column: 17, path: "rules[1].apiGroups[0]", severity: "high" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'ClusterRole "god-mode" rules[0] covers every API group ("*"), CRDs added later included, for every resource with every verb.',
      'ClusterRole "god-mode" rules[0] covers every resource ("*") in every API group, Secrets included, with every verb.',
      'ClusterRole "god-mode" rules[0] allows every verb ("*") on every resource in every API group.',
      'Role "app-operator" rules[0] allows every verb ("*") on deployments, statefulsets in the apps API group.',
      'Role "app-operator" rules[1] covers every resource ("*") in the core API group, Secrets included, with verbs get, list.',
      // The case: `*` resources and verbs in one API group are not "every resource".
      'ClusterRole "apps-admin" rules[0] covers every resource ("*") in the apps API group, with every verb.',
      'ClusterRole "apps-admin" rules[0] allows every verb ("*") on every resource in the apps API group.',
      'ClusterRole "apps-admin" rules[1] covers every API group ("*"), CRDs added later included, for configmaps named feature-flags with verbs get, update.',
    ]);
  });

  it("passes explicit rules, non-resource URLs, aggregated ClusterRoles and non-RBAC objects", () => {
    expect(runFixture(rule, "valid-roles.yaml")).toEqual([]);
  });
});
