/**
 * A pull request that deletes one overlay of several: the base lines the other overlays still apply are not
 * `fixed` (the overlays that share files with it are rendered on both sides); an Argo CD Application left pointing
 * at a directory that is gone (or at a misspelt one) is named in a note.
 */
import { describe, expect, it } from "@jest/globals";
import { parseConfig } from "../../src/core/config.js";
import { applicationFilesFor, planRender, MAX_APPLICATION_FILES, MAX_SHARING_ROOTS } from "../../src/core/render-plan.js";
import { mapSide } from "../../src/core/repository.js";
import { review, type ReviewResult } from "../../src/core/review.js";
import { ALL_RULES, RULE_IDS } from "../../src/rules/index.js";
import { BARE_API, NOW, changesBetween, lines, reviewRepo, where, type Files } from "./kustomize-helpers.js";

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

const app = (name: string, path: string, repoURL = "https://github.com/acme/apps.git") =>
  lines(
    "apiVersion: argoproj.io/v1alpha1",
    "kind: Application",
    `metadata: {name: ${name}, namespace: argocd}`,
    "spec:",
    "  project: api",
    `  source: {repoURL: "${repoURL}", targetRevision: v1.0.0, path: "${path}"}`,
    "  destination: {name: prod, namespace: api}",
  );

/** `review` with the repository under review known (`owner/name`): sources of other repositories are not its paths. */
function reviewOf(identity: string, base: Files, head: Files): ReviewResult {
  const { changes, changed } = changesBetween(base, head);
  const repository = { base: mapSide(new Map(Object.entries(base))), head: mapSide(new Map(Object.entries(head))), changed, identity };
  return review({ changes, config: parseConfig({}, RULE_IDS), rules: ALL_RULES, now: NOW, repository });
}

/**
 * What the review says of Applications left without their path: a blocking `guard/parse-error` finding when the pull
 * request surely broke it (its message), a note when the path may be another repository's.
 */
const missingPath = (r: ReviewResult): string[] =>
  [...r.findings.filter((f) => f.ruleId === "guard/parse-error").map((f) => f.message), ...r.notes].filter((n) => n.includes("app path does not exist"));

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

