/**
 * Held-out round 18 (appset-moved-out-of-root-path): a root Application reads a directory of Argo CD objects
 * (non-recursive). A pull request that moves an ApplicationSet into a subdirectory it does not read, or out to a
 * directory no Application reads, or changes the root's `directory.include` so it no longer matches, has Argo CD prune
 * the ApplicationSet — and delete every Application it generated — exactly as deleting it would. The review said
 * "No new findings" (the moved object was taken for the same object, wherever it went); `argocd/app-deleted` now
 * reports it at the object's line, naming the Application that no longer reads it.
 */
import { describe, expect, it } from "@jest/globals";
import { planRender } from "../../src/core/render-plan.js";
import { lines, only, reviewRepo, where, type Files } from "./kustomize-helpers.js";

const root = (directory: string[] = [], path = "argocd") =>
  lines(
    "apiVersion: argoproj.io/v1alpha1",
    "kind: Application",
    "metadata:",
    "  name: root",
    "  namespace: argocd",
    "  finalizers:",
    "    - resources-finalizer.argocd.argoproj.io",
    "spec:",
    "  project: platform",
    "  source:",
    "    repoURL: https://github.com/example/gitops.git",
    "    targetRevision: HEAD",
    `    path: ${path}`,
    ...directory,
    "  destination: {name: mgmt, namespace: argocd}",
    "  syncPolicy:",
    "    automated: {prune: true}",
  );

const appset = (preserve = false) =>
  lines(
    "apiVersion: argoproj.io/v1alpha1",
    "kind: ApplicationSet",
    "metadata:",
    "  name: apps",
    "  namespace: argocd",
    "spec:",
    "  generators:",
    "    - list:",
    "        elements:",
    "          - name: web",
    ...(preserve ? ["  syncPolicy:", "    preserveResourcesOnDeletion: true"] : []),
    "  template:",
    "    metadata:",
    "      name: '{{name}}'",
    "    spec:",
    "      project: platform",
    "      source: {repoURL: https://github.com/example/gitops.git, targetRevision: HEAD, path: 'apps/{{name}}'}",
    "      destination: {name: prod, namespace: web}",
  );

const child = lines(
  "apiVersion: argoproj.io/v1alpha1",
  "kind: Application",
  "metadata:",
  "  name: web",
  "  namespace: argocd",
  "  finalizers:",
  "    - resources-finalizer.argocd.argoproj.io",
  "spec:",
  "  project: platform",
  "  source: {repoURL: https://github.com/example/gitops.git, targetRevision: HEAD, path: apps/web}",
  "  destination: {name: prod, namespace: web}",
);

const deployment = lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: web}", "data: {a: b}");

const base: Files = { "root-app.yaml": root(), "argocd/appset.yaml": appset(), "apps/web/cm.yaml": deployment };

/** The tree with `from` moved to `to`. */
function moved(files: Files, from: string, to: string): Files {
  const out: Files = { ...files, [to]: files[from]! };
  delete out[from];
  return out;
}

describe("an Argo CD object moved out of what its root Application reads", () => {
  it("into a subdirectory the non-recursive root does not read: reported at the moved ApplicationSet's name, naming the root", () => {
    const r = reviewRepo(base, moved(base, "argocd/appset.yaml", "argocd/appsets/appset.yaml"));
    expect(where(r, "argocd/app-deleted")).toEqual(["argocd/app-deleted argocd/appsets/appset.yaml:4:9 new"]);
    const f = only(r, "argocd/app-deleted")[0]!;
    expect(f.severity).toBe("high");
    expect(f.message).toContain('ApplicationSet "apps" leaves what Application "root" reads (path "argocd", not recursive)');
    expect(f.message).toContain("moves it from argocd/appset.yaml to argocd/appsets/appset.yaml");
    expect(f.message).toContain("deletes every Application it generated");
    expect(r.conclusion).toBe("failure");
  });

  it("out to a directory no Application reads", () => {
    expect(where(reviewRepo(base, moved(base, "argocd/appset.yaml", "bootstrap/appset.yaml")), "argocd/app-deleted")).toEqual(["argocd/app-deleted bootstrap/appset.yaml:4:9 new"]);
  });

  it("the root's directory.include changed so it no longer matches the unchanged file", () => {
    const r = reviewRepo(base, { ...base, "root-app.yaml": root(["    directory:", "      include: 'appsets-*.yaml'"]) });
    expect(where(r, "argocd/app-deleted")).toEqual(["argocd/app-deleted argocd/appset.yaml:4:9 new"]);
    expect(only(r, "argocd/app-deleted")[0]!.message).toContain('no longer read it (path "argocd", not recursive, include "appsets-*.yaml" now)');
  });

  it("an Application with the resources finalizer moved out: reported at its finalizer", () => {
    const withChild = { ...base, "argocd/web.yaml": child };
    const r = reviewRepo(withChild, moved(withChild, "argocd/web.yaml", "archive/web.yaml"));
    expect(where(r, "argocd/app-deleted")).toEqual(["argocd/app-deleted archive/web.yaml:7:7 new"]);
    expect(only(r, "argocd/app-deleted")[0]!.message).toContain("with the resources finalizer, every resource it manages is deleted too");
  });

  it("an unchanged Application with the finalizer the root's new include leaves out: reported at its finalizer", () => {
    const withChild = { ...base, "argocd/web.yaml": child };
    const r = reviewRepo(withChild, { ...withChild, "root-app.yaml": root(["    directory:", "      include: 'appset.yaml'"]) });
    expect(where(r, "argocd/app-deleted")).toEqual(["argocd/app-deleted argocd/web.yaml:7:7 new"]);
    expect(only(r, "argocd/app-deleted")[0]!.message).toContain('Application "web" leaves what Application "root" reads');
    // An include that still matches it: nothing.
    expect(where(reviewRepo(withChild, { ...withChild, "root-app.yaml": root(["    directory:", "      include: '*.yaml'"]) }), "argocd/app-deleted")).toEqual([]);
  });

  it("the same delete, as before: reported as deleted", () => {
    const head = { ...base };
    delete head["argocd/appset.yaml"];
    expect(where(reviewRepo(base, head), "argocd/app-deleted")).toEqual(["argocd/app-deleted argocd/appset.yaml:4:9 new"]);
  });
});

