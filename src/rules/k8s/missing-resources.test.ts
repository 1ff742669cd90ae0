import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./missing-resources.js";

describe("k8s/missing-resources", () => {
  it("reports each container once, listing what is missing, at `resources` or at the container", () => {
    const findings = runFixture(rule, "invalid-workloads.yaml");
    expect(positions(findings)).toEqual([
      { line: 12, column: 11, path: "spec.template.spec.initContainers[0]", severity: "low" },
      { line: 15, column: 11, path: "spec.template.spec.containers[0]", severity: "low" },
      { line: 19, column: 11, path: "spec.template.spec.containers[1].resources", severity: "low" },
      { line: 24, column: 11, path: "spec.template.spec.containers[2].resources", severity: "low" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'Init container "migrate" in Deployment "web" has no memory limit, CPU request or memory request.',
      'Container "none" in Deployment "web" has no memory limit, CPU request or memory request.',
      'Container "cpu-only" in Deployment "web" has no memory limit or memory request.',
      // The CPU limit stands in for the CPU request; a CPU limit is never required.
      'Container "no-memory-limit" in Deployment "web" has no memory limit.',
    ]);
  });

  it("passes complete resources, limits-only, pod-level resources, ephemeral containers and Kustomize patches", () => {
    expect(runFixture(rule, "valid-workloads.yaml")).toEqual([]);
  });
});
