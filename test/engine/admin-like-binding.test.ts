/**
 * A binding to a ClusterRole that grants everything, defined in the same Kustomize render, is judged like a binding to
 * cluster-admin (held-out round 18: a ClusterRoleBinding to an all-`*` ClusterRole passed without a finding).
 */
import { describe, expect, it } from "@jest/globals";
import { lines, reviewRepo, where, type Files } from "./kustomize-helpers.js";

const ROLE = lines(
  "apiVersion: rbac.authorization.k8s.io/v1",
  "kind: ClusterRole",
  "metadata: {name: admin-clusterrole}",
  "rules:",
  '  - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}',
);

const BINDING = lines(
  "apiVersion: rbac.authorization.k8s.io/v1", // 1
  "kind: ClusterRoleBinding", // 2
  "metadata: {name: developers-admin}", // 3
  "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin-clusterrole}", // 4
  "subjects:", // 5
  "  - {kind: Group, name: developers, apiGroup: rbac.authorization.k8s.io}", // 6
);

describe("a binding to a ClusterRole of the same render that grants everything", () => {
  it("is a new critical rbac/cluster-admin-binding at the binding's roleRef.name, the role in another file of the render", () => {
    const base: Files = { "platform/rbac/role.yaml": ROLE, "platform/rbac/kustomization.yaml": lines("resources:", "  - role.yaml") };
    const head: Files = { ...base, "platform/rbac/binding.yaml": BINDING, "platform/rbac/kustomization.yaml": lines("resources:", "  - role.yaml", "  - binding.yaml") };
    const r = reviewRepo(base, head);
    expect(where(r, "rbac/cluster-admin-binding")).toEqual(["rbac/cluster-admin-binding platform/rbac/binding.yaml:4:73 new"]);
    expect(r.findings.find((f) => f.ruleId === "rbac/cluster-admin-binding")!.severity).toBe("critical");
    expect(r.conclusion).toBe("failure");
  });

  it("a pull request that narrows the role makes the binding's finding fixed", () => {
    const base: Files = { "platform/rbac/role.yaml": ROLE, "platform/rbac/binding.yaml": BINDING, "platform/rbac/kustomization.yaml": lines("resources:", "  - role.yaml", "  - binding.yaml") };
    const head: Files = { ...base, "platform/rbac/role.yaml": ROLE.replace('verbs: ["*"]', 'verbs: ["get", "list", "watch"]') };
    expect(where(reviewRepo(base, head), "rbac/cluster-admin-binding")).toEqual(["rbac/cluster-admin-binding platform/rbac/binding.yaml:4:73 fixed"]);
  });
});
