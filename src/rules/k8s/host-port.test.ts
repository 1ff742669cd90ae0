import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./host-port.js";

describe("k8s/host-port", () => {
  it("flags each non-zero hostPort of containers, init and ephemeral containers", () => {
    expect(positions(runFixture(rule, "invalid-workloads.yaml"))).toEqual([
      { line: 17, column: 25, path: "spec.template.spec.initContainers[0].ports[0].hostPort", severity: "medium" },
      { line: 24, column: 25, path: "spec.template.spec.containers[0].ports[1].hostPort", severity: "medium" },
      { line: 42, column: 29, path: "spec.jobTemplate.spec.template.spec.containers[0].ports[0].hostPort", severity: "medium" },
      { line: 60, column: 25, path: "spec.template.spec.ephemeralContainers[0].ports[0].hostPort", severity: "medium" },
    ]);
  });

  it("passes hostPort 0, ports without hostPort and non-workloads", () => {
    expect(runFixture(rule, "valid-workloads.yaml")).toEqual([]);
  });
});
