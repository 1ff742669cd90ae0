/**
 * A kustomization with `configurations:` is rendered (it used to fall back to file-by-file review): an Argo
 * Rollout whose base carries Argo Rollouts' kustomize config and whose overlay pins the image is judged as the
 * overlay renders it.
 */
import { describe, expect, it } from "@jest/globals";
import { API, lines, reviewRepo, scanRepo, where, type Files } from "./kustomize-helpers.js";

/** The complete API Deployment as an Argo Rollout, with an untagged image (line 18) the overlay pins. */
const ROLLOUT = API.replace("apiVersion: apps/v1\nkind: Deployment\n", "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\n").replace("ghcr.io/acme/api:1.0.0", "ghcr.io/acme/api");

/** Argo Rollouts' documented kustomize config, trimmed to the fields this test uses. */
const ROLLOUT_CONFIG = lines(
  "images:",
  "  - path: spec/template/spec/containers[]/image",
  "    kind: Rollout",
  "    create: true",
  "commonLabels:",
  "  - path: spec/selector/matchLabels",
  "    kind: Rollout",
  "    create: true",
  "  - path: spec/template/metadata/labels",
  "    kind: Rollout",
  "    create: true",
);

const repo: Files = {
  "apps/api/base/rollout.yaml": ROLLOUT,
  "apps/api/base/rollout-transform.yaml": ROLLOUT_CONFIG,
  "apps/api/base/kustomization.yaml": lines("resources:", "  - rollout.yaml", "configurations:", "  - rollout-transform.yaml"),
  "apps/api/overlays/prod/kustomization.yaml": lines(
    "resources:", // 1
    "  - ../../base", // 2
    "commonLabels:", // 3
    "  env: prod", // 4
    "images:", // 5
    "  - name: ghcr.io/acme/api", // 6
    "    newTag: 1.4.2", // 7
  ),
};

describe("Kustomize configurations in reviews", () => {
  it("renders a root whose base has configurations: instead of reviewing its files one by one", () => {
    const r = scanRepo(repo);
    expect(r.notes.filter((n) => n.includes("was not rendered"))).toEqual([]);
    expect(r.notes).toContain("Kustomize: rendered in process and judged as Argo CD applies them: apps/api/overlays/prod");
  });

  it("does not report the base Rollout's untagged image, which the overlay's images: pins", () => {
    expect(where(scanRepo(repo), "image/mutable-tag")).toEqual([]);
    // File by file, the base's untagged image is reported: the pin only exists in the render.
    expect(where(scanRepo(repo, { render: false }), "image/mutable-tag")).toEqual(["image/mutable-tag apps/api/base/rollout.yaml:18:18 new"]);
  });

  it("in a pull request that drops the pin, reports the untagged image as new, at the base's line", () => {
    const head: Files = { ...repo, "apps/api/overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base", "commonLabels:", "  env: prod") };
    const r = reviewRepo(repo, head);
    expect(where(r, "image/mutable-tag")).toEqual(["image/mutable-tag apps/api/base/rollout.yaml:18:18 new"]);
    expect(r.notes.filter((n) => n.includes("was not rendered"))).toEqual([]);
  });

  it("a broken configurations file is a note with its reason, and the files are reviewed one by one", () => {
    const broken: Files = { ...repo, "apps/api/base/rollout-transform.yaml": "images: spec/template\n" };
    const r = scanRepo(broken);
    expect(r.notes.some((n) => n.startsWith("Kustomize: apps/api/overlays/prod was not rendered (") && n.includes("rollout-transform.yaml: invalid transformer configuration: images: expected a list"))).toBe(true);
    expect(where(r, "image/mutable-tag")).toEqual(["image/mutable-tag apps/api/base/rollout.yaml:18:18 new"]);
  });
});
