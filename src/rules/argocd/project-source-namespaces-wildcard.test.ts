import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./project-source-namespaces-wildcard.js";

describe("argocd/project-source-namespaces-wildcard", () => {
  it("flags `*` and entries (globs, /regex/) that match the Argo CD namespace", () => {
    const findings = runFixture(rule, "invalid-source-namespaces.yaml");
    expect(positions(findings)).toEqual([
      { line: 9, column: 7, path: "spec.sourceNamespaces[1]", severity: "high" },
      { line: 17, column: 30, path: "spec.sourceNamespaces[1]", severity: "high" },
      { line: 17, column: 38, path: "spec.sourceNamespaces[2]", severity: "high" },
      { line: 17, column: 47, path: "spec.sourceNamespaces[3]", severity: "high" },
      { line: 17, column: 55, path: "spec.sourceNamespaces[4]", severity: "high" },
    ]);
    expect(findings[0]!.message).toBe('AppProject "team-a" sourceNamespaces entry "*" accepts Applications from any namespace.');
    expect(findings[4]!.message).toBe('AppProject "team-b" sourceNamespaces entry "/cd$/" accepts Applications from the Argo CD namespace "argocd".');
  });

  it("follows the configured Argo CD namespace", () => {
    const findings = runFixture(rule, "invalid-source-namespaces.yaml", { config: { argocd: { namespace: "gitops" } } });
    expect(positions(findings).map((p) => p.path)).toEqual(["spec.sourceNamespaces[1]", "spec.sourceNamespaces[3]"]);
  });

  it("passes team namespaces, anchored regexes and deny entries", () => {
    expect(runFixture(rule, "valid-team-namespaces.yaml")).toEqual([]);
  });
});
