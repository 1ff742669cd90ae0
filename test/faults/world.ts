/**
 * The world the fault, race and load tests run in: the real local server (`startServer`, Probot over HTTP with
 * HMAC-signed webhooks) with gitops-guard's production Octokit (throttling and retries on, Probot's settings), the
 * loopback fake GitHub (GHE_HOST) with fault injection, and the decision store on dynalite — for one more server,
 * behind a switchable TCP proxy, to make the store unreachable after start.
 *
 * Each scenario uses its own repository and its own installation: Octokit spaces writes per installation, so
 * scenarios running at once do not wait on each other, as two customers of one App would not.
 */
import type { ProbotOctokit } from "probot";
import { createHash, randomUUID } from "node:crypto";
import { GuardOctokit } from "../../src/app/octokit.js";
import { startServer, type RunningServer } from "../../src/app/server.js";
import { startDynalite, type DynaliteServer } from "../../src/store/dynalite-server.js";
import * as h from "../e2e/harness.js";
import { FakeGitHub, type FakeCheckRun, type FakeComment, type FakeRepo, type FileTree } from "../fakes/github/fake-github.js";
import { repoOf, routeOf, type RouteName } from "../fakes/github/faults.js";
import { TcpSwitch } from "./tcp-switch.js";

export { PROJECT_OK, PROJECT_WILDCARD } from "../e2e/harness.js";

export const TABLE = "gitops-guard-faults";

/** Set GITOPS_GUARD_TEST_LOG=warn (or debug) to see the app's logs. */
const LOG_LEVEL = (process.env.GITOPS_GUARD_TEST_LOG ?? "fatal") as "fatal";

export interface World {
  gh: FakeGitHub;
  dynamo: DynaliteServer;
  app: RunningServer;
  /** The store the app uses (endpoint and table), as environment variables. */
  storeEnv: NodeJS.ProcessEnv;
  /** Another server on the same fake GitHub and store (a second Lambda worker, a second replica). */
  startReplica(): Promise<RunningServer>;
  /** Another server that reaches the same store through a switchable proxy (to take the store away from it alone). */
  startWithStoreSwitch(): Promise<{ app: RunningServer; storeSwitch: TcpSwitch }>;
  close(): Promise<void>;
}

export interface WorldOptions {
  /** The Octokit class (default: the production one, GuardOctokit). */
  Octokit?: typeof ProbotOctokit;
}

export async function startWorld(opts: WorldOptions = {}): Promise<World> {
  const gh = await FakeGitHub.start({ appId: h.APP_ID, publicKey: h.PUBLIC_KEY });
  const dynamo = await startDynalite();
  const storeEnv = { AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, TABLE_NAME: TABLE };
  const servers: RunningServer[] = [];
  const switches: TcpSwitch[] = [];
  const start = async (store: NodeJS.ProcessEnv) => {
    const server = await startServer({
      env: { APP_ID: String(h.APP_ID), PRIVATE_KEY: h.PRIVATE_KEY, WEBHOOK_SECRET: h.SECRET, GHE_HOST: gh.host, GHE_PROTOCOL: "http", LOG_LEVEL, ...store },
      port: 0,
      host: "127.0.0.1",
      Octokit: opts.Octokit ?? GuardOctokit,
    });
    servers.push(server);
    return server;
  };
  const app = await start(storeEnv);
  return {
    gh,
    dynamo,
    app,
    storeEnv,
    startReplica: () => start(storeEnv),
    startWithStoreSwitch: async () => {
      const storeSwitch = await TcpSwitch.start({ host: "127.0.0.1", port: Number(new URL(dynamo.endpoint).port) });
      switches.push(storeSwitch);
      return { app: await start({ ...storeEnv, AWS_ENDPOINT_URL_DYNAMODB: storeSwitch.endpoint }), storeSwitch };
    },
    close: async () => {
      for (const s of switches) s.set("forward");
      for (const s of servers) await s.close();
      for (const s of switches) await s.close();
      await gh.close();
      await dynamo.close();
    },
  };
}

let shared: Promise<World> | null = null;
const running: Array<Promise<unknown>> = [];

/** The one world of the fault suite (every scenario file of test/faults runs in it, at once). */
export function sharedWorld(): Promise<World> {
  shared ??= startWorld();
  return shared;
}

/** Waits for every scenario, then stops the shared world. */
export async function closeSharedWorld(): Promise<void> {
  await Promise.allSettled(running);
  if (shared) await (await shared).close();
}

/** Scenarios started at once (in beforeAll) and asserted one by one in the tests. */
export class Scenarios {
  private readonly map = new Map<string, Promise<unknown>>();

  start<T>(name: string, run: () => Promise<T>): void {
    const p = run();
    p.catch(() => undefined);
    running.push(p);
    this.map.set(name, p);
  }

  outcome<T>(name: string): Promise<T> {
    const p = this.map.get(name);
    if (!p) throw new Error(`no scenario ${name}`);
    return p as Promise<T>;
  }
}

let installations = 1000;

/** A fresh installation id (its own write spacing, like another customer). */
export function newInstallation(): number {
  return ++installations;
}

/** The commits of a scenario's repository (the fake keeps commits by SHA for all repositories: each gets its own). */
export interface Shas {
  base: string;
  head1: string;
  head2: string;
}

