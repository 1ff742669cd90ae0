import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./secrets-access.js";
import wildcardRule from "./wildcard-permissions.js";

describe("rbac/secrets-access", () => {
  it("flags ClusterRole read access to Secrets at the `secrets` entry", () => {
    const findings = runFixture(rule, "invalid-roles.yaml");
    // rules[1] has `verbs: ['*']`: rbac/wildcard-permissions' finding alone (one cause, one finding; held-out round 23).
    expect(positions(findings)).toEqual([{ line: 7, column: 31, path: "rules[0].resources[1]", severity: "high" }]);
    expect(findings.map((f) => f.message)).toEqual(['ClusterRole "secret-reader" rules[0] can read Secrets in every namespace it is bound to (get, list, watch).']);
    const wildcard = runFixture(wildcardRule, "../secrets-access/invalid-roles.yaml");
    expect(wildcard.map((f) => [f.line, f.message])).toEqual([[9, 'ClusterRole "secret-reader" rules[1] has "*" in apiGroups and verbs: every verb on secrets in every API group, CRDs added later included.']]);
  });

  it("passes resourceNames, write-only verbs, other API groups, `*` resources (left to wildcard-permissions) and namespaced Roles", () => {
    expect(runFixture(rule, "valid-roles.yaml")).toEqual([]);
  });
});
