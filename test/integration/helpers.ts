/** Probot + nock helpers for the GitHub App integration tests. */
import { afterEach, beforeEach, expect } from "@jest/globals";
import { generateKeyPairSync } from "node:crypto";
import { createRequire } from "node:module";
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import gitopsGuard, { type GuardAppOptions } from "../../src/app/index.js";
import { gitBlobSha } from "../fakes/github/fake-github.js";
import { parseBlobQuery } from "../fakes/github/graphql.js";
import type { ReviewOutcome } from "../../src/pipeline/run-review.js";

export const API = "https://api.github.com";
export const OWNER = "Codertocat";
export const REPO = "Hello-World";
export const REPO_PATH = `/repos/${OWNER}/${REPO}`;
export const INSTALLATION_ID = 1;

/** An RSA key for the App's JWT (generated once per test file). */
export const PRIVATE_KEY = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();

/** Test Octokit: no retries, no throttling (the function form, so Probot's defaults do not win). */
export const TestOctokit = ProbotOctokit.defaults((o: ConstructorParameters<typeof ProbotOctokit>[0]) => ({
  ...o,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

export interface Harness {
  probot: Probot;
  outcomes: ReviewOutcome[];
}

export async function makeProbot(opts: GuardAppOptions = {}): Promise<Harness> {
  const probot = new Probot({ appId: 123, privateKey: PRIVATE_KEY, Octokit: TestOctokit, logLevel: "fatal" });
  const outcomes: ReviewOutcome[] = [];
  await probot.load((app) => gitopsGuard(app, { ...opts, onReview: (o, t) => (outcomes.push(o), opts.onReview?.(o, t)) }));
  return { probot, outcomes };
}

// ---------------------------------------------------------------------------------------------
// Real payloads from @octokit/webhooks-examples, with an installation added.

interface ExampleGroup {
  name: string;
  examples: Array<Record<string, unknown> & { action?: string }>;
}
const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as ExampleGroup[];

/** The parts of webhook payloads the tests edit (the rest of the real example is kept as is). */
export interface RepoJson {
  id: number;
  name: string;
  full_name: string;
  owner: { login: string; [key: string]: unknown };
  fork?: boolean;
  [key: string]: unknown;
}
export interface PullJson {
  number: number;
  changed_files: number;
  head: { sha: string; repo: RepoJson; [key: string]: unknown };
  base: { sha: string; repo: RepoJson; [key: string]: unknown };
  [key: string]: unknown;
}
export interface PayloadJson {
  action: string;
  repository: RepoJson;
  installation: { id: number; node_id: string };
  number?: number;
  pull_request?: PullJson;
  before?: string;
  after?: string;
  changes?: Record<string, unknown>;
  check_run?: { name: string; head_sha: string; pull_requests: unknown[]; [key: string]: unknown };
  check_suite?: { head_sha: string; pull_requests: Array<{ base: { repo: { id: number } } }>; [key: string]: unknown };
  [key: string]: unknown;
}

export function example(event: string, action: string): PayloadJson {
  const group = examples.find((g) => g.name === event);
  const found = group?.examples.find((e) => e.action === action);
  if (!found) throw new Error(`no ${event}.${action} example`);
  const payload = structuredClone(found) as unknown as PayloadJson;
  payload.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
  return payload;
}

export const BASE_SHA = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";
export const HEAD_SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
export const PREVIOUS_SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";

export interface PrOptions {
  number?: number;
  headSha?: string;
  baseSha?: string;
  changedFiles?: number;
  before?: string;
  headRepo?: { owner: string; name: string; id: number };
}

/** A `pull_request` payload (from the real `synchronize`/`opened`/... examples). */
export function prPayload(action: string, o: PrOptions = {}): PayloadJson {
  const source = ["opened", "synchronize", "reopened", "ready_for_review"].includes(action) ? action : "synchronize";
  const p = example("pull_request", source);
  p.action = action;
  const pr = p.pull_request!;
  p.repository.owner.login = OWNER;
  p.repository.name = REPO;
  p.repository.full_name = `${OWNER}/${REPO}`;
  pr.number = p.number = o.number ?? 2;
  pr.head.sha = o.headSha ?? HEAD_SHA;
  pr.base.sha = o.baseSha ?? BASE_SHA;
  pr.changed_files = o.changedFiles ?? 1;
  pr.base.repo = structuredClone(p.repository);
  pr.head.repo = structuredClone(p.repository);
  if (o.headRepo) {
    pr.head.repo.id = o.headRepo.id;
    pr.head.repo.name = o.headRepo.name;
    pr.head.repo.full_name = `${o.headRepo.owner}/${o.headRepo.name}`;
    pr.head.repo.owner = { ...pr.head.repo.owner, login: o.headRepo.owner };
    pr.head.repo.fork = true;
  }
  if (action === "synchronize") {
    p.before = o.before ?? PREVIOUS_SHA;
    p.after = pr.head.sha;
  }
  return p;
}

export async function send(probot: Probot, name: string, payload: PayloadJson): Promise<void> {
  await probot.receive({ id: `delivery-${Math.random().toString(36).slice(2)}`, name, payload } as Parameters<Probot["receive"]>[0]);
}

// ---------------------------------------------------------------------------------------------
// GitHub API mocks.

/** Every request a scope answers ("METHOD path"), to count what a review costs. */
export function recordRequests(scope: nock.Scope): string[] {
  const list: string[] = [];
  scope.on("request", (req: { method?: string; path?: string }) => list.push(`${req.method} ${req.path}`));
  return list;
}

export function nockToken(): nock.Scope {
  return nock(API)
    .post(`/app/installations/${INSTALLATION_ID}/access_tokens`)
    .reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z", permissions: { checks: "write" } });
}

/** Config lookups: the repository's file, then (when absent) the owner's `.github` repository. */
/** The repository's config file (null: none, a 404). One read: the owner's `.github` repository is read only through `_extends`. */
export function nockConfig(scope: nock.Scope, config: string | null): void {
  const file = `/contents/${encodeURIComponent(".github/gitops-guard.yml")}`;
  if (config === null) {
    scope.get(`${REPO_PATH}${file}`).reply(404, { message: "Not Found" });
  } else {
    scope.get(`${REPO_PATH}${file}`).reply(200, config, { "content-type": "application/vnd.github.raw; charset=utf-8" });
  }
}

export interface ListedFile {
  filename: string;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";
  previous_filename?: string;
}

export function nockFiles(scope: nock.Scope, files: ListedFile[], number = 2, tree: string[] = headTreeOf(files)): void {
  for (let page = 1; page <= Math.max(1, Math.ceil(files.length / 100)); page++) {
    const slice = files.slice((page - 1) * 100, page * 100);
    scope
      .get(`${REPO_PATH}/pulls/${number}/files`)
      .query({ per_page: "100", page: String(page) })
      .reply(200, slice.map((f) => ({ sha: "0".repeat(40), additions: 1, deletions: 0, changes: 1, ...f })));
  }
  nockTree(scope, tree);
}

/** The head tree of a PR whose repository holds only the files it changes. */
function headTreeOf(files: ListedFile[]): string[] {
  return files.filter((f) => f.status !== "removed").map((f) => f.filename);
}

/**
 * The recursive tree listing of the head commit (`git/trees/{sha}?recursive=1`), which a review asks for beside
 * the changed files (the Kustomize render reads from it), and of the base commit, which a review of more than 200
 * changed files lists for its sizes (the same listing answers both). Optional: a review that stops early lists none.
 */
export function nockTree(scope: nock.Scope, paths: string[], opts: { truncated?: boolean } = {}): void {
  scope
    .get(new RegExp(`^${REPO_PATH}/git/trees/[0-9a-f]{40}\\?recursive=1$`))
    .times(2)
    .optionally()
    .reply(200, {
      sha: "e".repeat(40),
      truncated: opts.truncated ?? false,
      tree: paths.map((path) => ({ path, mode: "100644", type: "blob", sha: "0".repeat(40), size: 100 })),
    });
}

export type Trees = Record<string, Record<string, string | Buffer>>;

export interface GraphqlLog {
  queries: Array<{ owner: string; name: string; expressions: string[] }>;
}

/** Answers blob queries from `trees` (commit sha → path → content), like GitHub (512 KB truncation, binary). */
export function nockGraphql(scope: nock.Scope, trees: Trees, times = 1, log: GraphqlLog = { queries: [] }): GraphqlLog {
  scope
    .post("/graphql")
    .times(times)
    .reply(200, (_uri, body) => {
      const q = parseBlobQuery((body as { query: string }).query);
      if (!q) return { errors: [{ message: "unexpected query" }] };
      log.queries.push({ owner: q.owner, name: q.name, expressions: q.objects.map((o) => o.expression) });
      const data: Record<string, unknown> = {};
      for (const { alias, expression } of q.objects) {
        const i = expression.indexOf(":");
        const content = trees[expression.slice(0, i)]?.[expression.slice(i + 1)];
        if (content === undefined) {
          data[alias] = null;
          continue;
        }
        const buf = Buffer.isBuffer(content) ? content : Buffer.from(content);
        const isBinary = buf.includes(0);
        data[alias] = {
          oid: gitBlobSha(buf),
          byteSize: buf.length,
          isBinary,
          isTruncated: buf.length > 512_000,
          text: isBinary ? null : buf.subarray(0, 512_000).toString("utf8"),
        };
      }
      return { data: { repository: data } };
    });
  return log;
}

export interface SentAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: string;
  message: string;
  title: string;
}

/** A check-run create/update request body as the app sent it. */
export interface CheckRunBody {
  name?: string;
  head_sha?: string;
  status?: string;
  conclusion?: string;
  output: { title: string; summary: string; text?: string; annotations: SentAnnotation[] };
}

export interface CheckRunLog {
  created: CheckRunBody[];
  updates: CheckRunBody[];
}

export function nockCheckRun(scope: nock.Scope, id = 42, updates = 1): CheckRunLog {
  const log: CheckRunLog = { created: [], updates: [] };
  scope.post(`${REPO_PATH}/check-runs`).reply(201, (_u, body) => (log.created.push(body as CheckRunBody), { id }));
  scope
    .patch(`${REPO_PATH}/check-runs/${id}`)
    .times(updates)
    .reply(200, (_u, body) => (log.updates.push(body as CheckRunBody), { id }));
  return log;
}

export interface CommentLog {
  created: string[];
  updated: Array<{ id: number; body: string }>;
}

export function nockComments(
  scope: nock.Scope,
  existing: Array<{ id: number; body: string; user?: { login: string; type: string } }>,
  expect: { create?: boolean; update?: number; list?: boolean; read?: number } = {},
  number = 2,
): CommentLog {
  const log: CommentLog = { created: [], updated: [] };
  if (expect.read !== undefined) {
    // The summary comment the decision store remembers, read by id (when the new body is the one remembered).
    const c = existing.find((x) => x.id === expect.read);
    scope.get(`${REPO_PATH}/issues/comments/${expect.read}`).reply(c ? 200 : 404, c ? { user: { login: "gitops-guard[bot]", type: "Bot" }, ...c } : { message: "Not Found" });
  }
  if (expect.list !== false) {
    scope
      .get(`${REPO_PATH}/issues/${number}/comments`)
      .query({ per_page: "100" })
      .reply(
        200,
        existing.map((c) => ({ user: { login: "gitops-guard[bot]", type: "Bot" }, ...c })),
      );
  }
  if (expect.create) scope.post(`${REPO_PATH}/issues/${number}/comments`).reply(201, (_u, body) => (log.created.push((body as { body: string }).body), { id: 900 }));
  if (expect.update !== undefined) {
    scope.patch(`${REPO_PATH}/issues/comments/${expect.update}`).reply(200, (_u, body) => (log.updated.push({ id: expect.update!, body: (body as { body: string }).body }), { id: expect.update }));
  }
  return log;
}

// ---------------------------------------------------------------------------------------------
// Manifests.

export const PRIVILEGED_POD = `apiVersion: v1
kind: Pod
metadata:
  name: debug
  namespace: default
spec:
  containers:
    - name: shell
      image: busybox@sha256:${"a".repeat(64)}
      securityContext:
        privileged: true
`;

/** YAML that no rule has anything to say about. */
export const PLAIN_YAML = `# not a Kubernetes object
title: docs
tags: [a, b]
`;

export function findingTitles(update: CheckRunBody): string[] {
  return update.output.annotations.map((a) => a.title);
}

/**
 * Every test starts with no interceptors and must use all it sets up: a mock left pending means the app did
 * not make a call the test expected (probot/settings' teardown check).
 */
export function requireAllMocksUsed(): void {
  beforeEach(() => nock.cleanAll());
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });
}
