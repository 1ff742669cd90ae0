import { describe, expect, it } from "@jest/globals";
import { defaultConfig } from "../core/config.js";
import { Policy } from "../core/policy.js";
import { review } from "../core/review.js";
import { ALL_RULES } from "../rules/index.js";
import { planFetch } from "./gather.js";
import { gatherWithRender, nearestFirst, type RenderGatherInput } from "./gather-render.js";
import type { ChangedFile, FileVersion, FileVersionRequest, TreeListing } from "./types.js";

const HEAD = "h".repeat(40);
const BASE = "b".repeat(40);
const shas = { base: BASE, head: HEAD };
const policy = new Policy(defaultConfig(), ALL_RULES);

/** Contents by commit, every fetch recorded (one entry per call: a round of reads; the size hints given). */
function source(commits: Record<string, Record<string, string>>) {
  const rounds: string[][] = [];
  const hints = new Map<string, number | undefined>();
  return {
    rounds,
    hints,
    fetch: async (requests: readonly FileVersionRequest[]) => {
      for (const r of requests) hints.set(`${r.commitSha === HEAD ? "head" : "base"}:${r.path}`, r.size);
      rounds.push(requests.map((r) => `${r.commitSha === HEAD ? "head" : "base"}:${r.path}`).sort());
      const out = new Map<string, FileVersion>();
      for (const r of requests) {
        const text = commits[r.commitSha]?.[r.path];
        out.set(r.key, text === undefined ? { kind: "missing" } : { kind: "text", text });
      }
      return out;
    },
  };
}

function input(listed: ChangedFile[], tree: TreeListing | Error, contents: ReturnType<typeof source>, batchSize = 200): RenderGatherInput {
  return {
    listed,
    listingComplete: true,
    tree: tree instanceof Error ? { ok: false, error: tree } : { ok: true, value: tree },
    plan: planFetch(listed, policy, shas),
    shas,
    policy,
    contents,
    maxBytes: 1_000_000,
    batchSize,
    describeError: (e) => (e instanceof Error ? e.message : String(e)),
  };
}

const K = (...resources: string[]) => `resources:\n${resources.map((r) => `  - ${r}\n`).join("")}`;
const GEN = "configMapGenerator:\n  - name: app\n    envs: [app.env]\n";

const headFiles: Record<string, string> = {
  "base/kustomization.yaml": K("deploy.yaml"),
  "base/deploy.yaml": "kind: Deployment\n",
  "prod/kustomization.yaml": K("../base") + GEN,
  "prod/app.env": "MODE=prod\n",
  "prod/renamed.yaml": "x: 1\n",
  "unrelated/kustomization.yaml": K("svc.yaml"),
  "unrelated/svc.yaml": "kind: Service\n",
  "docs/readme.md": "# docs\n",
};
const baseFiles: Record<string, string> = {
  ...headFiles,
  "prod/app.env": "MODE=staging\n",
  "prod/old-name.yaml": "x: 1\n",
  "prod/removed.yaml": "y: 1\n",
};
delete baseFiles["prod/renamed.yaml"];
const tree: TreeListing = { files: Object.keys(headFiles).map((path) => ({ path })), truncated: false };
const listed: ChangedFile[] = [
  { path: "prod/app.env", status: "modified" },
  { path: "prod/renamed.yaml", status: "renamed", previousPath: "prod/old-name.yaml" },
  { path: "prod/removed.yaml", status: "removed" },
];

