import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./pod-exec.js";

describe("rbac/pod-exec", () => {
  it("flags create, get and * on pods/exec, pods/attach and pods/*, and on nodes/proxy and nodes/* of a ClusterRole, at the resource entry", () => {
    const findings = runFixture(rule, "invalid-roles.yaml");
    expect(positions(findings)).toEqual([
      { line: 8, column: 25, path: "rules[0].resources[1]", severity: "medium" },
      { line: 8, column: 38, path: "rules[0].resources[2]", severity: "medium" },
      { line: 19, column: 9, path: "rules[0].resources[0]", severity: "medium" },
      { line: 23, column: 17, path: "rules[1].resources[0]", severity: "medium" },
      { line: 33, column: 26, path: "rules[0].resources[1]", severity: "medium" },
      { line: 36, column: 17, path: "rules[1].resources[0]", severity: "medium" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'Role "debugger" rules[0] allows create on pods/exec: it can run commands in pods.',
      'Role "debugger" rules[0] allows create on pods/attach: it can attach to running containers.',
      'ClusterRole "ui" rules[0] allows get on pods/exec, which is enough to run commands in pods over WebSocket on clusters before Kubernetes v1.35.',
      'ClusterRole "ui" rules[1] allows every verb on every pod subresource, exec and attach included: it can run commands in pods.',
      'ClusterRole "node-agent" rules[0] allows get on nodes/proxy: through the kubelet API it can run commands in every pod on every node (get is enough: the kubelet\'s exec endpoint takes WebSocket GET requests).',
      'ClusterRole "node-agent" rules[1] allows create on every node subresource, proxy included: through the kubelet API it can run commands in every pod on the nodes it names.',
    ]);
    expect(findings[4]?.fix).toMatch(/^Drop `nodes\/proxy` from the role/);
  });

  it("passes pods/log, the kubelet's metrics subresources, other API groups, list/watch on pods/exec and nodes/proxy, and nodes/proxy in a Role", () => {
    expect(runFixture(rule, "valid-roles.yaml")).toEqual([]);
  });
});
