import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./cluster-admin-binding.js";

describe("rbac/cluster-admin-binding", () => {
  it("flags bindings to the cluster-admin ClusterRole at roleRef.name and system:masters subjects at their name", () => {
    const findings = runFixture(rule, "invalid-bindings.yaml");
    expect(positions(findings)).toEqual([
      { line: 8, column: 9, path: "roleRef.name", severity: "critical" },
      { line: 22, column: 9, path: "roleRef.name", severity: "critical" },
      { line: 41, column: 11, path: "subjects[1].name", severity: "critical" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'ClusterRoleBinding "ci-admin" grants cluster-admin to ServiceAccount ci.',
      'RoleBinding "team-admin" grants cluster-admin to Group shop-devs (full control of the namespace).',
      'ClusterRoleBinding "masters" binds the group system:masters, which bypasses RBAC entirely.',
    ]);
  });

  it("passes other roles, a namespaced Role named cluster-admin, and a User (not Group) named system:masters", () => {
    expect(runFixture(rule, "valid-bindings.yaml")).toEqual([]);
  });
});
