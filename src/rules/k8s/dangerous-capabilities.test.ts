import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./dangerous-capabilities.js";

describe("k8s/dangerous-capabilities", () => {
  it("flags each added capability outside the baseline set, any spelling, and ALL", () => {
    expect(positions(runFixture(rule, "invalid-workloads.yaml"))).toEqual([
      { line: 17, column: 21, path: "spec.template.spec.initContainers[0].securityContext.capabilities.add[0]", severity: "high" },
      { line: 26, column: 19, path: "spec.template.spec.containers[0].securityContext.capabilities.add[1]", severity: "high" },
      { line: 27, column: 19, path: "spec.template.spec.containers[0].securityContext.capabilities.add[2]", severity: "high" },
      { line: 28, column: 19, path: "spec.template.spec.containers[0].securityContext.capabilities.add[3]", severity: "high" },
      { line: 46, column: 25, path: "spec.jobTemplate.spec.template.spec.containers[0].securityContext.capabilities.add[0]", severity: "high" },
      { line: 64, column: 21, path: "spec.template.spec.containers[0].securityContext.capabilities.add[0]", severity: "high" },
    ]);
  });

  it("passes the baseline set in any spelling, templated names and non-workloads", () => {
    expect(runFixture(rule, "valid-workloads.yaml")).toEqual([]);
  });
});
