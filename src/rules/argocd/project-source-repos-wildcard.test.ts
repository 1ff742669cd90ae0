import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import rule from "./project-source-repos-wildcard.js";

describe("argocd/project-source-repos-wildcard", () => {
  it("flags `*`, any-host and any-owner entries at the entry itself, block and flow lists alike", () => {
    const findings = runFixture(rule, "invalid-wildcards.yaml");
    expect(positions(findings)).toEqual([
      { line: 9, column: 7, path: "spec.sourceRepos[1]", severity: "high" },
      { line: 19, column: 17, path: "spec.sourceRepos[0]", severity: "high" },
      { line: 19, column: 30, path: "spec.sourceRepos[1]", severity: "high" },
      { line: 19, column: 41, path: "spec.sourceRepos[2]", severity: "high" },
      { line: 28, column: 7, path: "spec.sourceRepos[0]", severity: "high" },
      { line: 29, column: 7, path: "spec.sourceRepos[1]", severity: "high" },
      { line: 30, column: 7, path: "spec.sourceRepos[2]", severity: "high" },
    ]);
    expect(findings.map((f) => f.resource.name)).toEqual(["team-a", "team-b", "team-b", "team-b", "team-c", "team-c", "team-c"]);
    expect(findings[0]!.message).toBe('AppProject "team-a" sourceRepos entry "*" allows Applications from any repository.');
    expect(findings[3]!.message).toContain("any repository on github.com");
  });

  it("passes named repositories, organisation globs, deny entries and non-projects", () => {
    expect(runFixture(rule, "valid-scoped.yaml")).toEqual([]);
  });

  it("ignores a project without sourceRepos or with non-string entries", () => {
    const yaml = "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: x\nspec:\n  sourceRepos: [{url: '*'}, 42]\n";
    expect(runRule(rule, yaml)).toEqual([]);
  });
});
