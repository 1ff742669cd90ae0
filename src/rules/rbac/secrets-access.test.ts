import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./secrets-access.js";

describe("rbac/secrets-access", () => {
  it("flags ClusterRole read access to Secrets at the `secrets` entry", () => {
    const findings = runFixture(rule, "invalid-roles.yaml");
    expect(positions(findings)).toEqual([
      { line: 7, column: 31, path: "rules[0].resources[1]", severity: "high" },
      { line: 11, column: 9, path: "rules[1].resources[0]", severity: "high" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'ClusterRole "secret-reader" rules[0] can read Secrets in every namespace it is bound to (get, list, watch).',
      'ClusterRole "secret-reader" rules[1] can read Secrets in every namespace it is bound to (every verb).',
    ]);
  });

  it("passes resourceNames, write-only verbs, other API groups, `*` resources (left to wildcard-permissions) and namespaced Roles", () => {
    expect(runFixture(rule, "valid-roles.yaml")).toEqual([]);
  });
});
