/**
 * A kustomization with `replacements:` is rendered (it used to fall back to file-by-file review), and a risky value
 * a replacement copies into a workload is reported at the line of the value it copied.
 */
import { describe, expect, it } from "@jest/globals";
import { API, lines, reviewRepo, scanRepo, where, type Files } from "./kustomize-helpers.js";

const SETTINGS = lines(
  "apiVersion: v1", // 1
  "kind: ConfigMap", // 2
  "metadata:", // 3
  "  name: api-settings", // 4
  "data:", // 5
  "  image: ghcr.io/acme/api", // 6
  '  privileged: "true"', // 7
);

const KUSTOMIZATION = lines(
  "resources:", // 1
  "  - deployment.yaml", // 2
  "  - settings.yaml", // 3
  "replacements:", // 4
  "  - source: {kind: ConfigMap, name: api-settings, fieldPath: data.image}", // 5
  "    targets:", // 6
  "      - select: {kind: Deployment, name: api}", // 7
  "        fieldPaths: ['spec.template.spec.containers.[name=api].image']", // 8
  "  - source: {kind: ConfigMap, name: api-settings, fieldPath: data.privileged}", // 9
  "    targets:", // 10
  "      - select: {kind: Deployment, name: api}", // 11
  "        fieldPaths: ['spec.template.spec.containers.[name=api].securityContext.privileged']", // 12
  "        options: {create: true}", // 13
);

const repo: Files = {
  "apps/api/deployment.yaml": API,
  "apps/api/settings.yaml": SETTINGS,
  "apps/api/kustomization.yaml": KUSTOMIZATION,
};

describe("Kustomize replacements in reviews", () => {
  it("renders a root with replacements instead of reviewing its files one by one", () => {
    const r = scanRepo(repo);
    expect(r.notes.filter((n) => n.includes("was not rendered"))).toEqual([]);
    expect(r.notes).toContain("Kustomize: rendered in process and judged as Argo CD applies them: apps/api");
  });

  it("reports an untagged image and privileged: true a replacement copies, at the ConfigMap lines they come from", () => {
    const r = scanRepo(repo);
    expect(where(r, "image/mutable-tag", "k8s/privileged-container").sort()).toEqual([
      "image/mutable-tag apps/api/settings.yaml:6:10 new",
      "k8s/privileged-container apps/api/settings.yaml:7:15 new",
    ]);
    // File by file, the Deployment's own tag and privileges pass: the risk only exists in the render.
    expect(where(scanRepo(repo, { render: false }), "image/mutable-tag", "k8s/privileged-container")).toEqual([]);
  });

  it("in a pull request, reports the risk a changed source value brings through the replacement as new, at that line", () => {
    const before: Files = { ...repo, "apps/api/settings.yaml": SETTINGS.replace("ghcr.io/acme/api\n", "ghcr.io/acme/api:1.0.0\n").replace('"true"', '"false"') };
    const r = reviewRepo(before, repo);
    expect(where(r, "image/mutable-tag", "k8s/privileged-container").sort()).toEqual([
      "image/mutable-tag apps/api/settings.yaml:6:10 new",
      "k8s/privileged-container apps/api/settings.yaml:7:15 new",
    ]);
    expect(r.notes.filter((n) => n.includes("was not rendered"))).toEqual([]);
  });
});
