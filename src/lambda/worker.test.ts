/**
 * The worker handler with SQS events, running the real app against the loopback fake GitHub and dynalite:
 * reviews complete, duplicates change nothing, failures are retried alone, slim events are re-read from the API.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { pino } from "pino";
import { LeasedDeliveryStore } from "../store/delivery-lease.js";
import { startDynalite, type DynaliteServer } from "../store/dynalite-server.js";
import { QueuedDeliveries } from "../store/queued-deliveries.js";
import { ensureTable } from "../store/table.js";
import { FakeGitHub, type FakeRepo } from "../../test/fakes/github/fake-github.js";
import { APP_ID, BASE, HEAD1, PRIVATE_KEY, PROJECT_OK, PROJECT_WILDCARD, PUBLIC_KEY, pullRequestPayload, summaryComments } from "../../test/e2e/harness.js";
import { TestOctokit } from "../../test/integration/helpers.js";
import { encodeMessage } from "./queue-message.js";
import { createWorkerHandler, loadWorker, type SqsRecord, type Worker, type WorkerHandler } from "./worker.js";

const TABLE = "worker-test";
const CONFIG = { ".github/gitops-guard.yml": "failOn: high\n" };

let gh: FakeGitHub;
let dynamo: DynaliteServer;
let client: DynamoDBClient;
let worker: Worker;
let handler: WorkerHandler;

/** A repository in the fake with PR #1 whose head opens an AppProject to every repository (a failing review). */
function addRepo(fullName: string): FakeRepo {
  const repo = gh.addRepo(fullName);
  repo.commit(BASE, { "projects/team-a.yaml": PROJECT_OK, ...CONFIG }, "main");
  repo.commit(HEAD1, { "projects/team-a.yaml": PROJECT_WILDCARD, ...CONFIG });
  repo.addPull({ number: 1, base: { sha: BASE, ref: "main" }, head: { sha: HEAD1, ref: "open-up" } });
  return repo;
}

/** The queue message the webhook function sends for `pull_request.opened` on `repo` (slim when `maxBytes` is small). */
function openedMessage(repo: FakeRepo, delivery = randomUUID(), maxBytes?: number): string {
  const encoded = encodeMessage(delivery, "pull_request", pullRequestPayload(repo, "opened", HEAD1) as unknown as Record<string, unknown>, maxBytes);
  if ("tooLarge" in encoded) throw new Error("unexpected");
  return encoded.body;
}

function record(body: string, receiveCount = 1): SqsRecord {
  return { messageId: randomUUID(), body, attributes: { ApproximateReceiveCount: String(receiveCount) } };
}

const completedRun = (repo: FakeRepo) => repo.latestCheckRun(HEAD1);

beforeAll(async () => {
  gh = await FakeGitHub.start({ appId: APP_ID, publicKey: PUBLIC_KEY });
  dynamo = await startDynalite();
  client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
  await ensureTable(client, TABLE);
  worker = await loadWorker({
    credentials: { appId: String(APP_ID), privateKey: PRIVATE_KEY, webhookSecret: "unused-by-the-worker" },
    dynamo: client,
    tableName: TABLE,
    log: pino({ level: "silent" }),
    gheHost: gh.host,
    gheProtocol: "http",
    Octokit: TestOctokit,
  });
  handler = createWorkerHandler(async () => worker);
});

afterAll(async () => {
  client.destroy();
  await gh.close();
  await dynamo.close();
});

