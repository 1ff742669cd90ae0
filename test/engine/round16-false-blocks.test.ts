/**
 * The engine's side of the round-16 false blocking findings: a build that fails only because a file the side's tree
 * holds was not read is no refusal of Kustomize (never a blocking finding).
 */
import { describe, expect, it } from "@jest/globals";
import { parseConfig } from "../../src/core/config.js";
import { mapSide } from "../../src/core/repository.js";
import { followsMergedBranch } from "../../src/core/missing-source-paths.js";
import { argoSourcesOf, planRender } from "../../src/core/render-plan.js";
import { review } from "../../src/core/review.js";
import { ALL_RULES, RULE_IDS } from "../../src/rules/index.js";
import { NOW, changesBetween, lines, reviewRepo, where, type Files } from "./kustomize-helpers.js";

const base: Files = {
  "base/kustomization.yaml": lines("resources:", "  - cm.yaml"),
  "base/cm.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: web}", "data: {a: b}"),
  "components/extra/kustomization.yaml": lines("apiVersion: kustomize.config.k8s.io/v1alpha1", "kind: Component", "patches:", "  - path: patch.yaml"),
  "components/extra/patch.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: web}", "data: {c: d}"),
  "overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base"),
};

describe("a build that fails on a file the side holds but was not read", () => {
  it("is not a broken build: the tree lists the file, Kustomize reads it", () => {
    const head: Files = { ...base, "overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base", "components:", "  - ../../components/extra") };
    const { changes, changed } = changesBetween(base, head);
    // The head side lists the component's patch but hands over no content for it (a read round left it out).
    const unread = new Map(Object.entries(head).filter(([p]) => p !== "components/extra/patch.yaml"));
    const r = review({
      changes,
      config: parseConfig({}, RULE_IDS),
      rules: ALL_RULES,
      now: NOW,
      repository: { base: mapSide(new Map(Object.entries(base))), head: mapSide(unread, Object.keys(head)), changed },
    });
    expect(where(r, "guard/parse-error")).toEqual([]);
    // Deleted from the tree, the same build is broken.
    const gone = { ...head };
    delete gone["components/extra/patch.yaml"];
    const g = changesBetween(base, gone);
    const broken = review({
      changes: g.changes,
      config: parseConfig({}, RULE_IDS),
      rules: ALL_RULES,
      now: NOW,
      repository: { base: mapSide(new Map(Object.entries(base))), head: mapSide(new Map(Object.entries(gone))), changed: g.changed },
    });
    // At the component's entry that names the deleted file (held-out round 18: not the root's line 1).
    expect(where(broken, "guard/parse-error")).toEqual(["guard/parse-error components/extra/kustomization.yaml:4:11 new"]);
  });
});

describe("the plan of reads (the CLI's and the App's)", () => {
  it("reads the closure of a component an Application's kustomize.components adds, on the side that adds it", () => {
    const app = (kustomize: string[]) =>
      lines("apiVersion: argoproj.io/v1alpha1", "kind: Application", "metadata: {name: web}", "spec:", "  source:", "    path: overlays/prod", ...kustomize);
    const before = app([]);
    const after = app(["    kustomize:", "      components: [../../components/extra]"]);
    const files = (f: Files) => ({ paths: Object.keys(f), readFile: (p: string) => f[p] ?? null });
    const sources = argoSourcesOf([{ base: before, head: after }], {}, { base: files(base), head: files(base) });
    expect(sources.overrideComponents).toEqual({ base: [], head: [{ root: "overlays/prod", components: ["components/extra"] }] });
    const side = { paths: Object.keys(base), kustomization: (p: string) => base[p] ?? null };
    const plan = planRender({ changed: ["argocd/web.yaml"], sides: { base: side, head: side }, argoPaths: sources.argoPaths, reached: sources.reached, overrideComponents: sources.overrideComponents });
    expect(plan.head!.files).toEqual(expect.arrayContaining(["components/extra/kustomization.yaml", "components/extra/patch.yaml"]));
    expect(plan.base!.files).not.toContain("components/extra/patch.yaml");
  });
});

describe("followsMergedBranch: whether merging the pull request changes what a targetRevision reads", () => {
  it("the base branch by name or as refs/heads/…; HEAD only into the default branch", () => {
    const intoDevelop = { base: "develop", default: "main" };
    expect(followsMergedBranch("develop", intoDevelop)).toBe(true);
    expect(followsMergedBranch("refs/heads/develop", intoDevelop)).toBe(true);
    expect(followsMergedBranch("HEAD", intoDevelop)).toBe(false);
    expect(followsMergedBranch(undefined, intoDevelop)).toBe(false);
    expect(followsMergedBranch("main", intoDevelop)).toBe(false);
    expect(followsMergedBranch("HEAD", { base: "main", default: "main" })).toBe(true);
    expect(followsMergedBranch("", { base: "trunk", default: "trunk" })).toBe(true);
    // The default branch unknown: main or master stand for it.
    expect(followsMergedBranch("HEAD", { base: "master" })).toBe(true);
    expect(followsMergedBranch("HEAD", { base: "develop" })).toBe(false);
    // The base branch unknown (a commit id, two directories): HEAD, main and master, as before.
    expect(followsMergedBranch("HEAD")).toBe(true);
    expect(followsMergedBranch("main")).toBe(true);
    expect(followsMergedBranch("v1.2.0")).toBe(false);
  });
});

