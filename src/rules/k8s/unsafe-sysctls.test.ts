import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./unsafe-sysctls.js";

describe("k8s/unsafe-sysctls", () => {
  it("flags each sysctl outside the safe set at its name, slash-separated names included", () => {
    expect(positions(runFixture(rule, "invalid-workloads.yaml"))).toEqual([
      { line: 17, column: 19, path: "spec.template.spec.securityContext.sysctls[1].name", severity: "high" },
      { line: 19, column: 19, path: "spec.template.spec.securityContext.sysctls[2].name", severity: "high" },
      { line: 38, column: 23, path: "spec.jobTemplate.spec.template.spec.securityContext.sysctls[0].name", severity: "high" },
      { line: 57, column: 19, path: "spec.template.spec.securityContext.sysctls[0].name", severity: "high" },
    ]);
  });

  it("passes the safe set (dots or slashes), templated names and non-workloads", () => {
    expect(runFixture(rule, "valid-workloads.yaml")).toEqual([]);
  });

  it("options.allowedSysctls: names and prefix* patterns the nodes allow pass (slashes read as dots)", () => {
    const config = { rules: { "k8s/unsafe-sysctls": { options: { allowedSysctls: ["kernel.msgmax", "net.core.*"] } } } };
    const paths = positions(runFixture(rule, "invalid-workloads.yaml", { config })).map((p) => p.line);
    expect(paths).toEqual([38, 57]);
  });
});
