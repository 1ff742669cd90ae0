import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
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
});
