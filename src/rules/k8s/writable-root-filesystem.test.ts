import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./writable-root-filesystem.js";

describe("k8s/writable-root-filesystem", () => {
  it("flags false at the value and unset at the container", () => {
    expect(positions(runFixture(rule, "invalid-workloads.yaml"))).toEqual([
      { line: 16, column: 37, path: "spec.template.spec.initContainers[0].securityContext.readOnlyRootFilesystem", severity: "low" },
      { line: 18, column: 11, path: "spec.template.spec.containers[0]", severity: "low" },
      { line: 39, column: 15, path: "spec.jobTemplate.spec.template.spec.containers[0]", severity: "low" },
      { line: 57, column: 37, path: "spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem", severity: "low" },
    ]);
  });

  it("passes true, templated values, Windows pods, kustomize patches and non-workloads", () => {
    expect(runFixture(rule, "valid-workloads.yaml")).toEqual([]);
  });
});
