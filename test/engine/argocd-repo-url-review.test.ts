/**
 * An Argo CD source whose `repoURL` names another repository than the one under review is not a directory of this one:
 * it is no Kustomize root, its `kustomize` overrides are applied nowhere, and a git generator of another repository is
 * not expanded against this tree. A `repoURL` of this repository (any URL form, any host) or one that names none (a
 * template expression, empty) still counts, and with the identity unknown every source counts (as before).
 */
import { describe, expect, it } from "@jest/globals";
import { parseConfig } from "../../src/core/config.js";
import { argoSourcesOf, planRender } from "../../src/core/render-plan.js";
import { mapSide, ownRepoURL, repositoryIdentity } from "../../src/core/repository.js";
import { review, scan, type ReviewResult } from "../../src/core/review.js";
import { ALL_RULES, RULE_IDS } from "../../src/rules/index.js";
import { API, changesBetween, lines, NOW, where, type Files } from "./kustomize-helpers.js";

const THIS = "acme/gitops";
const OTHER = "https://github.com/acme/payments.git";

/** deploy/prod: a base whose image (line 18) has no tag; overlays/eu pins it. Only a render of deploy/prod itself reports it. */
const UNTAGGED = API.replace("image: ghcr.io/acme/api:1.0.0", "image: ghcr.io/acme/api");
const TREE: Files = {
  "deploy/prod/deployment.yaml": UNTAGGED,
  "deploy/prod/kustomization.yaml": lines("resources:", "  - deployment.yaml"),
  "overlays/eu/kustomization.yaml": lines("resources:", "  - ../../deploy/prod", "images:", "  - name: ghcr.io/acme/api", "    newTag: 1.2.3"),
};
const BASE_FINDING = "image/mutable-tag deploy/prod/deployment.yaml:18:18 new";

/** An Application whose `spec.source` (or `spec.sources`) is given as YAML lines under `spec:`. */
const application = (...spec: string[]): string =>
  lines(
    "apiVersion: argoproj.io/v1alpha1",
    "kind: Application",
    "metadata:",
    "  name: payments",
    "  namespace: argocd",
    "spec:",
    "  project: payments",
    "  destination: {server: https://kubernetes.default.svc, namespace: payments}",
    ...spec.map((l) => `  ${l}`),
  );
const pointingAt = (repoURL: string, ...extra: string[]): string =>
  application("source:", `  repoURL: ${repoURL}`, "  targetRevision: main", "  path: deploy/prod", ...extra.map((l) => `  ${l}`));

const config = parseConfig({}, RULE_IDS);

function scanWith(files: Files, identity?: string): ReviewResult {
  const yaml = Object.entries(files).map(([path, content]) => ({ path, content }));
  return scan(yaml, { config, rules: ALL_RULES, now: NOW, repository: { head: mapSide(new Map(Object.entries(files))), ...(identity !== undefined ? { identity } : {}) } });
}

function reviewWith(base: Files, head: Files, identity?: string): ReviewResult {
  const { changes, changed } = changesBetween(base, head);
  const repository = { base: mapSide(new Map(Object.entries(base))), head: mapSide(new Map(Object.entries(head))), changed, ...(identity !== undefined ? { identity } : {}) };
  return review({ changes, config, rules: ALL_RULES, now: NOW, repository });
}

describe("repositoryIdentity: the owner/name a repository URL names, host left out", () => {
  it.each([
    ["https://github.com/acme/gitops", "acme/gitops"],
    ["https://GitHub.com/Acme/GitOps.git/", "acme/gitops"],
    ["https://user:pass@ghe.example.com:8443/acme/gitops.git", "acme/gitops"],
    ["git@github.com:acme/gitops.git", "acme/gitops"],
    ["ssh://git@ghe.example.com:2222/acme/gitops", "acme/gitops"],
    ["https://gitlab.com/acme/platform/gitops.git", "platform/gitops"],
    ["https://dev.azure.com/acme/platform/_git/gitops", "platform/gitops"],
    ["git@ssh.dev.azure.com:v3/acme/platform/gitops", "platform/gitops"],
  ])("%s → %s", (url, identity) => {
    expect(repositoryIdentity(url)).toBe(identity);
  });

  it.each(["", "   ", "{{ .Values.repoURL }}", "https://github.com/", "gitops", "git@github.com:gitops"])("%j names none", (url) => {
    expect(repositoryIdentity(url)).toBeNull();
  });

  it("a repoURL counts as this repository's when it names it or names none; unknown identity: every one counts", () => {
    const own = ownRepoURL("Acme/GitOps")!;
    const urls = [OTHER, "git@github.com:acme/gitops", "https://charts.example.com/acme/charts", "", "{{repo}}", "https://git.example.com/gitops", undefined];
    expect(urls.map((u) => own(u))).toEqual([false, true, false, true, true, true, true]);
    expect(ownRepoURL(undefined)).toBeNull();
  });
});

