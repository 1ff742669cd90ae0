import { describe, expect, it } from "@jest/globals";
import { positions, readFixture, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import rule from "./image-not-found.js";

describe("ecr/image-not-found", () => {
  it("flags a missing repository and a missing tag at their image values, not the Docker Hub image", () => {
    const findings = runFixture(rule, "invalid-images.yaml");
    expect(positions(findings)).toEqual([
      { line: 11, column: 18, path: "spec.template.spec.initContainers[0].image", severity: "high" },
      { line: 14, column: 18, path: "spec.template.spec.containers[0].image", severity: "high" },
    ]);
    expect(findings[0]!.message).toContain("repository payments/missing does not exist in registry 111122223333 (eu-central-1)");
    expect(findings[1]!.message).toContain('tag "v9.9.9" does not exist in repository payments/api');
  });

  it("passes found images and templated references", () => {
    expect(runFixture(rule, "valid-images.yaml")).toEqual([]);
  });

  it("is silent without facts (ECR checks skipped or not gathered)", () => {
    expect(runRule(rule, readFixture("ecr/image-not-found", "invalid-images.yaml"))).toEqual([]);
  });
});
