/**
 * The `web` application of the App's Kustomize tests: a base Deployment with every hardening but an untagged image
 * (line 14), and overlays that pin the tag and patch in resources and probes — the shape of a real overlay layout.
 */
import { afterAll, beforeAll } from "@jest/globals";
import { Probot } from "probot";
import gitopsGuard from "../../src/app/index.js";
import type { ReviewOutcome } from "../../src/pipeline/run-review.js";
import { FakeGitHub, type FileTree, type RecordedRequest } from "../fakes/github/fake-github.js";
import { PRIVATE_KEY, TestOctokit } from "./helpers.js";

export const lines = (...l: string[]): string => `${l.join("\n")}\n`;

/** The base Deployment; `readOnlyRootFilesystem: false` (line 17) gives every render one base-line finding. */
export const webDeployment = (readOnlyRootFilesystem = true): string =>
  lines(
    "apiVersion: apps/v1", // 1
    "kind: Deployment", // 2
    "metadata:", // 3
    "  name: web", // 4
    "spec:", // 5
    "  selector: {matchLabels: {app: web}}", // 6
    "  template:", // 7
    "    metadata: {labels: {app: web}}", // 8
    "    spec:", // 9
    "      automountServiceAccountToken: false", // 10
    "      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}", // 11
    "      containers:", // 12
    "        - name: web", // 13
    "          image: ghcr.io/acme/web", // 14
    "          securityContext:", // 15
    "            allowPrivilegeEscalation: false", // 16
    `            readOnlyRootFilesystem: ${readOnlyRootFilesystem}`, // 17
    "            capabilities: {drop: [ALL]}", // 18
  );

/** An overlay's patch: the resources and probes the base leaves out. */
export const WEB_RESOURCES = lines(
  "apiVersion: apps/v1",
  "kind: Deployment",
  "metadata: {name: web}",
  "spec:",
  "  template:",
  "    spec:",
  "      containers:",
  "        - name: web",
  "          resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 256Mi}}",
  "          readinessProbe: {httpGet: {path: /healthz, port: 8080}}",
  "          livenessProbe: {httpGet: {path: /healthz, port: 8080}}",
);

/** An overlay of `apps/web/base` in namespace `ns` that pins the image's tag and patches in `resources.yaml`. */
export const webOverlay = (ns: string, tag = "1.4.2"): string =>
  lines("resources:", "  - ../../base", `namespace: ${ns}`, "images:", "  - name: ghcr.io/acme/web", `    newTag: ${tag}`, "patches:", "  - path: resources.yaml");

/** The App loaded in Probot against a fake GitHub started for the file's tests; each review's outcome is kept. */
export function fakeGitHubApp(): { readonly gh: FakeGitHub; readonly probot: Probot; outcomes: ReviewOutcome[] } {
  let gh: FakeGitHub | undefined;
  let probot: Probot | undefined;
  const outcomes: ReviewOutcome[] = [];
  beforeAll(async () => {
    gh = await FakeGitHub.start();
    probot = new Probot({ appId: 1, privateKey: PRIVATE_KEY, baseUrl: gh.apiUrl, Octokit: TestOctokit, logLevel: "fatal" });
    await probot.load((app) => gitopsGuard(app, { onReview: (o) => outcomes.push(o) }));
  });
  afterAll(async () => {
    await gh?.close();
  });
  return {
    get gh() {
      return gh!;
    },
    get probot() {
      return probot!;
    },
    outcomes,
  };
}

/** A pull request to open in the fake GitHub: its repository, number, both sides' files and commit ids, head branch. */
export interface OpenedPull {
  repo: string;
  number: number;
  base: FileTree;
  head: FileTree;
  shas: readonly [base: string, head: string];
  ref: string;
  changedFiles: number;
}

/**
 * Commits both sides, opens the pull request and delivers its `opened` webhook to the App; the API requests the review
 * made (token requests aside).
 */
export async function openPullRequest(app: ReturnType<typeof fakeGitHubApp>, pull: OpenedPull): Promise<RecordedRequest[]> {
  const repo = app.gh.addRepo(pull.repo);
  const baseSha = repo.commit(pull.shas[0], pull.base, "main");
  const headSha = repo.commit(pull.shas[1], pull.head);
  repo.addPull({ number: pull.number, base: { sha: baseSha, ref: "main" }, head: { sha: headSha, ref: pull.ref } });
  const mark = app.gh.requests.length;
  const repoJson = { id: repo.id, name: repo.name, full_name: repo.fullName, owner: { login: repo.owner } };
  await app.probot.receive({
    id: `delivery-${pull.repo}-${pull.number}`,
    name: "pull_request",
    payload: {
      action: "opened",
      number: pull.number,
      pull_request: { number: pull.number, state: "open", head: { sha: headSha, ref: pull.ref, repo: repoJson }, base: { sha: baseSha, ref: "main", repo: repoJson }, changed_files: pull.changedFiles },
      repository: repoJson,
      installation: { id: 9 },
    },
  } as Parameters<Probot["receive"]>[0]);
  return app.gh.apiRequests(mark).filter((r) => !r.path.endsWith("/access_tokens"));
}
