/**
 * GitHub failing under a review, end to end: the local server with the production Octokit (retry and throttling
 * plugins on, Probot's settings) against the fake GitHub, which fails chosen calls with 5xx errors or secondary
 * rate limits (`retry-after: 1`). Every kind of call a review makes is hit:
 * - once → retried, and the review ends exactly as without the fault;
 * - again and again → a completed `failure` check run that says why (never a silent green, never left in
 *   progress), except where GitHub refuses the check run itself (then no run exists, and the delivery is released
 *   so that GitHub's redelivery completes it), and the summary comment (the verdict stands; the comment waits).
 *
 * Each scenario has its own repository and installation, and they all run at once (started in beforeAll): Octokit
 * spaces writes per installation, so this takes the time of the slowest scenario, not of their sum.
 */
import { beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import type { FakeCheckRun, FakeComment, FakeRepo } from "../fakes/github/fake-github.js";
import { repoOf, routeOf, secondaryRateLimit, serverError, type FaultSpec, type RouteName } from "../fakes/github/faults.js";
import { parseBlobQuery } from "../fakes/github/graphql.js";
import { LONG } from "../long.js";
import { annotatedRules, callsAbout, completedRun, deliverPull, gitopsRepo, newInstallation, plantSummary, Scenarios, settled, sharedWorld, shasOf, summaryComments, type Call, type World } from "./world.js";

/** A binary `.yaml` is read through the REST blob fallback (GraphQL has no text for it) and is a parse error. */
const HEAD_FILES = { "bin/blob.yaml": Buffer.from([0x00, 0x01, 0x02, 0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x00]) };
const EXPECTED_RULES = ["guard/parse-error", "argocd/project-source-repos-wildcard"];
/** The head before the push under review: a summary comment computed for it exists, so the review edits it. */
const PREVIOUS = "3".repeat(40);

/** The calls of a review, in the order it makes them. `comment.create` needs a PR without a summary comment yet. */
const KINDS: readonly RouteName[] = ["check-run.create", "contents", "pull.files", "graphql", "git.blob", "check-run.update", "comments.list", "comment.create", "comment.update"];

interface Outcome {
  repo: FakeRepo;
  /** The head SHA reviewed. */
  head: string;
  run: FakeCheckRun | null;
  runs: FakeCheckRun[];
  calls: Call[];
  comments: FakeComment[];
}

let world: World;
const scenarios = new Scenarios();

/** When a scenario's review is over: what it waits for, before the repository goes quiet. */
type Done = "summary" | "completed" | { refusals: RouteName };

/** Runs one review of the PR's head with `fault` on the scenario's repository; resolves once it settled. */
async function scenario(name: string, fault: ((repo: string) => FaultSpec) | null, kind: RouteName | undefined, done: Done): Promise<Outcome> {
  const repo = gitopsRepo(world.gh, `acme/${name}`, HEAD_FILES);
  const { head1 } = shasOf(repo);
  const fresh = kind === "comment.create";
  if (!fresh) plantSummary(repo, PREVIOUS);
  if (fault) world.gh.faults.add(fault(repo.fullName));
  const installation = newInstallation();
  await deliverPull(world, repo, fresh ? "opened" : "synchronize", head1, { installation, before: fresh ? undefined : PREVIOUS });
  const completed = () => repo.latestCheckRun(head1)?.status === "completed";
  await settled(
    world.gh,
    repo,
    done === "summary"
      ? () => completed() && summaryComments(repo).some((c) => c.body.includes(`sha=${head1}`))
      : done === "completed"
        ? completed
        : () => callsAbout(world.gh, repo).filter((c) => c.route === done.refusals && c.status >= 400).length === 3,
  );
  const run = repo.latestCheckRun(head1);
  return { repo, head: head1, run: run?.status === "completed" ? run : null, runs: repo.checkRuns(), calls: callsAbout(world.gh, repo), comments: summaryComments(repo) };
}

function start(name: string, fault: ((repo: string) => FaultSpec) | null, kind: RouteName | undefined, done: Done): void {
  scenarios.start(name, () => scenario(name, fault, kind, done));
}

const outcome = (name: string) => scenarios.outcome<Outcome>(name);

const TRANSIENT = [
  { label: "a 500", make: (route: RouteName, repo: string) => serverError({ route, repo }), status: 500 },
  { label: "a secondary rate limit (403, retry-after 1)", make: (route: RouteName, repo: string) => secondaryRateLimit({ route, repo }), status: 403 },
  { label: "a secondary rate limit (429, retry-after 1)", make: (route: RouteName, repo: string) => secondaryRateLimit({ route, repo, status: 429 }), status: 429 },
] as const;

/** Kinds whose lasting failure must end the review as a failed check with the reason. */
const VERDICT_KINDS: readonly RouteName[] = ["contents", "pull.files", "graphql", "git.blob"];
/**
 * Persistent 5xx: the retry plugin backs off 1 + 4 + 9 s before it gives up (a fixed setting, not GitHub's
 * retry-after), so these run in `npm run test:long` only. After the last retry the app sees the same kind of
 * RequestError as after the last secondary-rate-limit retry, which `npm test` covers on every kind of call.
 */
const PERSISTENT_500_KINDS: readonly RouteName[] = LONG ? VERDICT_KINDS : [];

/**
 * GitHub keeps the delivery id when a delivery is redelivered. The first delivery cannot create its check run (the
 * app claimed the delivery, and released it when the review failed); the redelivery of the same id reviews.
 */
async function redeliver(): Promise<{ before: FakeCheckRun[]; after: FakeCheckRun[] }> {
  const id = randomUUID();
  const repo = gitopsRepo(world.gh, "acme/redelivered", HEAD_FILES);
  const { head1 } = shasOf(repo);
  world.gh.faults.add(secondaryRateLimit({ route: "check-run.create", repo: repo.fullName, times: 3 }));
  const installation = newInstallation();
  await deliverPull(world, repo, "opened", head1, { installation, id });
  await settled(world.gh, repo, () => callsAbout(world.gh, repo).filter((c) => c.route === "check-run.create").length === 3);
  const before = repo.checkRuns();
  await deliverPull(world, repo, "opened", head1, { installation, id });
  await completedRun(repo, head1);
  return { before, after: repo.checkRuns() };
}

beforeAll(async () => {
  world = await sharedWorld();
  scenarios.start("redelivered", redeliver);
  start("baseline", null, undefined, "summary");
  for (const kind of KINDS) for (const t of TRANSIENT) start(`once-${t.status}-${kind}`, (repo) => t.make(kind, repo), kind, "summary");
  for (const kind of VERDICT_KINDS) start(`limited-${kind}`, (repo) => secondaryRateLimit({ route: kind, repo, times: Infinity }), kind, "completed");
  for (const kind of PERSISTENT_500_KINDS) start(`broken-${kind}`, (repo) => serverError({ route: kind, repo, times: Infinity }), kind, "completed");
  // The first completion (with the results) fails for good; the error completion that follows gets through.
  start("limited-check-run.update", (repo) => secondaryRateLimit({ route: "check-run.update", repo, times: 3 }), "check-run.update", "completed");
  for (const kind of ["comments.list", "comment.create", "comment.update"] as const) {
    start(`limited-${kind}`, (repo) => secondaryRateLimit({ route: kind, repo, times: Infinity }), kind, { refusals: kind });
  }
  start("limited-check-run.create", (repo) => secondaryRateLimit({ route: "check-run.create", repo, times: Infinity }), "check-run.create", { refusals: "check-run.create" });
  scenarios.start("timed-out-graphql", timedOutGraphql);
}, 20_000);

/** Blobs a GitHub that times out on queries of more than 30 blobs (502, as its gateway answers) is asked for. */
const TIMEOUT_ABOVE = 30;
const blobsIn = (body: unknown): number => parseBlobQuery(String((body as { query?: unknown } | undefined)?.query ?? ""))?.objects.length ?? 0;

/** 40 more changed files: one batch of 43 versions, which the fake GitHub times out on until it is split. */
async function timedOutGraphql(): Promise<Outcome & { batches: Array<{ blobs: number; status: number }> }> {
  const configMaps = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`config/cm-${i}.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  k: v\n`]));
  const repo = gitopsRepo(world.gh, "acme/timed-out-graphql", { ...HEAD_FILES, ...configMaps });
  const { head1 } = shasOf(repo);
  world.gh.faults.add({ route: "graphql", repo: repo.fullName, when: (r) => blobsIn(r.body) > TIMEOUT_ABOVE, times: Infinity, status: 502, message: "Server Error" });
  await deliverPull(world, repo, "opened", head1, { installation: newInstallation() });
  await settled(world.gh, repo, () => repo.latestCheckRun(head1)?.status === "completed" && summaryComments(repo).some((c) => c.body.includes(`sha=${head1}`)));
  const batches = world.gh.requests.filter((r) => routeOf(r) === "graphql" && repoOf(r) === repo.fullName.toLowerCase()).map((r) => ({ blobs: blobsIn(r.body), status: r.status }));
  const run = repo.latestCheckRun(head1);
  return { repo, head: head1, run: run?.status === "completed" ? run : null, runs: repo.checkRuns(), calls: callsAbout(world.gh, repo), comments: summaryComments(repo), batches };
}

