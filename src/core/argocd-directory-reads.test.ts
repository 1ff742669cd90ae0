import { describe, expect, it } from "@jest/globals";
import { directoryReadsOf, readsFile, type DirectoryRead } from "./argocd-directory-reads.js";

const app = (source: Record<string, unknown>) => ({ apiVersion: "argoproj.io/v1alpha1", kind: "Application", metadata: { name: "root", namespace: "argocd" }, spec: { source } });
const read = (directory: Record<string, unknown> = {}, path = "argocd"): DirectoryRead => directoryReadsOf(app({ repoURL: "https://github.com/a/b.git", path, directory }))[0]!;
const tree = (...paths: string[]) => new Set(paths);

describe("directoryReadsOf: an Application's directory-type sources", () => {
  it("a plain path is one, normalised; Helm, Kustomize, plugin and chart sources are not", () => {
    expect(directoryReadsOf(app({ path: "./argocd/" }))).toEqual([{ application: "argocd/root", name: "root", path: "argocd", recurse: false, include: null, exclude: null }]);
    expect(directoryReadsOf(app({ path: "argocd", helm: {} }))).toEqual([]);
    expect(directoryReadsOf(app({ path: "argocd", kustomize: {} }))).toEqual([]);
    expect(directoryReadsOf(app({ path: "argocd", plugin: {} }))).toEqual([]);
    expect(directoryReadsOf({ kind: "ApplicationSet", apiVersion: "argoproj.io/v1alpha1", metadata: { name: "x" } })).toEqual([]);
  });
});

describe("readsFile: what Argo CD's directory source reads", () => {
  it("manifests directly in the path; below it only when recursive", () => {
    expect(readsFile(read(), "argocd/appset.yaml", tree())).toBe(true);
    expect(readsFile(read(), "argocd/x.json", tree())).toBe(true);
    expect(readsFile(read(), "argocd/README.md", tree())).toBe(false);
    expect(readsFile(read(), "argocd/appsets/appset.yaml", tree())).toBe(false);
    expect(readsFile(read({ recurse: true }), "argocd/appsets/appset.yaml", tree())).toBe(true);
    expect(readsFile(read(), "argocd-other/appset.yaml", tree())).toBe(false);
    expect(readsFile(read({}, "."), "appset.yaml", tree())).toBe(true);
  });

  it("include and exclude globs against the path relative to the source's, * crossing /, {a,b} alternatives", () => {
    expect(readsFile(read({ include: "appsets-*.yaml" }), "argocd/appset.yaml", tree())).toBe(false);
    expect(readsFile(read({ include: "appsets-*.yaml" }), "argocd/appsets-web.yaml", tree())).toBe(true);
    expect(readsFile(read({ include: "{a.yaml,appset.yaml}" }), "argocd/appset.yaml", tree())).toBe(true);
    expect(readsFile(read({ recurse: true, include: "*.yaml" }), "argocd/sub/appset.yaml", tree())).toBe(true);
    expect(readsFile(read({ exclude: "app*" }), "argocd/appset.yaml", tree())).toBe(false);
    expect(readsFile(read({ include: "[ab].yaml" }), "argocd/a.yaml", tree())).toBeNull();
  });

  it("a directory Kustomize or Helm builds: not known", () => {
    expect(readsFile(read(), "argocd/appset.yaml", tree("argocd/kustomization.yaml"))).toBeNull();
    expect(readsFile(read(), "argocd/appset.yaml", tree("argocd/Chart.yaml"))).toBeNull();
  });
});
