/**
 * An Argo CD Application's own `kustomize` overrides are applied to the root it points at before the render, as
 * Argo CD's repo-server does: a base's untagged image pinned only by the Application is not a mutable tag, and a
 * value an override writes is reported at the Application's line.
 */
import { describe, expect, it } from "@jest/globals";
import { parseConfig } from "../../src/core/config.js";
import { fingerprint } from "../../src/core/fingerprint.js";
import { mapSide } from "../../src/core/repository.js";
import { prepareReview } from "../../src/core/review.js";
import { ALL_RULES, RULE_IDS } from "../../src/rules/index.js";
import { API, lines, NOW, only, reviewRepo, scanRepo, where, type Files } from "./kustomize-helpers.js";

/** A Deployment that passes every rule except the image tag: the image (line 18) has none. */
const UNTAGGED = API.replace("image: ghcr.io/acme/api:1.0.0", "image: ghcr.io/acme/api");

const KUSTOMIZATION = lines("resources:", "  - deployment.yaml");

/** An Application pointing at apps/api, with the given lines under `spec.source.kustomize` (from line 13). */
const application = (...kustomize: string[]): string =>
  lines(
    "apiVersion: argoproj.io/v1alpha1", // 1
    "kind: Application", // 2
    "metadata:", // 3
    "  name: api", // 4
    "  namespace: argocd", // 5
    "spec:", // 6
    "  project: default", // 7
    "  destination: {server: https://kubernetes.default.svc, namespace: api}", // 8
    "  source:", // 9
    "    repoURL: https://github.com/acme/deploy", // 10
    "    targetRevision: main", // 11
    "    path: apps/api", // 12
    ...(kustomize.length ? ["    kustomize:", ...kustomize.map((l) => `      ${l}`)] : []), // 13, 14 …
  );

const tree = (app: string): Files => ({
  "apps/api/deployment.yaml": UNTAGGED,
  "apps/api/kustomization.yaml": KUSTOMIZATION,
  "argocd/api.yaml": app,
});