describe("a file outside the root's directory, built by a deployer without Kustomize's load restrictions", () => {
  const outside: Files = { ...base, "shared/env.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: env}", "data: {e: f}") };
  const reaching: Files = { ...outside, "overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base", "  - ../../shared/env.yaml") };
  const argocdCm = lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: argocd-cm, namespace: argocd}", "data:", "  kustomize.buildOptions: --load-restrictor LoadRestrictionsNone");
  const flux = (path: string) => lines("apiVersion: kustomize.toolkit.fluxcd.io/v1", "kind: Kustomization", "metadata: {name: apps, namespace: flux-system}", "spec:", `  path: ${path}`, "  sourceRef: {kind: GitRepository, name: flux-system}");

  it("Kustomize's defaults refuse it: blocking", () => {
    expect(where(reviewRepo(outside, reaching), "guard/parse-error")).toEqual(["guard/parse-error overlays/prod/kustomization.yaml:3:5 new"]);
  });

  it("an argocd-cm with --load-restrictor LoadRestrictionsNone: Argo CD builds it, and so does the render", () => {
    const withCm = { ...outside, "argocd/argocd-cm.yaml": argocdCm };
    const r = reviewRepo(withCm, { ...reaching, "argocd/argocd-cm.yaml": argocdCm });
    expect(where(r, "guard/parse-error")).toEqual([]);
    expect(r.notes).toContain("Kustomize: rendered in process and judged as Argo CD applies them: overlays/prod");
  });

  it("a Flux Kustomization applies the root (spec.path at it or above): built; another break there names Flux, not Argo CD", () => {
    const withFlux = { ...outside, "clusters/prod/apps.yaml": flux("./overlays") };
    expect(where(reviewRepo(withFlux, { ...reaching, "clusters/prod/apps.yaml": flux("./overlays") }), "guard/parse-error")).toEqual([]);
    const missing = { ...withFlux, "overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base", "  - gone.yaml") };
    const r = reviewRepo(withFlux, missing);
    expect(where(r, "guard/parse-error")).toEqual(["guard/parse-error overlays/prod/kustomization.yaml:3:5 new"]);
    expect(r.findings.find((f) => f.ruleId === "guard/parse-error")!.message).toMatch(/merged, Flux's kustomize-controller cannot build it/);
  });
});

describe("an Application beside a kustomization that does not list it (an app of apps)", () => {
  const app = (name: string) =>
    lines(
      "apiVersion: argoproj.io/v1alpha1",
      "kind: Application",
      `metadata: {name: ${name}, namespace: argocd}`,
      "spec:",
      "  project: web",
      `  source: {repoURL: https://github.com/acme/deploy.git, targetRevision: HEAD, path: manifests/${name}}`,
      "  destination: {name: prod, namespace: web}",
    );
  const cm = (name: string) => lines("apiVersion: v1", "kind: ConfigMap", `metadata: {name: ${name}}`, "data: {a: b}");
  const tree = (listed: string[]): Files => ({
    "bootstrap/root.yaml": lines("apiVersion: argoproj.io/v1alpha1", "kind: Application", "metadata: {name: root, namespace: argocd}", "spec:", "  project: web", "  source: {repoURL: https://github.com/acme/deploy.git, path: apps}", "  destination: {name: prod, namespace: argocd}"),
    "apps/kustomization.yaml": lines("resources:", ...listed.map((f) => `  - ${f}`)),
    "apps/web.yaml": app("web"),
    "apps/old.yaml": app("old"),
    "manifests/web/cm.yaml": cm("web"),
    "manifests/old/cm.yaml": cm("old"),
  });
  const reviewOf = (b: Files, h: Files) => {
    const { changes, changed } = changesBetween(b, h);
    const side = (f: Files) => mapSide(new Map(Object.entries(f)));
    return review({ changes, config: parseConfig({}, RULE_IDS), rules: ALL_RULES, now: NOW, repository: { base: side(b), head: side(h), changed, identity: "acme/deploy" } });
  };
  const deleteOld = (f: Files): Files => {
    const head = { ...f };
    delete head["manifests/old/cm.yaml"];
    return head;
  };

  it("is not applied by Argo CD: deleting the directory it points at is a note, not blocking", () => {
    const unlisted = tree(["web.yaml"]);
    const r = reviewOf(unlisted, deleteOld(unlisted));
    expect(where(r, "guard/parse-error")).toEqual([]);
    expect(r.notes.some((n) => n.includes('points at path "manifests/old"') && n.includes("apps/kustomization.yaml does not list apps/old.yaml"))).toBe(true);
  });

  it("listed, it is applied: blocking", () => {
    const listed = tree(["web.yaml", "old.yaml"]);
    expect(where(reviewOf(listed, deleteOld(listed)), "guard/parse-error")).toEqual(["guard/parse-error apps/old.yaml:6:85 new"]);
  });
});