describe("render plan: an Application of another repository pointing at an existing base directory", () => {
  const files = (head: Files) => ({ paths: Object.keys(head), readFile: (p: string) => head[p] ?? null });
  const plan = (app: string, identity?: string) => {
    const head: Files = { ...TREE, "apps/payments.yaml": app };
    const sources = argoSourcesOf([{ head: app }], {}, { head: files(head) }, identity);
    const side = { paths: Object.keys(head), kustomization: (p: string) => head[p] ?? null };
    return { sources, roots: planRender({ changed: ["apps/payments.yaml"], sides: { head: side }, argoPaths: sources.argoPaths, reached: sources.reached }).head!.roots };
  };

  it("is no Argo CD source path and reaches nothing: deploy/prod is not a root", () => {
    const p = plan(pointingAt(OTHER, "kustomize: {namePrefix: pay-}"), THIS);
    expect(p.sources).toEqual({ argoPaths: { base: [], head: [] }, reached: [], overrideComponents: { base: [], head: [] } });
    expect(p.roots).toEqual([]);
  });

  it("the same Application of this repository, or with the identity unknown, makes deploy/prod a root", () => {
    expect(plan(pointingAt("git@github.com:acme/gitops.git", "kustomize: {namePrefix: pay-}"), THIS).roots).toEqual(["deploy/prod"]);
    expect(plan(pointingAt(OTHER, "kustomize: {namePrefix: pay-}")).roots).toEqual(["deploy/prod"]);
  });
});

describe("scan: sources of another repository", () => {
  it("an Application of another repository pointing at a base: the base is judged through its overlay only", () => {
    const r = scanWith({ ...TREE, "apps/payments.yaml": pointingAt(OTHER) }, THIS);
    expect(where(r, "image/mutable-tag")).toEqual([]);
    expect(r.notes.join("\n")).toContain("judged as Argo CD applies them: overlays/eu");
    expect(r.notes.join("\n")).not.toMatch(/deploy\/prod/);
  });

  it("the identity unknown: every source counts, as before", () => {
    expect(where(scanWith({ ...TREE, "apps/payments.yaml": pointingAt(OTHER) }), "image/mutable-tag")).toEqual([BASE_FINDING]);
  });

  it.each(["https://GitHub.com/Acme/GitOps.git/", "git@github.com:acme/gitops.git", "ssh://git@ghe.example.com:2222/acme/gitops"])("this repository spelled %s: still a root", (url) => {
    expect(where(scanWith({ ...TREE, "apps/payments.yaml": pointingAt(url) }, THIS), "image/mutable-tag")).toEqual([BASE_FINDING]);
  });

  it.each(['"{{ .Values.repoURL }}"', '""'])("a repoURL that names no repository (%s): still a root", (url) => {
    expect(where(scanWith({ ...TREE, "apps/payments.yaml": pointingAt(url) }, THIS), "image/mutable-tag")).toEqual([BASE_FINDING]);
  });

  it("the kustomize overrides of an Application of another repository are not applied to this repository's directory", () => {
    // deploy/prod is a root by itself here (no overlay); the other repository's Application pins its image.
    const files: Files = { "deploy/prod/deployment.yaml": UNTAGGED, "deploy/prod/kustomization.yaml": TREE["deploy/prod/kustomization.yaml"]!, "apps/payments.yaml": pointingAt(OTHER, "kustomize:", "  images: [ghcr.io/acme/api:9.9.9]") };
    const r = scanWith(files, THIS);
    expect(where(r, "image/mutable-tag")).toEqual([BASE_FINDING]);
    expect(r.notes.join("\n")).not.toContain("kustomize overrides of Application argocd/payments");
    // Of this repository, the pin is applied.
    expect(where(scanWith({ ...files, "apps/payments.yaml": pointingAt("https://github.com/acme/gitops", "kustomize:", "  images: [ghcr.io/acme/api:9.9.9]") }, THIS), "image/mutable-tag")).toEqual([]);
  });

  it("multi-source: each source by its own repoURL; a `ref: values` source of this repository is not a path", () => {
    const other = application("sources:", `  - {repoURL: ${OTHER}, targetRevision: main, path: deploy/prod}`, "  - {repoURL: https://github.com/acme/gitops.git, targetRevision: main, ref: values}");
    expect(where(scanWith({ ...TREE, "apps/payments.yaml": other }, THIS), "image/mutable-tag")).toEqual([]);
    const mine = application(
      "sources:",
      "  - {repoURL: https://charts.example.com, chart: api, targetRevision: 1.0.0, helm: {valueFiles: [$values/deploy/values.yaml]}}",
      "  - {repoURL: https://github.com/acme/gitops.git, targetRevision: main, path: deploy/prod}",
    );
    expect(where(scanWith({ ...TREE, "apps/payments.yaml": mine }, THIS), "image/mutable-tag")).toEqual([BASE_FINDING]);
  });
});

