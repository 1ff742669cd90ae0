/**
 * End to end: the real server (the factory `npm start` runs) on loopback, HMAC-SHA256-signed webhooks
 * over HTTP, and the GitHub API served by a local fake (GHE_HOST=127.0.0.1:<port>, GHE_PROTOCOL=http).
 * Probot's production Octokit is used, throttling included.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { sign } from "@octokit/webhooks-methods";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { startServer, type RunningServer } from "../../src/app/server.js";
import { FakeGitHub, type FakeRepo } from "./fake-github.js";

const SECRET = "e2e-webhook-secret";
const APP_ID = 4242;
const keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PRIVATE_KEY = keys.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const PUBLIC_KEY = keys.publicKey.export({ type: "spki", format: "pem" }).toString();

const BASE = "b".repeat(40);
const HEAD1 = "1".repeat(40);
const HEAD2 = "2".repeat(40);

const PROJECT_OK = `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: team-a
  namespace: argocd
spec:
  sourceRepos:
    - https://github.com/acme/team-a-apps.git
  destinations:
    - server: https://kubernetes.default.svc
      namespace: team-a
`;
const PROJECT_WILDCARD = PROJECT_OK.replace("    - https://github.com/acme/team-a-apps.git", "    - '*'");
const PROJECT_FIXED = PROJECT_OK.replace("team-a-apps.git", "team-a-apps-v2.git");

let gh: FakeGitHub;
let app: RunningServer;
let repo: FakeRepo;

const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as Array<{ name: string; examples: Array<{ action?: string }> }>;

interface Payload {
  installation: { id: number; node_id: string };
  repository: { id: number; name: string; full_name: string; owner: { login: string } };
  number: number;
  pull_request: { number: number; changed_files: number; head: { sha: string; repo: unknown }; base: { sha: string; ref: string; repo: unknown } };
  before?: string;
  after?: string;
}

function pullRequestPayload(action: "opened" | "synchronize", head: string, before?: string): Payload {
  const p = structuredClone(examples.find((g) => g.name === "pull_request")!.examples.find((e) => e.action === action)!) as unknown as Payload;
  p.installation = { id: 77, node_id: "inst" };
  p.repository = { ...p.repository, id: repo.id, name: "gitops", full_name: "acme/gitops", owner: { ...p.repository.owner, login: "acme" } };
  const pr = p.pull_request;
  p.number = pr.number = 1;
  pr.head = { ...pr.head, sha: head, repo: p.repository };
  pr.base = { ...pr.base, sha: BASE, ref: "main", repo: p.repository };
  pr.changed_files = 1;
  if (action === "synchronize") {
    p.before = before;
    p.after = head;
  }
  return p;
}

async function deliver(event: string, payload: unknown, signature?: string | null): Promise<Response> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = { "content-type": "application/json", "x-github-event": event, "x-github-delivery": randomUUID() };
  const sig = signature === undefined ? await sign(SECRET, body) : signature;
  if (sig !== null) headers["x-hub-signature-256"] = sig;
  return fetch(`${app.url}/api/github/webhooks`, { method: "POST", headers, body });
}

async function until<T>(what: string, fn: () => T | undefined | null | false, timeoutMs = 25_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  gh = await FakeGitHub.start({ appId: APP_ID, publicKey: PUBLIC_KEY });
  repo = gh.addRepo("acme/gitops");
  repo.commit(BASE, { "projects/team-a.yaml": PROJECT_OK, ".github/gitops-guard.yml": "failOn: high\n" }, "main");
  repo.commit(HEAD1, { "projects/team-a.yaml": PROJECT_WILDCARD, ".github/gitops-guard.yml": "failOn: high\n" });
  repo.commit(HEAD2, { "projects/team-a.yaml": PROJECT_FIXED, ".github/gitops-guard.yml": "failOn: high\n", "README.md": "docs\n" });
  repo.addPull({ number: 1, base: { sha: BASE, ref: "main" }, head: { sha: HEAD1, ref: "open-up" } });
  app = await startServer({
    env: { APP_ID: String(APP_ID), PRIVATE_KEY, WEBHOOK_SECRET: SECRET, GHE_HOST: gh.host, GHE_PROTOCOL: "http", LOG_LEVEL: "fatal" },
    port: 0,
    host: "127.0.0.1",
  });
});

afterAll(async () => {
  await app?.close();
  await gh?.close();
});

describe("webhook server against a fake GitHub", () => {
  it("answers GET /ping", async () => {
    const res = await fetch(`${app.url}/ping`);
    expect(res.status).toBe(200);
  });

  it("rejects unsigned and wrongly signed webhooks, and calls nothing", async () => {
    const before = gh.requests.length;
    const unsigned = await deliver("pull_request", pullRequestPayload("opened", HEAD1), null);
    const wrong = await deliver("pull_request", pullRequestPayload("opened", HEAD1), await sign("not-the-secret", "{}"));
    const sha1Only = await deliver("pull_request", pullRequestPayload("opened", HEAD1), "sha1=0123456789abcdef0123456789abcdef01234567");
    for (const res of [unsigned, wrong, sha1Only]) expect([400, 401]).toContain(res.status);
    await new Promise((r) => setTimeout(r, 200));
    expect(gh.requests.length).toBe(before);
    expect(repo.checkRuns()).toHaveLength(0);
  });

  it("opened: a completed check run with annotations and one summary comment", async () => {
    const res = await deliver("pull_request", pullRequestPayload("opened", HEAD1));
    expect([200, 202]).toContain(res.status);
    const run = await until("a completed check run", () => repo.checkRuns().find((c) => c.head_sha === HEAD1 && c.status === "completed"));
    expect(run.name).toBe("gitops-guard");
    expect(run.conclusion).toBe("failure");
    expect(run.output.title).toMatch(/new high-risk change/);
    const wildcard = run.output.annotations.find((a) => String(a.title).startsWith("argocd/project-source-repos-wildcard"));
    expect(wildcard).toMatchObject({ path: "projects/team-a.yaml", start_line: 8, annotation_level: "failure" });
    const comments = await until("the summary comment", () => (repo.comments(1).length ? repo.comments(1) : null));
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain("<!-- gitops-guard:summary -->");
    expect(comments[0].body).toContain(`<!-- gitops-guard:sha=${HEAD1} -->`);
    // Installation token through POST /app/installations/{id}/access_tokens, with a JWT the fake verified.
    expect(gh.requests.some((r) => r.path === "/app/installations/77/access_tokens" && r.status === 201)).toBe(true);
  });

  it("synchronize with the fix: the same comment is edited to all clear, and the new head gets its own check run", async () => {
    repo.pushHead(1, HEAD2);
    const res = await deliver("pull_request", pullRequestPayload("synchronize", HEAD2, HEAD1));
    expect([200, 202]).toContain(res.status);
    const run = await until("the second check run", () => repo.checkRuns().find((c) => c.head_sha === HEAD2 && c.status === "completed"));
    expect(run.conclusion).toBe("success");
    const comments = await until("the edited comment", () => (repo.comments(1)[0]?.body.includes(HEAD2) ? repo.comments(1) : null));
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toMatch(/No new risky changes/);
    expect(repo.checkRuns().every((c) => c.status === "completed")).toBe(true);
  });

  it("answers 404 for other paths", async () => {
    const res = await fetch(`${app.url}/nothing-here`);
    expect(res.status).toBe(404);
  });
});
