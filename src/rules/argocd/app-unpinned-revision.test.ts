import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import { revisionProblem } from "./_app-revision.js";
import rule from "./app-unpinned-revision.js";

const prod = (name: string): { file: string } => ({ file: `envs/prod/${name}` });

describe("argocd/app-unpinned-revision", () => {
  it("flags HEAD, missing revisions, branches, ranges and inexact chart versions on production paths", () => {
    const findings = runFixture(rule, "invalid-moving.yaml", prod("invalid-moving.yaml"));
    expect(positions(findings)).toEqual([
      { line: 11, column: 21, path: "spec.source.targetRevision", severity: "medium" },
      // Missing: points at the `source:` key.
      { line: 23, column: 3, path: "spec.source.targetRevision", severity: "medium" },
      { line: 40, column: 23, path: "spec.sources[0].targetRevision", severity: "medium" },
      { line: 42, column: 23, path: "spec.sources[1].targetRevision", severity: "medium" },
      { line: 46, column: 23, path: "spec.sources[2].targetRevision", severity: "medium" },
      { line: 49, column: 23, path: "spec.sources[3].targetRevision", severity: "medium" },
      { line: 52, column: 23, path: "spec.sources[4].targetRevision", severity: "medium" },
      { line: 55, column: 23, path: "spec.sources[5].targetRevision", severity: "medium" },
      // `targetRevision:` with no value: the key.
      { line: 58, column: 7, path: "spec.sources[6].targetRevision", severity: "medium" },
      { line: 81, column: 25, path: "spec.template.spec.source.targetRevision", severity: "medium" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'Application "tracks-head" source: targetRevision "HEAD" tracks the tip of the default branch.',
      'Application "no-revision" source: targetRevision is not set, so it tracks HEAD of the default branch.',
      'Application "mixed-sources" sources[0]: targetRevision "5.*" is a version range, so a newly published version deploys without a review.',
      'Application "mixed-sources" sources[1]: targetRevision "main" is a branch or moving ref, not a tag or commit SHA.',
      'Application "mixed-sources" sources[2]: targetRevision ">=1.0.0 <2.0.0" is a version range, so a newly published version deploys without a review.',
      'Application "mixed-sources" sources[3]: chart version "latest" is not an exact version.',
      'Application "mixed-sources" sources[4]: targetRevision "release-1.2" is a branch or moving ref, not a tag or commit SHA.',
      'Application "mixed-sources" sources[5]: targetRevision "^1.2" is a version range, so a newly published version deploys without a review.',
      'Application "mixed-sources" sources[6]: targetRevision is not set, so it tracks HEAD of the default branch.',
      'ApplicationSet "regional" template source: targetRevision "master" is a branch or moving ref, not a tag or commit SHA.',
    ]);
  });

  it("passes tags, SHAs, exact chart versions and templated revisions", () => {
    expect(runFixture(rule, "valid-pinned.yaml", prod("valid-pinned.yaml"))).toEqual([]);
  });

  it("passes a whole-value placeholder a pipeline substitutes, not a name that only contains one", () => {
    const app = (rev: string): string => `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: web}\nspec:\n  project: web\n  source:\n    repoURL: https://github.com/acme/gitops\n    path: apps/web\n    targetRevision: ${rev}\n`;
    for (const rev of ["__GITOPS_REVISION__", "'${REVISION}'", "$REVISION", "'<revision>'"]) expect(runRule(rule, app(rev), prod("app.yaml"))).toEqual([]);
    expect(runRule(rule, app("main__GITOPS__"), prod("app.yaml")).map((f) => f.line)).toEqual([9]);
  });

  it("does not run outside production paths", () => {
    expect(runFixture(rule, "invalid-moving.yaml", { file: "envs/staging/apps.yaml" })).toEqual([]);
  });
});

describe("revisionProblem", () => {
  it.each([
    ["v1.2.3", false],
    ["1.2.3", false],
    ["1.2", false],
    ["1.2.3-rc.1", false],
    ["1.2.3+build.7", false],
    ["2024.01.15", false],
    ["argo-cd-5.46.7", false],
    ["services/api/v1.0.0", false],
    ["refs/tags/v1.2.3", false],
    ["0123abc", false],
    ["3f2c1a9d8e7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d", false],
  ])("git %s is pinned", (rev) => {
    expect(revisionProblem(rev, false)).toBeNull();
  });

  it.each([
    [undefined, "missing"],
    ["", "missing"],
    ["HEAD", "head"],
    ["main", "branch"],
    ["master", "branch"],
    ["develop", "branch"],
    ["stable", "branch"],
    ["release-1.2", "branch"],
    ["release/1.2", "branch"],
    ["release-1.x", "branch"],
    ["refs/heads/main", "branch"],
    ["v1", "branch"],
    ["feature/login", "branch"],
    ["*", "range"],
    ["1.*", "range"],
    ["1.2.x", "range"],
    [">=1.0", "range"],
    ["~1.2", "range"],
    ["^1.2", "range"],
    ["1.0 - 2.0", "range"],
  ])("git %s is %s", (rev, problem) => {
    expect(revisionProblem(rev, false)).toBe(problem);
  });

  it.each([
    ["1", null],
    ["1.2", null],
    ["v1.2.3", null],
    ["1.2.3-rc.1", null],
    ["*", "range"],
    ["5.x", "range"],
    [">= 1.2, < 2", "range"],
    ["1.2.3 || 2.0.0", "range"],
    ["~1.2", "range"],
    ["latest", "not-a-version"],
    ["stable", "not-a-version"],
    ["HEAD", "head"],
  ])("chart version %s is %s", (rev, problem) => {
    expect(revisionProblem(rev, true)).toBe(problem);
  });
});
