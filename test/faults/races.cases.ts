/**
 * Races, end to end (the local server, the fake GitHub, the decision store on dynalite): pushes that overtake a
 * running review, one delivery arriving several times at once, slash-commands whose decisions and re-reviews
 * overlap. The outcome that counts is what GitHub shows at the end — the newest check run on the head, the one
 * summary comment — and what the store holds.
 *
 * Not repeated here (covered elsewhere): SQS delivering a message twice and a worker dying mid-review
 * (src/lambda/worker.test.ts, test/lambda/built-handlers.test.ts); two concurrent deliveries, waivers with one id,
 * unwaives and overrides racing in the store itself (src/store/dynamo-store.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { openStore, type OpenedStore } from "../../src/store/open.js";
import type { FakeCheckRun, FakeComment, FakeRepo, RecordedRequest } from "../fakes/github/fake-github.js";
import {
  annotatedRules,
  callsAbout,
  deliverComment,
  deliverPull,
  gitopsRepo,
  newInstallation,
  PROJECT_WILDCARD,
  replies,
  Scenarios,
  settled,
  sharedWorld,
  shasOf,
  summaryComments,
  until,
  type World,
} from "./world.js";

/** A privileged pod on the host network: a critical and a high finding, each waivable on its own. */
const POD = `apiVersion: v1
kind: Pod
metadata:
  name: agent
  namespace: ops
spec:
  hostNetwork: true
  containers:
    - name: agent
      image: busybox@sha256:${"a".repeat(64)}
      securityContext:
        privileged: true
`;
const BOB = { login: "bob", type: "User" as const };
const CAROL = { login: "carol", type: "User" as const };

let world: World;
let store: OpenedStore;

/** Comment writes (create or update) about a repository, in order, with the head SHA their body says. */
function commentWrites(repo: FakeRepo): Array<{ sha: string | null; body: string }> {
  return world.gh.requests
    .filter((r: RecordedRequest) => r.path.startsWith(`/repos/${repo.fullName}/issues/`) && (r.method === "POST" || r.method === "PATCH") && r.status < 300)
    .map((r) => String((r.body as { body?: unknown }).body ?? ""))
    .filter((body) => body.includes("<!-- gitops-guard:summary -->"))
    .map((body) => ({ sha: /gitops-guard:sha=([0-9a-f]+)/.exec(body)?.[1] ?? null, body }));
}

/** When each check run was completed (the fake's clock). */
function completedAt(repo: FakeRepo, run: FakeCheckRun): number {
  return world.gh.requests.find((r) => r.method === "PATCH" && r.path === `/repos/${repo.fullName}/check-runs/${run.id}` && (r.body as { status?: string }).status === "completed")!.at;
}

// ---------------------------------------------------------------------------------------------------------------
// Scenarios, all started at once in beforeAll (each on its own repository and installation).

interface Snapshot {
  repo: FakeRepo;
  runs: FakeCheckRun[];
  comments: FakeComment[];
  replies: FakeComment[];
}

const snapshot = (repo: FakeRepo): Snapshot => ({ repo, runs: repo.checkRuns(), comments: summaryComments(repo), replies: replies(repo) });
const allCompleted = (repo: FakeRepo, n: number) => repo.checkRuns().length === n && repo.checkRuns().every((r) => r.status === "completed");

/**
 * A push while the previous head is still being reviewed: the review of head1 is held in its blob query; head2 is
 * pushed and its synchronize delivered meanwhile, to the same server or to another one (`replica`, as a second
 * Lambda worker would be).
 */
async function pushDuringReview(name: string, replica: boolean): Promise<Snapshot> {
  const repo = gitopsRepo(world.gh, `acme/${name}`);
  const { head1, head2 } = shasOf(repo);
  repo.commit(head2, { "projects/team-a.yaml": PROJECT_WILDCARD, "apps/pod.yaml": POD });
  const installation = newInstallation();
  // The older head's file query is held until the newer head's review has completed its check run and written the
  // summary comment: the race is ordered by events (a loaded machine cannot undo it), and the older review finishes last.
  world.gh.faults.add({
    route: "graphql",
    repo: repo.fullName,
    when: (r) => JSON.stringify(r.body).includes(head1),
    holdUntil: () => until(`${repo.fullName}: the newer head reviewed`, () => repo.latestCheckRun(head2)?.status === "completed" && summaryComments(repo).length > 0, 40_000),
  });
  const first = deliverPull(world, repo, "opened", head1, { installation });
  await settled(world.gh, repo, () => callsAbout(world.gh, repo).some((c) => c.route === "graphql"), 0);
  repo.pushHead(1, head2);
  const second = deliverPull(world, repo, "synchronize", head2, { installation, before: head1, to: replica ? await world.startReplica() : undefined });
  await Promise.all([first, second]);
  await settled(world.gh, repo, () => allCompleted(repo, 2) && summaryComments(repo).length > 0);
  return snapshot(repo);
}

