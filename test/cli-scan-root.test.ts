/**
 * `scan DIR` from anywhere gives the same answer: Argo CD's paths (`spec.source.path`, an ApplicationSet's generators)
 * are relative to the repository, so the scanned files are named relative to it too — the git work tree, or the one
 * directory scanned outside git and outside the current directory.
 */
import { describe, expect, it } from "@jest/globals";
import { mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
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

/**
 * `scan overlays/prod` where the overlay's base is beyond the scanned directory: the render reads it from the
 * repository (the git work tree, else the current directory) as `render overlays/prod` does, without judging the
 * other files there; nothing outside the repository is read.
 */
describe("scan of an overlay whose base lies outside the scanned directory", () => {
  /** base: a privileged Pod (line 11) with a mutable image tag (line 9); the overlay pins the tag. */
  const OVERLAY_REPO = {
    "base/kustomization.yaml": "resources: [pod.yaml]\n",
    "base/pod.yaml": PRIVILEGED_POD.replace("busybox:1.36", "busybox:latest"),
    // Beside the base and named by no kustomization: not judged by a scan of the overlay.
    "base/unused.yaml": PRIVILEGED_POD.replace("name: debug", "name: unused"),
    "overlays/prod/kustomization.yaml": "resources: [../../base]\nimages:\n  - name: busybox\n    newTag: '1.36'\n",
  };
  const notes = (stdout: string): string[] => (JSON.parse(stdout) as { notes: string[] }).notes;

  it("outside git, from the repository: the base is read, the overlay's render judged (not its kustomization alone)", async () => {
    const repo = tree(OVERLAY_REPO);
    const r = await cli(["scan", "overlays/prod", "--format", "json", "--no-ecr"], repo);
    expect(notes(r.stdout).join("\n")).not.toMatch(/does not exist/);
    expect(found(r.stdout, "k8s/privileged-container")).toEqual(["base/pod.yaml:11"]);
    // The overlay's image pin applies: the rendered Pod is judged, not base/pod.yaml on its own.
    expect(found(r.stdout, "image/mutable-tag")).toEqual([]);
    // The same as `render` builds.
    const rendered = await cli(["render", "overlays/prod"], repo);
    expect(rendered.stdout).toContain("image: busybox:1.36");
  });

  it("in a git work tree, from a subdirectory: the base is read from the work tree", async () => {
    const repo = tree(OVERLAY_REPO);
    git(repo, "init", "-q");
    const r = await cli(["scan", "prod", "--format", "json", "--no-ecr"], join(repo, "overlays"));
    expect(notes(r.stdout).join("\n")).not.toMatch(/does not exist/);
    expect(found(r.stdout, "k8s/privileged-container")).toEqual(["base/pod.yaml:11"]);
    expect(found(r.stdout, "image/mutable-tag")).toEqual([]);
  });

  it("nothing beyond the repository root is read: a base above the git work tree, or behind a symbolic link out of it", async () => {
    const outer = tree({ "shared/kustomization.yaml": "resources: [pod.yaml]\n", "shared/pod.yaml": PRIVILEGED_POD });
    const repo = tree({ "overlays/prod/kustomization.yaml": "resources: [../../../shared]\n", "overlays/linked/kustomization.yaml": "resources: [../../link]\n" }, join(outer, "repo"));
    symlinkSync(join(outer, "shared"), join(repo, "link"));
    git(repo, "init", "-q");
    for (const dir of ["overlays/prod", "overlays/linked"]) {
      const r = await cli(["scan", dir, "--format", "json", "--no-ecr"], repo);
      expect(found(r.stdout, "k8s/privileged-container")).toEqual([]);
      expect(notes(r.stdout).join("\n")).toMatch(/was not rendered/);
    }
    // Outside git from the file system's root, the current directory is no repository (as for `render`).
    const plain = tree(OVERLAY_REPO);
    const fromRoot = await cli(["scan", relative("/", join(plain, "overlays/prod")), "--format", "json", "--no-ecr"], "/");
    expect(found(fromRoot.stdout, "k8s/privileged-container")).toEqual([]);
    expect(notes(fromRoot.stdout).join("\n")).toMatch(/was not rendered/);
  });
});
