import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./kustomize-unsafe-build-options.js";

describe("argocd/kustomize-unsafe-build-options", () => {
  it("flags unsafe options in kustomize.buildOptions and its per-version keys", () => {
    const findings = runFixture(rule, "invalid-build-options.yaml");
    expect(positions(findings)).toEqual([
      { line: 7, column: 27, path: 'data["kustomize.buildOptions"]', severity: "high" },
      { line: 8, column: 34, path: 'data["kustomize.buildOptions.v5.4.3"]', severity: "high" },
    ]);
    expect(findings[0]!.message).toContain("uses --load-restrictor LoadRestrictionsNone:");
    expect(findings[1]!.message).toContain("uses --enable-alpha-plugins, --enable-exec:");
  });

  it("accepts the `=` form in argo-cd Helm values", () => {
    expect(positions(runFixture(rule, "invalid-helm-values.yaml"))).toEqual([
      { line: 3, column: 29, path: 'data["kustomize.buildOptions"]', severity: "high" },
    ]);
  });

  it("passes safe options and other ConfigMaps", () => {
    expect(runFixture(rule, "valid-safe-options.yaml")).toEqual([]);
  });
});