/** The same delivery (one `x-github-delivery`) three times at once, then once more after the review. */
async function sameDeliveryThrice(): Promise<Snapshot> {
  const repo = gitopsRepo(world.gh, "acme/thrice");
  const { head1 } = shasOf(repo);
  const installation = newInstallation();
  const id = randomUUID();
  await Promise.all([1, 2, 3].map(() => deliverPull(world, repo, "opened", head1, { installation, id })));
  await settled(world.gh, repo, () => allCompleted(repo, 1) && summaryComments(repo).length === 1);
  await deliverPull(world, repo, "opened", head1, { installation, id });
  await settled(world.gh, repo);
  return snapshot(repo);
}

/** A PR with three blocking findings (not reviewed yet); bob and carol may waive. */
function podRepo(name: string): { repo: FakeRepo; installation: number } {
  const repo = gitopsRepo(world.gh, `acme/${name}`, { "apps/pod.yaml": POD });
  repo.setPermission("bob", "write");
  repo.setPermission("carol", "write");
  return { repo, installation: newInstallation() };
}

/**
 * Two waivers a moment apart. Bob's command runs first and its re-review reads the waivers before Carol's is
 * written; that re-review is then held in its blob query, so it finishes after Carol's (which saw both waivers).
 * The order comes from events, not timings: Carol's permission check waits until Bob's re-review is reading files
 * (it read the waivers as it started), and Bob's file query waits until Carol's re-review has completed.
 */
async function overlappingWaivers(): Promise<Snapshot> {
  const { repo, installation } = podRepo("waives");
  let bobReading = false;
  world.gh.faults.add({
    route: "permission",
    repo: repo.fullName,
    when: (r) => r.path.includes("/carol/"),
    latencyMs: 200,
    holdUntil: () => until(`${repo.fullName}: Bob's re-review reading files`, () => bobReading, 40_000),
  });
  world.gh.faults.add({
    route: "graphql",
    repo: repo.fullName,
    when: () => (bobReading = true),
    holdUntil: () => until(`${repo.fullName}: Carol's re-review completed`, () => repo.checkRuns().filter((r) => r.status === "completed").length >= 1, 40_000),
  });
  const bob = repo.addComment(1, '/guard waive k8s/privileged-container apps/pod.yaml --reason "node agent, OPS-1"', BOB);
  const carol = repo.addComment(1, '/guard waive k8s/host-namespaces apps/pod.yaml --reason "node agent, OPS-1"', CAROL);
  await Promise.all([deliverComment(world, repo, bob, { installation }), deliverComment(world, repo, carol, { installation })]);
  await settled(world.gh, repo, () => allCompleted(repo, 2) && replies(repo).length === 2);
  return snapshot(repo);
}

/** A waiver (given earlier) is withdrawn while another is given. */
async function waiveWhileUnwaiving(): Promise<Snapshot & { withdrawn: string }> {
  const { repo, installation } = podRepo("waive-unwaive");
  const given = await store.createWaiver({ repo: repo.fullName, pr: 1, rule: "k8s/privileged-container", reason: "node agent, OPS-2", actor: "bob", headSha: shasOf(repo).head1, expires: new Date(Date.now() + 86_400_000) });
  if (!given.created) throw new Error("the waiver exists already");
  const withdrawn = given.record.id;
  const unwaive = repo.addComment(1, `/guard unwaive ${withdrawn}`, CAROL);
  const waive = repo.addComment(1, '/guard waive k8s/host-namespaces --reason "node agent, OPS-2"', BOB);
  await Promise.all([deliverComment(world, repo, unwaive, { installation }), deliverComment(world, repo, waive, { installation })]);
  await settled(world.gh, repo, () => allCompleted(repo, 2) && replies(repo).length === 2);
  return { ...snapshot(repo), withdrawn };
}

/** One comment delivered twice at once under two delivery ids (e.g. to two replicas): one waiver, not two. */
async function oneCommentTwice(): Promise<Snapshot> {
  const { repo, installation } = podRepo("one-comment-twice");
  const comment = repo.addComment(1, '/guard waive k8s/privileged-container --reason "node agent, OPS-3"', BOB);
  const replica = await world.startReplica();
  await Promise.all([deliverComment(world, repo, comment, { installation }), deliverComment(world, repo, comment, { installation, to: replica })]);
  await settled(world.gh, repo, () => allCompleted(repo, 2) && replies(repo).length === 2);
  return snapshot(repo);
}

const scenarios = new Scenarios();
const outcome = <T extends Snapshot = Snapshot>(name: string) => scenarios.outcome<T>(name);

beforeAll(async () => {
  world = await sharedWorld();
  store = await openStore(world.storeEnv);
  scenarios.start("push, one server", () => pushDuringReview("push-one-server", false));
  scenarios.start("push, two servers", () => pushDuringReview("push-two-servers", true));
  scenarios.start("thrice", sameDeliveryThrice);
  scenarios.start("waives", overlappingWaivers);
  scenarios.start("waive-unwaive", waiveWhileUnwaiving);
  scenarios.start("one-comment-twice", oneCommentTwice);
}, 20_000);

