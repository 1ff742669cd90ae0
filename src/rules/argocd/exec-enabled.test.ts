import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./exec-enabled.js";

describe("argocd/exec-enabled", () => {
  it('flags exec.enabled: "true" in argocd-cm at the value', () => {
    const findings = runFixture(rule, "invalid-argocd-cm.yaml");
    expect(positions(findings)).toEqual([{ line: 8, column: 17, path: 'data["exec.enabled"]', severity: "high" }]);
    expect(findings[0]!.message).toContain('ConfigMap "argocd-cm" enables the web terminal');
  });

  it("flags a YAML boolean in argo-cd Helm values", () => {
    expect(positions(runFixture(rule, "invalid-helm-values.yaml"))).toEqual([{ line: 3, column: 19, path: 'data["exec.enabled"]', severity: "high" }]);
  });

  it("passes a disabled terminal and other ConfigMaps", () => {
    expect(runFixture(rule, "valid-disabled.yaml")).toEqual([]);
  });
});
