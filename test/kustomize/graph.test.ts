import { describe, expect, it } from "@jest/globals";
import { argoCdSourcePaths, buildKustomizationGraph, isKustomizationFile } from "../../src/kustomize/index.js";

const kustomizations = [
  { path: "apps/web/base/kustomization.yaml", text: "resources: [deployment.yaml, ../../shared/rbac]\nconfigMapGenerator:\n  - name: c\n    envs: [app.env]\n    files: [conf=files/app.conf]\n" },
  { path: "apps/web/overlays/staging/kustomization.yaml", text: "resources: [../../base]\npatches:\n  - path: patch.yaml\n" },
  { path: "apps/web/overlays/prod/kustomization.yaml", text: "resources: [../staging]\ncomponents: [../../../../components/monitoring]\n" },
  { path: "apps/shared/rbac/kustomization.yaml", text: "resources: [sa.yaml]\n" },
  { path: "components/monitoring/kustomization.yaml", text: "kind: Component\npatchesStrategicMerge: [scrape.yaml]\n" },
  { path: "apps/api/kustomization.yaml", text: "resources:\n  - https://github.com/acme/api//deploy?ref=v1\n  - missing.yaml\n" },
  { path: "apps/web/base/unused/kustomization.yaml", text: "resources: [x.yaml]\n" },
];
const paths = [
  ...kustomizations.map((k) => k.path),
  "apps/web/base/deployment.yaml",
  "apps/web/base/app.env",
  "apps/web/base/files/app.conf",
  "apps/web/overlays/staging/patch.yaml",
  "apps/shared/rbac/sa.yaml",
  "components/monitoring/scrape.yaml",
  "apps/web/base/unused/x.yaml",
  "README.md",
];

describe("kustomization graph", () => {
  const g = buildKustomizationGraph(kustomizations, paths);

  it("computes a kustomization's closure: every file a render reads, transitively", () => {
    expect(g.closure("apps/web/overlays/prod")).toEqual([
      "apps/shared/rbac/kustomization.yaml",
      "apps/shared/rbac/sa.yaml",
      "apps/web/base/app.env",
      "apps/web/base/deployment.yaml",
      "apps/web/base/files/app.conf",
      "apps/web/base/kustomization.yaml",
      "apps/web/overlays/prod/kustomization.yaml",
      "apps/web/overlays/staging/kustomization.yaml",
      "apps/web/overlays/staging/patch.yaml",
      "components/monitoring/kustomization.yaml",
      "components/monitoring/scrape.yaml",
    ]);
    expect(g.nodes.get("apps/api")?.unresolved).toEqual(["https://github.com/acme/api//deploy?ref=v1", "missing.yaml"]);
  });

  it("finds the roots: kustomizations no other uses, plus Argo CD source paths", () => {
    expect(g.roots()).toEqual(["apps/api", "apps/web/base/unused", "apps/web/overlays/prod"]);
    expect(g.roots(["./apps/web/overlays/staging/", "not/a/kustomization"])).toEqual(["apps/api", "apps/web/base/unused", "apps/web/overlays/prod", "apps/web/overlays/staging"]);
  });

  it("never takes an unused Component for a root: nothing applies it unless an Application points at it", () => {
    const withDebug = buildKustomizationGraph(
      [
        ...kustomizations,
        { path: "components/debug/kustomization.yaml", text: "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [pod.yaml]\npatches:\n  - path: privileged.yaml\n" },
      ],
      [...paths, "components/debug/kustomization.yaml", "components/debug/pod.yaml", "components/debug/privileged.yaml"],
    );
    expect(withDebug.roots()).toEqual(["apps/api", "apps/web/base/unused", "apps/web/overlays/prod"]);
    expect([...withDebug.unusedComponentFiles()]).toEqual([
      ["components/debug/kustomization.yaml", "components/debug/kustomization.yaml"],
      ["components/debug/pod.yaml", "components/debug/kustomization.yaml"],
      ["components/debug/privileged.yaml", "components/debug/kustomization.yaml"],
    ]);
    // The Component an overlay uses is neither.
    expect(withDebug.unusedComponentFiles().has("components/monitoring/scrape.yaml")).toBe(false);
    // An Application pointing at it makes it a root (Argo CD builds it as it is).
    expect(withDebug.roots(["components/debug"])).toContain("components/debug");
    expect(withDebug.unusedComponentFiles(["components/debug"]).size).toBe(0);
  });

  it("knows no Component unused in a repository Flux deploys too: its Kustomizations list them in spec.components", () => {
    // onedr0p/home-ops: each app's `ks.yaml` (a Flux Kustomization, often unchanged in a pull request) lists
    // `components: [../../../../components/kopiur/backup]`; the Component is built on its own, as kubectl builds it.
    const debug = { path: "components/debug/kustomization.yaml", text: "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [pod.yaml]\n" };
    const flux = buildKustomizationGraph([...kustomizations, debug], [...paths, debug.path, "components/debug/pod.yaml", "kubernetes/apps/flux-system/flux-instance/app/helmrelease.yaml"]);
    expect(flux.roots()).toContain("components/debug");
    expect(flux.unusedComponentFiles().size).toBe(0);
  });

  it("says which roots a change reaches: a base change reaches every overlay above it", () => {
    const argo = ["apps/web/overlays/staging"];
    expect(g.affectedRoots(["apps/shared/rbac/sa.yaml"], argo)).toEqual(["apps/web/overlays/prod", "apps/web/overlays/staging"]);
    expect(g.affectedRoots(["components/monitoring/scrape.yaml"], argo)).toEqual(["apps/web/overlays/prod"]);
    expect(g.affectedRoots(["README.md"], argo)).toEqual([]);
    // A kustomization file added or removed beside files a render reads (a second name, a deletion) changes that render.
    expect(g.affectedRoots(["apps/web/overlays/staging/Kustomization"], argo)).toEqual(["apps/web/overlays/prod", "apps/web/overlays/staging"]);
    expect(g.affectedRoots(["components/monitoring/kustomization.yml"], argo)).toEqual(["apps/web/overlays/prod"]);
    expect(g.affectedRoots(["apps/web/kustomization.yaml"], argo)).toEqual([]);
  });

  it("reads Argo CD Application source paths", () => {
    expect(argoCdSourcePaths({ spec: { source: { path: "./apps/web/" } } })).toEqual(["apps/web"]);
    expect(argoCdSourcePaths({ spec: { sources: [{ path: "a" }, { chart: "x" }, { path: "../escape/../b" }] } })).toEqual(["a"]);
  });
});

describe("isKustomizationFile", () => {
  it.each([
    ["kustomization.yaml", true],
    ["apps/web/kustomization.yml", true],
    ["apps/Kustomization", true],
    ["apps/my-kustomization.yaml", false],
    ["apps/xKustomization", false],
    ["apps/kustomization.yaml/values.yaml", false],
    ["apps/kustomization.yaml.bak", false],
    ["", false],
  ])("%s: %s (the whole last segment is one of kustomize's names)", (path, expected) => {
    expect(isKustomizationFile(path)).toBe(expected);
  });
});
