import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./app-helm-pass-credentials.js";

describe("argocd/app-helm-pass-credentials", () => {
  it("flags passCredentials: true on single, multi-source and ApplicationSet template sources", () => {
    const findings = runFixture(rule, "invalid-helm.yaml");
    expect(positions(findings)).toEqual([
      { line: 13, column: 24, path: "spec.source.helm.passCredentials", severity: "medium" },
      { line: 35, column: 26, path: "spec.sources[1].helm.passCredentials", severity: "medium" },
      { line: 59, column: 34, path: "spec.template.spec.source.helm.passCredentials", severity: "medium" },
    ]);
    expect(findings[1]!.message).toBe('Application "api" sources[1] (chart "api") passes Helm repository credentials to every domain (helm.passCredentials: true).');
  });

  it("passes passCredentials: false and chart values that happen to use the name", () => {
    expect(runFixture(rule, "valid-helm.yaml")).toEqual([]);
  });
});
