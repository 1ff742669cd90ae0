import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./pod-exec.js";

describe("rbac/pod-exec", () => {
  it("flags create, get and * on pods/exec, pods/attach and pods/* at the resource entry", () => {
    const findings = runFixture(rule, "invalid-roles.yaml");
    expect(positions(findings)).toEqual([
      { line: 8, column: 25, path: "rules[0].resources[1]", severity: "medium" },
      { line: 8, column: 38, path: "rules[0].resources[2]", severity: "medium" },
      { line: 19, column: 9, path: "rules[0].resources[0]", severity: "medium" },
      { line: 23, column: 17, path: "rules[1].resources[0]", severity: "medium" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'Role "debugger" rules[0] allows create on pods/exec: it can run commands in pods.',
      'Role "debugger" rules[0] allows create on pods/attach: it can attach to running containers.',
      'ClusterRole "ui" rules[0] allows get on pods/exec, which is enough to run commands in pods over WebSocket on clusters before Kubernetes v1.35.',
      'ClusterRole "ui" rules[1] allows every verb on every pod subresource, exec and attach included: it can run commands in pods.',
    ]);
  });

  it("passes pods/log, other API groups and list/watch on pods/exec", () => {
    expect(runFixture(rule, "valid-roles.yaml")).toEqual([]);
  });
});
