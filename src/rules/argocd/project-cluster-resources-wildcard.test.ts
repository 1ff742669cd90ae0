import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import rule from "./project-cluster-resources-wildcard.js";

describe("argocd/project-cluster-resources-wildcard", () => {
  it("flags `kind: '*'` whatever the group, at the kind value", () => {
    const findings = runFixture(rule, "invalid-any-kind.yaml");
    expect(positions(findings)).toEqual([
      { line: 11, column: 13, path: "spec.clusterResourceWhitelist[1].kind", severity: "high" },
      { line: 19, column: 60, path: "spec.clusterResourceWhitelist[0].kind", severity: "high" },
      { line: 19, column: 73, path: "spec.clusterResourceWhitelist[1].kind", severity: "high" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'AppProject "platform" clusterResourceWhitelist allows every cluster-scoped kind of any group.',
      'AppProject "storage" clusterResourceWhitelist allows every cluster-scoped kind of group "storage.k8s.io".',
      'AppProject "storage" clusterResourceWhitelist allows every cluster-scoped kind of the core group.',
    ]);
  });

  it("passes named kinds, blacklists and namespaced allow-lists", () => {
    expect(runFixture(rule, "valid-named-kinds.yaml")).toEqual([]);
  });

  it("honours clusterResourceBlacklist as Argo CD does: whitelisted and not blacklisted (held-out round 21)", () => {
    const project = (white: string, black: string[]): string =>
      ["apiVersion: argoproj.io/v1alpha1", "kind: AppProject", "metadata: {name: team, namespace: argocd}", "spec:", "  clusterResourceWhitelist:", `    - ${white}`, "  clusterResourceBlacklist:", ...black.map((b) => `    - ${b}`), ""].join("\n");
    // Everything the entry allows is taken away again: nothing is allowed.
    expect(runRule(rule, project("{group: '*', kind: '*'}", ["{group: '*', kind: '*'}"]))).toEqual([]);
    expect(runRule(rule, project("{group: storage.k8s.io, kind: '*'}", ["{group: 'storage.*', kind: '*'}"]))).toEqual([]);
    // Part of it is: still reported, naming what the blacklist removes.
    const partly = runRule(rule, project("{group: '*', kind: '*'}", ["{group: rbac.authorization.k8s.io, kind: '*'}", "{group: '', kind: Namespace}"]));
    expect(partly.map((f) => [f.line, f.message])).toEqual([
      [6, 'AppProject "team" clusterResourceWhitelist allows every cluster-scoped kind of any group but those clusterResourceBlacklist removes (rbac.authorization.k8s.io/*).'],
    ]);
    // A blacklist of one group does not empty a wildcard group.
    expect(runRule(rule, project("{group: '*', kind: '*'}", ["{group: apps, kind: '*'}"])).length).toBe(1);
  });
});
