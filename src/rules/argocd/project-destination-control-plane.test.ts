import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import rule from "./project-destination-control-plane.js";

const gitops = { argocd: { namespace: "gitops" } };

describe("argocd/project-destination-control-plane", () => {
  it("flags namespace patterns that reach argocd or kube-system, unless a deny entry blocks them", () => {
    const findings = runFixture(rule, "invalid-control-plane.yaml");
    expect(positions(findings)).toEqual([
      { line: 11, column: 18, path: "spec.destinations[1].namespace", severity: "critical" },
      { line: 13, column: 18, path: "spec.destinations[2].namespace", severity: "critical" },
      { line: 23, column: 32, path: "spec.destinations[0].namespace", severity: "critical" },
      { line: 24, column: 32, path: "spec.destinations[1].namespace", severity: "critical" },
      { line: 34, column: 18, path: "spec.destinations[0].namespace", severity: "critical" },
    ]);
    expect(findings[0]!.message).toBe('AppProject "team-a" can deploy into the "argocd" namespace, which amounts to admin access to Argo CD itself.');
    // team-b denies kube-system: only argocd is left.
    expect(findings[2]!.message).toContain('"argocd" namespace through pattern "*"');
    // "!kube-system" is "anything but kube-system" in Argo CD: the entry itself reaches argocd.
    expect(findings[3]!.message).toBe('AppProject "team-b" can deploy into the "argocd" namespace through pattern "!kube-system", which amounts to admin access to Argo CD itself.');
    expect(findings[4]!.message).toContain('"argocd" and "kube-system" namespaces');
  });

  it("follows Argo CD's negation semantics (the docs' destinations example)", () => {
    const yaml = [
      "apiVersion: argoproj.io/v1alpha1",
      "kind: AppProject",
      "metadata:",
      "  name: team-a",
      "spec:",
      "  destinations:",
      "    - namespace: '!kube-system'",
      "      server: '*'",
      "    - namespace: '*'",
      "      server: '!https://team1-*'",
      "    - namespace: '!argocd'",
      "",
    ].join("\n");
    // Entry 3 has no server or name: it allows nothing, but its deny keeps argocd out of every other entry.
    expect(runRule(rule, yaml)).toEqual([]);
    const withoutDeny = yaml.replace("    - namespace: '!argocd'\n", "");
    expect(positions(runRule(rule, withoutDeny))).toEqual([
      { line: 7, column: 18, path: "spec.destinations[0].namespace", severity: "critical" },
      { line: 9, column: 18, path: "spec.destinations[1].namespace", severity: "critical" },
    ]);
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