describe("gathering what a Kustomize render reads", () => {
  it("derives the base tree from the head tree and the listing, and reads unchanged files once, at the head", async () => {
    const contents = source({ [HEAD]: headFiles, [BASE]: baseFiles });
    const g = await gatherWithRender(input(listed, tree, contents, 3));
    expect([...g.repository!.base!.paths].sort()).toEqual(
      ["base/deploy.yaml", "base/kustomization.yaml", "docs/readme.md", "prod/app.env", "prod/kustomization.yaml", "prod/old-name.yaml", "prod/removed.yaml", "unrelated/kustomization.yaml", "unrelated/svc.yaml"],
    );
    expect(g.repository!.changed!.slice().sort()).toEqual(["prod/app.env", "prod/old-name.yaml", "prod/removed.yaml", "prod/renamed.yaml"]);
    // Round (a): the changed YAML and .env files (a .env is reviewed for what it commits) and every kustomization
    // (unchanged ones once, at the head); the last batch is not filled (the candidates do not fit in it). Round (b):
    // the closure of prod, the one root the change reaches — the base's deployment once (its .env was read in (a)).
    expect(contents.rounds).toEqual([
      ["base:prod/app.env", "base:prod/old-name.yaml", "base:prod/removed.yaml", "head:base/kustomization.yaml", "head:prod/app.env", "head:prod/kustomization.yaml", "head:prod/renamed.yaml", "head:unrelated/kustomization.yaml"],
      ["head:base/deploy.yaml"],
    ]);
    expect(g.repository!.base!.read("prod/app.env")).toBe("MODE=staging\n");
    expect(g.repository!.head!.read("prod/app.env")).toBe("MODE=prod\n");
    expect(g.repository!.base!.read("base/deploy.yaml")).toBe("kind: Deployment\n");
    expect(g.repository!.head!.read("unrelated/svc.yaml")).toBeNull();
    expect(g.changes.map((c) => `${c.status} ${c.path}`)).toEqual(["modified prod/app.env", "renamed prod/renamed.yaml", "removed prod/removed.yaml"]);
  });

  it("reads everything in one round when the files under kustomization directories fit in the batch it sends anyway", async () => {
    const contents = source({ [HEAD]: headFiles, [BASE]: baseFiles });
    const g = await gatherWithRender(input(listed, tree, contents, 200));
    expect(contents.rounds).toHaveLength(1);
    expect(contents.rounds[0]).toContain("head:base/deploy.yaml");
    expect(contents.rounds[0]).not.toContain("head:docs/readme.md");
    expect(g.repository!.base!.read("prod/app.env")).toBe("MODE=staging\n");
    expect(g.repository!.head!.read("unrelated/svc.yaml")).toBe("kind: Service\n");
  });

  it("reads the unchanged files named for Applications in round (a) when they fit: a change to a shared base needs no round (b)", async () => {
    // A component a root uses, and an Application (named for Applications, outside every kustomization directory)
    // that may apply the inner kustomization the change reaches.
    const files: Record<string, string> = {
      "apps/web/base/kustomization.yaml": K("deploy.yaml"),
      "apps/web/base/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n",
      "apps/web/dev/kustomization.yaml": K("../base"),
      "apps/web/prod/kustomization.yaml": K("../dev"),
      "argocd/applications/web-dev.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: web-dev}\nspec:\n  source: {path: apps/web/dev}\n",
    };
    const changedBase = { ...files, "apps/web/base/deploy.yaml": files["apps/web/base/deploy.yaml"]!.replace("web}", "web, labels: {a: b}}") };
    const t: TreeListing = { files: Object.keys(files).map((path) => ({ path })), truncated: false };
    const l: ChangedFile[] = [{ path: "apps/web/base/deploy.yaml", status: "modified" }];
    const contents = source({ [HEAD]: changedBase, [BASE]: files });
    const g = await gatherWithRender(input(l, t, contents, 200));
    expect(contents.rounds).toHaveLength(1);
    expect(contents.rounds[0]).toContain("head:argocd/applications/web-dev.yaml");
    expect(g.repository!.head!.read("argocd/applications/web-dev.yaml")).toContain("web-dev");
  });

  it("falls back to the changed files alone, with a note, when the tree cannot be listed or is truncated", async () => {
    const failing = source({ [HEAD]: headFiles, [BASE]: baseFiles });
    const g = await gatherWithRender(input(listed, Object.assign(new Error("API answered 409: Git Repository is empty."), { status: 409 }), failing));
    expect(g.repository).toBeUndefined();
    expect(g.notes[0]).toBe("Kustomize: the repository tree could not be listed (API answered 409: Git Repository is empty.); files were reviewed one by one");
    expect(failing.rounds).toEqual([["base:prod/app.env", "base:prod/old-name.yaml", "base:prod/removed.yaml", "head:prod/app.env", "head:prod/renamed.yaml"]]);

    const truncated = await gatherWithRender(input(listed, { ...tree, truncated: true }, source({ [HEAD]: headFiles })));
    expect(truncated.repository).toBeUndefined();
    expect(truncated.notes[0]).toMatch(/too large to list in one request/);
  });

  it("gives the content source each version's size from the tree of its side (the base tree when it was listed)", async () => {
    const sized = (files: Record<string, string>, extra = 0): TreeListing => ({ files: Object.entries(files).map(([path, text]) => ({ path, size: text.length + extra })), truncated: false });
    const contents = source({ [HEAD]: headFiles, [BASE]: baseFiles });
    await gatherWithRender({ ...input(listed, sized(headFiles), contents, 200), baseTree: { ok: true, value: sized(baseFiles, 1000) } });
    expect(contents.hints.get("head:prod/app.env")).toBe("MODE=prod\n".length);
    expect(contents.hints.get("base:prod/app.env")).toBe("MODE=staging\n".length + 1000);
    expect(contents.hints.get("base:prod/old-name.yaml")).toBe("x: 1\n".length + 1000);

    // Without a base tree the base versions have no size; a failed base listing is only a missing hint.
    for (const baseTree of [null, { ok: false as const, error: new Error("502") }]) {
      const without = source({ [HEAD]: headFiles, [BASE]: baseFiles });
      const g = await gatherWithRender({ ...input(listed, sized(headFiles), without, 200), baseTree });
      expect(without.hints.get("base:prod/app.env")).toBeUndefined();
      expect(without.hints.get("head:prod/app.env")).toBe("MODE=prod\n".length);
      expect(g.repository!.base!.read("prod/app.env")).toBe("MODE=staging\n");
    }
  });

  it("fills round (a) with likely render inputs only within one batch's bytes", async () => {
    const big: TreeListing = { files: Object.keys(headFiles).map((path) => ({ path, size: path === "unrelated/svc.yaml" ? 600_000 : 10 })), truncated: false };
    const contents = source({ [HEAD]: headFiles, [BASE]: baseFiles });
    await gatherWithRender({ ...input(listed, big, contents, 200), batchBytes: 500_000 });
    expect(contents.rounds).toHaveLength(2);
    expect(contents.rounds[0]).not.toContain("head:unrelated/svc.yaml");

    const roomy = source({ [HEAD]: headFiles, [BASE]: baseFiles });
    await gatherWithRender({ ...input(listed, big, roomy, 200), batchBytes: 4_000_000 });
    expect(roomy.rounds).toHaveLength(1);
  });

  it("fetches a root's Argo CD parameter-override files in the render's rounds, and a PR changing only one judges its new image", async () => {
    const web = (tag: string) => `kustomize:\n  images:\n    - ghcr.io/acme/web:${tag}\n`;
    const DEPLOY = ["apiVersion: apps/v1", "kind: Deployment", "metadata: {name: web}", "spec:", "  template:", "    spec:", "      containers:", "        - name: web", "          image: ghcr.io/acme/web", ""].join("\n");
    const head: Record<string, string> = {
      "web/kustomization.yaml": K("deploy.yaml"),
      "web/deploy.yaml": DEPLOY,
      "web/.argocd-source-web.yaml": web("latest"),
      "other/kustomization.yaml": K("svc.yaml"),
      "other/svc.yaml": "kind: Service\n",
    };
    const base = { ...head, "web/.argocd-source-web.yaml": web("1.2.3") };
    const listing: TreeListing = { files: Object.keys(head).map((path) => ({ path })), truncated: false };

    // Only the parameter file changed: round (a) reads it (both sides) with the kustomizations, round (b) the closure
    // of web, the one root it reaches — the same two rounds as any other change (batches of 4: no room to fill).
    const onlyFile: ChangedFile[] = [{ path: "web/.argocd-source-web.yaml", status: "modified" }];
    const contents = source({ [HEAD]: head, [BASE]: base });
    const g = await gatherWithRender(input(onlyFile, listing, contents, 4));
    expect(contents.rounds).toEqual([
      ["base:web/.argocd-source-web.yaml", "head:other/kustomization.yaml", "head:web/.argocd-source-web.yaml", "head:web/kustomization.yaml"],
      ["head:web/deploy.yaml"],
    ]);
    const r = review({ changes: g.changes, config: defaultConfig(), rules: ALL_RULES, now: new Date("2026-11-22T00:00:00Z"), repository: g.repository! });
    expect(r.findings.filter((f) => f.ruleId === "image/mutable-tag").map((f) => `${f.file}:${f.line}:${f.column} ${f.status}`)).toEqual(["web/.argocd-source-web.yaml:3:7 new"]);

    // A change elsewhere in the root: the unchanged parameter file is read in round (b), with the root's other files.
    const deployOnly: ChangedFile[] = [{ path: "web/deploy.yaml", status: "modified" }];
    const again = source({ [HEAD]: head, [BASE]: { ...head, "web/deploy.yaml": DEPLOY.replace("name: web}", "name: web, labels: {a: b}}") } });
    await gatherWithRender(input(deployOnly, listing, again, 4));
    expect(again.rounds).toHaveLength(2);
    expect(again.rounds[1]).toEqual(["head:web/.argocd-source-web.yaml"]);
    expect(again.rounds.flat()).not.toContain("head:other/svc.yaml");
  });

  it("a PR changing only an ApplicationSet template's kustomize override reads the directories it applies them to", async () => {
    const DEPLOY = ["apiVersion: apps/v1", "kind: Deployment", "metadata: {name: web}", "spec:", "  template:", "    spec:", "      containers:", "        - name: web", "          image: ghcr.io/acme/web", ""].join("\n");
    const APPSET = (tag: string) =>
      [
        "apiVersion: argoproj.io/v1alpha1",
        "kind: ApplicationSet",
        "metadata: {name: apps}",
        "spec:",
        "  generators:",
        "    - git: {repoURL: https://example.com/r.git, directories: [{path: 'apps/*'}]}",
        "  template:",
        "    metadata: {name: '{{path.basename}}'}",
        "    spec:",
        "      source:",
        "        repoURL: https://example.com/r.git",
        "        path: '{{path}}'",
        "        kustomize:",
        "          images:",
        `            - ghcr.io/acme/web:${tag}`,
        "",
      ].join("\n");
    const base: Record<string, string> = { "argocd/appset.yaml": APPSET("1.2.3"), "apps/web/kustomization.yaml": K("deploy.yaml"), "apps/web/deploy.yaml": DEPLOY };
    for (let i = 0; i < 6; i++) Object.assign(base, { [`other${i}/kustomization.yaml`]: K("svc.yaml"), [`other${i}/svc.yaml`]: "kind: Service\n" });
    const head = { ...base, "argocd/appset.yaml": APPSET("latest") };
    const listing: TreeListing = { files: Object.keys(head).map((path) => ({ path })), truncated: false };
    const contents = source({ [HEAD]: head, [BASE]: base });
    // Batches of 4: no room to fill round (a); apps/web is read because the override reaches it.
    const g = await gatherWithRender(input([{ path: "argocd/appset.yaml", status: "modified" }], listing, contents, 4));
    expect(contents.rounds.flat()).toContain("head:apps/web/deploy.yaml");
    const r = review({ changes: g.changes, config: defaultConfig(), rules: ALL_RULES, now: new Date("2026-11-22T00:00:00Z"), repository: g.repository! });
    expect(r.findings.filter((f) => f.ruleId === "image/mutable-tag").map((f) => `${f.file}:${f.line} ${f.status}`)).toEqual(["argocd/appset.yaml:15 new"]);
  });

  it("reads ApplicationSets named for them and their git files generators' configs, in round (a) when they fit", async () => {
    const DEPLOY = ["apiVersion: apps/v1", "kind: Deployment", "metadata: {name: web}", "spec:", "  template:", "    spec:", "      containers:", "        - name: web", "          image: ghcr.io/acme/web:1.2.3", "          securityContext: {privileged: true}", ""].join("\n");
    const APPSET = [
      "apiVersion: argoproj.io/v1alpha1",
      "kind: ApplicationSet",
      "metadata: {name: web}",
      "spec:",
      "  generators:",
      "    - git: {repoURL: https://example.com/r.git, files: [{path: 'envs/*/config.json'}]}",
      "  template:",
      "    metadata: {name: 'web-{{path.basename}}'}",
      "    spec: {source: {repoURL: https://example.com/r.git, path: 'web/{{overlay}}'}}",
      "",
    ].join("\n");
    const OFF = "patches:\n  - patch: |-\n      kind: Deployment\n      metadata: {name: web}\n      spec: {template: {spec: {containers: [{name: web, securityContext: {privileged: false}}]}}}\n";
    const base: Record<string, string> = {
      "argocd/applicationset.yaml": APPSET,
      "envs/dev/config.json": '{"overlay": "dev"}',
      "envs/prod/config.json": '{"overlay": "prod"}',
      "web/base/kustomization.yaml": K("deploy.yaml"),
      "web/base/deploy.yaml": DEPLOY,
      "web/dev/kustomization.yaml": K("../base") + OFF,
      "web/prod/kustomization.yaml": K("../base") + OFF,
    };
    for (let i = 0; i < 20; i++) base[`plain/cm-${i}.yaml`] = `kind: ConfigMap\nmetadata: {name: cm-${i}}\n`;
    // The pull request points dev at the base, which Argo CD then applies as it is.
    const head = { ...base, "envs/dev/config.json": '{"overlay": "base"}' };
    const listing: TreeListing = { files: Object.keys(head).map((path) => ({ path })), truncated: false };
    const changed: ChangedFile[] = [{ path: "envs/dev/config.json", status: "modified" }];
    const contents = source({ [HEAD]: head, [BASE]: base });
    // Batches of 10: 6 reads planned, the base's deployment, then 3 free slots — the config file first.
    const g = await gatherWithRender(input(changed, listing, contents, 10));
    expect(contents.rounds).toHaveLength(1);
    expect(contents.rounds[0]).toEqual(expect.arrayContaining(["head:argocd/applicationset.yaml", "head:envs/prod/config.json", "head:web/base/deploy.yaml"]));
    const r = review({ changes: g.changes, config: defaultConfig(), rules: ALL_RULES, now: new Date("2026-11-22T00:00:00Z"), repository: g.repository! });
    expect(r.findings.filter((f) => f.ruleId === "k8s/privileged-container").map((f) => `${f.file}:${f.line} ${f.status}`)).toEqual(["web/base/deploy.yaml:10 new"]);

    // No room to fill (batches of 4 and the plain files first): the configs come with round (b), and the plan is made
    // again with them — the same answer.
    const tight = source({ [HEAD]: head, [BASE]: base });
    const g2 = await gatherWithRender(input(changed, listing, tight, 4));
    expect(tight.rounds.length).toBeLessThanOrEqual(3);
    expect(tight.rounds.flat()).toContain("head:envs/prod/config.json");
    const r2 = review({ changes: g2.changes, config: defaultConfig(), rules: ALL_RULES, now: new Date("2026-11-22T00:00:00Z"), repository: g2.repository! });
    expect(r2.findings.filter((f) => f.ruleId === "k8s/privileged-container").map((f) => `${f.file}:${f.line} ${f.status}`)).toEqual(["web/base/deploy.yaml:10 new"]);
  });
});

