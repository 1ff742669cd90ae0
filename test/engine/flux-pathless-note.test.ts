/**
 * A Flux Kustomization left pointing at a directory the pull request removes is named in a note (held-out round 18: an
 * overlay renamed under a Flux Kustomization's `spec.path` passed without a word).
 */
import { describe, expect, it } from "@jest/globals";
import { lines, reviewRepo, type Files } from "./kustomize-helpers.js";

const flux = (path: string): string =>
  lines("apiVersion: kustomize.toolkit.fluxcd.io/v1", "kind: Kustomization", "metadata: {name: web, namespace: flux-system}", "spec:", "  interval: 10m", `  path: ${path}`, "  prune: true", "  sourceRef: {kind: GitRepository, name: flux-system}");
const cm = lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: web}", "data: {a: b}");
const base: Files = {
  "clusters/prod/web.yaml": flux("./apps/web-old"),
  "apps/web-old/kustomization.yaml": lines("resources:", "  - cm.yaml"),
  "apps/web-old/cm.yaml": cm,
};
const renamed: Files = { "clusters/prod/web.yaml": base["clusters/prod/web.yaml"]!, "apps/web/kustomization.yaml": base["apps/web-old/kustomization.yaml"]!, "apps/web/cm.yaml": cm };
const fluxNotes = (notes: readonly string[] | undefined): string[] => (notes ?? []).filter((n) => n.startsWith("a Flux Kustomization"));

describe("Flux Kustomizations left pointing at a removed directory", () => {
  it("are named in a note when the pull request renames the directory and leaves the Kustomization", () => {
    const notes = fluxNotes(reviewRepo(base, renamed).notes);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain("(apps/web-old)");
  });

  it("are quiet when the same pull request updates spec.path, or removes nothing", () => {
    expect(fluxNotes(reviewRepo(base, { ...renamed, "clusters/prod/web.yaml": flux("./apps/web") }).notes)).toEqual([]);
    expect(fluxNotes(reviewRepo(base, { ...base, "apps/web-old/cm.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: web}", "data: {a: c}") }).notes)).toEqual([]);
  });
});
