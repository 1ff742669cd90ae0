import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { factsFromFixture } from "../../../test/helpers/facts.js";
import { fixtureDir, positions, readFixture, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import rule from "./high-vulnerabilities.js";

const facts = factsFromFixture(JSON.parse(readFileSync(join(fixtureDir("ecr/high-vulnerabilities"), "facts.json"), "utf8")));

describe("ecr/high-vulnerabilities", () => {
  it("flags five fixable HIGH findings (the default threshold) and lists the top three", () => {
    const findings = runFixture(rule, "invalid-images.yaml");
    expect(positions(findings)).toEqual([{ line: 10, column: 18, path: "spec.template.spec.containers[0].image", severity: "medium" }]);
    expect(findings[0]!.message).toContain("0 critical (0 fixable), 5 high (5 fixable) vulnerabilities; high threshold 5; 1 more without a fix not counted");
    expect(findings[0]!.message).toContain("CVE-2023-0001 (pkg1 3.0.1, fixed in 3.0.15)");
    expect(findings[0]!.message).toContain("and 2 more");
  });

  it("passes four fixable HIGH findings plus unfixed ones", () => {
    expect(runFixture(rule, "valid-images.yaml")).toEqual([]);
  });

  it("follows ecr.thresholds.high and ecr.ignoreUnfixed", () => {
    const yaml = readFixture("ecr/high-vulnerabilities", "valid-images.yaml");
    expect(runRule(rule, yaml, { facts, config: { ecr: { thresholds: { high: 4 } } } })).toHaveLength(1);
    expect(runRule(rule, yaml, { facts, config: { ecr: { ignoreUnfixed: false } } })).toHaveLength(1);
  });
});