describe("the repository's identity", () => {
  it("an Application of another repository reaches nothing here: its path's closure is not read, and the view names the repository", async () => {
    const app = (repoURL: string) =>
      ["apiVersion: argoproj.io/v1alpha1", "kind: Application", "metadata: {name: payments}", "spec:", "  source:", `    repoURL: ${repoURL}`, "    path: deploy/prod", ""].join("\n");
    const files = (repoURL: string): Record<string, string> => ({
      "deploy/prod/kustomization.yaml": K("deploy.yaml"),
      "deploy/prod/deploy.yaml": "kind: Deployment\n",
      "overlays/eu/kustomization.yaml": K("../../deploy/prod"),
      "argocd/payments.yaml": app(repoURL),
    });
    const added: ChangedFile[] = [{ path: "argocd/payments.yaml", status: "added" }];
    const read = async (repoURL: string) => {
      const head = files(repoURL);
      const base = { ...head };
      delete base["argocd/payments.yaml"];
      const contents = source({ [HEAD]: head, [BASE]: base });
      const g = await gatherWithRender({ ...input(added, { files: Object.keys(head).map((path) => ({ path })), truncated: false }, contents, 3), identity: "Acme/GitOps" });
      return { reads: contents.rounds.flat(), identity: g.repository?.identity };
    };
    // Another repository's deploy/prod: only round (a), the changed file and the kustomizations (one full batch of 3).
    const other = await read("https://github.com/acme/payments.git");
    expect(other.reads).not.toContain("head:deploy/prod/deploy.yaml");
    expect(other.identity).toBe("Acme/GitOps");
    // This repository's: the Application starts applying deploy/prod, whose closure is read.
    expect((await read("git@github.com:acme/gitops.git")).reads).toContain("head:deploy/prod/deploy.yaml");
  });
});

