/**
 * The decision store (DynamoDB) unreachable after the app started: a server whose store sits behind a switchable
 * TCP proxy (the real `openStore` path from AWS_ENDPOINT_URL_DYNAMODB, with the production client settings).
 * - The review still completes its check run: `failure` (a review whose waivers, overrides and audit record cannot
 *   be read or written is an internal error, as DESIGN.md has it), saying the decision store cannot be reached,
 *   with the recheck hint; the delivery is handled although it could not be claimed.
 * - Slash-commands that need the store answer with that reason and record nothing; `help` still answers.
 * - Once the store is back, `/guard recheck` reviews as usual.
 * Refused connections run in `npm test`; an endpoint that accepts connections and never answers (where every call
 * waits for the client's timeouts) in `npm run test:long`.
 */
import { beforeAll, describe, expect, it } from "@jest/globals";
import type { RunningServer } from "../../src/app/server.js";
import { STORE_HTTP_TIMEOUTS } from "../../src/store/client.js";
import { openStore } from "../../src/store/open.js";
import type { FakeCheckRun, FakeComment, FakeReaction } from "../fakes/github/fake-github.js";
import { LONG } from "../long.js";
import type { SwitchMode, TcpSwitch } from "./tcp-switch.js";
import { annotatedRules, deliverComment, deliverPull, gitopsRepo, newInstallation, replies, Scenarios, settled, sharedWorld, shasOf, summaryComments, type World } from "./world.js";

interface Outcome {
  /** The check run of the review while the store was down. */
  down: FakeCheckRun;
  /** Milliseconds from the delivery to the completed check run. */
  downMs: number;
  /** Summary comments after that review. */
  comments: FakeComment[];
  reply: FakeComment;
  /** The check run of `/guard recheck` once the store was back, and the reaction to it. */
  recovered: FakeCheckRun;
  reaction: FakeReaction | undefined;
  /** What the store holds about the repository at the end. */
  records: string[];
}

let world: World;
const scenarios = new Scenarios();

async function storeGoesAway(mode: Exclude<SwitchMode, "forward">, server: { app: RunningServer; storeSwitch: TcpSwitch }): Promise<Outcome> {
  const { app, storeSwitch } = server;
  const repo = gitopsRepo(world.gh, `acme/store-${mode}`);
  const { head1 } = shasOf(repo);
  repo.setPermission("bob", "write");
  const installation = newInstallation();
  storeSwitch.set(mode);

  const started = Date.now();
  await deliverPull(world, repo, "opened", head1, { installation, to: app });
  await settled(world.gh, repo, undefined, 1_500, 120_000);
  const down = repo.latestCheckRun(head1)!;
  const downMs = Date.now() - started;
  const comments = summaryComments(repo);

  const command = repo.addComment(1, '/guard waive argocd/project-source-repos-wildcard --reason "migration, OPS-9"\n/guard status\n/guard help', { login: "bob", type: "User" });
  await deliverComment(world, repo, command, { installation, to: app });
  await settled(world.gh, repo, () => replies(repo).length === 1, 1_500, 120_000);
  const [reply] = replies(repo);

  storeSwitch.set("forward");
  const recheck = repo.addComment(1, "/guard recheck", { login: "bob", type: "User" });
  await deliverComment(world, repo, recheck, { installation, to: app });
  await settled(world.gh, repo, () => repo.checkRuns().length === 2 && repo.latestCheckRun(head1)!.status === "completed");
  const store = await openStore(world.storeEnv);
  try {
    const records = (await store.audit({ repo: repo.fullName })).map((r) => r.type);
    return { down, downMs, comments, reply: reply!, recovered: repo.latestCheckRun(head1)!, reaction: repo.reactions(recheck.id)[0], records };
  } finally {
    await store.close();
  }
}

const MODES: ReadonlyArray<Exclude<SwitchMode, "forward">> = LONG ? ["refuse", "blackhole"] : ["refuse"];

beforeAll(async () => {
  world = await sharedWorld();
  for (const mode of MODES) {
    const server = await world.startWithStoreSwitch();
    scenarios.start(mode, () => storeGoesAway(mode, server));
  }
}, 20_000);

describe.each(MODES)("the decision store unreachable (%s)", (mode) => {
  it("the review completes its check run as failure, naming the store and the recheck hint; no comment", async () => {
    const o = await scenarios.outcome<Outcome>(mode);
    expect(o.down).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "gitops-guard could not finish the review" } });
    expect(o.down.output.summary).toContain("cannot reach the decision store (DynamoDB)");
    expect(o.down.output.summary).toContain("/guard recheck");
    expect(o.down.output.summary).not.toMatch(/AWS SDK error wrapper|@smithy/);
    expect(o.comments).toEqual([]);
    // An endpoint that never answers costs the client's timeouts on the delivery claim and on the decisions, no more.
    if (mode === "blackhole") expect(o.downMs).toBeLessThan(4 * 3 * (STORE_HTTP_TIMEOUTS.connectionTimeout + STORE_HTTP_TIMEOUTS.requestTimeout));
  });

  it("slash-commands that need the store say it cannot be reached and record nothing; help still answers", async () => {
    const { reply, records } = await scenarios.outcome<Outcome>(mode);
    expect(reply.body).toMatch(/⚠️ Line 1: `\/guard waive` failed \(cannot reach the decision store \(DynamoDB\): [^)]+\); nothing was recorded by it\. Try again\./);
    expect(reply.body).toMatch(/⚠️ Line 2: `\/guard status` failed \(cannot reach the decision store \(DynamoDB\)/);
    expect(reply.body).toContain("**gitops-guard commands**");
    expect(records.filter((t) => t === "waiver")).toEqual([]);
  });

  it("once the store is back, /guard recheck reviews as usual and the review is on the record", async () => {
    const o = await scenarios.outcome<Outcome>(mode);
    expect(o.reaction?.content).toBe("+1");
    expect(o.recovered).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "1 new high-risk change" } });
    expect(annotatedRules(o.recovered)).toEqual(["argocd/project-source-repos-wildcard"]);
    expect(o.records).toEqual(["review"]);
  });
});
