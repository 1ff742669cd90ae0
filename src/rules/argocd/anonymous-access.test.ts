import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import rule from "./anonymous-access.js";

const REMOTE_BASE_PATCHES = [
  "apiVersion: kustomize.config.k8s.io/v1beta1", // 1
  "kind: Kustomization", // 2
  "namespace: argocd", // 3
  "resources:", // 4
  "  - https://github.com/argoproj/argo-cd/manifests/cluster-install?ref=v2.4.12", // 5
  "patches:", // 6
  "  - target:", // 7
  "      kind: ConfigMap", // 8
  "      name: argocd-rbac-cm", // 9
  "    patch: |-", // 10
  "      kind: ConfigMap", // 11
  "      metadata:", // 12
  "        name: argocd-rbac-cm", // 13
  "      data:", // 14
  "        policy.default: role:admin", // 15
  "  - target:", // 16
  "      kind: ConfigMap", // 17
  "      name: argocd-cm", // 18
  "    patch: |-", // 19
  "      - op: add", // 20
  "        path: /data/users.anonymous.enabled", // 21
  '        value: "true"', // 22
  "",
].join("\n");

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
