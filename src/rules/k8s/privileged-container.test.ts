import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./privileged-container.js";

describe("k8s/privileged-container", () => {
  it("flags each privileged container at the `true` value", () => {
    expect(positions(runFixture(rule, "invalid-deployment.yaml"))).toEqual([
      { line: 13, column: 25, path: "spec.template.spec.initContainers[0].securityContext.privileged", severity: "critical" },
      { line: 18, column: 25, path: "spec.template.spec.containers[0].securityContext.privileged", severity: "critical" },
    ]);
  });

  it("passes unprivileged containers and non-workloads", () => {
    expect(runFixture(rule, "valid-deployment.yaml")).toEqual([]);
  });
});
