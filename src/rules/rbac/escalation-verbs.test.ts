import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./escalation-verbs.js";

describe("rbac/escalation-verbs", () => {
  it("flags escalate, bind, impersonate and create on serviceaccounts/token at the verb", () => {
    const findings = runFixture(rule, "invalid-roles.yaml");
    expect(positions(findings)).toEqual([
      { line: 8, column: 20, path: "rules[0].verbs[1]", severity: "high" },
      { line: 8, column: 28, path: "rules[0].verbs[2]", severity: "high" },
      { line: 11, column: 13, path: "rules[1].verbs[0]", severity: "high" },
      { line: 22, column: 13, path: "rules[0].verbs[0]", severity: "high" },
      { line: 33, column: 20, path: "rules[0].verbs[1]", severity: "high" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'ClusterRole "rbac-manager" rules[0] grants "bind": it can bind roles with permissions it does not hold.',
      'ClusterRole "rbac-manager" rules[0] grants "escalate": it can add permissions it does not hold to roles.',
      'ClusterRole "rbac-manager" rules[1] grants "impersonate": it can act as other users, groups or service accounts.',
      'Role "binder" rules[0] grants "bind": it can bind roles with permissions it does not hold (limited to 1 named object).',
      'Role "token-minter" rules[0] grants "create": it can mint a token for any ServiceAccount where it is bound (serviceaccounts/token) and act as that account: impersonation by another name.',
    ]);
  });

  it("passes read verbs, the verbs on unrelated resources (create on serviceaccounts, get on their tokens), and `*` (left to wildcard-permissions)", () => {
    expect(runFixture(rule, "valid-roles.yaml")).toEqual([]);
  });
});
