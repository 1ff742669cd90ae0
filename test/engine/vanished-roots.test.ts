/**
 * A pull request that deletes one overlay of several: the base lines the other overlays still apply are not
 * `fixed` (the overlays that share files with it are rendered on both sides).
 */
import { describe, expect, it } from "@jest/globals";
import { planRender, MAX_SHARING_ROOTS } from "../../src/core/render-plan.js";
import { BARE_API, lines, reviewRepo, where, type Files } from "./kustomize-helpers.js";

/** A Deployment whose container writes to its root filesystem (k8s/writable-root-filesystem at line 21, column 37). */
const WRITABLE = BARE_API.replace("readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false");

const overlay = (ns: string, ...more: string[]) => lines("resources:", "  - ../../base", `namespace: ${ns}`, "images:", "  - name: ghcr.io/acme/api", "    newTag: 1.0.0", ...more);

function repository(overlays: readonly string[], extra: Files = {}): Files {
  const files: Files = {
    "apps/api/base/deployment.yaml": WRITABLE,
    "apps/api/base/kustomization.yaml": lines("resources:", "  - deployment.yaml"),
    ...extra,
  };
  for (const o of overlays) files[`apps/api/overlays/${o}/kustomization.yaml`] = overlay(o);
  return files;
}

const without = (files: Files, dir: string): Files => Object.fromEntries(Object.entries(files).filter(([p]) => !p.startsWith(`${dir}/`)));

describe("a pull request that deletes one overlay of several", () => {
  it("keeps a base line the other overlays still apply existing, not fixed", () => {
    const base = repository(["demo", "staging", "prod"]);
    const r = reviewRepo(base, without(base, "apps/api/overlays/demo"));
    expect(where(r, "k8s/writable-root-filesystem")).toEqual(["k8s/writable-root-filesystem apps/api/base/deployment.yaml:21:37 existing"]);
    expect(r.findings.find((f) => f.ruleId === "k8s/writable-root-filesystem")!.renderedFrom).toEqual(["apps/api/overlays/prod", "apps/api/overlays/staging"]);
    expect(r.summary).toMatchObject({ new: 0, fixed: 0 });
  });

  it("still reports fixed what only the deleted overlay applied (its own patch)", () => {
    const base = repository(["staging", "prod"], {
      "apps/api/overlays/demo/kustomization.yaml": overlay("demo", "patches:", "  - path: privileged.yaml"),
      "apps/api/overlays/demo/privileged.yaml": lines(
        "apiVersion: apps/v1", // 1
        "kind: Deployment", // 2
        "metadata: {name: api}", // 3
        "spec:", // 4
        "  template:", // 5
        "    spec:", // 6
        "      containers:", // 7
        "        - name: api", // 8
        "          securityContext: {privileged: true}", // 9
      ),
    });
    const r = reviewRepo(base, without(base, "apps/api/overlays/demo"));
    expect(where(r, "k8s/privileged-container")).toEqual(["k8s/privileged-container apps/api/overlays/demo/privileged.yaml:9:41 fixed"]);
    expect(where(r, "k8s/writable-root-filesystem")).toEqual(["k8s/writable-root-filesystem apps/api/base/deployment.yaml:21:37 existing"]);
  });

  it("renders at most MAX_SHARING_ROOTS of the overlays that share its files, and says so in a note", () => {
    const names = Array.from({ length: MAX_SHARING_ROOTS + 2 }, (_, i) => `env-${String(i).padStart(2, "0")}`);
    const base = repository(["demo", ...names]);
    const r = reviewRepo(base, without(base, "apps/api/overlays/demo"));
    expect(where(r, "k8s/writable-root-filesystem")).toEqual(["k8s/writable-root-filesystem apps/api/base/deployment.yaml:21:37 existing"]);
    expect(r.findings.find((f) => f.ruleId === "k8s/writable-root-filesystem")!.renderedFrom).toHaveLength(MAX_SHARING_ROOTS);
    const note = r.notes.find((n) => n.includes("no longer rendered on the head side"));
    expect(note).toContain("apps/api/overlays/env-08, apps/api/overlays/env-09");
  });

  it("the render plan reads the sharing overlays' files on both sides, and only when a root vanishes", () => {
    const base = repository(["demo", "prod"], { "apps/api/overlays/prod/replicas.yaml": lines("apiVersion: apps/v1", "kind: Deployment", "metadata: {name: api}", "spec: {replicas: 3}") });
    base["apps/api/overlays/prod/kustomization.yaml"] = overlay("prod", "patches:", "  - path: replicas.yaml");
    const head = without(base, "apps/api/overlays/demo");
    const side = (files: Files) => ({ paths: Object.keys(files), kustomization: (p: string) => files[p] ?? null });
    const changed = ["apps/api/overlays/demo/kustomization.yaml"];
    const plan = planRender({ changed, sides: { base: side(base), head: side(head) } });
    expect(plan.base!.roots).toEqual(["apps/api/overlays/demo", "apps/api/overlays/prod"]);
    expect(plan.head!.roots).toEqual(["apps/api/overlays/prod"]);
    expect(plan.head!.files).toContain("apps/api/overlays/prod/replicas.yaml");
    expect(plan.base!.vanished).toMatchObject({ roots: ["apps/api/overlays/demo"], sharing: ["apps/api/overlays/prod"], leftOut: [] });
    // A scan (one side) plans nothing more.
    expect(planRender({ changed, sides: { head: side(head) } }).head!.roots).toEqual([]);
  });

  it("a renamed overlay directory is not a vanished root: the other overlays are not rendered for it", () => {
    const base = repository(["staging", "prod"]);
    const head = { ...without(base, "apps/api/overlays/prod"), "apps/api/overlays/production/kustomization.yaml": overlay("prod") };
    const side = (files: Files) => ({ paths: Object.keys(files), kustomization: (p: string) => files[p] ?? null });
    const plan = planRender({ changed: ["apps/api/overlays/prod/kustomization.yaml", "apps/api/overlays/production/kustomization.yaml"], sides: { base: side(base), head: side(head) } });
    expect(plan.base!.vanished).toBeUndefined();
    expect(plan.head!.roots).toEqual(["apps/api/overlays/production"]);
  });
});
