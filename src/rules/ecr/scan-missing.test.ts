import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./scan-missing.js";

describe("ecr/scan-missing", () => {
  it("flags an unscanned image and an index with one unscanned platform (naming it)", () => {
    const findings = runFixture(rule, "invalid-images.yaml");
    expect(positions(findings)).toEqual([
      { line: 10, column: 18, path: "spec.template.spec.containers[0].image", severity: "medium" },
      { line: 12, column: 18, path: "spec.template.spec.containers[1].image", severity: "medium" },
    ]);
    expect(findings[0]!.message).toContain("which ECR has never scanned (sha256:a1a1a1a1a1a1)");
    expect(findings[1]!.message).toContain("never scanned for linux/arm64 sha256:d4d4d4d4d4d4");
  });

  it("passes a scanned image", () => {
    expect(runFixture(rule, "valid-images.yaml")).toEqual([]);
  });
});