describe("scan: an Application's kustomize overrides are applied to its path", () => {
  it("the plain tree has a mutable-tag finding at the base's image line", () => {
    const r = scanRepo(tree(application()));
    expect(where(r, "image/mutable-tag")).toEqual(["image/mutable-tag apps/api/deployment.yaml:18:18 new"]);
  });

  it("an Application's kustomize.patches entry whose target matches nothing: the note names the Application's line, not the kustomization (held-out round 25)", () => {
    const r = scanRepo(tree(application("patches:", "  - target: {kind: StatefulSet}", "    patch: '[{op: add, path: /spec/template/spec/hostPID, value: true}]'")));
    expect(r.notes).toContain("Kustomize: argocd/api.yaml:15: an Application's kustomize.patches entry for apps/api/kustomization.yaml: the target matches no resource");
  });

  it("an untagged base image pinned only by the Application's kustomize.images is not a mutable tag", () => {
    const r = scanRepo(tree(application("images:", "  - ghcr.io/acme/api:1.2.3")));
    expect(only(r, "image/mutable-tag")).toEqual([]);
    // The render ran, with the Application's overrides.
    expect(r.notes.join("\n")).toContain("apps/api with the kustomize overrides of Application argocd/api");
  });

  it("a value an override writes is reported at the Application's line, and the finding names the Application", () => {
    const r = scanRepo(tree(application("images:", "  - ghcr.io/acme/api:latest")));
    const found = only(r, "image/mutable-tag");
    expect(found.map((f) => `${f.file}:${f.line}:${f.column}`)).toEqual(["argocd/api.yaml:15:11"]);
    expect(found[0]!.message).toMatch(/\[Kustomize: rendered from apps\/api with the kustomize overrides of Application argocd\/api\]$/);
    expect(found[0]!.renderedFrom).toEqual(["apps/api with the kustomize overrides of Application argocd/api"]);
  });

  it("a tag the Application sets is at its line, a registry the base wrote at the base's line; a new name at the Application's (issue 1532)", () => {
    const config = { images: { allowedRegistries: ["docker.io/library"] } };
    const retag = scanRepo(tree(application("images:", "  - ghcr.io/acme/api:latest")), { config });
    expect(where(retag, "image/mutable-tag", "image/untrusted-registry").sort()).toEqual([
      "image/mutable-tag argocd/api.yaml:15:11 new",
      "image/untrusted-registry apps/api/deployment.yaml:18:18 new",
    ]);
    const renamed = scanRepo(tree(application("images:", "  - ghcr.io/acme/api=quay.io/random/api")), { config });
    // The base's image has no tag: the missing tag is the base's.
    expect(where(renamed, "image/mutable-tag", "image/untrusted-registry").sort()).toEqual([
      "image/mutable-tag apps/api/deployment.yaml:18:18 new",
      "image/untrusted-registry argocd/api.yaml:15:11 new",
    ]);
  });

  it("an override's namespace and labels land at the Application's lines", () => {
    const files = tree(application("namespace: payments", "commonLabels:", "  team: payments"));
    const yaml = Object.entries(files).map(([path, content]) => ({ path, status: "added" as const, head: content }));
    const prepared = prepareReview({ changes: yaml, config: parseConfig({}, RULE_IDS), rules: ALL_RULES, now: NOW, repository: { head: mapSide(new Map(Object.entries(files))) } });
    const api = [...prepared.documents("head")].find((d) => d.resource.kind === "Deployment")!;
    expect(api.resource).toMatchObject({ namespace: "payments", name: "api" });
    const at = (path: Array<string | number>) => {
      const r = api.locate(path) as { file?: string; line: number; column: number };
      return `${r.file}:${r.line}:${r.column}`;
    };
    expect(at(["metadata", "namespace"])).toBe("argocd/api.yaml:14:18");
    expect(at(["metadata", "labels", "team"])).toBe("argocd/api.yaml:16:15");
    // commonLabels reach the selector and the template too, as `kustomize edit add label` (with selectors) does.
    expect(at(["spec", "selector", "matchLabels", "team"])).toBe("argocd/api.yaml:16:15");
    expect(at(["spec", "template", "metadata", "labels", "team"])).toBe("argocd/api.yaml:16:15");
    // Values the overrides do not touch still point at the base.
    expect(at(["spec", "template", "spec", "containers", 0, "image"])).toBe("apps/api/deployment.yaml:18:18");
  });

  it("two Applications with the same overrides are one render; a plain Application adds the plain render", () => {
    const twin = application("images:", "  - ghcr.io/acme/api:1.2.3").replace("name: api\n", "name: api-twin\n");
    const files = { ...tree(application("images:", "  - ghcr.io/acme/api:1.2.3")), "argocd/twin.yaml": twin };
    const r = scanRepo(files);
    const rendered = r.notes.find((n) => n.startsWith("Kustomize: rendered in process"))!;
    expect(rendered).toContain("apps/api with the kustomize overrides of Application argocd/api, argocd/api-twin");
    expect(only(r, "image/mutable-tag")).toEqual([]);
    const plain = scanRepo({ ...files, "argocd/plain.yaml": application().replace("name: api\n", "name: api-plain\n") });
    expect(where(plain, "image/mutable-tag")).toEqual(["image/mutable-tag apps/api/deployment.yaml:18:18 new"]);
    expect(only(plain, "image/mutable-tag")[0]!.renderedFrom).toEqual(["apps/api"]);
  });

  it("an override Argo CD refuses (an image argument of no known form) leaves the root to file-by-file review, with a note", () => {
    const r = scanRepo(tree(application("images:", "  - ghcr.io/acme/api")));
    expect(r.notes.join("\n")).toMatch(/apps\/api with the kustomize overrides of Application argocd\/api was not rendered \(Argo CD kustomize\.images\[0\] "ghcr\.io\/acme\/api": invalid format of image/);
  });
});

describe("review: a pull request that changes only an Application's kustomize.images", () => {
  it("an image override turned mutable is a new finding at the Application's line; the root's other findings keep their fingerprints", () => {
    const base = tree(application("images:", "  - ghcr.io/acme/api:1.2.3"));
    const head = tree(application("images:", "  - ghcr.io/acme/api:latest"));
    const r = reviewRepo(base, head);
    expect(where(r, "image/mutable-tag")).toEqual(["image/mutable-tag argocd/api.yaml:15:11 new"]);
    // Nothing else in the render turned new or fixed: fingerprints do not depend on the overrides.
    expect(r.findings.filter((f) => f.status !== "existing" && f.ruleId !== "image/mutable-tag")).toEqual([]);
  });

  it("adding the overrides to a plain Application fixes the base's mutable tag", () => {
    const r = reviewRepo(tree(application()), tree(application("images:", "  - ghcr.io/acme/api:1.2.3")));
    expect(where(r, "image/mutable-tag")).toEqual(["image/mutable-tag apps/api/deployment.yaml:18:18 fixed"]);
  });

  it("the fingerprint of a rendered finding is the root's, whatever the overrides", () => {
    const r = scanRepo(tree(application("images:", "  - ghcr.io/acme/api:latest")));
    const f = only(r, "image/mutable-tag")[0]!;
    expect(f.path).toBe("spec.template.spec.containers[0].image");
    const identity = 'spec.template.spec.containers[name="api"].image';
    expect(f.fingerprint).toBe(fingerprint({ ...f, renderScope: { root: "apps/api", resourceKey: "Deployment//api", identity } }));
  });
});

describe("review: a pull request that changes only an ApplicationSet's list element the overrides read", () => {
  const appset = (tag: string): string =>
    lines(
      "apiVersion: argoproj.io/v1alpha1",
      "kind: ApplicationSet",
      "metadata: {name: api, namespace: argocd}",
      "spec:",
      "  generators:",
      "    - list:",
      "        elements:",
      "          - env: prod",
      `            tag: ${tag}`, // 9
      "  template:",
      "    metadata: {name: 'api-{{env}}'}",
      "    spec:",
      "      project: api",
      "      source:",
      "        repoURL: https://github.com/acme/deploy",
      "        path: apps/api",
      "        kustomize:",
      "          images:",
      "            - 'ghcr.io/acme/api:{{tag}}'", // 19
      "      destination: {name: prod, namespace: api}",
    );
  const files = (tag: string): Files => ({ "apps/api/deployment.yaml": UNTAGGED, "apps/api/kustomization.yaml": KUSTOMIZATION, "argocd/api-appset.yaml": appset(tag) });

  it("finds the tag the element writes at the element's line, the line the pull request changed (held-out round 11)", () => {
    const r = reviewRepo(files("1.2.3"), files("latest"));
    expect(where(r, "image/mutable-tag")).toEqual(["image/mutable-tag argocd/api-appset.yaml:9:18 new"]);
  });
});
