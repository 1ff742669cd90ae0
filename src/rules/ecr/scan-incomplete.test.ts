import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./scan-incomplete.js";

describe("ecr/scan-incomplete", () => {
  it("reports a scan IN_PROGRESS at the image value, as info", () => {
    const findings = runFixture(rule, "invalid-images.yaml");
    expect(positions(findings)).toEqual([{ line: 10, column: 18, path: "spec.template.spec.containers[0].image", severity: "info" }]);
    expect(findings[0]!.message).toContain("not finished (IN_PROGRESS for sha256:a1a1a1a1a1a1); /guard recheck picks up the result");
  });

  it("points at the newTag of a Kustomization images override whose scan is PENDING", () => {
    const findings = runFixture(rule, "invalid-kustomization.yaml");
    expect(positions(findings)).toEqual([{ line: 8, column: 13, path: "images[0].newTag", severity: "info" }]);
    expect(findings[0]!.message).toContain('Kustomization image override "worker"');
    expect(findings[0]!.message).toContain("PENDING");
  });

  it("passes a finished scan", () => {
    expect(runFixture(rule, "valid-images.yaml")).toEqual([]);
  });
});