describe("without faults (the baseline every scenario is compared with)", () => {
  it("one completed failing check run with the wildcard and the binary file, and the summary comment for the head", async () => {
    const o = await outcome("baseline");
    expect(o.run).toMatchObject({ conclusion: "failure", output: { title: "2 new high-risk changes" } });
    expect(annotatedRules(o.run!)).toEqual(EXPECTED_RULES);
    expect(o.runs).toHaveLength(1);
    expect(o.comments).toHaveLength(1);
    expect(o.comments[0]!.body).toContain(`sha=${o.head}`);
    // Every kind of call this file fails is one the review makes.
    const made = new Set(o.calls.map((c) => c.route));
    for (const kind of KINDS.filter((k) => k !== "comment.create")) expect(made).toContain(kind);
  });
});

describe.each(TRANSIENT)("$label once on a call", (t) => {
  it.each(KINDS)("%s: retried; the review ends as without the fault", async (kind) => {
    const o = await outcome(`once-${t.status}-${kind}`);
    const calls = o.calls.filter((c) => c.route === kind);
    expect(calls.filter((c) => c.status === t.status)).toHaveLength(1);
    const failed = calls.findIndex((c) => c.status === t.status);
    // The same call again, answered as usual (a 404 for a repository without a config file is the usual answer).
    const retry = calls[failed + 1];
    expect(retry).toBeDefined();
    expect(retry!.status).not.toBe(t.status);
    // A secondary rate limit is retried after GitHub's retry-after (1 s), not at once.
    if (t.status !== 500) expect(retry!.at - calls[failed]!.at).toBeGreaterThanOrEqual(950);
    expect(o.run).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "2 new high-risk changes" } });
    expect(annotatedRules(o.run!)).toEqual(EXPECTED_RULES);
    expect(o.runs).toHaveLength(1);
    expect(o.comments).toHaveLength(1);
    expect(o.comments[0]!.body).toContain(`sha=${o.head}`);
    expect(o.comments[0]!.body).toContain("argocd/project-source-repos-wildcard");
  });
});

