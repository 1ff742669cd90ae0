import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
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

  it("calls a native sidecar (an init container with restartPolicy: Always) a sidecar container, as the other rules do", () => {
    const pod = [
      "apiVersion: v1",
      "kind: Pod",
      "metadata: {name: p, namespace: x}",
      "spec:",
      "  containers:",
      "    - name: main",
      "      image: nginx:1.27.3",
      "      resources: {requests: {cpu: 10m, memory: 10Mi}, limits: {memory: 20Mi}}",
      "  initContainers:",
      "    - name: proxy",
      "      image: envoyproxy/envoy:v1.31.2",
      "      restartPolicy: Always",
      "    - name: setup",
      "      image: busybox:1.37.0",
      "",
    ].join("\n");
    expect(runRule(rule, pod).map((f) => [f.line, f.message])).toEqual([
      [10, 'Sidecar container "proxy" in Pod "p" has no memory limit, CPU request or memory request.'],
      [13, 'Init container "setup" in Pod "p" has no memory limit, CPU request or memory request.'],
    ]);
  });
});
