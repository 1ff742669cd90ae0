import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./unsafe-proc-mount.js";

describe("k8s/unsafe-proc-mount", () => {
  it("flags Unmasked at the value, medium in a user-namespaced pod", () => {
    expect(positions(runFixture(rule, "invalid-workloads.yaml"))).toEqual([
      { line: 16, column: 24, path: "spec.template.spec.initContainers[0].securityContext.procMount", severity: "high" },
      { line: 38, column: 28, path: "spec.jobTemplate.spec.template.spec.containers[0].securityContext.procMount", severity: "high" },
      { line: 57, column: 24, path: "spec.template.spec.containers[0].securityContext.procMount", severity: "medium" },
    ]);
  });

  it("passes Default, templated values and non-workloads", () => {
    expect(runFixture(rule, "valid-workloads.yaml")).toEqual([]);
  });
});
