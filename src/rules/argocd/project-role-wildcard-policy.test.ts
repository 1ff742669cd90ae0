import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./project-role-wildcard-policy.js";

describe("argocd/project-role-wildcard-policy", () => {
  it("flags each too-broad allow line and wildcard group at the entry", () => {
    const findings = runFixture(rule, "invalid-roles.yaml");
    expect(positions(findings)).toEqual([
      { line: 12, column: 11, path: "spec.roles[0].policies[1]", severity: "high" },
      { line: 13, column: 11, path: "spec.roles[0].policies[2]", severity: "high" },
      { line: 14, column: 11, path: "spec.roles[0].policies[3]", severity: "high" },
      { line: 18, column: 18, path: "spec.roles[1].policies[0]", severity: "high" },
      { line: 18, column: 74, path: "spec.roles[1].policies[1]", severity: "high" },
      { line: 19, column: 16, path: "spec.roles[1].groups[0]", severity: "high" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'AppProject "team-a" role "ci" policy grants every action ("*").',
      'AppProject "team-a" role "ci" policy grants every object ("*").',
      'AppProject "team-a" role "ci" policy grants override.',
      'AppProject "team-a" role "oncall" policy grants exec into pods.',
      'AppProject "team-a" role "oncall" policy grants every resource action ("action/*").',
      'AppProject "team-a" role "oncall" is bound to group "*": every user who can log in to Argo CD holds it.',
    ]);
  });

  it("passes scoped allow lines, specific resource actions, deny lines and argocd-rbac-cm", () => {
    expect(runFixture(rule, "valid-scoped-roles.yaml")).toEqual([]);
  });
});
