import { describe, expect, it } from "@jest/globals";
import { parse } from "yaml";
import { positions, readFixture, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./non-production-registry.js";

const config: unknown = parse(readFixture("image/non-production-registry", "config.yaml"));

describe("image/non-production-registry", () => {
  it("flags images outside the production registries under production paths", () => {
    const findings = runFixture(rule, "invalid-images.yaml", { config, file: "envs/prod/web.yaml" });
    expect(positions(findings)).toEqual([
      { line: 13, column: 18, path: "spec.template.spec.containers[0].image", severity: "high" },
      { line: 15, column: 18, path: "spec.template.spec.containers[1].image", severity: "high" },
    ]);
    expect(findings[1]!.message).toBe(
      'Container "worker" in Rollout "web" uses image "123456789012.dkr.ecr.eu-west-1.amazonaws.com/staging/worker:1.4.2" (registry "123456789012.dkr.ecr.eu-west-1.amazonaws.com"), which matches no entry of images.productionRegistries.',
    );
  });

  it("passes production registries and templated images", () => {
    expect(runFixture(rule, "valid-images.yaml", { config, file: "envs/prod/web.yaml" })).toEqual([]);
  });

  it("ignores files outside the production globs", () => {
    expect(runFixture(rule, "invalid-images.yaml", { config, file: "envs/dev/web.yaml" })).toEqual([]);
  });

  it("reports nothing until images.productionRegistries is configured", () => {
    expect(runFixture(rule, "invalid-images.yaml", { file: "envs/prod/web.yaml" })).toEqual([]);
  });
});
