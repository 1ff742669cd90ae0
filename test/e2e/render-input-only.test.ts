/**
 * End to end: a pull request that changes only a file a Kustomize render reads without it being YAML — the `.env` of
 * a `configMapGenerator` — is judged through the render, and the App says so everywhere the CLI does: the check run's
 * title is the verdict (not "No GitOps files changed"), its annotations mark the new findings at their `.env` lines,
 * and the summary comment lists them. The real server over HTTP, signed webhooks, the fake GitHub.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startServer, type RunningServer } from "../../src/app/server.js";
import { startDynalite, type DynaliteServer } from "../../src/store/dynalite-server.js";
import { FakeGitHub, type FakeRepo } from "../fakes/github/fake-github.js";
import * as h from "./harness.js";
import { APP_ID, BASE, HEAD1, PUBLIC_KEY, until } from "./harness.js";

const BASE_FILES = {
  "argocd/base/kustomization.yaml": "resources:\n  - argocd-cm.yaml\n",
  "argocd/base/argocd-cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\n  labels:\n    app.kubernetes.io/part-of: argocd\ndata:\n  timeout.reconciliation: 180s\n",
  "argocd/overlays/prod/kustomization.yaml":
    "namespace: argocd\nresources:\n  - ../../base\ngeneratorOptions:\n  disableNameSuffixHash: true\nconfigMapGenerator:\n  - name: argocd-cm\n    behavior: merge\n    envs:\n      - argocd-cm.env\n",
  "argocd/overlays/prod/argocd-cm.env": "timeout.reconciliation=180s\n",
};

let gh: FakeGitHub;
let app: RunningServer;
let repo: FakeRepo;
let dynamo: DynaliteServer;

beforeAll(async () => {
  gh = await FakeGitHub.start({ appId: APP_ID, publicKey: PUBLIC_KEY });
  repo = gh.addRepo("acme/argocd-config");
  repo.commit(BASE, BASE_FILES, "main");
  repo.commit(HEAD1, { ...BASE_FILES, "argocd/overlays/prod/argocd-cm.env": "timeout.reconciliation=180s\nusers.anonymous.enabled=true\n" });
  repo.addPull({ number: 1, base: { sha: BASE, ref: "main" }, head: { sha: HEAD1, ref: "anonymous" } });
  dynamo = await startDynalite();
  app = await startServer({ env: h.appEnv(gh.host, { endpoint: dynamo.endpoint, table: "render-input-only" }), port: 0, host: "127.0.0.1", app: { facts: null } });
});

afterAll(async () => {
  await app?.close();
  await gh?.close();
  await dynamo?.close();
});

describe("a pull request that changes only a generator's .env", () => {
  it("fails with the render's finding annotated at the .env line and listed in the comment", async () => {
    const res = await h.deliver(app.url, "pull_request", h.pullRequestPayload(repo, "opened", HEAD1));
    expect([200, 202]).toContain(res.status);
    const run = await until("a completed check run", () => (repo.latestCheckRun(HEAD1)?.status === "completed" ? repo.latestCheckRun(HEAD1) : null));
    expect(run.conclusion).toBe("failure");
    expect(run.output.title).not.toMatch(/No GitOps files changed/);
    expect(run.output.title).toMatch(/new critical-risk change/);
    expect(run.output.annotations.map((a) => [a.path, a.start_line, a.annotation_level, String(a.title)])).toEqual([
      ["argocd/overlays/prod/argocd-cm.env", 2, "failure", "argocd/anonymous-access (critical)"],
    ]);
    expect(String(run.output.annotations[0]!.message)).toContain("[Kustomize: rendered from argocd/overlays/prod]");
    const [comment] = await until("the summary comment", () => (h.summaryComments(repo).length ? h.summaryComments(repo) : null));
    expect(comment!.body).not.toContain("No GitOps files changed");
    expect(comment!.body).toMatch(/argocd\/overlays\/prod\/argocd-cm\.env:2/);
  });
});
