import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
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
  describe("a binding to a role of the same file that grants everything (held-out round 18)", () => {
    const role = (kind: string, rules: string, namespace = "") =>
      [`apiVersion: rbac.authorization.k8s.io/v1`, `kind: ${kind}`, `metadata: {name: admin-clusterrole${namespace}}`, "rules:", `  - ${rules}`].join("\n");
    const binding = (kind: string, roleKind: string, namespace = "") =>
      [
        "apiVersion: rbac.authorization.k8s.io/v1", // 1
        `kind: ${kind}`, // 2
        `metadata: {name: developers-admin${namespace}}`, // 3
        "roleRef:", // 4
        "  apiGroup: rbac.authorization.k8s.io", // 5
        `  kind: ${roleKind}`, // 6
        "  name: admin-clusterrole", // 7
        "subjects:", // 8
        "  - {kind: Group, name: developers, apiGroup: rbac.authorization.k8s.io}", // 9
      ].join("\n");
    const EVERYTHING = '{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}';

    it("reports it critical at roleRef.name, as cluster-admin", () => {
      const findings = runRule(rule, `${binding("ClusterRoleBinding", "ClusterRole")}\n---\n${role("ClusterRole", EVERYTHING)}\n`);
      expect(findings.map((f) => [f.ruleId, f.line, f.column, f.severity, f.path])).toEqual([["rbac/cluster-admin-binding", 7, 9, "critical", "roleRef.name"]]);
      expect(findings[0]!.message).toBe(
        'ClusterRoleBinding "developers-admin" grants ClusterRole "admin-clusterrole" to Group developers: it allows every verb on every resource of every API group, as cluster-admin does.',
      );
      expect(findings[0]!.fix).toMatch(/^Narrow ClusterRole "admin-clusterrole"'s rules/);
    });

    it("a RoleBinding to such a Role of its namespace: full control of the namespace", () => {
      const ns = ", namespace: shop";
      const findings = runRule(rule, `${role("Role", EVERYTHING, ns)}\n---\n${binding("RoleBinding", "Role", ns)}\n`);
      expect(findings.map((f) => [f.line, f.message])).toEqual([
        [13, 'RoleBinding "developers-admin" grants Role "admin-clusterrole" to Group developers (full control of the namespace): it allows every verb on every resource of every API group, as cluster-admin does.'],
      ]);
      // A Role of another namespace is another role.
      expect(runRule(rule, `${role("Role", EVERYTHING, ", namespace: other")}\n---\n${binding("RoleBinding", "Role", ns)}\n`)).toEqual([]);
    });

    it("not when the role grants less (a named resource, one verb, one group), is another kind, or is not in the file", () => {
      for (const rules of [
        '{apiGroups: ["*"], resources: ["*"], verbs: ["get", "list"]}',
        '{apiGroups: [""], resources: ["*"], verbs: ["*"]}',
        '{apiGroups: ["*"], resources: ["*"], verbs: ["*"], resourceNames: ["one"]}',
      ]) {
        expect(runRule(rule, `${binding("ClusterRoleBinding", "ClusterRole")}\n---\n${role("ClusterRole", rules)}\n`)).toEqual([]);
      }
      expect(runRule(rule, `${binding("ClusterRoleBinding", "ClusterRole")}\n---\n${role("Role", EVERYTHING)}\n`)).toEqual([]);
      expect(runRule(rule, `${binding("ClusterRoleBinding", "ClusterRole")}\n`)).toEqual([]);
    });
  });
});