describe("worker function", () => {
  it("runs the app on a queued delivery the webhook claimed: a completed check run and one summary comment", async () => {
    const repo = addRepo("acme/gitops");
    const delivery = randomUUID();
    // The webhook function's claim on the same id must not make the app skip the event.
    expect(await new QueuedDeliveries(client, TABLE).claim(delivery, "pull_request")).toBe(true);
    const out = await handler({ Records: [record(openedMessage(repo, delivery))] }, { getRemainingTimeInMillis: () => 60_000 });
    expect(out).toEqual({ batchItemFailures: [] });
    expect(repo.checkRuns()).toHaveLength(1);
    expect(completedRun(repo)).toMatchObject({ name: "gitops-guard", status: "completed", conclusion: "failure" });
    expect(summaryComments(repo)).toHaveLength(1);
  });

  it("the same message again (SQS delivers at least once): no second check run, no second comment", async () => {
    const repo = addRepo("acme/twice");
    const body = openedMessage(repo);
    expect(await handler({ Records: [record(body)] })).toEqual({ batchItemFailures: [] });
    const requests = gh.apiRequests().length;
    expect(await handler({ Records: [record(body)] })).toEqual({ batchItemFailures: [] });
    expect(await handler({ Records: [record(body, 2)] })).toEqual({ batchItemFailures: [] });
    expect(repo.checkRuns()).toHaveLength(1);
    expect(summaryComments(repo)).toHaveLength(1);
    expect(gh.apiRequests().length).toBe(requests);
  });

  it("a batch with one failing record reports only that record; records that are not webhooks are dropped; events the app ignores pass", async () => {
    const ok = addRepo("acme/batch");
    const missing = { ...ok, fullName: "acme/nowhere", name: "nowhere", id: 999_999 } as FakeRepo; // not in the fake: GitHub answers 404
    const ping = JSON.stringify({ v: 1, id: randomUUID(), name: "ping", payload: { zen: "Keep it logically awesome.", hook_id: 1 } });
    const records = [record(openedMessage(ok)), record(openedMessage(missing)), record("hello"), record(JSON.stringify({ v: 1, id: "x" })), record(JSON.stringify({ Records: [] })), record(ping)];
    const out = await handler({ Records: records });
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: records[1].messageId }]);
    expect(completedRun(ok)).toMatchObject({ status: "completed", conclusion: "failure" });
  });

  it("a delivery whose review failed is forgotten by the app, so SQS's retry of the message completes the check run", async () => {
    const later = { fullName: "acme/later", name: "later", owner: "acme", id: 424_242 } as FakeRepo;
    const body = openedMessage(later);
    const first = record(body);
    expect((await handler({ Records: [first] })).batchItemFailures).toEqual([{ itemIdentifier: first.messageId }]);
    const repo = addRepo("acme/later"); // GitHub is back
    expect(await handler({ Records: [{ ...first, attributes: { ApproximateReceiveCount: "2" } }] })).toEqual({ batchItemFailures: [] });
    expect(completedRun(repo)).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(summaryComments(repo)).toHaveLength(1);
  });

  it("a worker that died mid-review holds its claim only until its deadline; SQS's later retry runs the event", async () => {
    const repo = addRepo("acme/died");
    const delivery = randomUUID();
    const body = openedMessage(repo, delivery);
    /** The claim a worker made before it died (no `finally` ran: neither completed nor forgotten). */
    const diedHolding = async (deadline: number) => {
      await worker.store.forgetDelivery(delivery);
      const scope = { untilMs: deadline, claimed: new Map<string, string>(), forgotten: new Set<string>() };
      expect(await new LeasedDeliveryStore(client, { tableName: TABLE, scope: () => scope }).recordDelivery(delivery)).toBe(true);
    };
    // Before its deadline the first worker may still be running: a duplicate message is skipped.
    await diedHolding(Date.now() + 60_000);
    expect(await handler({ Records: [record(body)] })).toEqual({ batchItemFailures: [] });
    expect(repo.checkRuns()).toHaveLength(0);
    // SQS redelivers after the visibility timeout (6 × the function timeout), when the deadline has passed.
    await diedHolding(Date.now() - 5_000);
    expect(await handler({ Records: [record(body, 2)] })).toEqual({ batchItemFailures: [] });
    expect(completedRun(repo)).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(summaryComments(repo)).toHaveLength(1);
  });

  it("a slim message (payload too large for SQS): the pull request is re-read from the API and reviewed", async () => {
    const repo = addRepo("acme/big");
    const body = openedMessage(repo, randomUUID(), 1000);
    expect(JSON.parse(body)).toHaveProperty("slim");
    const since = gh.requests.length;
    expect(await handler({ Records: [record(body)] })).toEqual({ batchItemFailures: [] });
    expect(gh.requests.slice(since).some((r) => r.method === "GET" && r.path === "/repos/acme/big/pulls/1")).toBe(true);
    expect(completedRun(repo)).toMatchObject({ status: "completed", conclusion: "failure" });
  });
});
