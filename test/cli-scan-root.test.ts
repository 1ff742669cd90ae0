/**
 * `scan DIR` from anywhere gives the same answer: Argo CD's paths (`spec.source.path`, an ApplicationSet's generators)
 * are relative to the repository, so the scanned files are named relative to it too — the git work tree, or the one
 * directory scanned outside git and outside the current directory.
 */
import { describe, expect, it } from "@jest/globals";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PRIVILEGED_POD } from "./engine/fixtures.js";
import { cli, git, tree } from "./helpers/cli.js";

const found = (stdout: string, rule: string): string[] =>
  (JSON.parse(stdout) as { findings: Array<{ ruleId: string; file: string; line: number }> }).findings
    .filter((f) => f.ruleId === rule)
    .map((f) => `${f.file}:${f.line}`)
    .sort();

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web
`;

/** An ApplicationSet over `apps/*` whose template pins the image Argo CD applies (`kustomize.images`). */
const APPSET = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: apps
  namespace: argocd
spec:
  generators:
    - git:
        repoURL: https://github.com/acme/gitops.git
        revision: main
        directories:
          - path: apps/*
  template:
    metadata:
      name: '{{path.basename}}'
    spec:
      project: apps
      source:
        repoURL: https://github.com/acme/gitops.git
        targetRevision: main
        path: '{{path}}'
        kustomize:
          images:
            - ghcr.io/acme/web:1.4.2
      destination:
        server: https://kubernetes.default.svc
        namespace: '{{path.basename}}'
`;

const REPO = { "argocd/appset.yaml": APPSET, "apps/web/kustomization.yaml": "resources:\n  - deployment.yaml\n", "apps/web/deployment.yaml": DEPLOYMENT };

describe("scan names files relative to the repository, wherever it runs", () => {
  it("a directory outside the current one (not in git): the ApplicationSet's paths match, its pinned image is what is judged", async () => {
    const repo = tree(REPO);
    const elsewhere = mkdtempSync(join(tmpdir(), "gg-cwd-"));
    const inside = await cli(["scan", ".", "--format", "json", "--no-ecr"], repo);
    const outside = await cli(["scan", repo, "--format", "json", "--no-ecr"], elsewhere);
    expect(found(inside.stdout, "image/mutable-tag")).toEqual([]);
    expect(found(outside.stdout, "image/mutable-tag")).toEqual([]);
    expect(found(outside.stdout, "k8s/run-as-root")).toEqual(["apps/web/deployment.yaml:13"]);
    expect(found(outside.stdout, "k8s/run-as-root")).toEqual(found(inside.stdout, "k8s/run-as-root"));
  });

  it("a subdirectory of a git work tree: paths from the work tree's root, as Argo CD's are", async () => {
    const repo = tree({ ...REPO, "apps/debug/pod.yaml": PRIVILEGED_POD });
    git(repo, "init", "-q");
    const fromSubdir = await cli(["scan", ".", "--format", "json", "--no-ecr"], join(repo, "apps"));
    expect(found(fromSubdir.stdout, "k8s/privileged-container")).toEqual([expect.stringMatching(/^apps\/debug\/pod\.yaml:\d+$/)]);
    // The ApplicationSet (argocd/) is outside what was scanned: the plain render of apps/web is what is judged.
    expect(found(fromSubdir.stdout, "image/mutable-tag")).toEqual(["apps/web/deployment.yaml:14"]);
  });

  it("inside the current directory outside git: named as before, relative to the current directory", async () => {
    const cwd = tree({ "repo/apps/debug/pod.yaml": PRIVILEGED_POD });
    const r = await cli(["scan", "repo/apps", "--format", "json", "--no-ecr"], cwd);
    expect(found(r.stdout, "k8s/privileged-container")).toEqual([expect.stringMatching(/^repo\/apps\/debug\/pod\.yaml:\d+$/)]);
  });
});
