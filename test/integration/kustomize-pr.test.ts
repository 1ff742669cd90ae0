/**
 * The App reviews what Argo CD applies: a pull request that changes only a base file is judged through every
 * overlay that uses it, with the files the render needs read through the tree listing and the GraphQL blob
 * batches — against the fake GitHub (real HTTP, Probot's Octokit), within 4 + 3·⌈(N + C)/100⌉ requests.
 */
import { describe, expect, it } from "@jest/globals";
import { Probot } from "probot";
import gitopsGuard from "../../src/app/index.js";
import type { ReviewOutcome } from "../../src/pipeline/run-review.js";
import { CONFIG_PATH } from "../../src/core/config.js";
import { FakeGitHub, type FakeRepo } from "../fakes/github/fake-github.js";
import { PRIVATE_KEY, TestOctokit } from "./helpers.js";
import { fakeGitHubApp, lines, WEB_RESOURCES, webDeployment, webOverlay } from "./web-overlays.js";

const INSTALLATION = 7;





function repository(overlays: readonly string[], extra: Record<string, string> = {}): Record<string, string> {
  const files: Record<string, string> = {
    [CONFIG_PATH]: "failOn: high\n",
    "README.md": "# apps\n",
    "apps/web/base/deployment.yaml": webDeployment(),
    "apps/web/base/kustomization.yaml": lines("resources:", "  - deployment.yaml"),
    ...extra,
  };
  for (const o of overlays) {
    files[`apps/web/overlays/${o}/kustomization.yaml`] = webOverlay(o, "1.4.2");
    files[`apps/web/overlays/${o}/resources.yaml`] = WEB_RESOURCES;
  }
  return files;
}

const app = fakeGitHubApp();
const outcomes = app.outcomes;

let nextPr = 0;
/** Opens a PR from `base` to `head` on a fresh repository; returns the requests its review made (token excluded). */
async function openPull(name: string, base: Record<string, string>, head: Record<string, string>): Promise<{ repo: FakeRepo; requests: ReturnType<FakeGitHub["apiRequests"]>; headSha: string }> {
  const repo = app.gh.addRepo(`acme/${name}`);
  const n = ++nextPr;
  const baseSha = repo.commit(`${String(n).padStart(4, "0")}`.padEnd(40, "a"), base, "main");
  const headSha = repo.commit(`${String(n).padStart(4, "0")}`.padEnd(40, "b"), head);
  repo.addPull({ number: 5, base: { sha: baseSha, ref: "main" }, head: { sha: headSha, ref: "change" } });
  const mark = app.gh.requests.length;
  const repoJson = { id: repo.id, name: repo.name, full_name: repo.fullName, owner: { login: repo.owner } };
  await app.probot.receive({
    id: `delivery-${name}`,
    name: "pull_request",
    payload: {
      action: "opened",
      number: 5,
      pull_request: { number: 5, state: "open", head: { sha: headSha, ref: "change", repo: repoJson }, base: { sha: baseSha, ref: "main", repo: repoJson }, changed_files: repo.pulls.get(5)!.files.length },
      repository: repoJson,
      installation: { id: INSTALLATION },
    },
  } as Parameters<Probot["receive"]>[0]);
  return { repo, requests: app.gh.apiRequests(mark).filter((r) => !r.path.endsWith("/access_tokens")), headSha };
}

const budget = (n: number, c: number) => 4 + 3 * Math.ceil((n + c) / 100);

