import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import rule from "./capabilities-not-dropped.js";

describe("k8s/capabilities-not-dropped", () => {
  it("points at drop, capabilities or the container, whichever is the most specific node", () => {
    expect(positions(runFixture(rule, "invalid-workloads.yaml"))).toEqual([
      { line: 13, column: 11, path: "spec.template.spec.initContainers[0]", severity: "low" },
      { line: 20, column: 15, path: "spec.template.spec.containers[0].securityContext.capabilities.drop", severity: "low" },
      { line: 24, column: 13, path: "spec.template.spec.containers[1].securityContext.capabilities", severity: "low" },
      { line: 30, column: 22, path: "spec.template.spec.containers[2].securityContext.capabilities.drop[0]", severity: "low" },
      { line: 44, column: 15, path: "spec.jobTemplate.spec.template.spec.containers[0]", severity: "low" },
      { line: 67, column: 11, path: "spec.template.spec.ephemeralContainers[0]", severity: "low" },
    ]);
  });

  it("passes drop ALL, templated lists, Windows pods, kustomize patches and non-workloads", () => {
    expect(runFixture(rule, "valid-workloads.yaml")).toEqual([]);
  });

  it("explains the lower-case spelling", () => {
    expect(runFixture(rule, "invalid-workloads.yaml")[3]?.message).toBe(
      'Container "lower" of Deployment "api" drops "all", but Pod Security admission only accepts "ALL" in upper case.',
    );
  });

  describe("a privileged container (every capability, whatever it drops)", () => {
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
        "",
      ].join("\n");

    it("is left to k8s/privileged-container, whether it drops nothing, too little or lower-case all", () => {
      expect(runRule(rule, daemonSet("{privileged: true, readOnlyRootFilesystem: true}"))).toEqual([]);
      expect(runRule(rule, daemonSet("{privileged: true, capabilities: {drop: [NET_RAW]}}"))).toEqual([]);
      expect(runRule(rule, daemonSet("{privileged: true, capabilities: {drop: [all]}}"))).toEqual([]);
    });

    it("is reported as soon as it is not privileged, with or without added capabilities", () => {
      for (const sc of ["{privileged: false}", "{readOnlyRootFilesystem: true}", "{capabilities: {add: [SYS_ADMIN]}}"]) {
        const findings = runRule(rule, daemonSet(sc));
        expect(findings.map((f) => f.message)).toEqual([
          'Container "agent" of DaemonSet "agent" does not drop ALL capabilities; add capabilities.drop: [ALL] to its securityContext.',
        ]);
        expect(findings[0]?.line).toBe(sc.includes("capabilities") ? 12 : 10);
      }
    });
  });
});
