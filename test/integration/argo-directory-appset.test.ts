/**
 * The App on a pull request that deletes an overlay an unchanged ApplicationSet generates, kept in a file whose name
 * does not say so (`argocd/services.yaml`, held-out round 12): the file is read with the first round's kustomization
 * files, in the same batched query, so the deleted Application is `argocd/app-deleted` — within 4 + 3·⌈(N + C)/100⌉
 * requests, against the fake GitHub.
 */
import { describe, expect, it } from "@jest/globals";
import { CONFIG_PATH } from "../../src/core/config.js";
import { fakeGitHubApp, lines, webDeployment, openPullRequest } from "./web-overlays.js";

const services = lines(
  "apiVersion: argoproj.io/v1alpha1",
  "kind: ApplicationSet",
  "metadata: {name: services, namespace: argocd}",
  "spec:",
  "  goTemplate: true",
  "  generators:",
  "  - git:",
  "      repoURL: https://github.com/acme/argo-directory.git",
  "      revision: main",
  "      directories:",
  "      - path: services/*/k8s/overlays/*",
  "  template:",
  "    metadata: {name: '{{index .path.segments 1}}-{{.path.basename}}'}",
  "    spec:",
  "      project: web",
  "      source: {repoURL: https://github.com/acme/argo-directory.git, targetRevision: main, path: '{{.path.path}}'}",
  "      destination: {name: '{{.path.basename}}', namespace: 'web-{{.path.basename}}'}",
);

const app = fakeGitHubApp();
const outcomes = app.outcomes;

const budget = (n: number, c: number) => 4 + 3 * Math.ceil((n + c) / 100);

describe("a pull request that deletes an overlay an unchanged ApplicationSet in argocd/services.yaml generates", () => {
  it("reads argocd/services.yaml in the first round's query and reports the Application its set deletes", async () => {
    const base: Record<string, string> = { [CONFIG_PATH]: "failOn: high\n", "argocd/services.yaml": services };
    for (const env of ["staging", "prod"]) {
      base[`services/click/k8s/overlays/${env}/kustomization.yaml`] = lines("resources: [cm.yaml]");
      base[`services/click/k8s/overlays/${env}/cm.yaml`] = lines("apiVersion: v1", "kind: ConfigMap", `metadata: {name: click-${env}}`, "data: {a: b}");
    }
    // Enough other apps that round (a)'s fill reads none of the files beside the kustomizations.
    for (let i = 0; i < 600; i++) {
      base[`apps/other-${i}/kustomization.yaml`] = lines("resources:", "  - deployment.yaml");
      base[`apps/other-${i}/deployment.yaml`] = webDeployment().replace("name: web", `name: other-${i}`);
    }
    const head = Object.fromEntries(Object.entries(base).filter(([p]) => !p.startsWith("services/click/k8s/overlays/staging/")));

    const requests = await openPullRequest(app, { repo: "acme/argo-directory", number: 4, base, head, shas: ["3".repeat(40), "4".repeat(40)], ref: "drop-staging", changedFiles: 2 });

    const outcome = outcomes.at(-1)!;
    expect(outcome.kind).toBe("reviewed");
    if (outcome.kind !== "reviewed") return;
    expect(outcome.result.findings.filter((f) => f.ruleId === "argocd/app-deleted").map((f) => `${f.file}:${f.line} ${f.severity} ${f.status}`)).toEqual(["argocd/services.yaml:7 high new"]);
    expect(outcome.result.conclusion).toBe("failure");

    const queries = requests.filter((r) => r.path.endsWith("/graphql")).map((r) => [...String((r.body as { query: string }).query).matchAll(/expression: "[0-9a-f]+:([^"]+)"/g)].map((m) => m[1]!));
    // Read once (unchanged: the head's version serves both sides), with the kustomization files of the first round.
    expect(queries[0]).toContain("argocd/services.yaml");
    expect(queries[0]).toContain("apps/other-0/kustomization.yaml");
    expect(queries.flat().filter((p) => p === "argocd/services.yaml")).toHaveLength(1);
    expect(queries).toHaveLength(1);
    // N = 2 changed files; C = the ApplicationSet. One query, as without it: the config, the files, the tree, the
    // check run opened and closed, the comment.
    expect(requests.length).toBeLessThanOrEqual(budget(2, 1));
    expect(requests).toHaveLength(7);
  });
});
