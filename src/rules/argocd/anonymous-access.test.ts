import { describe, expect, it } from "@jest/globals";
import { REMOTE_BASE_PATCHES } from "../../../test/helpers/argocd-fixtures.js";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import rule from "./anonymous-access.js";

describe("argocd/anonymous-access", () => {
  it('flags users.anonymous.enabled: "true" in argocd-cm at the value', () => {
    const findings = runFixture(rule, "invalid-argocd-cm.yaml");
    expect(positions(findings)).toEqual([{ line: 11, column: 28, path: 'data["users.anonymous.enabled"]', severity: "critical" }]);
    expect(findings[0]!.message).toBe(
      'ConfigMap "argocd-cm" enables anonymous access: anyone who reaches the Argo CD server gets the default role without logging in.',
    );
  });

  it("flags the same setting in argo-cd Helm values (configs.cm)", () => {
    expect(positions(runFixture(rule, "invalid-helm-values.yaml"))).toEqual([
      { line: 7, column: 30, path: 'data["users.anonymous.enabled"]', severity: "critical" },
    ]);
  });

  it("flags server.disable.auth in argocd-cmd-params-cm, read as Go reads booleans", () => {
    const findings = runFixture(rule, "invalid-cmd-params.yaml");
    expect(positions(findings)).toEqual([{ line: 9, column: 24, path: 'data["server.disable.auth"]', severity: "critical" }]);
    expect(findings[0]!.message).toBe(
      'ConfigMap "argocd-cmd-params-cm" sets server.disable.auth: the Argo CD API server skips authentication and RBAC, so anyone who reaches it is an admin.',
    );
  });

  it("flags a Kustomize configMapGenerator literal for argocd-cm (quotes removed, as Kustomize does)", () => {
    expect(positions(runFixture(rule, "invalid-kustomization.yaml"))).toEqual([
      { line: 11, column: 9, path: "configMapGenerator[0].literals[1]", severity: "critical" },
    ]);
  });

  it("passes a disabled setting and other ConfigMaps", () => {
    expect(runFixture(rule, "valid-disabled.yaml")).toEqual([]);
  });

  it("flags a JSON 6902 op adding users.anonymous.enabled to argocd-cm, inline in a kustomization whose base is remote, at the op's value", () => {
    const findings = runRule(rule, REMOTE_BASE_PATCHES, { file: "argocd/kustomization.yaml" });
    expect(positions(findings)).toEqual([{ line: 22, column: 16, path: 'data["users.anonymous.enabled"]', severity: "critical" }]);
    expect(findings[0]!.message).toBe('inline patch patches[1] of ConfigMap "argocd-cm" enables anonymous access: anyone who reaches the Argo CD server gets the default role without logging in.');
  });
});
