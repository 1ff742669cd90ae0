import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./scan-unavailable.js";

describe("ecr/scan-unavailable", () => {
  it("names the reason: an unusable scan status, an ECR call that failed, a check that could not be made", () => {
    const findings = runFixture(rule, "invalid-images.yaml");
    expect(positions(findings)).toEqual([
      { line: 10, column: 18, path: "spec.template.spec.containers[0].image", severity: "medium" },
      { line: 12, column: 18, path: "spec.template.spec.containers[1].image", severity: "medium" },
      { line: 14, column: 18, path: "spec.template.spec.containers[2].image", severity: "medium" },
    ]);
    expect(findings[0]!.message).toContain("scan status SCAN_ELIGIBILITY_EXPIRED");
    expect(findings[1]!.message).toContain("access denied: not authorized to perform ecr:DescribeImages");
    expect(findings[2]!.message).toContain("throttled by AWS on ecr:DescribeImageScanFindings (ThrottlingException) after 3 attempts");
    expect(findings[2]!.message).toContain("tag mutability unknown");
  });

  it("is silent for a usable scan and for a missing image (ecr/image-not-found reports that)", () => {
    expect(runFixture(rule, "valid-images.yaml")).toEqual([]);
  });
});
