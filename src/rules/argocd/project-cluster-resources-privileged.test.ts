import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./project-cluster-resources-privileged.js";

describe("argocd/project-cluster-resources-privileged", () => {
  it("flags entries whose group and kind (globs included) allow a privileged kind, minus the blacklist", () => {
    const findings = runFixture(rule, "invalid-rbac-crd-webhooks.yaml");
    expect(positions(findings)).toEqual([
      { line: 11, column: 13, path: "spec.clusterResourceWhitelist[1].kind", severity: "high" },
      { line: 13, column: 13, path: "spec.clusterResourceWhitelist[2].kind", severity: "high" },
      { line: 15, column: 13, path: "spec.clusterResourceWhitelist[3].kind", severity: "high" },
      { line: 24, column: 26, path: "spec.clusterResourceWhitelist[0].kind", severity: "high" },
    ]);
    expect(findings[2]!.message).toContain("allows MutatingWebhookConfiguration, ValidatingWebhookConfiguration, which");
    // `Cluster*` would allow ClusterRoleBinding too, but the blacklist removes it.
    expect(findings[3]!.message).toBe(
      'AppProject "monitoring" clusterResourceWhitelist allows ClusterRole, which lets the project\'s Applications take control of the whole cluster.',
    );
  });

  it("passes safe kinds, wrong groups, blacklisted kinds and `kind: '*'` (the wildcard rule's)", () => {
    expect(runFixture(rule, "valid-safe-kinds.yaml")).toEqual([]);
  });
});
