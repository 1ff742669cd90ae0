/**
 * The App on a pull request that changes only a Helm values file an unchanged Application names through `$values/…`
 * (`envs/prod/web.yaml`: no `values` in its name or directory; held-out round 13): the Application, in `apps/web.yaml`,
 * is read with the first round's files, so the values file is judged as values — its `tag: latest` is new — within
 * 4 + 3·⌈(N + C)/100⌉ requests, against the fake GitHub.
 */
import { describe, expect, it } from "@jest/globals";
import { CONFIG_PATH } from "../../src/core/config.js";
import { fakeGitHubApp, lines, openPullRequest } from "./web-overlays.js";

const application = lines(
  "apiVersion: argoproj.io/v1alpha1",
  "kind: Application",
  "metadata: {name: web, namespace: argocd}",
  "spec:",
  "  project: web",
  "  sources:",
  "    - repoURL: https://charts.example.com",
  "      chart: web",
  "      targetRevision: 1.2.3",
  "      helm:",
  "        valueFiles: [$values/envs/prod/web.yaml]",
  "    - repoURL: https://github.com/acme/values-only.git",
  "      targetRevision: v1.0.0",
  "      ref: values",
  "  destination: {name: prod, namespace: web}",
);
const values = (tag: string) => lines("image:", "  repository: ghcr.io/acme/web", `  tag: ${tag}`);

const app = fakeGitHubApp();
const budget = (n: number, c: number) => 4 + 3 * Math.ceil((n + c) / 100);

describe("a pull request that changes only a values file an unchanged Application names", () => {
  it("judges it as Helm values: the tag set to latest is new", async () => {
    const base = { [CONFIG_PATH]: "failOn: high\n", "apps/web.yaml": application, "envs/prod/web.yaml": values("1.4.2") };
    const head = { ...base, "envs/prod/web.yaml": values("latest") };
    const requests = await openPullRequest(app, { repo: "acme/values-only", number: 5, base, head, shas: ["5".repeat(40), "6".repeat(40)], ref: "latest", changedFiles: 1 });
    const outcome = app.outcomes.at(-1)!;
    expect(outcome.kind).toBe("reviewed");
    if (outcome.kind !== "reviewed") return;
    expect(outcome.result.findings.map((f) => `${f.ruleId} ${f.file}:${f.line} ${f.status}`)).toEqual(["image/mutable-tag envs/prod/web.yaml:3 new"]);
    expect(requests.length).toBeLessThanOrEqual(budget(1, 1));
  });
});

describe("a pull request that changes only a values file an unchanged Application of argocd-autopilot's layout names (held-out round 21)", () => {
  it("reads the Application named for Applications near it (`apps/umami/base/application.yaml`) and judges the file as values", async () => {
    const umami = application.replace("name: web,", "name: umami,").replace("$values/envs/prod/web.yaml", "$values/apps/umami/umami-overrides.yaml");
    // Enough other JSON files (more than one query's 1,000) that the first round's guesses at what a generator reads
    // fill its room: the Application is read only because it is named for Applications near the changed file.
    const configs = Object.fromEntries(Array.from({ length: 1100 }, (_, i) => [`clusters/c${i}/config.json`, `{"name": "c${i}"}\n`]));
    const base = { [CONFIG_PATH]: "failOn: high\n", ...configs, "apps/umami/base/application.yaml": umami, "apps/umami/umami-overrides.yaml": values("1.4.2") };
    const head = { ...base, "apps/umami/umami-overrides.yaml": values("latest") };
    const requests = await openPullRequest(app, { repo: "acme/values-only", number: 7, base, head, shas: ["9".repeat(40), "a".repeat(40)], ref: "latest", changedFiles: 1 });
    const outcome = app.outcomes.at(-1)!;
    expect(outcome.kind).toBe("reviewed");
    if (outcome.kind !== "reviewed") return;
    expect(outcome.result.findings.map((f) => `${f.ruleId} ${f.file}:${f.line} ${f.status}`)).toEqual(["image/mutable-tag apps/umami/umami-overrides.yaml:3 new"]);
    expect(requests.length).toBeLessThanOrEqual(budget(1, 1));
  });
});

describe("a pull request that switches an Application to an existing, unchanged values file (held-out round 16)", () => {
  const register = (file: string) =>
    lines(
      "apiVersion: argoproj.io/v1alpha1",
      "kind: Application",
      "metadata: {name: register, namespace: argocd}",
      "spec:",
      "  project: apps",
      "  source:",
      "    repoURL: https://github.com/acme/switch.git",
      "    targetRevision: v1.0.0",
      "    path: chart",
      "    helm:",
      `      valueFiles: [../overrides/${file}]`,
      "  destination: {name: prod, namespace: register}",
    );

  it("reads the newly named file and judges it as values: its tag set to latest is new", async () => {
    const base = {
      [CONFIG_PATH]: "failOn: high\n",
      "clusters/prod/register.yaml": register("register.yaml"),
      "chart/Chart.yaml": lines("apiVersion: v2", "name: register", "version: 1.0.0"),
      "overrides/register.yaml": values("v9"),
      "overrides/debug.yaml": values("latest"),
      // The Application is applied through a kustomization: the first round reads what is under it, not the values.
      "clusters/kustomization.yaml": lines("resources: [prod/register.yaml]"),
    };
    const head = { ...base, "clusters/prod/register.yaml": register("debug.yaml") };
    const requests = await openPullRequest(app, { repo: "acme/switch", number: 6, base, head, shas: ["7".repeat(40), "8".repeat(40)], ref: "latest", changedFiles: 1 });
    const outcome = app.outcomes.at(-1)!;
    expect(outcome.kind).toBe("reviewed");
    if (outcome.kind !== "reviewed") return;
    expect(outcome.result.findings.map((f) => `${f.ruleId} ${f.file}:${f.line} ${f.status}`)).toEqual(["image/mutable-tag overrides/debug.yaml:3 new"]);
    // One read round more than the budget: the file is known only from the changed Application's content, which the
    // first round reads (only a pull request that changes which values files are named pays it).
    expect(requests.length).toBeLessThanOrEqual(budget(6, 1) + 1);
  });
});
