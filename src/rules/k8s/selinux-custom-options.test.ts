import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./selinux-custom-options.js";

describe("k8s/selinux-custom-options", () => {
  it("flags custom types, users and roles at pod and container level", () => {
    expect(positions(runFixture(rule, "invalid-workloads.yaml"))).toEqual([
      { line: 14, column: 17, path: "spec.template.spec.securityContext.seLinuxOptions.type", severity: "medium" },
      { line: 20, column: 21, path: "spec.template.spec.containers[0].securityContext.seLinuxOptions.user", severity: "medium" },
      { line: 21, column: 21, path: "spec.template.spec.containers[0].securityContext.seLinuxOptions.role", severity: "medium" },
      { line: 40, column: 25, path: "spec.jobTemplate.spec.template.spec.containers[0].securityContext.seLinuxOptions.type", severity: "medium" },
      { line: 58, column: 21, path: "spec.template.spec.initContainers[0].securityContext.seLinuxOptions.type", severity: "medium" },
    ]);
  });

  it("passes the allowed types, level, empty user, templated types and non-workloads", () => {
    expect(runFixture(rule, "valid-workloads.yaml")).toEqual([]);
  });
});