describe("app-of-apps: Applications met in a render", () => {
  it("an unchanged Application of another repository among a rendered root's objects points at nothing here", () => {
    const root = application("source: {repoURL: 'https://github.com/acme/gitops', targetRevision: main, path: argocd/apps}").replace("name: payments", "name: root");
    const base = (repoURL: string): Files => ({ ...TREE, "argocd/root.yaml": root, "argocd/apps/kustomization.yaml": lines("resources:", "  - payments.yaml"), "argocd/apps/payments.yaml": pointingAt(repoURL) });
    // The pull request touches the apps' kustomization (so the root renders) and the base (so its roots are reached);
    // the Application itself is unchanged: it is met only in the render of argocd/apps.
    const reviewed = (repoURL: string) => {
      const b = base(repoURL);
      const head = { ...b, "argocd/apps/kustomization.yaml": `${b["argocd/apps/kustomization.yaml"]}namespace: argocd\n`, "deploy/prod/deployment.yaml": `${UNTAGGED}# touched\n` };
      return where(reviewWith(b, head, THIS), "image/mutable-tag");
    };
    expect(reviewed(OTHER)).toEqual([]);
    expect(reviewed("https://github.com/acme/gitops.git")).toEqual([BASE_FINDING.replace(" new", " existing")]);
  });
});

/** An ApplicationSet whose git directories generator lists `deploy/*` of `generatorRepo`; its template's source is of `sourceRepo`. */
const gitSet = (generatorRepo: string, sourceRepo: string): string =>
  lines(
    "apiVersion: argoproj.io/v1alpha1",
    "kind: ApplicationSet",
    "metadata: {name: payments, namespace: argocd}",
    "spec:",
    "  generators:",
    "    - git:",
    `        repoURL: ${generatorRepo}`,
    "        revision: HEAD",
    "        directories:",
    "          - path: deploy/*",
    "  template:",
    "    metadata: {name: '{{path.basename}}'}",
    "    spec:",
    "      project: payments",
    `      source: {repoURL: '${sourceRepo}', targetRevision: HEAD, path: '{{path}}'}`,
    "      destination: {server: https://kubernetes.default.svc, namespace: payments}",
  );

describe("ApplicationSets: generators and templates of another repository", () => {
  it("a git generator of another repository is not expanded against this tree", () => {
    expect(where(scanWith({ ...TREE, "argocd/appset.yaml": gitSet(OTHER, "https://github.com/acme/gitops") }, THIS), "image/mutable-tag")).toEqual([]);
    // Of this repository (or unknown identity), it lists deploy/prod.
    expect(where(scanWith({ ...TREE, "argocd/appset.yaml": gitSet("https://github.com/acme/gitops", "https://github.com/acme/gitops") }, THIS), "image/mutable-tag")).toEqual([BASE_FINDING]);
    expect(where(scanWith({ ...TREE, "argocd/appset.yaml": gitSet(OTHER, "https://github.com/acme/gitops") }), "image/mutable-tag")).toEqual([BASE_FINDING]);
  });

  it("a template source's repoURL is filled in per generated Application: another repository's is no path, a template one that does not fill in counts", () => {
    const listSet = (elements: string, repoURL: string) =>
      lines(
        "apiVersion: argoproj.io/v1alpha1",
        "kind: ApplicationSet",
        "metadata: {name: payments, namespace: argocd}",
        "spec:",
        "  generators:",
        `    - list: {elements: ${elements}}`,
        "  template:",
        "    metadata: {name: '{{env}}'}",
        "    spec:",
        "      project: payments",
        `      source: {repoURL: '${repoURL}', targetRevision: HEAD, path: 'deploy/{{env}}'}`,
        "      destination: {server: https://kubernetes.default.svc, namespace: payments}",
      );
    expect(where(scanWith({ ...TREE, "argocd/appset.yaml": listSet(`[{env: prod, repo: '${OTHER}'}]`, "{{repo}}") }, THIS), "image/mutable-tag")).toEqual([]);
    expect(where(scanWith({ ...TREE, "argocd/appset.yaml": listSet("[{env: prod, repo: 'git@github.com:acme/gitops.git'}]", "{{repo}}") }, THIS), "image/mutable-tag")).toEqual([BASE_FINDING]);
    expect(where(scanWith({ ...TREE, "argocd/appset.yaml": listSet("[{env: prod}]", "{{repo}}") }, THIS), "image/mutable-tag")).toEqual([BASE_FINDING]);
  });
});

describe("review: a pull request that adds an Application of another repository", () => {
  it("reaches nothing of this repository: no finding of deploy/prod", () => {
    const r = reviewWith(TREE, { ...TREE, "apps/payments.yaml": pointingAt(OTHER, "kustomize: {namePrefix: pay-}") }, THIS);
    expect(where(r, "image/mutable-tag")).toEqual([]);
    expect(r.findings.filter((f) => f.file.startsWith("deploy/"))).toEqual([]);
  });

  it("of this repository, it makes deploy/prod applied: its finding is new, with the Application's overrides", () => {
    const r = reviewWith(TREE, { ...TREE, "apps/payments.yaml": pointingAt("https://github.com/acme/gitops.git", "kustomize: {namePrefix: pay-}") }, THIS);
    expect(where(r, "image/mutable-tag")).toEqual([BASE_FINDING]);
    expect(r.findings.find((f) => f.ruleId === "image/mutable-tag")!.resource?.name).toBe("pay-api");
  });
});
