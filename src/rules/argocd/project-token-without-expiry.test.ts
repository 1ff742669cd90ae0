import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./project-token-without-expiry.js";

describe("argocd/project-token-without-expiry", () => {
  it("flags tokens without exp (at the entry) and with exp: 0 (at the value)", () => {
    const findings = runFixture(rule, "invalid-tokens.yaml");
    expect(positions(findings)).toEqual([
      { line: 12, column: 11, path: "spec.roles[0].jwtTokens[0]", severity: "medium" },
      { line: 17, column: 16, path: "spec.roles[0].jwtTokens[2].exp", severity: "medium" },
      { line: 19, column: 19, path: "spec.roles[1].jwtTokens[0]", severity: "medium" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'AppProject "team-a" role "ci" token "6c2d4a4e-1f0b-4f3e-9a57-0d1f2a3b4c5d" never expires.',
      'AppProject "team-a" role "ci" token issued 2023-11-14 never expires.',
      'AppProject "team-a" role "deploy" token issued 2023-11-14 never expires.',
    ]);
  });

  it("passes expiring tokens and tokens recorded under status", () => {
    expect(runFixture(rule, "valid-expiring.yaml")).toEqual([]);
  });
});
