import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./apparmor-unconfined.js";

describe("k8s/apparmor-unconfined", () => {
  it("flags the unconfined annotation and Unconfined at pod or container level, once per node", () => {
    expect(positions(runFixture(rule, "invalid-workloads.yaml"))).toEqual([
      { line: 12, column: 61, path: "spec.template.metadata.annotations[\"container.apparmor.security.beta.kubernetes.io/api\"]", severity: "medium" },
      { line: 34, column: 21, path: "spec.jobTemplate.spec.template.spec.securityContext.appArmorProfile.type", severity: "medium" },
      { line: 57, column: 21, path: "spec.template.spec.initContainers[0].securityContext.appArmorProfile.type", severity: "medium" },
    ]);
  });

  it("passes RuntimeDefault, Localhost, localhost/ annotations and non-workloads", () => {
    expect(runFixture(rule, "valid-workloads.yaml")).toEqual([]);
  });
});