afterAll(async () => {
  await store?.close();
}, 60_000);

describe("two pushes in quick succession (the second arrives while the first is reviewed)", () => {
  it.each(["push, one server", "push, two servers"])("%s: the newest head's check run and the summary comment are the newest head's", async (name) => {
    const { repo, runs, comments } = await outcome(name);
    const { head1, head2 } = shasOf(repo);
    // Both reviews completed their runs: the older head's is not left in progress.
    expect(runs.map((r) => [r.head_sha, r.status])).toEqual(
      expect.arrayContaining([
        [head1, "completed"],
        [head2, "completed"],
      ]),
    );
    const newest = repo.latestCheckRun(head2)!;
    expect(newest.conclusion).toBe("failure");
    expect(annotatedRules(newest)).toEqual(expect.arrayContaining(["k8s/privileged-container", "k8s/host-namespaces", "argocd/project-source-repos-wildcard"]));
    // The older review really finished last (the race happened) ...
    expect(completedAt(repo, repo.latestCheckRun(head1)!)).toBeGreaterThan(completedAt(repo, newest));
    // ... and still never wrote the comment: it is head2's, and only head2's results were ever written to it.
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain(`sha=${head2}`);
    expect(comments[0]!.body).toContain("k8s/privileged-container");
    expect(commentWrites(repo).map((w) => w.sha)).toEqual([head2]);
  });
});

describe("the same webhook delivered three times", () => {
  it("one review: one check run, one summary comment, one review record", async () => {
    const { repo, runs, comments } = await outcome("thrice");
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(comments).toHaveLength(1);
    expect(commentWrites(repo)).toHaveLength(1);
    const records = await store.audit({ repo: repo.fullName });
    expect(records.map((r) => r.type)).toEqual(["review"]);
  });
});

describe("slash-commands whose decisions and re-reviews overlap", () => {
  it("two waivers a moment apart: both recorded; the newest check run and the summary comment apply both", async () => {
    const { repo, runs, comments } = await outcome("waives");
    expect((await store.activeWaivers(repo.fullName, 1, new Date())).map((w) => w.rule).sort()).toEqual(["k8s/host-namespaces", "k8s/privileged-container"]);
    const [bobs, carols] = runs;
    // The race happened: Bob's re-review saw only his waiver and completed after Carol's.
    expect(bobs!.output.title).toBe("2 new high-risk changes");
    expect(completedAt(repo, bobs!)).toBeGreaterThan(completedAt(repo, carols!));
    // What GitHub shows: the newest run (Carol's), and a comment that agrees with it.
    expect(repo.latestCheckRun(shasOf(repo).head1)!.id).toBe(carols!.id);
    expect(carols!.output.title).toBe("1 new high-risk change");
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("1 new high-risk change");
    expect(comments[0]!.body).toMatch(/· 2 suppressed/);
  });

  it("a waiver withdrawn while another is given: one revoked, one in force, and the newest check run and comment say so", async () => {
    const { repo, runs, comments, replies: answers, withdrawn } = await outcome<Snapshot & { withdrawn: string }>("waive-unwaive");
    const waivers = await store.waiversOf(repo.fullName, 1);
    expect(waivers.map((w) => [w.rule, w.id === withdrawn, w.revokedBy ?? null])).toEqual(
      expect.arrayContaining([
        ["k8s/privileged-container", true, "carol"],
        ["k8s/host-namespaces", false, null],
      ]),
    );
    expect(waivers).toHaveLength(2);
    const latest = repo.latestCheckRun(shasOf(repo).head1)!;
    expect(latest.id).toBe(Math.max(...runs.map((r) => r.id)));
    expect(annotatedRules(latest, "failure")).toEqual(["k8s/privileged-container", "argocd/project-source-repos-wildcard"]);
    expect(annotatedRules(latest, "notice")).toEqual(["k8s/host-namespaces"]);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("`k8s/privileged-container`");
    expect(comments[0]!.body).toMatch(/· 1 suppressed/);
    expect(answers.map((a) => a.body)).toEqual(expect.arrayContaining([expect.stringContaining(`Waiver \`${withdrawn}\``), expect.stringContaining("✅ Waiver")]));
  });

  it("one comment delivered twice at once (two delivery ids): one waiver recorded; the second answer says it already was", async () => {
    const { repo, replies: answers } = await outcome("one-comment-twice");
    expect(await store.waiversOf(repo.fullName, 1)).toHaveLength(1);
    expect((await store.audit({ repo: repo.fullName })).filter((r) => r.type === "waiver")).toHaveLength(1);
    expect(answers.filter((c) => c.body.includes("(already recorded)"))).toHaveLength(1);
  });
});
