import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import rule from "./default-project-permissive.js";

describe("argocd/default-project-permissive", () => {
  it("reports each permissive list of the default project once, at its first wildcard ('!' entries included)", () => {
    const findings = runFixture(rule, "invalid-default.yaml");
    expect(positions(findings)).toEqual([
      { line: 9, column: 7, path: "spec.sourceRepos[1]", severity: "high" },
      // `namespace: '!kube-system'` with server '*' only denies beside the '*'/'*' entry: the first entry that allows is reported.
      { line: 13, column: 18, path: "spec.destinations[1].namespace", severity: "high" },
      { line: 19, column: 13, path: "spec.clusterResourceWhitelist[0].kind", severity: "high" },
    ]);
    expect(findings[0]!.message).toBe('The default AppProject allows source repository "*"; every Application without a project of its own gets it.');
    // Alone, `namespace: '!kube-system'` still allows every other namespace, and its server is '*'.
    const alone = "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: default}\nspec:\n  destinations:\n    - {namespace: '!kube-system', server: '*'}\n";
    expect(positions(runRule(rule, alone))).toEqual([{ line: 6, column: 43, path: "spec.destinations[0].server", severity: "high" }]);
  });

  it("passes a locked-down default project and ignores other projects", () => {
    expect(runFixture(rule, "valid-locked-down.yaml")).toEqual([]);
  });
});