describe("moves that keep the object read, or whose readers are not known: nothing", () => {
  it("renamed within the directory the root reads", () => {
    expect(where(reviewRepo(base, moved(base, "argocd/appset.yaml", "argocd/applicationset.yaml")), "argocd/app-deleted")).toEqual([]);
  });

  it("into a subdirectory of a recursive root", () => {
    const recursive = { ...base, "root-app.yaml": root(["    directory:", "      recurse: true"]) };
    expect(where(reviewRepo(recursive, moved(recursive, "argocd/appset.yaml", "argocd/appsets/appset.yaml")), "argocd/app-deleted")).toEqual([]);
  });

  it("into a directory another known Application reads", () => {
    const two = { ...base, "bootstrap-app.yaml": root([], "bootstrap").replace("name: root", "name: bootstrap") };
    expect(where(reviewRepo(two, moved(two, "argocd/appset.yaml", "bootstrap/appset.yaml")), "argocd/app-deleted")).toEqual([]);
  });

  it("no Application known to read it (no root seen)", () => {
    const noRoot = { ...base };
    delete noRoot["root-app.yaml"];
    expect(where(reviewRepo(noRoot, moved(noRoot, "argocd/appset.yaml", "bootstrap/appset.yaml")), "argocd/app-deleted")).toEqual([]);
  });

  it("the root builds its directory with Kustomize (what it reads is the kustomization's)", () => {
    const built = { ...base, "argocd/kustomization.yaml": lines("resources:", "  - appset.yaml") };
    const head = { ...moved(built, "argocd/appset.yaml", "bootstrap/appset.yaml"), "argocd/kustomization.yaml": lines("resources:", "  - ../bootstrap/appset.yaml") };
    expect(where(reviewRepo(built, head), "argocd/app-deleted")).toEqual([]);
  });

  it("an ApplicationSet that preserves its Applications' resources", () => {
    const preserving = { ...base, "argocd/appset.yaml": appset(true) };
    expect(where(reviewRepo(preserving, moved(preserving, "argocd/appset.yaml", "bootstrap/appset.yaml")), "argocd/app-deleted")).toEqual([]);
  });
});

describe("the plan reads the files that may hold the reading Application", () => {
  it("a YAML file deleted or moved away: the unchanged files named for Applications, on both sides", () => {
    const head = moved(base, "argocd/appset.yaml", "bootstrap/appset.yaml");
    const side = (files: Files) => ({ paths: Object.keys(files), kustomization: (p: string) => files[p] ?? null });
    const plan = planRender({ changed: ["argocd/appset.yaml", "bootstrap/appset.yaml"], sides: { base: side(base), head: side(head) } });
    expect(plan.base!.readerFiles).toEqual(["root-app.yaml"]);
    expect(plan.head!.files).toContain("root-app.yaml");
    // Only added or edited files: nothing more to read.
    const edited = { ...base, "argocd/appset.yaml": appset(true) };
    expect(planRender({ changed: ["argocd/appset.yaml"], sides: { base: side(base), head: side(edited) } }).head!.readerFiles).toBeUndefined();
  });
});
