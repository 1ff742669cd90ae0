import { describe, expect, it } from "@jest/globals";
import { parse } from "yaml";
import { positions, readFixture, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./unsigned-image.js";

const config: unknown = parse(readFixture("ecr/unsigned-image", "config.yaml"));

describe("ecr/unsigned-image", () => {
  it("flags an image without a signature when ecr.requireSignature is on", () => {
    const findings = runFixture(rule, "invalid-images.yaml", { config });
    expect(positions(findings)).toEqual([{ line: 10, column: 18, path: "spec.template.spec.containers[0].image", severity: "high" }]);
    expect(findings[0]!.message).toContain("no Notation or Sigstore referrer and no cosign sha256-a1a1a1a1a1a1….sig tag");
  });

  it("passes a signed image", () => {
    expect(runFixture(rule, "valid-images.yaml", { config })).toEqual([]);
  });

  it("is off unless ecr.requireSignature is true", () => {
    expect(runFixture(rule, "invalid-images.yaml")).toEqual([]);
  });
});