describe("an Argo CD Application whose path is not a directory of the repository", () => {
  const argo = (path: string, repoURL?: string): Files => ({ "argocd/api-prod.yaml": app("api-prod", path, repoURL) });

  it("a pull request that deletes the overlay an unchanged Application points at: a note names both", () => {
    const base = repository(["staging", "prod"], argo("apps/api/overlays/prod"));
    const r = reviewRepo(base, without(base, "apps/api/overlays/prod"));
    expect(missingPath(r)).toContain(
      'Argo CD Application "api-prod" (argocd/api-prod.yaml) points at path "apps/api/overlays/prod", but this pull request removes that directory: Argo CD will fail to generate its manifests ("app path does not exist"): it deploys nothing from it and prunes nothing it applied',
    );
  });

  it("finds the Application in a file kept for Applications whatever its name says (held-out round 13: applications/app-audio.yaml)", () => {
    const base = repository(["staging", "right-sized-candidate"], { "applications/app-audio.yaml": app("audio", "apps/api/overlays/right-sized-candidate") });
    const r = reviewRepo(base, without(base, "apps/api/overlays/right-sized-candidate"));
    expect(missingPath(r)).toEqual([
      'Argo CD Application "audio" (applications/app-audio.yaml) points at path "apps/api/overlays/right-sized-candidate", but this pull request removes that directory: Argo CD will fail to generate its manifests ("app path does not exist"): it deploys nothing from it and prunes nothing it applied',
    ]);
  });

  it("an overlay renamed under an unchanged Application in a file read for Argo CD objects: a note names it (held-out round 14)", () => {
    const base = repository(["staging", "prod"], { "apps/api.yaml": app("api", "apps/api/overlays/prod") });
    const head = { ...without(base, "apps/api/overlays/prod"), "apps/api/overlays/production/kustomization.yaml": overlay("prod") };
    expect(missingPath(reviewRepo(base, head))).toEqual([
      'Argo CD Application "api" (apps/api.yaml) points at path "apps/api/overlays/prod", but this pull request removes that directory: Argo CD will fail to generate its manifests ("app path does not exist"): it deploys nothing from it and prunes nothing it applied',
    ]);
  });

  it("a deleted overlay an Application still points at fixes nothing: Argo CD fails there and leaves its objects running", () => {
    const withPatch = (files: Files): Files => ({
      ...files,
      "apps/api/overlays/prod/kustomization.yaml": overlay("prod", "patches:", "  - path: privileged.yaml"),
      "apps/api/overlays/prod/privileged.yaml": lines("apiVersion: apps/v1", "kind: Deployment", "metadata: {name: api}", "spec:", "  template:", "    spec:", "      containers:", "        - name: api", "          securityContext: {privileged: true}"),
    });
    const pointed = withPatch(repository(["staging", "prod"], argo("apps/api/overlays/prod")));
    const r = reviewRepo(pointed, without(pointed, "apps/api/overlays/prod"));
    expect(r.findings.filter((f) => f.status === "fixed")).toEqual([]);
    expect(missingPath(r)).toHaveLength(1);
    // Its Application deleted along with it: Argo CD prunes (or leaves, without a finalizer) what it applied — fixed.
    const alone = withPatch(repository(["staging", "prod"]));
    expect(where(reviewRepo(alone, without(alone, "apps/api/overlays/prod")), "k8s/privileged-container")).toEqual(["k8s/privileged-container apps/api/overlays/prod/privileged.yaml:9:41 fixed"]);
  });

  it("an ApplicationSet whose list still generates an Application for a deleted overlay: a note, and nothing fixed", () => {
    const set = lines(
      "apiVersion: argoproj.io/v1alpha1",
      "kind: ApplicationSet",
      "metadata: {name: api, namespace: argocd}",
      "spec:",
      "  generators:",
      "    - list:",
      "        elements:",
      "          - {env: staging}",
      "          - {env: prod}",
      "  template:",
      "    metadata: {name: 'api-{{env}}'}",
      "    spec:",
      "      project: api",
      "      source: {repoURL: https://github.com/acme/apps.git, targetRevision: v1.0.0, path: 'apps/api/overlays/{{env}}'}",
      "      destination: {name: prod, namespace: api}",
    );
    const base = repository(["staging", "prod"], { "argocd/applicationset-api.yaml": set });
    const r = reviewRepo(base, without(base, "apps/api/overlays/prod"));
    expect(missingPath(r)).toEqual([
      'An Argo CD Application the ApplicationSet in argocd/applicationset-api.yaml generates from its list element "env: prod" (env, line 9) points at path "apps/api/overlays/prod", but this pull request removes that directory: Argo CD will fail to generate its manifests ("app path does not exist"): it deploys nothing from it and prunes nothing it applied',
    ]);
    expect(r.findings.filter((f) => f.status === "fixed")).toEqual([]);
  });

  it("an ApplicationSet whose list element (or git config file) still names a removed overlay, following main: a blocking finding as for an Application (held-out round 16)", () => {
    const set = (generators: readonly string[], path: string): Files => ({
      "argocd/applicationset-api.yaml": lines(
        "apiVersion: argoproj.io/v1alpha1",
        "kind: ApplicationSet",
        "metadata: {name: api, namespace: argocd}",
        "spec:",
        "  generators:",
        ...generators,
        "  template:",
        "    metadata: {name: 'api-{{env}}'}",
        "    spec:",
        "      project: api",
        "      source:",
        "        repoURL: https://github.com/acme/apps.git",
        "        targetRevision: main",
        `        path: '${path}'`,
        "      destination: {name: prod, namespace: api}",
      ),
    });
    const list = ["    - list:", "        elements:", "          - {env: staging}", "          - {env: prod}"];
    // The template's path filled in from the element: at the element's value (`prod`, line 9), the one to change
    // (held-out round 23: it was the template's path: line, column 1).
    const base = repository(["staging", "prod"], set(list, "apps/api/overlays/{{env}}"));
    const r = reviewOf("acme/apps", base, without(base, "apps/api/overlays/prod"));
    expect(where(r, "guard/parse-error")).toEqual(["guard/parse-error argocd/applicationset-api.yaml:9:19 new"]);
    expect(r.conclusion).toBe("failure");
    // The element writes the whole path: at the element's line, the one to change.
    const whole = ["    - list:", "        elements:", "          - {env: staging, path: apps/api/overlays/staging}", "          - {env: prod, path: apps/api/overlays/prod}"];
    const byElement = repository(["staging", "prod"], set(whole, "{{path}}"));
    expect(where(reviewOf("acme/apps", byElement, without(byElement, "apps/api/overlays/prod")), "guard/parse-error")).toEqual(["guard/parse-error argocd/applicationset-api.yaml:9:31 new"]);
    // A git files generator's config file left in place: its Application stays too (at the template's path: value).
    const files = ["    - git:", "        repoURL: https://github.com/acme/apps.git", "        revision: main", "        files: [{path: 'envs/*.json'}]"];
    const configs = repository(["staging", "prod"], { ...set(files, "apps/api/overlays/{{env}}"), "envs/prod.json": '{"env": "prod"}\n' });
    expect(where(reviewOf("acme/apps", configs, without(configs, "apps/api/overlays/prod")), "guard/parse-error")).toEqual(["guard/parse-error argocd/applicationset-api.yaml:17:15 new"]);
    // A git directories generator's Application goes away with its directory (argocd/app-deleted's): a note only.
    const dirs = ["    - git:", "        repoURL: https://github.com/acme/apps.git", "        revision: main", "        directories: [{path: 'apps/*'}]"];
    const byDirectory = repository(["staging", "prod"], set(dirs, "{{path}}/overlays/prod"));
    const d = reviewOf("acme/apps", byDirectory, without(byDirectory, "apps/api/overlays/prod"));
    expect(where(d, "guard/parse-error")).toEqual([]);
    expect(missingPath(d)).toHaveLength(1);
    // Pinned to a tag, or the repository under review unknown: a note.
    const pinned = repository(["staging", "prod"], set(list, "apps/api/overlays/{{env}}"));
    pinned["argocd/applicationset-api.yaml"] = pinned["argocd/applicationset-api.yaml"]!.replace("targetRevision: main", "targetRevision: v1.0.0");
    expect(where(reviewOf("acme/apps", pinned, without(pinned, "apps/api/overlays/prod")), "guard/parse-error")).toEqual([]);
    expect(where(reviewRepo(base, without(base, "apps/api/overlays/prod")), "guard/parse-error")).toEqual([]);
  });

  it("a pull request that points an Application at a misspelt directory: a blocking finding at its path: line (held-out round 14)", () => {
    const head = (path: string): Files => ({ "argocd/api-prod.yaml": app("api-prod", path).replace("targetRevision: v1.0.0", "targetRevision: HEAD") });
    const base = repository(["staging", "prod"], head("apps/api/overlays/prod"));
    const r = reviewOf("acme/apps", base, { ...base, ...head("apps/api/overlays/prdo") });
    expect(missingPath(r)).toEqual([
      'Argo CD Application "api-prod" (argocd/api-prod.yaml) points at path "apps/api/overlays/prdo", but no such directory exists in this repository: Argo CD will fail to generate its manifests ("app path does not exist"): it deploys nothing from it and prunes nothing it applied',
    ]);
    expect(where(r, "guard/parse-error")).toEqual(["guard/parse-error argocd/api-prod.yaml:6:85 new"]);
    expect(r.conclusion).toBe("failure");
    // Deleting the directory an unchanged Application points at: the same, at that Application's path: line — when the
    // Application follows the branch the pull request merges into (no targetRevision, HEAD, main, master).
    const tracking = repository(["staging", "prod"], { "argocd/api-prod.yaml": app("api-prod", "apps/api/overlays/prod").replace("targetRevision: v1.0.0", "targetRevision: main") });
    const gone = reviewOf("acme/apps", tracking, without(tracking, "apps/api/overlays/prod"));
    expect(where(gone, "guard/parse-error")).toEqual(["guard/parse-error argocd/api-prod.yaml:6:85 new"]);
    expect(gone.conclusion).toBe("failure");
  });

  it("an Application pinned to a tag, or of a repository that may be another's, or whose path is a symbolic link: a note, not a blocking finding (held-out round 15)", () => {
    // Pinned to v1.0.0 (the helper's default): Argo CD reads the tag, which this pull request does not change.
    const base = repository(["staging", "prod"], argo("apps/api/overlays/prod"));
    const pinned = reviewOf("acme/apps", base, without(base, "apps/api/overlays/prod"));
    expect(where(pinned, "guard/parse-error")).toEqual([]);
    expect(missingPath(pinned)).toHaveLength(1);
    // The repository under review unknown and the Application's source another repository's: a note.
    const other = repository(["staging", "prod"], { "argocd/api-prod.yaml": app("api-prod", "apps/api/overlays/prod", "https://github.com/other-org/config.git").replace("targetRevision: v1.0.0", "targetRevision: HEAD") });
    const foreign = reviewRepo(other, without(other, "apps/api/overlays/prod"));
    expect(where(foreign, "guard/parse-error")).toEqual([]);
    // Renamed, a symbolic link left at the old path (listed by the adapters apart from files): nothing to say.
    const tracking = repository(["staging", "prod"], { "argocd/api-prod.yaml": app("api-prod", "apps/api/overlays/prod").replace("targetRevision: v1.0.0", "targetRevision: HEAD") });
    const renamed = { ...without(tracking, "apps/api/overlays/prod"), "apps/api/overlays/production/kustomization.yaml": overlay("prod") };
    const linked = reviewRepo(tracking, renamed, { links: ["apps/api/overlays/prod"] });
    expect(where(linked, "guard/parse-error")).toEqual([]);
    expect(missingPath(linked)).toEqual([]);
    expect(missingPath(reviewRepo(tracking, renamed))).toHaveLength(1);
  });

  it("with the repository under review unknown, a path neither side has may be another repository's: the note names the source's repository and does not call it missing", () => {
    const base = repository(["staging", "prod"], argo("apps/api/overlays/prod"));
    const r = reviewRepo(base, { ...base, ...argo("manifests/coredns", "https://token@github.com/acme/platform.git") });
    expect(missingPath(r)).toEqual([
      'Argo CD Application "api-prod" (argocd/api-prod.yaml) points at path "manifests/coredns" of repository "acme/platform", which this checkout does not have: if that is the repository under review, Argo CD will fail to generate its manifests ("app path does not exist"): it deploys nothing from it and prunes nothing it applied (which repository is under review is not known: --repo-url or an origin remote names it)',
    ]);
    // A directory the pull request removes is still named as removed.
    expect(missingPath(reviewRepo(base, without(base, "apps/api/overlays/prod")))).toEqual([expect.stringContaining("but this pull request removes that directory")]);
  });

  it("with the repository under review unknown, an ApplicationSet's generated path of another repository is hedged as an Application's is", () => {
    const set = (repoURL: string): Files => ({
      "argocd/applicationsets/envs.yaml": lines(
        "apiVersion: argoproj.io/v1alpha1",
        "kind: ApplicationSet",
        "metadata: {name: envs, namespace: argocd}",
        "spec:",
        "  generators:",
        "    - list: {elements: [{env: staging}]}",
        "  template:",
        "    metadata: {name: 'inv-{{env}}'}",
        "    spec:",
        "      project: staging",
        `      source: {repoURL: '${repoURL}', targetRevision: main, path: k8s/base/services}`,
        "      destination: {name: workload-1, namespace: inventory}",
      ),
    });
    const base = repository(["staging", "prod"], argo("apps/api/overlays/prod"));
    expect(missingPath(reviewRepo(base, { ...base, ...set("https://github.com/other-owner/other-repo.git") }))).toEqual([
      'An Argo CD Application the ApplicationSet in argocd/applicationsets/envs.yaml generates points at path "k8s/base/services" of repository "other-owner/other-repo", which this checkout does not have: if that is the repository under review, Argo CD will fail to generate its manifests ("app path does not exist"): it deploys nothing from it and prunes nothing it applied (which repository is under review is not known: --repo-url or an origin remote names it)',
    ]);
    // Known to be this repository's source: the path does not exist here.
    expect(missingPath(reviewOf("acme/apps", base, { ...base, ...set("https://github.com/acme/apps.git") }))).toEqual([expect.stringContaining("but no such directory exists in this repository")]);
  });

  it("no note for an existing path, a templated one, or a path that was already missing in a file the pull request leaves alone", () => {
    const base = repository(["staging", "prod"], { ...argo("apps/api/overlays/prod"), "argocd/old.yaml": app("old", "apps/gone") });
    expect(missingPath(reviewRepo(base, { ...base, ...argo("apps/api/overlays/staging") }))).toEqual([]);
    expect(missingPath(reviewRepo(base, { ...base, ...argo("apps/api/overlays/{{env}}") }))).toEqual([]);
  });

  it("only for sources of this repository, when it is known", () => {
    const base = repository(["staging", "prod"], argo("apps/api/overlays/prod"));
    const head = { ...base, ...argo("apps/api/overlays/prdo") };
    expect(missingPath(reviewOf("acme/apps", base, head))).toHaveLength(1);
    expect(missingPath(reviewOf("acme/other", base, head))).toEqual([]);
  });

  it("an Application an app of apps renders (its kustomization changed) is looked at too", () => {
    const base = repository(["staging", "prod"], { ...argo("apps/api/overlays/prod"), "argocd/kustomization.yaml": lines("resources:", "  - api-prod.yaml") });
    const head = { ...base, "argocd/kustomization.yaml": lines("resources:", "  - api-prod.yaml", "patches:", "  - target: {kind: Application}", "    patch: |-", "      - op: replace", "        path: /spec/source/path", "        value: apps/api/overlays/prdo") };
    expect(missingPath(reviewRepo(base, head))).toEqual([expect.stringContaining('points at path "apps/api/overlays/prdo"')]);
  });

  describe("a path already missing on the base side (held-out round 18)", () => {
    /** An Application following main at a path neither side has, its repository known. */
    const tracking = (path: string, extra: readonly string[] = [], repoURL = "https://github.com/acme/apps.git"): string =>
      lines(...extra, app("api-prod", path, repoURL).replace("targetRevision: v1.0.0", "targetRevision: main").trimEnd());
    const missingBase = (): Files => repository(["staging", "prod"], { "argocd/api-prod.yaml": tracking("apps/cert-manager") });
    const notedOnly = (r: ReviewResult): void => {
      expect(where(r, "guard/parse-error")).toEqual([]);
      expect(missingPath(r)).toEqual([expect.stringContaining('points at path "apps/cert-manager", but no such directory exists in this repository, nor did it before this pull request')]);
    };

    it("a comment or a reformat of the Application's file: a note, not a new blocking finding", () => {
      const base = missingBase();
      notedOnly(reviewOf("acme/apps", base, { ...base, "argocd/api-prod.yaml": tracking("apps/cert-manager", ["# managed by the platform team"]) }));
      const reformatted = base["argocd/api-prod.yaml"]!.replace("metadata: {name: api-prod, namespace: argocd}", "metadata:\n  name: api-prod\n  namespace: argocd");
      notedOnly(reviewOf("acme/apps", base, { ...base, "argocd/api-prod.yaml": reformatted }));
    });

    it("a sibling input of the app of apps that renders it: a note, not a new blocking finding", () => {
      const base = { ...missingBase(), "argocd/kustomization.yaml": lines("resources:", "  - api-prod.yaml", "  - project.yaml"), "argocd/project.yaml": lines("apiVersion: argoproj.io/v1alpha1", "kind: AppProject", "metadata: {name: api, namespace: argocd}", "spec: {description: api}") };
      notedOnly(reviewOf("acme/apps", base, { ...base, "argocd/project.yaml": base["argocd/project.yaml"]!.replace("description: api", "description: the api team") }));
    });

    it("an ApplicationSet whose file only gains a comment: a note, not a new blocking finding", () => {
      const set = (extra: readonly string[]): Files => ({
        "argocd/applicationset-api.yaml": lines(
          ...extra,
          "apiVersion: argoproj.io/v1alpha1",
          "kind: ApplicationSet",
          "metadata: {name: api, namespace: argocd}",
          "spec:",
          "  generators:",
          "    - list: {elements: [{env: staging}]}",
          "  template:",
          "    metadata: {name: 'api-{{env}}'}",
          "    spec:",
          "      project: api",
          "      source: {repoURL: https://github.com/acme/apps.git, targetRevision: main, path: apps/cert-manager}",
          "      destination: {name: prod, namespace: api}",
        ),
      });
      const base = repository(["staging", "prod"], set([]));
      const r = reviewOf("acme/apps", base, { ...base, ...set(["# owned by the platform team"]) });
      expect(where(r, "guard/parse-error")).toEqual([]);
      expect(missingPath(r)).toEqual([expect.stringContaining("nor did it before this pull request")]);
    });

    it("still a blocking finding when the pull request makes the pointer: a new Application, a changed path, a source that starts reading this repository or the merged branch", () => {
      const base = missingBase();
      // A new Application at the missing path.
      const added = reviewOf("acme/apps", base, { ...base, "argocd/web.yaml": tracking("apps/cert-manager").replace("name: api-prod", "name: web") });
      expect(where(added, "guard/parse-error")).toEqual(["guard/parse-error argocd/web.yaml:6:85 new"]);
      // Its path changed from one missing directory to another.
      expect(where(reviewOf("acme/apps", base, { ...base, "argocd/api-prod.yaml": tracking("apps/certmanager") }), "guard/parse-error")).toEqual(["guard/parse-error argocd/api-prod.yaml:6:85 new"]);
      // Its repoURL changed from another repository's to this one's.
      const foreign = repository(["staging", "prod"], { "argocd/api-prod.yaml": tracking("apps/cert-manager", [], "https://github.com/acme/platform.git") });
      expect(where(reviewOf("acme/apps", foreign, { ...foreign, "argocd/api-prod.yaml": tracking("apps/cert-manager") }), "guard/parse-error")).toEqual(["guard/parse-error argocd/api-prod.yaml:6:85 new"]);
      // Its targetRevision changed from a tag to the merged branch.
      const pinned = repository(["staging", "prod"], { "argocd/api-prod.yaml": tracking("apps/cert-manager").replace("targetRevision: main", "targetRevision: v1.0.0") });
      expect(where(reviewOf("acme/apps", pinned, { ...pinned, "argocd/api-prod.yaml": tracking("apps/cert-manager") }), "guard/parse-error")).toEqual(["guard/parse-error argocd/api-prod.yaml:6:85 new"]);
    });
  });

  it("reads, to find them, the unchanged YAML files named for the deleted directory: most words in common first, at most MAX_APPLICATION_FILES", () => {
    const paths = [
      "argocd/auth-api-demo.yaml",
      "argocd/web-demo.yaml",
      "argocd/auth-api-prod.yaml",
      "apps/auth-api/overlays/prod/kustomization.yaml",
      "apps/auth-api/overlays/demo/deployment.yaml",
      "docs/demo.md",
      ...Array.from({ length: MAX_APPLICATION_FILES }, (_, i) => `clusters/c${i}/demo.yaml`),
    ];
    const files = applicationFilesFor(["apps/auth-api/overlays/demo"], paths);
    expect(files).toHaveLength(MAX_APPLICATION_FILES);
    expect(files).toContain("argocd/auth-api-demo.yaml");
    expect(files).not.toContain("argocd/auth-api-prod.yaml");
    expect(files).not.toContain("apps/auth-api/overlays/demo/deployment.yaml");
    expect(applicationFilesFor([], paths)).toEqual([]);
  });
});