describe("a pull request that changes only a base file", () => {
  it("is judged through both overlays: one finding at the base line naming them, within the request budget", async () => {
    const base = repository(["staging", "prod"]);
    const head = { ...base, "apps/web/base/deployment.yaml": webDeployment().replace("allowPrivilegeEscalation: false", "privileged: true") };
    const { repo, requests, headSha } = await openPull("two-overlays", base, head);

    const outcome = outcomes.at(-1)!;
    expect(outcome.kind).toBe("reviewed");
    if (outcome.kind !== "reviewed") return;
    const priv = outcome.result.findings.filter((f) => f.ruleId === "k8s/privileged-container");
    expect(priv.map((f) => `${f.file}:${f.line}:${f.column} ${f.status}`)).toEqual(["apps/web/base/deployment.yaml:16:25 new"]);
    expect(priv[0]!.renderedFrom).toEqual(["apps/web/overlays/prod", "apps/web/overlays/staging"]);
    // The overlays pin the base's untagged image and add resources and probes: none of that is reported.
    expect(outcome.result.findings.filter((f) => ["image/mutable-tag", "k8s/missing-resources", "k8s/missing-probes"].includes(f.ruleId))).toEqual([]);

    const run = repo.latestCheckRun(headSha)!;
    expect(run.conclusion).toBe("failure");
    const annotation = run.output.annotations.find((a) => String(a.title).startsWith("k8s/privileged-container"))!;
    expect(annotation).toMatchObject({ path: "apps/web/base/deployment.yaml", start_line: 16, end_line: 16 });
    expect(String(annotation.message)).toContain("apps/web/overlays/prod, apps/web/overlays/staging");

    // N = 1 changed file; C = the closure: base kustomization, two overlay kustomizations and two patches.
    // check run create + config + files page + head tree + one GraphQL batch (changed file, kustomizations and the
    // patches beside them) + check run update + comment create.
    expect(requests.length).toBeLessThanOrEqual(budget(1, 5));
    expect(requests).toHaveLength(7);
    expect(requests.filter((r) => r.path.includes("/git/trees/")).map((r) => `${r.path}?recursive=${r.query.recursive}`)).toEqual([
      `/repos/acme/two-overlays/git/trees/${headSha}?recursive=1`,
    ]);
    expect(requests.filter((r) => r.path.endsWith("/graphql"))).toHaveLength(1);
  });

  it("reads a large Kustomize repository in one round: every kustomization, then the files nearest the change in the room left", async () => {
    // 600 unrelated apps (kustomization + deployment each) do not fit in the first round's free batch capacity
    // (1,000 blobs a query).
    const others: Record<string, string> = {};
    for (let i = 0; i < 600; i++) {
      others[`apps/other-${i}/kustomization.yaml`] = lines("resources:", "  - deployment.yaml");
      others[`apps/other-${i}/deployment.yaml`] = webDeployment().replace("name: web", `name: other-${i}`);
    }
    const base = repository(["staging", "prod"], others);
    const head = { ...base, "apps/web/base/deployment.yaml": webDeployment().replace("allowPrivilegeEscalation: false", "privileged: true") };
    const { requests } = await openPull("large", base, head);

    const outcome = outcomes.at(-1)!;
    expect(outcome.kind === "reviewed" && outcome.result.findings.filter((f) => f.ruleId === "k8s/privileged-container").map((f) => f.renderedFrom)).toEqual([
      ["apps/web/overlays/prod", "apps/web/overlays/staging"],
    ]);
    const blobs = requests
      .filter((r) => r.path.endsWith("/graphql"))
      .flatMap((r) => [...String((r.body as { query: string }).query).matchAll(/expression: "[0-9a-f]+:([^"]+)"/g)].map((m) => m[1]!));
    // Round (a): 603 kustomizations and the changed file, then, in the room its batch has left, the files nearest the
    // change first (the overlays' patches beside the changed base): the plan needs no round (b).
    expect(blobs.filter((p) => p.endsWith("resources.yaml")).sort()).toEqual(["apps/web/overlays/prod/resources.yaml", "apps/web/overlays/staging/resources.yaml"]);
    const firstOther = blobs.findIndex((p) => p.startsWith("apps/other-") && p.endsWith("deployment.yaml"));
    expect(firstOther === -1 || firstOther > blobs.indexOf("apps/web/overlays/staging/resources.yaml")).toBe(true);
    expect(requests.filter((r) => r.path.endsWith("/graphql"))).toHaveLength(1);
  });

  it("falls back to file-by-file review with a note when the tree listing is truncated", async () => {
    const small = await FakeGitHub.start({ maxTreeEntries: 3 });
    const p = new Probot({ appId: 1, privateKey: PRIVATE_KEY, baseUrl: small.apiUrl, Octokit: TestOctokit, logLevel: "fatal" });
    const seen: ReviewOutcome[] = [];
    await p.load((app) => gitopsGuard(app, { onReview: (o) => seen.push(o) }));
    try {
      const repo = small.addRepo("acme/huge");
      const base = repository(["prod"]);
      const baseSha = repo.commit("c".repeat(40), base, "main");
      const headSha = repo.commit("d".repeat(40), { ...base, "apps/web/base/deployment.yaml": webDeployment(false) });
      repo.addPull({ number: 1, base: { sha: baseSha, ref: "main" }, head: { sha: headSha, ref: "x" } });
      const repoJson = { id: repo.id, name: repo.name, full_name: repo.fullName, owner: { login: repo.owner } };
      await p.receive({
        id: "truncated",
        name: "pull_request",
        payload: { action: "opened", number: 1, pull_request: { number: 1, state: "open", head: { sha: headSha, repo: repoJson }, base: { sha: baseSha, repo: repoJson }, changed_files: 1 }, repository: repoJson, installation: { id: 1 } },
      } as Parameters<Probot["receive"]>[0]);
      const outcome = seen.at(-1)!;
      expect(outcome.kind).toBe("reviewed");
      if (outcome.kind !== "reviewed") return;
      expect(outcome.result.notes).toContain("Kustomize: the repository tree is too large to list in one request; files were reviewed one by one");
      // File by file, as before the render: the base's untagged image is reported in the base.
      expect(outcome.result.findings.filter((f) => f.ruleId === "image/mutable-tag").map((f) => `${f.file}:${f.line} ${f.status}`)).toEqual(["apps/web/base/deployment.yaml:14 existing"]);
    } finally {
      await small.close();
    }
  });
});

describe("a pull request that changes only where an Application points", () => {
  const app = (path: string) =>
    lines(
      "apiVersion: argoproj.io/v1alpha1",
      "kind: Application",
      "metadata: {name: web-preview, namespace: argocd}",
      "spec:",
      "  project: web",
      // Of the repository under review (openPull names it acme/<name>): another repository's path is not a directory here.
      "  source: {repoURL: https://github.com/acme/retarget.git, targetRevision: v1.0.0, path: " + path + "}",
      "  destination: {name: preview, namespace: web}",
    );

  it("renders the base it now points at, reading the base's files in the closures' round: its untagged image is new", async () => {
    // Enough other apps that the first round's fill cannot read the base's deployment: only the plan's second round does.
    const others: Record<string, string> = {};
    for (let i = 0; i < 600; i++) {
      others[`apps/other-${i}/kustomization.yaml`] = lines("resources:", "  - deployment.yaml");
      others[`apps/other-${i}/deployment.yaml`] = webDeployment().replace("name: web", `name: other-${i}`);
    }
    const base = repository(["prod"], { ...others, "argocd/web-preview.yaml": app("apps/web/overlays/prod") });
    const head = { ...base, "argocd/web-preview.yaml": app("apps/web/base") };
    await openPull("retarget", base, head);

    const outcome = outcomes.at(-1)!;
    expect(outcome.kind).toBe("reviewed");
    if (outcome.kind !== "reviewed") return;
    const tags = outcome.result.findings.filter((f) => f.ruleId === "image/mutable-tag");
    expect(tags.map((f) => `${f.file}:${f.line}:${f.column} ${f.status}`)).toEqual(["apps/web/base/deployment.yaml:14:18 new"]);
    expect(tags[0]!.renderedFrom).toEqual(["apps/web/base"]);
    expect(outcome.result.notes.some((n) => n.includes("was not rendered"))).toBe(false);
  });
});

describe("a pull request to a repository Flux deploys (no Argo CD object anywhere)", () => {
  // Held-out round 23 (a Flux repository): the Flux Kustomization is in a file the change and the render do not read,
  // so the App named Argo CD for the build the pull request breaks. Files whose path says Flux are read in round (a).
  const fluxFile = lines(
    "apiVersion: kustomize.toolkit.fluxcd.io/v1",
    "kind: Kustomization",
    "metadata: {name: cluster-apps, namespace: flux-system}",
    "spec:",
    "  interval: 30m",
    "  path: ./kubernetes/apps",
    "  sourceRef: {kind: GitRepository, name: home-kubernetes}",
  );
  const service = lines("apiVersion: v1", "kind: Service", "metadata: {name: hass}", "spec:", "  ports: [{port: 8123}]");
  const kustomization = lines("apiVersion: kustomize.config.k8s.io/v1beta1", "kind: Kustomization", "namespace: networking", "resources:", "  - ./hass.yaml");

  it("names Flux's kustomize-controller for a build the pull request breaks, reading the Flux file in the first round", async () => {
    const base: Record<string, string> = {
      "README.md": "# home\n",
      "kubernetes/flux/config/cluster.yaml": fluxFile,
      "kubernetes/apps/networking/svc/kustomization.yaml": kustomization,
      "kubernetes/apps/networking/svc/hass.yaml": service,
    };
    const head: Record<string, string> = { ...base, "kubernetes/apps/networking/svc/home-assistant.yaml": service };
    delete head["kubernetes/apps/networking/svc/hass.yaml"];
    const { requests } = await openPull("flux-rename", base, head);

    const outcome = outcomes.at(-1)!;
    expect(outcome.kind).toBe("reviewed");
    if (outcome.kind !== "reviewed") return;
    const broken = outcome.result.findings.filter((f) => f.ruleId === "guard/parse-error");
    expect(broken.map((f) => `${f.file}:${f.line}:${f.column} ${f.status}`)).toEqual(["kubernetes/apps/networking/svc/kustomization.yaml:5:5 new"]);
    expect(broken[0]!.message).toMatch(/merged, Flux's kustomize-controller cannot build it/);
    expect(broken[0]!.message).not.toMatch(/Argo CD cannot generate/);
    expect(outcome.result.notes).toContain("Kustomize: rendered in process and judged as Flux applies them: kubernetes/apps/networking/svc");
    // One GraphQL batch: the Flux file joins round (a); N = 2 (a rename), C = the kustomization and the Flux file.
    const blobs = requests
      .filter((r) => r.path.endsWith("/graphql"))
      .flatMap((r) => [...String((r.body as { query: string }).query).matchAll(/expression: "[0-9a-f]+:([^"]+)"/g)].map((m) => m[1]!));
    expect(blobs).toContain("kubernetes/flux/config/cluster.yaml");
    expect(requests.filter((r) => r.path.endsWith("/graphql"))).toHaveLength(1);
    expect(requests.length).toBeLessThanOrEqual(budget(2, 2));
  });
});
