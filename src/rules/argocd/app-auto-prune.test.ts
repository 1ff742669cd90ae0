import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import rule from "./app-auto-prune.js";

describe("argocd/app-auto-prune", () => {
  it("flags allowEmpty: true with prune: true anywhere (high), in Applications and ApplicationSet templates", () => {
    const findings = runFixture(rule, "invalid-allow-empty.yaml");
    expect(positions(findings)).toEqual([
      { line: 18, column: 19, path: "spec.syncPolicy.automated.allowEmpty", severity: "high" },
      { line: 43, column: 47, path: "spec.template.spec.syncPolicy.automated.allowEmpty", severity: "high" },
    ]);
    expect(findings[0]!.message).toBe('Application "web" allows automated sync to prune every resource when its source renders nothing (allowEmpty: true with prune: true).');
  });

  it("flags prune: true on production paths (medium), plus allowEmpty (high)", () => {
    const findings = runFixture(rule, "invalid-prod-prune.yaml", { file: "clusters/production/apps.yaml" });
    expect(positions(findings)).toEqual([
      { line: 40, column: 19, path: "spec.syncPolicy.automated.allowEmpty", severity: "high" },
      { line: 19, column: 14, path: "spec.syncPolicy.automated.prune", severity: "medium" },
      { line: 39, column: 14, path: "spec.syncPolicy.automated.prune", severity: "medium" },
    ]);
    expect(findings[1]!.message).toBe('Application "payments" automatically prunes production resources that disappear from its source (prune: true).');
  });

  it("reports only allowEmpty outside production paths", () => {
    expect(positions(runFixture(rule, "invalid-prod-prune.yaml"))).toEqual([
      { line: 40, column: 19, path: "spec.syncPolicy.automated.allowEmpty", severity: "high" },
    ]);
  });

  it("passes non-production prune, switched-off automation and sync without prune", () => {
    expect(runFixture(rule, "valid-sync.yaml")).toEqual([]);
  });

  it("passes the valid fixture's ApplicationSet on production paths too", () => {
    expect(runFixture(rule, "valid-sync.yaml", { file: "envs/prod/valid-sync.yaml" }).map((f) => f.resource.name)).toEqual(["preview"]);
  });

  it("passes allowEmpty without prune: true, on production paths too (automated sync then deletes nothing)", () => {
    expect(runFixture(rule, "valid-allow-empty-no-prune.yaml")).toEqual([]);
    expect(runFixture(rule, "valid-allow-empty-no-prune.yaml", { file: "clusters/production/addons.yaml" })).toEqual([]);
  });

  it("reads a templatePatch's flags over the template's: allowEmpty and prune count wherever each is written", () => {
    const appset = (name: string, templateFlag: string, patchFlag: string): string => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: ${name}
spec:
  goTemplate: true
  generators:
    - list:
        elements:
          - env: dev
  template:
    metadata:
      name: '${name}-{{ .env }}'
    spec:
      project: team-a
      source:
        repoURL: https://github.com/example/web.git
        path: deploy
      destination:
        name: dev-cluster
        namespace: web
      syncPolicy:
        automated:
          ${templateFlag}
  templatePatch: |
    spec:
      syncPolicy:
        automated:
          ${patchFlag}
`;
    const yaml = [
      appset("patch-empty", "prune: true", "allowEmpty: true"),
      appset("patch-prunes", "allowEmpty: true", "prune: true"),
      appset("no-prune", "selfHeal: true", "allowEmpty: true"),
    ].join("---\n");
    const findings = runRule(rule, yaml);
    expect(findings.map((f) => [f.resource.name, f.line, f.identity, f.severity])).toEqual([
      // The patch writes allowEmpty: found at its line.
      ["patch-empty", 29, "spec.templatePatch.syncPolicy.automated.allowEmpty", "high"],
      // allowEmpty is the template's, prune the patch's: found at the templatePatch.
      ["patch-prunes", 55, "spec.templatePatch.syncPolicy.automated.allowEmpty", "high"],
    ]);
  });

  it("an ApplicationSet on a production path whose template names only a non-production environment is not production (held-out round 16)", () => {
    const appset = (element: string, project: string, cluster: string): string => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: pr-previews
spec:
  generators:
    - list:
        elements:
          - env: ${element}
  template:
    metadata:
      name: 'preview-{{env}}'
    spec:
      project: ${project}
      source:
        repoURL: https://github.com/example/apps.git
        targetRevision: v1.0.0
        path: 'apps/web/overlays/{{env}}'
      destination:
        name: ${cluster}
        namespace: staging-web
      syncPolicy:
        automated:
          prune: true
`;
    const prod = { file: "argocd/overlays/prod/previews.yaml" };
    expect(runRule(rule, appset("staging", "staging", "workload-1"), prod)).toEqual([]);
    // Anything production written in it (a list element, the cluster), or no environment named: the path decides.
    expect(positions(runRule(rule, appset("prod", "staging", "workload-1"), prod))).toEqual([{ line: 24, column: 18, path: "spec.template.spec.syncPolicy.automated.prune", severity: "medium" }]);
    expect(runRule(rule, appset("staging", "staging", "prod-eu-1"), prod)).toHaveLength(1);
    expect(runRule(rule, appset("staging", "web", "workload-1").replace("staging-web", "web"), prod)).toHaveLength(1);
    // An Application is judged by its file's path, whatever its project.
    const app = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\nspec:\n  project: staging\n  source: {repoURL: https://github.com/example/apps.git, path: overlays/staging}\n  destination: {name: workload-1, namespace: staging-web}\n  syncPolicy:\n    automated: {prune: true}\n";
    expect(runRule(rule, app, prod)).toHaveLength(1);
  });
});
