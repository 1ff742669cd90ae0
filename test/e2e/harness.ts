/** Shared pieces of the end-to-end tests: keys, manifests, real webhook payloads, signed deliveries, the audit export. */
import { expect } from "@jest/globals";
import { sign } from "@octokit/webhooks-methods";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { Writable } from "node:stream";
import { runDecisions } from "../../src/cli/decisions.js";
import type { FakeRepo } from "../fakes/github/fake-github.js";

export const SECRET = "e2e-webhook-secret";
export const APP_ID = 4242;
const keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
export const PRIVATE_KEY = keys.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
export const PUBLIC_KEY = keys.publicKey.export({ type: "spki", format: "pem" }).toString();

/**
 * The server's environment for the end-to-end tests: the App's settings against the fake GitHub at `ghHost` and, when
 * given, a DynamoDB decision store (no AWS variable at all without one: the embedded store).
 */
export function appEnv(ghHost: string, store?: { endpoint: string; table: string }): NodeJS.ProcessEnv {
  return {
    APP_ID: String(APP_ID),
    PRIVATE_KEY,
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: ghHost,
    GHE_PROTOCOL: "http",
    LOG_LEVEL: "fatal",
    ...(store ? { AWS_ENDPOINT_URL_DYNAMODB: store.endpoint, TABLE_NAME: store.table } : {}),
  };
}

export const BASE = "b".repeat(40);
export const HEAD1 = "1".repeat(40);
export const HEAD2 = "2".repeat(40);

export const PROJECT_OK = `apiVersion: argoproj.io/v1alpha1
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
export const PROJECT_WILDCARD = PROJECT_OK.replace("    - https://github.com/acme/team-a-apps.git", "    - '*'");
export const PROJECT_FIXED = PROJECT_OK.replace("team-a-apps.git", "team-a-apps-v2.git");

export const SUMMARY = "<!-- gitops-guard:summary -->";
export const REPLY = "<!-- gitops-guard:command-reply -->";

const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as Array<{ name: string; examples: Array<{ action?: string }> }>;

export interface Payload {
  installation: { id: number; node_id: string };
  repository: { id: number; name: string; full_name: string; html_url?: string; owner: { login: string } };
  number: number;
  pull_request: { number: number; changed_files: number; head: { sha: string; repo: unknown }; base: { sha: string; ref: string; repo: unknown } };
  before?: string;
  after?: string;
}

function exampleOf(event: string, action: string): unknown {
  return structuredClone(examples.find((g) => g.name === event)!.examples.find((e) => e.action === action)!);
}

/** Installation 77 on `repo` (its owner and name from the fake). */
function onRepo<T extends { installation: unknown; repository: Payload["repository"] }>(p: T, repo: FakeRepo): T {
  p.installation = { id: 77, node_id: "inst" };
  // The repository's own web address: the example payload's (Codertocat/Hello-World) would make every link the App
  // publishes point at another repository, unnoticed.
  p.repository = { ...p.repository, id: repo.id, name: repo.name, full_name: repo.fullName, html_url: `https://github.com/${repo.fullName}`, owner: { ...p.repository.owner, login: repo.owner } };
  return p;
}

/** A real `pull_request` example for PR #1 of `repo`. */
export function pullRequestPayload(repo: FakeRepo, action: "opened" | "synchronize", head: string, before?: string): Payload {
  const p = onRepo(exampleOf("pull_request", action) as Payload, repo);
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

/** A real `issue_comment.created` example, for a comment that exists in the fake, on PR #1 (by `octocat`). */
export function commentPayload(repo: FakeRepo, apiUrl: string, comment: { id: number; body: string; user: { login: string; type: string } }): unknown {
  const p = onRepo(
    exampleOf("issue_comment", "created") as {
      installation: unknown;
      repository: Payload["repository"];
      issue: { number: number; user: { login: string }; pull_request?: unknown };
      comment: { id: number; body: string; user: { login: string; type: string } };
    },
    repo,
  );
  p.issue = { ...p.issue, number: 1, user: { ...p.issue.user, login: "octocat" }, pull_request: { url: `${apiUrl}/repos/${repo.fullName}/pulls/1` } };
  p.comment = { ...p.comment, id: comment.id, body: comment.body, user: { ...p.comment.user, login: comment.user.login, type: comment.user.type } };
  return p;
}

/** POSTs a webhook signed with SECRET (or the given signature; null = unsigned). */
export async function deliver(url: string, event: string, payload: unknown, signature?: string | null, delivery: string = randomUUID()): Promise<Response> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = { "content-type": "application/json", "x-github-event": event, "x-github-delivery": delivery };
  const sig = signature === undefined ? await sign(SECRET, body) : signature;
  if (sig !== null) headers["x-hub-signature-256"] = sig;
  // A fresh connection per delivery: a kept-alive one the server closed after its 5 s idle timeout (a CLI run between
  // two deliveries takes about that long) fails the POST with ECONNRESET, and a POST is not retried.
  headers.connection = "close";
  return fetch(`${url}/api/github/webhooks`, { method: "POST", headers, body });
}

export async function until<T>(what: string, fn: () => T | undefined | null | false, timeoutMs = 25_000): Promise<T> {
  return eventually(what, async () => fn(), timeoutMs);
}

export async function eventually<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 25_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

class Sink extends Writable {
  text = "";
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** `gitops-guard decisions --repo <repo> …` (runDecisions) with this environment; the parsed JSON records. */
export async function decisions(io: { env: NodeJS.ProcessEnv; cwd?: string }, repo: string, ...args: string[]): Promise<Array<Record<string, unknown>>> {
  const stdout = new Sink();
  const stderr = new Sink();
  const code = await runDecisions(["--repo", repo, ...args], { stdout, stderr, env: io.env, cwd: io.cwd });
  expect(stderr.text).toBe("");
  expect(code).toBe(0);
  return JSON.parse(stdout.text) as Array<Record<string, unknown>>;
}

export function summaryComments(repo: FakeRepo, pr = 1): ReturnType<FakeRepo["comments"]> {
  return repo.comments(pr).filter((c) => c.body.includes(SUMMARY));
}

export function replies(repo: FakeRepo, pr = 1): ReturnType<FakeRepo["comments"]> {
  return repo.comments(pr).filter((c) => c.body.includes(REPLY));
}
