import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import rule from "./privilege-escalation.js";

describe("k8s/privilege-escalation", () => {
  it("flags true (high) at the value, and unset (medium) at the container", () => {
    expect(positions(runFixture(rule, "invalid-workloads.yaml"))).toEqual([
      { line: 16, column: 39, path: "spec.template.spec.initContainers[0].securityContext.allowPrivilegeEscalation", severity: "high" },
      { line: 44, column: 43, path: "spec.jobTemplate.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation", severity: "high" },
      { line: 18, column: 11, path: "spec.template.spec.containers[0]", severity: "medium" },
      { line: 22, column: 11, path: "spec.template.spec.containers[1]", severity: "medium" },
      { line: 58, column: 11, path: "spec.template.spec.containers[0]", severity: "medium" },
      { line: 61, column: 11, path: "spec.template.spec.ephemeralContainers[0]", severity: "medium" },
    ]);
  });

  it("leaves privileged containers to k8s/privileged-container (one cause, one finding)", () => {
    const findings = runFixture(rule, "invalid-workloads.yaml");
    expect(findings.filter((f) => f.path.includes("containers[2]") && f.line >= 23 && f.line <= 27)).toEqual([]);
  });

  it("passes false, templated values, Windows pods, kustomize patches and non-workloads", () => {
    expect(runFixture(rule, "valid-workloads.yaml")).toEqual([]);
  });

  it("tells the author what to add", () => {
    const [first] = runFixture(rule, "invalid-workloads.yaml").filter((f) => f.severity === "medium");
    expect(first?.message).toBe(
      'Container "api" of Deployment "api" does not set allowPrivilegeEscalation: false; add it to the container\'s securityContext.',
    );
  });

  describe("an old-API workload without spec.selector (the API defaults it from the template's labels)", () => {
    const workload = (apiVersion: string, kind: string, labels = true) =>
      [
        `apiVersion: ${apiVersion}`,
        `kind: ${kind}`,
        "metadata: {name: dex}",
        "spec:",
        "  template:",
        ...(labels ? ["    metadata:", "      labels: {app: dex}"] : []),
        "    spec:",
        "      containers:",
        "        - name: dex",
        "          image: ghcr.io/dexidp/dex:v2.41.1",
        "",
      ].join("\n");
    const path = "spec.template.spec.containers[0]";

    it("is a whole object: extensions/v1beta1 Deployment, DaemonSet, ReplicaSet and apps/v1beta1 Deployment, StatefulSet", () => {
      for (const [apiVersion, kind] of [
        ["extensions/v1beta1", "Deployment"],
        ["extensions/v1beta1", "DaemonSet"],
        ["extensions/v1beta1", "ReplicaSet"],
        ["apps/v1beta1", "Deployment"],
        ["apps/v1beta1", "StatefulSet"],
      ] as const) {
        expect([apiVersion, kind, positions(runRule(rule, workload(apiVersion, kind)))]).toEqual([apiVersion, kind, [{ line: 10, column: 11, path, severity: "medium" }]]);
      }
    });

    it("stays a fragment where nothing is defaulted: apps/v1beta2 and apps/v1 require the selector, and no template labels", () => {
      expect(runRule(rule, workload("apps/v1beta2", "Deployment"))).toEqual([]);
      expect(runRule(rule, workload("apps/v1", "Deployment"))).toEqual([]);
      expect(runRule(rule, workload("extensions/v1beta1", "Deployment", false))).toEqual([]);
    });
  });
});
