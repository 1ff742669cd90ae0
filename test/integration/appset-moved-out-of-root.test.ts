/**
 * The App on a pull request that moves an ApplicationSet out of the directory its root Application reads (held-out
 * round 18): the root's file (`root-app.yaml`, unchanged, named for Applications) is read on both sides, so the move is
 * the deletion Argo CD makes of it — `argocd/app-deleted` at the moved file's line, as the CLI reports it.
 */
import { describe, expect, it } from "@jest/globals";
import { CONFIG_PATH } from "../../src/core/config.js";
import { fakeGitHubApp, lines, openPullRequest } from "./web-overlays.js";

const root = lines(
  "apiVersion: argoproj.io/v1alpha1",
  "kind: Application",
  "metadata:",
  "  name: root",
  "  namespace: argocd",
  "  finalizers: [resources-finalizer.argocd.argoproj.io]",
  "spec:",
  "  project: platform",
  "  source: {repoURL: https://github.com/acme/moved-appset.git, targetRevision: HEAD, path: argocd}",
  "  destination: {name: mgmt, namespace: argocd}",
  "  syncPolicy: {automated: {prune: true}}",
);

const appset = lines(
  "apiVersion: argoproj.io/v1alpha1",
  "kind: ApplicationSet",
  "metadata:",
  "  name: apps",
  "  namespace: argocd",
  "spec:",
  "  generators:",
  "    - list: {elements: [{name: web}]}",
  "  template:",
  "    metadata: {name: '{{name}}'}",
  "    spec:",
  "      project: platform",
  "      source: {repoURL: https://github.com/acme/moved-appset.git, targetRevision: HEAD, path: 'apps/{{name}}'}",
  "      destination: {name: prod, namespace: web}",
);

const app = fakeGitHubApp();

describe("a pull request that moves an ApplicationSet out of its root Application's directory", () => {
  it("reads the root's file on both sides and reports the move as the deletion it is", async () => {
    const base: Record<string, string> = { [CONFIG_PATH]: "failOn: high\n", "root-app.yaml": root, "argocd/appset.yaml": appset, "apps/web/cm.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: web}", "data: {a: b}") };
    const head = Object.fromEntries(Object.entries(base).filter(([p]) => p !== "argocd/appset.yaml"));
    head["bootstrap/appset.yaml"] = appset;
    await openPullRequest(app, { repo: "acme/moved-appset", number: 5, base, head, shas: ["5".repeat(40), "6".repeat(40)], ref: "move-appset", changedFiles: 2 });
    const outcome = app.outcomes.at(-1)!;
    expect(outcome.kind).toBe("reviewed");
    if (outcome.kind !== "reviewed") return;
    expect(outcome.result.findings.filter((f) => f.ruleId === "argocd/app-deleted").map((f) => `${f.file}:${f.line} ${f.severity} ${f.status}`)).toEqual(["bootstrap/appset.yaml:4 high new"]);
    expect(outcome.result.conclusion).toBe("failure");
  });
});