const shas = new WeakMap<FakeRepo, Shas>();

export function shasOf(repo: FakeRepo): Shas {
  const s = shas.get(repo);
  if (!s) throw new Error(`${repo.fullName} was not made by gitopsRepo`);
  return s;
}

const shaFor = (name: string, side: string) => createHash("sha1").update(`${name}:${side}`).digest("hex");

/** A repository with PR #1 from `base` (the default branch) to `head`; `head2` (not committed) is a later push's SHA. */
export function pullRepo(gh: FakeGitHub, name: string, base: FileTree, head: FileTree): FakeRepo {
  const repo = gh.addRepo(name);
  const s: Shas = { base: shaFor(name, "base"), head1: shaFor(name, "head1"), head2: shaFor(name, "head2") };
  shas.set(repo, s);
  repo.commit(s.base, base, "main");
  repo.commit(s.head1, head);
  repo.addPull({ number: 1, base: { sha: s.base, ref: "main" }, head: { sha: s.head1, ref: "open-up" } });
  return repo;
}

/** A GitOps repository whose PR #1 opens an AppProject to every repository (one new high finding), plus `head` files. */
export function gitopsRepo(gh: FakeGitHub, name: string, head: FileTree = {}): FakeRepo {
  return pullRepo(gh, name, { "projects/team-a.yaml": h.PROJECT_OK }, { "projects/team-a.yaml": h.PROJECT_WILDCARD, ...head });
}

/** A summary comment of ours from an earlier push (`sha`), so the review edits it. */
export function plantSummary(repo: FakeRepo, sha: string): FakeComment {
  return repo.addComment(1, `${h.SUMMARY}\n<!-- gitops-guard:sha=${sha} -->\nearlier result`, { login: "gitops-guard[bot]", type: "Bot" });
}

export interface Delivery {
  installation: number;
  /** `x-github-delivery` (default: a new one). */
  id?: string;
  /** Which server receives it (default: the world's app). */
  to?: { url: string };
}

/** Where deliveries go: a world, or any server on the fake GitHub. */
type Target = { gh: FakeGitHub; app: { url: string } };

/** A signed `pull_request` delivery for PR #1 of `repo`. Resolves with the HTTP status. */
export async function deliverPull(world: Target, repo: FakeRepo, action: "opened" | "synchronize", head: string, d: Delivery & { before?: string }): Promise<number> {
  const payload = h.pullRequestPayload(repo, action, head, d.before);
  payload.installation.id = d.installation;
  payload.pull_request.base.sha = shasOf(repo).base;
  const res = await h.deliver((d.to ?? world.app).url, "pull_request", payload, undefined, d.id ?? randomUUID());
  return res.status;
}

/** A signed `issue_comment.created` delivery for a comment that exists in the fake. */
export async function deliverComment(world: Target, repo: FakeRepo, comment: FakeComment, d: Delivery): Promise<number> {
  const payload = h.commentPayload(repo, world.gh.apiUrl, comment) as { installation: { id: number } };
  payload.installation.id = d.installation;
  const res = await h.deliver((d.to ?? world.app).url, "issue_comment", payload, undefined, d.id ?? randomUUID());
  return res.status;
}

/** The newest check run on `sha` once it is completed. */
export function completedRun(repo: FakeRepo, sha: string, timeoutMs = 25_000): Promise<FakeCheckRun> {
  return h.until(
    `a completed check run on ${sha.slice(0, 7)} of ${repo.fullName}`,
    () => {
      const run = repo.latestCheckRun(sha);
      return run?.status === "completed" ? run : null;
    },
    timeoutMs,
  );
}

export interface Call {
  route: RouteName;
  status: number;
  /** Milliseconds since the fake started. */
  at: number;
}

/** Every request made about `repo` (REST paths and GraphQL queries), in order. */
export function callsAbout(gh: FakeGitHub, repo: FakeRepo): Call[] {
  const name = repo.fullName.toLowerCase();
  return gh.requests.filter((r) => repoOf(r) === name).map((r) => ({ route: routeOf(r), status: r.status, at: r.at }));
}

/**
 * Resolves once the review of `repo` has settled: `done` holds (by default: a completed check run on head1), and
 * nothing about the repository was requested for `quietMs` (longer than Octokit's spacing of writes, 1 s), so
 * nothing is still on its way.
 */
export async function settled(gh: FakeGitHub, repo: FakeRepo, done: () => boolean = () => repo.latestCheckRun(shasOf(repo).head1)?.status === "completed", quietMs = 1_500, timeoutMs = 40_000): Promise<void> {
  await h.until(`the review of ${repo.fullName}`, done, timeoutMs);
  await h.until(
    `${repo.fullName} to go quiet`,
    () => {
      const last = callsAbout(gh, repo).at(-1);
      return last !== undefined && gh.now() - last.at >= quietMs;
    },
    timeoutMs,
  );
}

/** The rule ids of a check run's annotations (of one level: `failure`, `warning`, `notice` for suppressed), in order. */
export function annotatedRules(run: FakeCheckRun, level?: "failure" | "warning" | "notice"): string[] {
  return run.output.annotations.filter((a) => level === undefined || a.annotation_level === level).map((a) => String(a.title).split(" ")[0]!);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export { until, eventually, summaryComments, replies, decisions } from "../e2e/harness.js";
