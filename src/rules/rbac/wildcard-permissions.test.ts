import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import { parseConfig } from "../../core/config.js";
import { review } from "../../core/review.js";
import { RULE_IDS } from "../index.js";
import rule from "./wildcard-permissions.js";

describe("rbac/wildcard-permissions", () => {
  it("flags each rule with `*` once, at its first `*` entry, naming every field that holds one", () => {
    const findings = runFixture(rule, "invalid-roles.yaml");
    expect(positions(findings)).toEqual([
      { line: 6, column: 17, path: "rules[0].apiGroups[0]", severity: "high" },
      { line: 23, column: 9, path: "rules[0].verbs[1]", severity: "high" },
      { line: 25, column: 17, path: "rules[1].resources[0]", severity: "high" },
      { line: 35, column: 17, path: "rules[0].resources[0]", severity: "high" },
      { line: 37, column: 17, path: "rules[1].apiGroups[0]", severity: "high" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      // One cause, one finding: `*` in all three fields of one rule is one grant (round 16 had three high findings).
      'ClusterRole "god-mode" rules[0] has "*" in apiGroups, resources and verbs: every verb on every resource in every API group, CRDs added later and Secrets included.',
      'Role "app-operator" rules[0] allows every verb ("*") on deployments, statefulsets in the apps API group.',
      'Role "app-operator" rules[1] covers every resource ("*") in the core API group, Secrets included, with verbs get, list.',
      // The case: `*` resources and verbs in one API group are not "every resource".
      'ClusterRole "apps-admin" rules[0] has "*" in resources and verbs: every verb on every resource in the apps API group.',
      'ClusterRole "apps-admin" rules[1] covers every API group ("*"), CRDs added later included, for configmaps named feature-flags with verbs get, update.',
    ]);
  });

  it("reports at the first `*` in the text whatever the field order, and a `*` added to another field of the rule as new", () => {
    const role = (fields: string) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: ops}\nrules:\n  - ${fields}\n`;
    const flow = runRule(rule, role('{verbs: ["*"], resources: ["pods"], apiGroups: ["*"]}'));
    expect(flow.map((f) => [f.path, f.column, f.message])).toEqual([
      ["rules[0].verbs[0]", 14, 'ClusterRole "ops" rules[0] has "*" in apiGroups and verbs: every verb on pods in every API group, CRDs added later included.'],
    ]);
    const statuses = (base: string, head: string): string[] =>
      review({ changes: [{ path: "rbac/ops.yaml", status: "modified", base, head }], config: parseConfig({}, RULE_IDS), rules: [rule], now: new Date("2026-11-22T00:00:00Z") })
        .findings.map((f) => `${f.status} ${f.path}`);
    // Two identical rules: their items have no identity of their own but the index.
    const twice = (verbs: string) => role(`{apiGroups: ["*"], resources: [pods], verbs: ${verbs}}\n  - {apiGroups: ["*"], resources: [pods], verbs: ${verbs}}`);
    expect(statuses(twice("[get]"), twice("[get]"))).toEqual(["existing rules[0].apiGroups[0]", "existing rules[1].apiGroups[0]"]);
    expect(statuses(twice("[get]"), twice('["*"]'))).toEqual(["new rules[0].apiGroups[0]", "new rules[1].apiGroups[0]", "fixed rules[0].apiGroups[0]", "fixed rules[1].apiGroups[0]"]);
  });

  it("passes explicit rules, non-resource URLs, aggregated ClusterRoles and non-RBAC objects", () => {
    expect(runFixture(rule, "valid-roles.yaml")).toEqual([]);
  });
});
