import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./project-destination-control-plane.js";

const gitops = { argocd: { namespace: "gitops" } };

describe("argocd/project-destination-control-plane", () => {
  it("flags namespace patterns that reach argocd or kube-system, unless a deny entry blocks them", () => {
    const findings = runFixture(rule, "invalid-control-plane.yaml");
    expect(positions(findings)).toEqual([
      { line: 11, column: 18, path: "spec.destinations[1].namespace", severity: "critical" },
      { line: 13, column: 18, path: "spec.destinations[2].namespace", severity: "critical" },
      { line: 23, column: 32, path: "spec.destinations[0].namespace", severity: "critical" },
      { line: 34, column: 18, path: "spec.destinations[0].namespace", severity: "critical" },
    ]);
    expect(findings[0]!.message).toBe('AppProject "team-a" can deploy into the "argocd" namespace, which amounts to admin access to Argo CD itself.');
    // team-b denies kube-system: only argocd is left.
    expect(findings[2]!.message).toContain('"argocd" namespace through pattern "*"');
    expect(findings[3]!.message).toContain('"argocd" and "kube-system" namespaces');
  });

  it("uses the configured Argo CD namespace", () => {
    expect(positions(runFixture(rule, "invalid-custom-namespace.yaml", { config: gitops }))).toEqual([
      { line: 12, column: 18, path: "spec.destinations[1].namespace", severity: "critical" },
    ]);
    // With the default namespace, the literal "argocd" destination is the finding instead.
    expect(positions(runFixture(rule, "invalid-custom-namespace.yaml"))).toEqual([
      { line: 10, column: 18, path: "spec.destinations[0].namespace", severity: "critical" },
    ]);
  });

  it("passes team namespaces, deny-guarded wildcards and namespace-less destinations", () => {
    expect(runFixture(rule, "valid-team-namespaces.yaml", { config: gitops })).toEqual([]);
  });
});
