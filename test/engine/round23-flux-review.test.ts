/**
 * Held-out round 23 (a Flux repository, no Argo CD object anywhere): `review` of a pull request that renames a file a
 * kustomization still lists said "Argo CD cannot generate its manifests (ComparisonError)" and "judged as Argo CD
 * applies them", while `scan` of the same tree named Flux: the review read only the changed files and the render's
 * inputs, not the unchanged Flux Kustomization in `kubernetes/flux/config/cluster.yaml`. A few files whose path says
 * Flux are read too (see render-plan.ts `fluxKustomizationFiles`). Real git, the CLI in process.
 */
import { describe, expect, it } from "@jest/globals";
import { renameSync } from "node:fs";
import { join } from "node:path";
import { fluxKustomizationFiles, MAX_FLUX_FILES } from "../../src/core/render-plan.js";
import { findingsOf, git, gitRepo, runCli, type JsonFinding } from "../security/helpers.js";

const lines = (...l: string[]): string => `${l.join("\n")}\n`;

const files: Record<string, string> = {
  "kubernetes/flux/config/cluster.yaml": lines(
    "apiVersion: kustomize.toolkit.fluxcd.io/v1",
    "kind: Kustomization",
    "metadata: {name: cluster-apps, namespace: flux-system}",
    "spec:",
    "  path: ./kubernetes/apps",
    "  sourceRef: {kind: GitRepository, name: home-kubernetes}",
  ),
  "kubernetes/apps/networking/svc/kustomization.yaml": lines("apiVersion: kustomize.config.k8s.io/v1beta1", "kind: Kustomization", "namespace: networking", "resources:", "  - ./hass.yaml"),
  "kubernetes/apps/networking/svc/hass.yaml": lines("apiVersion: v1", "kind: Service", "metadata: {name: hass}", "spec:", "  ports: [{port: 8123}]"),
};

describe("review of a Flux repository names Flux for the build a pull request breaks", () => {
  it("reads the unchanged Flux Kustomization: the finding and the note name Flux, not Argo CD", async () => {
    const repo = gitRepo(files);
    git(repo, ["checkout", "-q", "-b", "pr"]);
    renameSync(join(repo, "kubernetes/apps/networking/svc/hass.yaml"), join(repo, "kubernetes/apps/networking/svc/home-assistant.yaml"));
    git(repo, ["add", "-A"]);
    git(repo, ["commit", "-qm", "rename"]);

    const run = await runCli(["review", "--base", "main", "--head", "pr", "--repo", repo, "--format", "json"], repo);
    const broken = (findingsOf(run) as Array<JsonFinding & { column: number }>).filter((f) => f.ruleId === "guard/parse-error");
    expect(broken.map((f) => `${f.file}:${f.line}:${f.column} ${f.status}`)).toEqual(["kubernetes/apps/networking/svc/kustomization.yaml:5:5 new"]);
    expect(broken[0]!.message).toMatch(/merged, Flux's kustomize-controller cannot build it/);
    expect(broken[0]!.message).not.toMatch(/Argo CD/);
    expect(run.code).toBe(1);
  });
});

describe("fluxKustomizationFiles", () => {
  it("keeps the YAML files whose path says Flux, not Flux's large install nor a kustomization file", () => {
    const paths = [
      "kubernetes/flux/config/cluster.yaml",
      "clusters/prod/flux-system/gotk-sync.yaml",
      "clusters/prod/flux-system/gotk-components.yaml",
      "clusters/prod/flux-system/kustomization.yaml",
      "clusters/prod/apps.yaml",
      "kubernetes/apps/web/ks.yaml",
      "kubernetes/apps/web/app/helmrelease.yaml",
      "apps/flux.md",
    ];
    expect(fluxKustomizationFiles(paths, [])).toEqual(["kubernetes/flux/config/cluster.yaml", "clusters/prod/flux-system/gotk-sync.yaml", "clusters/prod/apps.yaml", "kubernetes/apps/web/ks.yaml"]);
    expect(fluxKustomizationFiles(paths, [], (p) => p.startsWith("clusters/"))).toEqual(["kubernetes/flux/config/cluster.yaml", "kubernetes/apps/web/ks.yaml"]);
  });

  it("reads at most MAX_FLUX_FILES: half the shallowest, then the app's own ks.yaml beside the change", () => {
    const apps = Array.from({ length: 40 }, (_, i) => `kubernetes/apps/ns/app-${String(i).padStart(2, "0")}/ks.yaml`);
    const picked = fluxKustomizationFiles(["kubernetes/flux/cluster/ks.yaml", ...apps], ["kubernetes/apps/ns/app-37/app/helmrelease.yaml"]);
    expect(picked).toHaveLength(MAX_FLUX_FILES);
    expect(picked[0]).toBe("kubernetes/flux/cluster/ks.yaml");
    expect(picked).toContain("kubernetes/apps/ns/app-37/ks.yaml");
  });
});
