import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
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
});
