import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
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
});
