import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import controlPlane from "./project-destination-control-plane.js";
import rule from "./project-destination-wildcard.js";

describe("argocd/project-destination-wildcard", () => {
  it("flags each wildcard server, name and namespace at its value", () => {
    const findings = runFixture(rule, "invalid-destinations.yaml");
    expect(positions(findings)).toEqual([
      { line: 12, column: 15, path: "spec.destinations[1].server", severity: "high" },
      { line: 14, column: 13, path: "spec.destinations[2].name", severity: "high" },
      { line: 15, column: 18, path: "spec.destinations[2].namespace", severity: "high" },
      { line: 27, column: 16, path: "spec.destinations[0].server", severity: "high" },
      { line: 39, column: 18, path: "spec.destinations[0].namespace", severity: "high" },
    ]);
    expect(findings[0]!.message).toBe('AppProject "team-a" destination server "*" (namespace "team-a") allows every cluster registered in Argo CD.');
    expect(findings[4]!.resource.name).toBe("team-c");
  });

  it("reports an entry with both name '*' and server '*' once, at its first wildcard, naming both", () => {
    const yaml = "kind: AppProject\napiVersion: argoproj.io/v1alpha1\nmetadata: {name: apps}\nspec:\n  destinations:\n    - name: '*'\n      namespace: apps\n      server: '*'\n";
    const findings = runRule(rule, yaml);
    expect(positions(findings)).toEqual([{ line: 6, column: 13, path: "spec.destinations[0].name", severity: "high" }]);
    expect(findings[0]!.message).toBe('AppProject "apps" destination name "*" and server "*" (namespace "apps") allow every cluster registered in Argo CD.');
  });

  it("treats a negated field as 'anything but': reports the entry's '*' field, else its negated field", () => {
    const findings = runFixture(rule, "invalid-negated.yaml");
    expect(positions(findings)).toEqual([
      { line: 10, column: 15, path: "spec.destinations[0].server", severity: "high" },
      { line: 11, column: 18, path: "spec.destinations[1].namespace", severity: "high" },
      { line: 14, column: 15, path: "spec.destinations[2].server", severity: "high" },
      { line: 15, column: 18, path: "spec.destinations[3].namespace", severity: "high" },
      // `!*` matches nothing; an entry without server or name only denies; team-b's clusters are project-scoped.
      { line: 33, column: 18, path: "spec.destinations[1].namespace", severity: "high" },
    ]);
    expect(findings[2]!.message).toBe(
      'AppProject "team-a" destination server "!https://management.example.com" (namespace "team-a") allows every cluster registered in Argo CD except "https://management.example.com" (Argo CD reads "!x" as "anything but x").',
    );
    expect(findings[4]!.resource.name).toBe("team-b");
  });

  it("leaves a namespace pattern that reaches argocd or kube-system to project-destination-control-plane (one cause, one finding)", () => {
    const yaml = "kind: AppProject\napiVersion: argoproj.io/v1alpha1\nmetadata: {name: team-a}\nspec:\n  destinations:\n    - server: https://kubernetes.default.svc\n      namespace: '*'\n";
    const at = { line: 7, column: 18, path: "spec.destinations[0].namespace" };
    expect(runRule(rule, yaml)).toEqual([]);
    expect(positions(runRule(controlPlane, yaml))).toEqual([{ ...at, severity: "critical" }]);
    // Denying both control-plane namespaces leaves a plain wildcard namespace: now it is this rule's finding.
    const denied = `${yaml}    - namespace: '!argocd'\n    - namespace: '!kube-system'\n`;
    expect(runRule(controlPlane, denied)).toEqual([]);
    expect(positions(runRule(rule, denied))).toEqual([{ ...at, severity: "high" }]);
    // With another Argo CD namespace configured, "argocd" is an ordinary namespace.
    const gitops = { argocd: { namespace: "gitops" } };
    expect(positions(runRule(rule, `${yaml}    - namespace: '!gitops'\n    - namespace: '!kube-system'\n`, { config: gitops }))).toEqual([{ ...at, severity: "high" }]);
  });

  it("leaves a negated entry that another entry already covers to that entry (Argo CD's deny pattern)", () => {
    const dest = (ns: string, server = "https://kubernetes.default.svc"): string => `    - namespace: '${ns}'\n      server: ${server}\n`;
    const project = (...entries: string[]): string => `kind: AppProject\napiVersion: argoproj.io/v1alpha1\nmetadata: {name: apps}\nspec:\n  destinations:\n${entries.join("")}`;
    // The denies keep the control plane out of '*', which is the one finding; the '!' entries only deny.
    const denyPattern = project(dest("!kube-system"), dest("!argocd"), dest("*"));
    expect(positions(runRule(rule, denyPattern))).toEqual([{ line: 10, column: 18, path: "spec.destinations[2].namespace", severity: "high" }]);
    expect(runRule(controlPlane, denyPattern)).toEqual([]);
    // A '*' on another cluster does not cover them: each still allows every other namespace of its own cluster.
    const elsewhere = project(dest("!kube-system"), dest("!argocd"), dest("*", "https://staging.example.com"));
    expect(positions(runRule(rule, elsewhere)).map((p) => p.path)).toEqual(["spec.destinations[0].namespace", "spec.destinations[1].namespace", "spec.destinations[2].namespace"]);
  });

  it("passes scoped destinations, deny-only entries, project-scoped clusters and Applications", () => {
    expect(runFixture(rule, "valid-scoped.yaml")).toEqual([]);
  });
});
