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
      { line: 34, column: 18, path: "spec.destinations[0].namespace", severity: "critical" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'AppProject "team-a" can deploy into the "argocd" namespace of the in-cluster API server, which amounts to admin access to Argo CD itself.',
      // A remote cluster: kube-system there is that cluster's control plane, not Argo CD.
      'AppProject "team-a" can deploy into the "kube-system" namespace (namespace pattern "kube-*") of cluster "prod-eu-1", which amounts to admin access to that cluster.',
      // team-b denies kube-system: only argocd is left.
      'AppProject "team-b" can deploy into the "argocd" namespace (namespace pattern "*") of every cluster registered in Argo CD, which amounts to admin access to Argo CD itself.',
      // "!kube-system" is "anything but kube-system" in Argo CD, but the '*' entry beside it already allows all that:
      // the deny entry is not reported again (see the next test).
      'AppProject "team-c" can deploy into the "argocd" and "kube-system" namespaces (namespace pattern "*") of the in-cluster API server, which amounts to admin access to Argo CD itself and to the cluster Argo CD runs in.',
    ]);
  });

  it("says what a remote cluster's namespaces give: its kube-system is that cluster's admin, its argocd namespace is not this Argo CD (high)", () => {
    const findings = runFixture(rule, "invalid-remote-clusters.yaml");
    expect(positions(findings)).toEqual([
      { line: 10, column: 18, path: "spec.destinations[0].namespace", severity: "critical" },
      { line: 12, column: 18, path: "spec.destinations[1].namespace", severity: "critical" },
      { line: 14, column: 18, path: "spec.destinations[2].namespace", severity: "critical" },
      { line: 16, column: 18, path: "spec.destinations[3].namespace", severity: "high" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'AppProject "fleet" can deploy into the "argocd" and "kube-system" namespaces (namespace pattern "*") of cluster "https://prod.example.com", which amounts to admin access to that cluster.',
      'AppProject "fleet" can deploy into the "kube-system" namespace of the clusters matching server "https://*.staging.example.com", which amounts to admin access to those clusters.',
      'AppProject "fleet" can deploy into the "argocd" and "kube-system" namespaces (namespace pattern "*") of the clusters matching server "https://kubernetes.*", the in-cluster API server included, which amounts to admin access to Argo CD itself and to those clusters.',
      'AppProject "fleet" can deploy into the "argocd" namespace of cluster "edge-1", which amounts to control of any Argo CD instance or agent installed there.',
    ]);
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

  it("reports the '*' entry, not a negated one it covers, when both reach the control plane", () => {
    const yaml = "kind: AppProject\napiVersion: argoproj.io/v1alpha1\nmetadata: {name: apps}\nspec:\n  destinations:\n    - {namespace: '!kube-system', server: https://kubernetes.default.svc}\n    - {namespace: '*', server: https://kubernetes.default.svc}\n";
    const findings = runRule(rule, yaml);
    expect(positions(findings)).toEqual([{ line: 7, column: 19, path: "spec.destinations[1].namespace", severity: "critical" }]);
    expect(findings[0]!.message).toContain('"argocd" namespace (namespace pattern "*")');
    // Alone, the negated entry allows every other namespace, argocd included.
    const alone = yaml.replace("    - {namespace: '*', server: https://kubernetes.default.svc}\n", "");
    expect(positions(runRule(rule, alone))).toEqual([{ line: 6, column: 19, path: "spec.destinations[0].namespace", severity: "critical" }]);
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

  it("passes a platform project's explicit control-plane destinations, not its patterns that reach them", () => {
    const yaml = [
      "apiVersion: argoproj.io/v1alpha1", // 1
      "kind: AppProject", // 2
      "metadata:", // 3
      "  name: platform", // 4
      "spec:", // 5
      "  destinations:", // 6
      "    - {namespace: argocd, server: https://kubernetes.default.svc}", // 7
      "    - {namespace: kube-system, name: in-cluster}", // 8
      "    - {namespace: 'argo*', server: https://kubernetes.default.svc}", // 9
      "    - {namespace: '*', name: prod-eu-1}", // 10
      "",
    ].join("\n");
    const platform = { argocd: { platformProjects: ["platform"] } };
    expect(positions(runRule(rule, yaml, { config: platform }))).toEqual([
      { line: 9, column: 19, path: "spec.destinations[2].namespace", severity: "critical" },
      { line: 10, column: 19, path: "spec.destinations[3].namespace", severity: "critical" },
    ]);
    // Not listed (or another project listed): every entry is reported.
    expect(runRule(rule, yaml, { config: { argocd: { platformProjects: ["tools"] } } }).map((f) => f.path)).toEqual([
      "spec.destinations[0].namespace",
      "spec.destinations[1].namespace",
      "spec.destinations[2].namespace",
      "spec.destinations[3].namespace",
    ]);
  });

  it("passes team namespaces, deny-guarded wildcards and namespace-less destinations", () => {
    expect(runFixture(rule, "valid-team-namespaces.yaml", { config: gitops })).toEqual([]);
  });
});
