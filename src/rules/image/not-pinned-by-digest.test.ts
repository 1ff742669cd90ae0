import { describe, expect, it } from "@jest/globals";
import { parse } from "yaml";
import { positions, readFixture, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import rule from "./not-pinned-by-digest.js";

const config: unknown = parse(readFixture("image/not-pinned-by-digest", "config.yaml"));

describe("image/not-pinned-by-digest", () => {
  it("flags tag-only and malformed-digest images at the image value", () => {
    const findings = runFixture(rule, "invalid-images.yaml", { config });
    expect(positions(findings)).toEqual([
      { line: 13, column: 18, path: "spec.template.spec.containers[0].image", severity: "low" },
      { line: 15, column: 18, path: "spec.template.spec.containers[1].image", severity: "low" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'Container "db" in StatefulSet "db" uses image "postgres:16.4" without a @sha256 digest.',
      'Container "short-digest" in StatefulSet "db" uses image "postgres@sha256:abc123" whose digest is malformed (expected sha256:<64 hex>).',
    ]);
  });

  it("passes digest-pinned and templated images", () => {
    expect(runFixture(rule, "valid-images.yaml", { config })).toEqual([]);
  });

  it("is off unless enabled in the config", () => {
    expect(runRule(rule, readFixture("image/not-pinned-by-digest", "invalid-images.yaml"))).toEqual([]);
  });
});
