import { describe, expect, it } from "@jest/globals";
import { listApplicationSet as LIST_SET } from "../../../test/helpers/applicationset.js";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import rule from "./app-destructive-sync-options.js";


describe("argocd/app-destructive-sync-options", () => {
  it("reports a templated option at each list element that makes it Replace=true", () => {
    const findings = runRule(rule, LIST_SET("Replace={{replace}}", ["apps", "apps", "apps"]));
    expect(findings.map((f) => [f.line, f.path])).toEqual([[13, "spec.generators[0].list.elements[1].replace"]]);
    expect(findings[0]!.message).toContain("list element 2 (replace: true), syncs with Replace=true (Replace={{replace}})");
    expect(runRule(rule, LIST_SET("Replace={{missing}}", ["apps", "apps"]))).toEqual([]);
  });

  it("flags Replace/Force in syncOptions entries and in the sync-options annotation", () => {
    const findings = runFixture(rule, "invalid-options.yaml");
    expect(positions(findings)).toEqual([
      { line: 18, column: 9, path: "spec.syncPolicy.syncOptions[1]", severity: "high" },
      { line: 19, column: 9, path: "spec.syncPolicy.syncOptions[2]", severity: "high" },
      { line: 26, column: 38, path: 'metadata.annotations["argocd.argoproj.io/sync-options"]', severity: "high" },
      { line: 58, column: 23, path: "spec.template.spec.syncPolicy.syncOptions[0]", severity: "high" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'Application "web" syncs with Replace=true: resources are replaced, or deleted and recreated, instead of patched.',
      'Application "web" syncs with Force=true: resources are replaced, or deleted and recreated, instead of patched.',
      'CustomResourceDefinition "widgets.example.com" has sync options Replace=true, Force=true in argocd.argoproj.io/sync-options: resources are replaced, or deleted and recreated, instead of patched.',
      'ApplicationSet "regional" template syncs with Force=true: resources are replaced, or deleted and recreated, instead of patched.',
    ]);
  });

  it("flags the annotation set on every resource through Kustomize commonAnnotations", () => {
    const findings = runFixture(rule, "invalid-kustomization.yaml", { file: "apps/web/kustomization.yaml" });
    expect(positions(findings)).toEqual([
      { line: 4, column: 36, path: 'commonAnnotations["argocd.argoproj.io/sync-options"]', severity: "high" },
    ]);
    expect(findings[0]!.message).toBe(
      "Kustomization commonAnnotations give every resource sync option Replace=true in argocd.argoproj.io/sync-options: resources are replaced, or deleted and recreated, instead of patched.",
    );
  });

  it("is low on a Job or CronJob's own annotation (re-running an immutable Job), high on a lookalike kind", () => {
    const findings = runFixture(rule, "invalid-job-rerun.yaml");
    expect(positions(findings)).toEqual([
      { line: 43, column: 38, path: 'metadata.annotations["argocd.argoproj.io/sync-options"]', severity: "high" },
      { line: 9, column: 38, path: 'metadata.annotations["argocd.argoproj.io/sync-options"]', severity: "low" },
      { line: 25, column: 38, path: 'metadata.annotations["argocd.argoproj.io/sync-options"]', severity: "low" },
    ]);
    expect(findings[0]!.message).toMatch(/^Job "lookalike" has sync options Force=true, Replace=true .*: resources are replaced/);
    expect(findings[1]!.message).toBe(
      'Job "db-migrate" has sync options Force=true, Replace=true in argocd.argoproj.io/sync-options: the Job is deleted and recreated on sync, the usual way to re-run an immutable Job; low, as only this Job\'s pods are affected.',
    );
    expect(findings[2]!.message).toMatch(/^CronJob "report" has sync option Replace=true .*the CronJob is recreated \(deleting the Jobs it owns/);
  });

  it("passes non-destructive options, wrongly cased options and the words in other annotations", () => {
    expect(runFixture(rule, "valid-options.yaml")).toEqual([]);
  });
});
