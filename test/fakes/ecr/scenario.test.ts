import { describe, expect, it } from "@jest/globals";
import { runEcrScenario } from "./scenario.js";

/** DESIGN.md budgets: one DescribeImages per repository per ≤ 100 images, one scan lookup per unique digest, zero calls warm. */
describe("ECR call budget: 50 images across 5 repositories", () => {
  it("by digest: cold, one DescribeImages per repository and one scan lookup per digest; warm within the hour, no call", async () => {
    const r = await runEcrScenario({ refs: "digest" });
    expect(r.images).toBe(50);
    // Images 0, 3, 6 and 9 of each repository carry a critical CVE.
    expect(r.findings).toBe(20);
    expect(r.cold).toEqual({ DescribeImages: 5, DescribeImageScanFindings: 50, DescribeRepositories: 0, BatchGetImage: 0, ListImageReferrers: 0, AssumeRole: 0 });
    expect(r.warm).toEqual({ DescribeImages: 0, DescribeImageScanFindings: 0, DescribeRepositories: 0, BatchGetImage: 0, ListImageReferrers: 0, AssumeRole: 0 });
  });

  it("by tag: warm, only the tag resolutions (one DescribeImages per repository; tags move, digests do not)", async () => {
    const r = await runEcrScenario({ refs: "tag" });
    // The 20 critical images, and every image by tag in a MUTABLE repository (ecr/mutable-repository).
    expect(r.findings).toBe(70);
    expect(r.cold).toEqual({ DescribeImages: 5, DescribeImageScanFindings: 50, DescribeRepositories: 5, BatchGetImage: 0, ListImageReferrers: 0, AssumeRole: 0 });
    expect(r.warm).toEqual({ DescribeImages: 5, DescribeImageScanFindings: 0, DescribeRepositories: 0, BatchGetImage: 0, ListImageReferrers: 0, AssumeRole: 0 });
  });
});
