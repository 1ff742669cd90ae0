import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import rule from "./mutable-tag.js";

describe("image/mutable-tag", () => {
  it("flags untagged and :latest images at the image value, in every container group", () => {
    const findings = runFixture(rule, "invalid-images.yaml");
    expect(positions(findings)).toEqual([
      { line: 14, column: 18, path: "spec.template.spec.initContainers[0].image", severity: "medium" },
      { line: 17, column: 18, path: "spec.template.spec.containers[0].image", severity: "medium" },
      { line: 19, column: 18, path: "spec.template.spec.containers[1].image", severity: "medium" },
      { line: 33, column: 22, path: "spec.jobTemplate.spec.template.spec.containers[0].image", severity: "medium" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'Init container "init" in Deployment "web" uses image "busybox" with no tag, so it pulls the mutable "latest".',
      'Container "web" in Deployment "web" uses image "nginx:latest" with the mutable tag "latest".',
      'Container "sidecar" in Deployment "web" uses image "registry.example.com:5000/tools/sidecar" with no tag, so it pulls the mutable "latest".',
      'Container "job" in CronJob "nightly" uses image "ghcr.io/acme/job:latest" with the mutable tag "latest".',
    ]);
  });

  it("calls a native sidecar (an init container with restartPolicy: Always) a sidecar, as the pod rules do", () => {
    const yaml = [
      "apiVersion: v1",
      "kind: Pod",
      "metadata: {name: web}",
      "spec:",
      "  initContainers:",
      "    - {name: proxy, image: envoyproxy/envoy:latest, restartPolicy: Always}",
      "  containers:",
      "    - {name: web, image: nginx:1.27.0}",
    ].join("\n");
    expect(runRule(rule, yaml).map((f) => f.message)).toEqual(['Sidecar container "proxy" in Pod "web" uses image "envoyproxy/envoy:latest" with the mutable tag "latest".']);
  });

  it("passes version tags, digests (even with :latest), registry ports, templated images and non-workloads", () => {
    expect(runFixture(rule, "valid-images.yaml")).toEqual([]);
  });

  it("flags a latest tag a Helm values file writes, not an untagged image the chart tags", () => {
    // Reduced from a public GitOps repository: the chart of a production Application, its values pinning `latest`.
    const yaml = [
      "replicaCount: 3",
      "image:",
      "  repository: example/web-app",
      "  pullPolicy: IfNotPresent",
      '  tag: "latest"',
      "worker:",
      "  image: ghcr.io/example/worker:latest",
      "sidecar:",
      "  image:",
      "    repository: example/sidecar",
      "pinned:",
      "  image:",
      "    repository: example/pinned",
      "    tag: latest",
      "    digest: sha256:0a6f2f0b1c0e4c1a5d3a9d8f2e6b7c4a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c",
      "",
    ].join("\n");
    const findings = runRule(rule, yaml, { file: "apps/web-app/helm/values.yaml" });
    expect(positions(findings)).toEqual([
      { line: 5, column: 8, path: "image.tag", severity: "medium" },
      { line: 7, column: 10, path: "worker.image", severity: "medium" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'Helm values image sets image "example/web-app:latest" with the mutable tag "latest".',
      'Helm values worker.image sets image "ghcr.io/example/worker:latest" with the mutable tag "latest".',
    ]);
    // The same text under a name that is no values file is not Helm values.
    expect(runRule(rule, yaml, { file: "apps/web-app/config.yaml" })).toEqual([]);
  });

  it("options.tags: the configured tags count as mutable instead of only latest; a missing tag always does", () => {
    const yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: nginx:main\n    - name: b\n      image: nginx:latest\n    - name: c\n      image: nginx\n";
    const config = { rules: { "image/mutable-tag": { options: { tags: ["main"] } } } };
    expect(runRule(rule, yaml, { config }).map((f) => f.message)).toEqual([
      'Container "a" in Pod "p" uses image "nginx:main" with the mutable tag "main".',
      'Container "c" in Pod "p" uses image "nginx" with no tag, so it pulls the mutable "latest".',
    ]);
  });
});
