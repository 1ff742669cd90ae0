import { describe, expect, it } from "@jest/globals";
import { parse } from "yaml";
import { positions, readFixture, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import rule from "./untrusted-registry.js";

const config: unknown = parse(readFixture("image/untrusted-registry", "config.yaml"));

describe("image/untrusted-registry", () => {
  it("flags images whose registry matches no allow-list entry, at the image value", () => {
    const findings = runFixture(rule, "invalid-images.yaml", { config });
    expect(positions(findings)).toEqual([
      { line: 13, column: 18, path: "spec.template.spec.initContainers[0].image", severity: "high" },
      { line: 16, column: 18, path: "spec.template.spec.containers[0].image", severity: "high" },
      { line: 18, column: 18, path: "spec.template.spec.containers[1].image", severity: "high" },
      { line: 20, column: 18, path: "spec.template.spec.containers[2].image", severity: "high" },
      { line: 23, column: 18, path: "spec.template.spec.ephemeralContainers[0].image", severity: "high" },
    ]);
    expect(findings[1]!.message).toBe(
      'Container "web" in Deployment "web" uses image "ghcr.io/acme-evil/web:1.2.3" (registry "ghcr.io"), which matches no entry of images.allowedRegistries.',
    );
    // Docker Hub images without a host are reported under docker.io.
    expect(findings[0]!.message).toContain('"someone/busybox:1.36" (registry "docker.io")');
  });

  it("passes hosts, path prefixes on whole segments, globs, Docker Hub aliases, ports and templated images", () => {
    expect(runFixture(rule, "valid-images.yaml", { config })).toEqual([]);
  });

  it("reports nothing while the allow-list is empty, even when the rule is switched on", () => {
    const yaml = readFixture("image/untrusted-registry", "invalid-images.yaml");
    expect(runRule(rule, yaml, { config: { rules: { "image/untrusted-registry": "high" } } })).toEqual([]);
    expect(runRule(rule, yaml, { config: { rules: { "image/untrusted-registry": "high" }, images: { allowedRegistries: ["  "] } } })).toEqual([]);
  });

  it("turns on by configuring images.allowedRegistries alone (no rules: entry needed)", () => {
    const yaml = readFixture("image/untrusted-registry", "invalid-images.yaml");
    expect(runRule(rule, yaml, { config: { images: { allowedRegistries: ["registry.example.com"] } } }).length).toBeGreaterThan(0);
    expect(runRule(rule, yaml)).toEqual([]);
  });
});
