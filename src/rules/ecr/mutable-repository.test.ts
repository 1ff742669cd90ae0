import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import { tagIsMutable } from "./_ecr.js";
import rule from "./mutable-repository.js";

describe("ecr/mutable-repository", () => {
  it("flags tags a repository lets move (MUTABLE, or an exclusion of IMMUTABLE_WITH_EXCLUSION)", () => {
    const findings = runFixture(rule, "invalid-images.yaml");
    expect(positions(findings)).toEqual([
      { line: 10, column: 18, path: "spec.template.spec.containers[0].image", severity: "low" },
      { line: 12, column: 18, path: "spec.template.spec.containers[1].image", severity: "low" },
    ]);
    expect(findings[0]!.message).toContain('by tag "1.4.2" (today sha256:a1a1a1a1a1a1), and repository web lets the tag be moved (imageTagMutability MUTABLE)');
  });

  it("passes digest references, immutable repositories and tags excluded from MUTABLE_WITH_EXCLUSION", () => {
    expect(runFixture(rule, "valid-images.yaml")).toEqual([]);
  });

  it.each([
    ["MUTABLE", [], "v1", true],
    ["IMMUTABLE", [], "latest", false],
    ["IMMUTABLE_WITH_EXCLUSION", ["dev-*"], "dev-42", true],
    ["IMMUTABLE_WITH_EXCLUSION", ["dev-*"], "v1", false],
    ["MUTABLE_WITH_EXCLUSION", ["release-*"], "release-1", false],
    ["MUTABLE_WITH_EXCLUSION", ["release-*"], "main", true],
    ["SOMETHING_NEW", [], "v1", false],
  ])("%s %j: tag %s mutable = %s", (tagMutability, exclusionFilters, tag, expected) => {
    expect(tagIsMutable({ tagMutability, exclusionFilters }, tag)).toBe(expected);
  });
});