describe("a kustomization under a directory-mode Application's path (directory.recurse, no kustomization at the path)", () => {
  const app = (recurse: boolean) =>
    lines(
      "apiVersion: argoproj.io/v1alpha1",
      "kind: Application",
      "metadata: {name: cluster, namespace: argocd}",
      "spec:",
      "  project: infra",
      "  source:",
      "    repoURL: https://github.com/acme/cluster.git",
      "    path: cluster",
      ...(recurse ? ["    directory: {recurse: true}"] : []),
      "  destination: {name: prod, namespace: default}",
    );
  const tree = (recurse: boolean): Files => ({
    "argocd/cluster.yaml": app(recurse),
    "cluster/monitoring/kustomization.yaml": lines("resources:", "  - namespace.yaml", "  - sa.yaml"),
    "cluster/monitoring/namespace.yaml": lines("apiVersion: v1", "kind: Namespace", "metadata: {name: monitoring}"),
    "cluster/monitoring/sa.yaml": lines("apiVersion: v1", "kind: ServiceAccount", "metadata: {name: prom, namespace: monitoring}"),
  });
  const withoutSa = (f: Files): Files => {
    const head = { ...f };
    delete head["cluster/monitoring/sa.yaml"];
    return head;
  };

  it("Argo CD runs no kustomize there: a broken build is a note, not blocking", () => {
    const r = reviewRepo(tree(true), withoutSa(tree(true)));
    expect(where(r, "guard/parse-error")).toEqual([]);
    expect(r.notes.some((n) => n.startsWith("Kustomize: cluster/monitoring no longer builds") && n.includes("directory mode"))).toBe(true);
  });

  it("without that Application (a root of its own): blocking", () => {
    const plain = tree(true);
    delete plain["argocd/cluster.yaml"];
    expect(where(reviewRepo(plain, withoutSa(plain)), "guard/parse-error")).toEqual(["guard/parse-error cluster/monitoring/kustomization.yaml:3:5 new"]);
  });
});

describe("a root an Application builds with a config management plugin", () => {
  const app = (plugin: boolean) =>
    lines(
      "apiVersion: argoproj.io/v1alpha1",
      "kind: Application",
      "metadata: {name: web, namespace: argocd}",
      "spec:",
      "  project: web",
      "  source:",
      "    repoURL: https://github.com/acme/deploy.git",
      "    path: overlays/prod",
      ...(plugin ? ["    plugin: {name: kustomize-envsubst}"] : []),
      "  destination: {name: prod, namespace: web}",
    );
  const outside = (plugin: boolean): Files => ({ ...base, "argocd/web.yaml": app(plugin), "shared/env.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: env}", "data: {e: f}") });
  const reaching = (f: Files): Files => ({ ...f, "overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base", "  - ../../shared/env.yaml") });

  it("the in-process build's refusal is a note: the plugin's build is not known here", () => {
    const r = reviewRepo(outside(true), reaching(outside(true)));
    expect(where(r, "guard/parse-error")).toEqual([]);
    expect(r.notes.some((n) => n.startsWith("Kustomize: overlays/prod does not build in process") && n.includes("config management plugin"))).toBe(true);
  });

  it("without the plugin, Argo CD runs kustomize: blocking", () => {
    expect(where(reviewRepo(outside(false), reaching(outside(false))), "guard/parse-error")).toEqual(["guard/parse-error overlays/prod/kustomization.yaml:3:5 new"]);
  });

  it("is known from an Argo CD directory file past the 300-file cap when it shares a name with the directory the pull request removes", () => {
    const fillers = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`argocd/a-${String(i).padStart(3, "0")}.yaml`, lines("apiVersion: v1", "kind: ConfigMap", `metadata: {name: a${i}}`)]));
    const before: Files = { ...base, ...fillers, "argocd/web.yaml": app(true), "overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base", "  - web/cm.yaml"), "overlays/prod/web/cm.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: extra}") };
    const after = Object.fromEntries(Object.entries(before).filter(([p]) => p !== "overlays/prod/web/cm.yaml"));
    const r = reviewRepo(before, after);
    expect(where(r, "guard/parse-error")).toEqual([]);
    expect(r.notes.some((n) => n.startsWith("Kustomize: overlays/prod does not build in process") && n.includes("config management plugin"))).toBe(true);
  });
});
