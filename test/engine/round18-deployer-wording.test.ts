/**
 * Held-out round 18: in a repository Flux deploys (no Argo CD object anywhere), the render note said the roots were
 * "judged as Argo CD applies them" and a broken build's finding that "Argo CD cannot generate its manifests". The
 * review names Flux where it knows Flux applies the root, and no deployer where it knows only that Flux deploys the
 * repository; a repository with neither keeps Argo CD, the deployer the review is written for.
 */
import { describe, expect, it } from "@jest/globals";
import { lines, reviewRepo, where, type Files } from "./kustomize-helpers.js";

const base: Files = {
  "apps/web/base/kustomization.yaml": lines("resources:", "  - cm.yaml"),
  "apps/web/base/cm.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: web}", "data: {a: b}"),
  "apps/web/components/extra/kustomization.yaml": lines("apiVersion: kustomize.config.k8s.io/v1alpha1", "kind: Component", "commonAnnotations: {team: web}"),
  "apps/web/overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base", "components:", "  - ../../components/extra"),
};

const flux = (path: string) =>
  lines("apiVersion: kustomize.toolkit.fluxcd.io/v1", "kind: Kustomization", "metadata: {name: apps, namespace: flux-system}", "spec:", `  path: ${path}`, "  sourceRef: {kind: GitRepository, name: flux-system}");

/** The base with `extra` added, and the head that changes the overlay's ConfigMap (a render) or deletes the component (a break). */
function reviews(extra: Files): { edited: ReturnType<typeof reviewRepo>; broken: ReturnType<typeof reviewRepo> } {
  const b = { ...base, ...extra };
  const edited = { ...b, "apps/web/base/cm.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: web}", "data: {a: c}") };
  const broken = { ...b };
  delete broken["apps/web/components/extra/kustomization.yaml"];
  return { edited: reviewRepo(b, edited), broken: reviewRepo(b, broken) };
}

const brokenMessage = (r: ReturnType<typeof reviewRepo>): string => r.findings.find((f) => f.ruleId === "guard/parse-error")!.message;

describe("who applies a rendered root, in the notes and the broken-build finding", () => {
  it("a Flux Kustomization applies the root: the note and the finding name Flux", () => {
    const { edited, broken } = reviews({ "clusters/prod/apps.yaml": flux("./apps/web/overlays/prod") });
    expect(edited.notes).toContain("Kustomize: rendered in process and judged as Flux applies them: apps/web/overlays/prod");
    expect(where(broken, "guard/parse-error")).toEqual(["guard/parse-error apps/web/overlays/prod/kustomization.yaml:4:5 new"]);
    expect(brokenMessage(broken)).toMatch(/merged, Flux's kustomize-controller cannot build it/);
    expect(brokenMessage(broken)).not.toMatch(/Argo CD cannot generate/);
  });

  it("Flux's bootstrap in the tree, no Argo CD object: Flux applies the repository, so the root", () => {
    const { edited, broken } = reviews({ "clusters/prod/flux-system/gotk-sync.yaml": flux("./clusters/prod") });
    expect(edited.notes).toContain("Kustomize: rendered in process and judged as Flux applies them: apps/web/overlays/prod");
    expect(brokenMessage(broken)).toMatch(/merged, Flux's kustomize-controller cannot build it/);
  });

  it("Flux known but only for another path, no bootstrap: the deployer is not named", () => {
    const { edited, broken } = reviews({ "clusters/prod/infra.yaml": flux("./infrastructure") });
    expect(edited.notes).toContain("Kustomize: rendered in process and judged as deployed: apps/web/overlays/prod");
    expect(brokenMessage(broken)).toMatch(/merged, the deployer cannot build it \(Argo CD reports ComparisonError, Flux's Kustomization BuildFailed\)/);
  });

  it("no deployer known at all: Argo CD, as before", () => {
    const { edited, broken } = reviews({});
    expect(edited.notes).toContain("Kustomize: rendered in process and judged as Argo CD applies them: apps/web/overlays/prod");
    expect(brokenMessage(broken)).toMatch(/merged, Argo CD cannot generate its manifests \(ComparisonError\)/);
  });
});
