import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./appset-unbounded-cluster-generator.js";

describe("argocd/appset-unbounded-cluster-generator", () => {
  it("flags cluster generators without a selector or with an empty one, also nested in matrix/merge", () => {
    const findings = runFixture(rule, "invalid-generators.yaml");
    expect(positions(findings)).toEqual([
      { line: 8, column: 7, path: "spec.generators[0].clusters", severity: "medium" },
      { line: 37, column: 15, path: "spec.generators[0].matrix.generators[1].clusters.selector", severity: "medium" },
      { line: 44, column: 13, path: "spec.generators[1].merge.generators[0].clusters", severity: "medium" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'ApplicationSet "everywhere" cluster generator has no selector, so it targets every cluster Argo CD manages, the in-cluster one included.',
      'ApplicationSet "matrix-everywhere" cluster generator has an empty selector, so it targets every cluster Argo CD manages, the in-cluster one included.',
      'ApplicationSet "matrix-everywhere" cluster generator has no selector, so it targets every cluster Argo CD manages, the in-cluster one included.',
    ]);
  });

  it("passes cluster generators narrowed by a selector or a post-selector, and other generators", () => {
    expect(runFixture(rule, "valid-generators.yaml")).toEqual([]);
  });
});
