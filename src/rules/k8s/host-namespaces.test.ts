import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./host-namespaces.js";

describe("k8s/host-namespaces", () => {
  it("flags each host namespace at its true value in Pod, CronJob and Rollout pod specs", () => {
    expect(positions(runFixture(rule, "invalid-workloads.yaml"))).toEqual([
      { line: 6, column: 12, path: "spec.hostPID", severity: "high" },
      { line: 7, column: 12, path: "spec.hostIPC", severity: "high" },
      { line: 8, column: 16, path: "spec.hostNetwork", severity: "high" },
      { line: 23, column: 24, path: "spec.jobTemplate.spec.template.spec.hostNetwork", severity: "high" },
      { line: 40, column: 16, path: "spec.template.spec.hostPID", severity: "high" },
    ]);
  });

  it("passes false, templated values, non-workloads and Rollouts without a template", () => {
    expect(runFixture(rule, "valid-workloads.yaml")).toEqual([]);
  });
});