describe("nearestFirst (round (a)'s fill when not every render input fits)", () => {
  it("orders reads by the depth of the directory they share with a changed path and leaves out those sharing none", () => {
    const reads: Array<["head" | "base", string]> = [
      ["head", "apps/other/deployment.yaml"],
      ["head", "infra/x.yaml"],
      ["head", "apps/web/base/deployment.yaml"],
      ["base", "apps/web/overlays/demo/patch.yaml"],
      ["head", "apps/web/overlays/prod/resources.yaml"],
      ["head", "apps/web/overlays/prod/deep/extra.yaml"],
    ];
    expect(nearestFirst(reads, new Set(["apps/web/overlays/demo/kustomization.yaml"])).map(([side, p]) => `${side}:${p}`)).toEqual([
      "base:apps/web/overlays/demo/patch.yaml",
      "head:apps/web/overlays/prod/deep/extra.yaml",
      "head:apps/web/overlays/prod/resources.yaml",
      "head:apps/web/base/deployment.yaml",
      "head:apps/other/deployment.yaml",
    ]);
  });
});

describe("the pull request's branches", () => {
  it("the view carries the base branch and the default branch (whether an Application at HEAD follows the merge)", async () => {
    const head: Record<string, string> = { "deploy/prod/kustomization.yaml": K("deploy.yaml"), "deploy/prod/deploy.yaml": "kind: Deployment\n" };
    const contents = source({ [HEAD]: head, [BASE]: head });
    const changed: ChangedFile[] = [{ path: "deploy/prod/deploy.yaml", status: "modified" }];
    const g = await gatherWithRender({ ...input(changed, { files: Object.keys(head).map((path) => ({ path })), truncated: false }, contents, 3), branches: { base: "develop", default: "main" } });
    expect(g.repository?.branches).toEqual({ base: "develop", default: "main" });
  });
});
