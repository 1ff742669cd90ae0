import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
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

  it("tells a DaemonSet (a node agent may need the namespace) how to keep it scoped, and others to remove it", () => {
    const yaml = (kind: string) =>
      [`apiVersion: apps/v1`, `kind: ${kind}`, "metadata: {name: node-exporter}", "spec:", "  template:", "    spec:", "      hostPID: true", "      containers: [{name: e, image: quay.io/prometheus/node-exporter:v1.8.2}]", ""].join("\n");
    expect(runRule(rule, yaml("DaemonSet"))[0]?.fix).toMatch(/^Remove `hostPID: true` from the pod spec; if this is a node agent that needs it .* waive the finding with that reason\.$/);
    expect(runRule(rule, yaml("Deployment"))[0]?.fix).toBe("Remove `hostPID: true` from the pod spec.");
  });

  it("passes false, templated values, non-workloads and Rollouts without a template", () => {
    expect(runFixture(rule, "valid-workloads.yaml")).toEqual([]);
  });
});
