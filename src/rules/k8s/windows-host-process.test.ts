import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./windows-host-process.js";

describe("k8s/windows-host-process", () => {
  it("flags hostProcess true at pod or container level, once per node", () => {
    expect(positions(runFixture(rule, "invalid-workloads.yaml"))).toEqual([
      { line: 17, column: 24, path: "spec.template.spec.securityContext.windowsOptions.hostProcess", severity: "high" },
      { line: 42, column: 32, path: "spec.jobTemplate.spec.template.spec.containers[0].securityContext.windowsOptions.hostProcess", severity: "high" },
      { line: 63, column: 28, path: "spec.template.spec.initContainers[0].securityContext.windowsOptions.hostProcess", severity: "high" },
      { line: 69, column: 28, path: "spec.template.spec.containers[0].securityContext.windowsOptions.hostProcess", severity: "high" },
    ]);
  });

  it("passes hostProcess false and non-workloads", () => {
    expect(runFixture(rule, "valid-workloads.yaml")).toEqual([]);
  });
});
