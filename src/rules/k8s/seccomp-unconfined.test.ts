import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import rule from "./seccomp-unconfined.js";

describe("k8s/seccomp-unconfined", () => {
  it("reports containers without a profile (low) at the container item, noting the ignored legacy annotation", () => {
    expect(positions(runFixture(rule, "invalid-not-set.yaml"))).toEqual([
      { line: 16, column: 11, path: "spec.template.spec.initContainers[0]", severity: "low" },
      { line: 19, column: 11, path: "spec.template.spec.containers[0]", severity: "low" },
      { line: 40, column: 15, path: "spec.jobTemplate.spec.template.spec.containers[0]", severity: "low" },
    ]);
  });

  it("reports Unconfined (high) once per offending node: pod, container or legacy annotation", () => {
    expect(positions(runFixture(rule, "invalid-unconfined.yaml"))).toEqual([
      { line: 15, column: 17, path: "spec.template.spec.securityContext.seccompProfile.type", severity: "high" },
      { line: 50, column: 25, path: "spec.jobTemplate.spec.template.spec.containers[0].securityContext.seccompProfile.type", severity: "high" },
      { line: 64, column: 51, path: "spec.template.metadata.annotations[\"seccomp.security.alpha.kubernetes.io/pod\"]", severity: "high" },
      { line: 65, column: 61, path: "spec.template.metadata.annotations[\"container.seccomp.security.alpha.kubernetes.io/web\"]", severity: "high" },
    ]);
  });

  it("passes RuntimeDefault/Localhost at either level, templated types, Windows pods, patches and non-workloads", () => {
    expect(runFixture(rule, "valid-workloads.yaml")).toEqual([]);
  });

  it("reports a container whose own profile is unset under a pod-level Unconfined only once, at the pod", () => {
    const findings = runFixture(rule, "invalid-unconfined.yaml");
    expect(findings.filter((f) => f.path.startsWith("spec.template.spec.")).map((f) => f.path)).toEqual([
      "spec.template.spec.securityContext.seccompProfile.type",
    ]);
  });

  describe("a privileged container (always seccomp Unconfined, whatever it asks for)", () => {
    const daemonSet = (securityContext: string) =>
      [
        "apiVersion: apps/v1",
        "kind: DaemonSet",
        "metadata: {name: agent, namespace: security}",
        "spec:",
        "  selector: {matchLabels: {app: agent}}",
        "  template:",
        "    metadata: {labels: {app: agent}}",
        "    spec:",
        "      containers:",
        "        - name: agent",
        "          image: wazuh/wazuh-agent:4.14.2",
        `          securityContext: ${securityContext}`,
        "        - name: exporter",
        "          image: registry.example.com/exporter:1.0.0",
        "",
      ].join("\n");

    it("leaves its missing profile to k8s/privileged-container, and still reports its unprivileged neighbour", () => {
      expect(positions(runRule(rule, daemonSet("{privileged: true, readOnlyRootFilesystem: true}")))).toEqual([
        { line: 13, column: 11, path: "spec.template.spec.containers[1]", severity: "low" },
      ]);
    });

    it("reports the same container once it is not privileged, with or without added capabilities", () => {
      for (const sc of ["{privileged: false}", "{capabilities: {add: [SYS_ADMIN]}}"]) {
        expect(positions(runRule(rule, daemonSet(sc)))).toEqual([
          { line: 10, column: 11, path: "spec.template.spec.containers[0]", severity: "low" },
          { line: 13, column: 11, path: "spec.template.spec.containers[1]", severity: "low" },
        ]);
      }
    });

    it("still reports an explicit Unconfined on it (high): written in the manifest, it outlives privileged", () => {
      expect(positions(runRule(rule, daemonSet("{privileged: true, seccompProfile: {type: Unconfined}}")))).toEqual([
        { line: 12, column: 70, path: "spec.template.spec.containers[0].securityContext.seccompProfile.type", severity: "high" },
        { line: 13, column: 11, path: "spec.template.spec.containers[1]", severity: "low" },
      ]);
    });
  });
});