/** The failed check a review that could not finish leaves: completed, failure, the reason and the recheck hint. */
function expectFailedWithReason(run: FakeCheckRun | null, reason: RegExp): void {
  expect(run).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "gitops-guard could not finish the review" } });
  expect(run!.output.summary).toMatch(reason);
  expect(run!.output.summary).toContain("/guard recheck");
  expect(run!.output.annotations).toEqual([]);
}

describe("a call that keeps failing", () => {
  it.each(VERDICT_KINDS)("%s, rate-limited every time: two retries after retry-after, then a failed check run saying why", async (kind) => {
    const o = await outcome(`limited-${kind}`);
    expectFailedWithReason(o.run, /GitHub API answered 403: You have exceeded a secondary rate limit/);
    expect(o.calls.filter((c) => c.route === kind && c.status === 403)).toHaveLength(3);
    expect(o.runs).toHaveLength(1);
    // The earlier comment is not overwritten with an error, nor with a result.
    expect(o.comments.map((c) => c.body)).toEqual([expect.stringContaining(`sha=${PREVIOUS}`)]);
  });

  (PERSISTENT_500_KINDS.length ? it.each(PERSISTENT_500_KINDS) : it.skip.each(["(long run only)"]))("%s, a 500 every time: three retries with backoff, then a failed check run saying why", async (kind) => {
    const o = await outcome(`broken-${kind}`);
    expectFailedWithReason(o.run, /GitHub API answered 500: Server Error/);
    expect(o.calls.filter((c) => c.route === kind && c.status === 500)).toHaveLength(4);
  });

  it("check-run.update: when completing with the results fails for good, the run is completed with the error instead", async () => {
    const o = await outcome("limited-check-run.update");
    expectFailedWithReason(o.run, /GitHub API answered 403: You have exceeded a secondary rate limit/);
    expect(o.calls.filter((c) => c.route === "check-run.update").map((c) => c.status)).toEqual([403, 403, 403, 200]);
  });

  it.each(["comments.list", "comment.create", "comment.update"] as const)("%s: the verdict is completed anyway; the comment is left for the next review", async (kind) => {
    const o = await outcome(`limited-${kind}`);
    expect(o.run).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "2 new high-risk changes" } });
    expect(annotatedRules(o.run!)).toEqual(EXPECTED_RULES);
    expect(o.calls.filter((c) => c.route === kind && c.status === 403)).toHaveLength(3);
    expect(o.comments.every((c) => !c.body.includes(`sha=${o.head}`))).toBe(true);
  });

  it("check-run.create: no run can exist; the delivery is released, and GitHub's redelivery of it completes the check", async () => {
    const o = await outcome("limited-check-run.create");
    expect(o.runs).toEqual([]);
    expect(o.calls.filter((c) => c.route === "check-run.create").map((c) => c.status)).toEqual([403, 403, 403]);
    // Nothing else is written for a review without a check run.
    expect(o.calls.filter((c) => c.route === "comment.update" || c.route === "comment.create")).toEqual([]);

    const { before, after } = await scenarios.outcome<Awaited<ReturnType<typeof redeliver>>>("redelivered");
    expect(before).toEqual([]);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(annotatedRules(after[0]!)).toEqual(EXPECTED_RULES);
  });
});

describe("GitHub timing out on a large blob query", () => {
  it("the query is retried once, then split in halves that get through; the review ends as without the fault", async () => {
    const o = await scenarios.outcome<Awaited<ReturnType<typeof timedOutGraphql>>>("timed-out-graphql");
    expect(o.batches).toEqual([
      { blobs: 43, status: 502 },
      { blobs: 43, status: 502 },
      { blobs: 22, status: 200 },
      { blobs: 21, status: 200 },
    ]);
    expect(o.run).toMatchObject({ conclusion: "failure", output: { title: "2 new high-risk changes" } });
    expect(annotatedRules(o.run!)).toEqual(EXPECTED_RULES);
    expect(o.comments.some((c) => c.body.includes(`sha=${o.head}`))).toBe(true);
  });
});
