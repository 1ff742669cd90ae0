/**
 * The webhook handler with API Gateway HTTP API (v2) events, against dynalite (queued claims) and a loopback fake
 * SQS that speaks the SDK's wire protocol.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { sign } from "@octokit/webhooks-methods";
import { pino } from "pino";
import { randomUUID } from "node:crypto";
import { startDynalite, type DynaliteServer } from "../store/dynalite-server.js";
import { QueuedDeliveries } from "../store/queued-deliveries.js";
import { ensureTable } from "../store/table.js";
import { httpApiEvent, webhookEvent } from "../../test/lambda/events.js";
import { startFakeSqs, type FakeSqs } from "../../test/fakes/aws/sqs.js";
import { decodeMessage, MAX_MESSAGE_BYTES } from "./queue-message.js";
import { createWebhookHandler, type WebhookDeps, type WebhookHandler } from "./webhook.js";

const SECRET = "webhook-test-secret";
const TABLE = "webhook-test";

let dynamo: DynaliteServer;
let client: DynamoDBClient;
let sqs: FakeSqs;
let sqsClient: SQSClient;
let queueUrl: string;
let handler: WebhookHandler;
let deps: WebhookDeps;

const pullRequest = (extra: Record<string, unknown> = {}) => ({
  action: "opened",
  number: 7,
  pull_request: { number: 7, head: { sha: "1".repeat(40) }, base: { sha: "b".repeat(40) }, body: "hello", ...extra },
  repository: { id: 1, name: "gitops", full_name: "acme/gitops", owner: { login: "acme" } },
  installation: { id: 77 },
  sender: { login: "octocat", id: 1, type: "User" },
});

const bodyOf = (res: { body: string }) => JSON.parse(res.body) as Record<string, unknown>;

beforeAll(async () => {
  dynamo = await startDynalite();
  client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
  await ensureTable(client, TABLE);
  sqs = await startFakeSqs();
  queueUrl = sqs.queueUrl("reviews");
  sqsClient = new SQSClient({ endpoint: sqs.endpoint, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
  deps = {
    webhookSecret: SECRET,
    queued: new QueuedDeliveries(client, TABLE),
    enqueue: async (body) => void (await sqsClient.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }))),
    log: pino({ level: "silent" }),
  };
  handler = createWebhookHandler(async () => deps);
});

afterAll(async () => {
  client.destroy();
  sqsClient.destroy();
  await sqs.close();
  await dynamo.close();
});

beforeEach(() => {
  sqs.messages.length = 0;
});

describe("webhook function", () => {
  it("a signed delivery: 202 and exactly one queue message carrying the delivery id, event and payload", async () => {
    const delivery = randomUUID();
    const res = await handler(await webhookEvent("pull_request", pullRequest(), { secret: SECRET, delivery }));
    expect(res.statusCode).toBe(202);
    expect(bodyOf(res)).toEqual({ queued: true });
    expect(sqs.messages).toHaveLength(1);
    expect(sqs.messages[0].queueUrl).toBe(queueUrl);
    expect(decodeMessage(sqs.messages[0].body)).toEqual({ message: { v: 1, id: delivery, name: "pull_request", payload: pullRequest() } });
  });

  it("a redelivery of the same id: 202 and no second message", async () => {
    const delivery = randomUUID();
    const first = await handler(await webhookEvent("pull_request", pullRequest(), { secret: SECRET, delivery }));
    const again = await handler(await webhookEvent("pull_request", pullRequest(), { secret: SECRET, delivery }));
    expect([first.statusCode, again.statusCode]).toEqual([202, 202]);
    expect(bodyOf(again)).toEqual({ queued: false, reason: "delivery already queued" });
    expect(sqs.messages).toHaveLength(1);
  });

  it("a wrong or missing signature: 401 and nothing queued or claimed", async () => {
    const delivery = randomUUID();
    const wrong = await handler(await webhookEvent("pull_request", pullRequest(), { secret: "not-the-secret", delivery }));
    const missing = await handler(await webhookEvent("pull_request", pullRequest(), { secret: SECRET, delivery, signature: null }));
    const sha1 = await handler(await webhookEvent("pull_request", pullRequest(), { secret: SECRET, delivery, signature: "sha1=0123456789abcdef0123456789abcdef01234567" }));
    expect([wrong.statusCode, missing.statusCode, sha1.statusCode]).toEqual([401, 401, 401]);
    expect(bodyOf(missing).error).toMatch(/X-Hub-Signature-256/);
    expect(sqs.messages).toHaveLength(0);
    // Nothing was claimed: the correctly signed delivery with that id is queued.
    expect((await handler(await webhookEvent("pull_request", pullRequest(), { secret: SECRET, delivery }))).statusCode).toBe(202);
    expect(sqs.messages).toHaveLength(1);
  });

  it("a body that changed after signing is refused", async () => {
    const event = await webhookEvent("pull_request", pullRequest(), { secret: SECRET });
    event.body = String(event.body).replace('"opened"', '"closed"');
    expect((await handler(event)).statusCode).toBe(401);
    expect(sqs.messages).toHaveLength(0);
  });

  it("a base64-encoded body is decoded: the signature is checked on the raw bytes and the payload is queued", async () => {
    const payload = pullRequest({ title: "Ünïcödé ✓ — café" });
    const event = await webhookEvent("pull_request", payload, { secret: SECRET, base64: true });
    expect(event.isBase64Encoded).toBe(true);
    expect(String(event.body)).not.toContain("pull_request");
    const res = await handler(event);
    expect(res.statusCode).toBe(202);
    const decoded = decodeMessage(sqs.messages[0].body);
    expect("message" in decoded && "payload" in decoded.message && decoded.message.payload).toEqual(payload);
  });

  it("header names in any case are accepted", async () => {
    const event = await webhookEvent("pull_request", pullRequest(), { secret: SECRET });
    event.headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.replace(/(^|-)([a-z])/g, (m) => m.toUpperCase()), v]));
    expect(Object.keys(event.headers)).toContain("X-Hub-Signature-256");
    expect((await handler(event)).statusCode).toBe(202);
    expect(sqs.messages).toHaveLength(1);
  });

  it("a body over 25 MB: 413 before anything else (no secret, no store, no queue)", async () => {
    let asked = false;
    const strict = createWebhookHandler(async () => {
      asked = true;
      return deps;
    });
    const huge = "x".repeat(25 * 1024 * 1024 + 1);
    const plain = await strict(httpApiEvent({ body: huge, headers: { "x-github-event": "push", "x-github-delivery": randomUUID() } }));
    const base64 = await strict(httpApiEvent({ body: huge, base64: true, headers: { "x-github-event": "push", "x-github-delivery": randomUUID() } }));
    expect([plain.statusCode, base64.statusCode]).toEqual([413, 413]);
    expect(asked).toBe(false);
    expect(sqs.messages).toHaveLength(0);
  });

  it("a payload too large for SQS is queued as a slim event the worker can re-read from the API", async () => {
    const delivery = randomUUID();
    const payload = pullRequest({ body: "🚀".repeat(100_000) });
    const res = await handler(await webhookEvent("pull_request", payload, { secret: SECRET, delivery }));
    expect(res.statusCode).toBe(202);
    expect(bodyOf(res)).toEqual({ queued: true, slim: true });
    expect(sqs.messages).toHaveLength(1);
    expect(Buffer.byteLength(sqs.messages[0].body)).toBeLessThan(MAX_MESSAGE_BYTES);
    expect(decodeMessage(sqs.messages[0].body)).toEqual({
      message: {
        v: 1,
        id: delivery,
        name: "pull_request",
        slim: { action: "opened", installationId: 77, owner: "acme", repo: "gitops", sender: { login: "octocat", id: 1, type: "User" }, pullNumber: 7 },
      },
    });
  });

  it("an oversized event gitops-guard does not handle is acknowledged and not queued", async () => {
    const res = await handler(await webhookEvent("push", { ref: "refs/heads/main", commits: "x".repeat(300_000), installation: { id: 77 } }, { secret: SECRET }));
    expect(res.statusCode).toBe(202);
    expect(bodyOf(res)).toMatchObject({ queued: false });
    expect(sqs.messages).toHaveLength(0);
  });

  it("when SQS fails: the invocation fails (GitHub sees an error), and the claim is released so a redelivery is queued", async () => {
    const delivery = randomUUID();
    sqs.failNext(4); // the SDK retries 5xx three times
    await expect(handler(await webhookEvent("pull_request", pullRequest(), { secret: SECRET, delivery }))).rejects.toThrow();
    expect(sqs.messages).toHaveLength(0);
    const again = await handler(await webhookEvent("pull_request", pullRequest(), { secret: SECRET, delivery }));
    expect(again.statusCode).toBe(202);
    expect(sqs.messages).toHaveLength(1);
  });

  it("when the table cannot be reached, the delivery is still queued (the worker dedupes too)", async () => {
    const down = createWebhookHandler(async () => ({
      ...deps,
      queued: {
        claim: async () => {
          throw new Error("connect ECONNREFUSED");
        },
        release: async () => undefined,
      },
    }));
    expect((await down(await webhookEvent("pull_request", pullRequest(), { secret: SECRET }))).statusCode).toBe(202);
    expect(sqs.messages).toHaveLength(1);
  });

  it("missing event or delivery headers, a body that is not a JSON object, or another method: 4xx, nothing queued", async () => {
    const noDelivery = await webhookEvent("pull_request", pullRequest(), { secret: SECRET });
    delete noDelivery.headers!["x-github-delivery"];
    const array = await webhookEvent("pull_request", [1, 2], { secret: SECRET });
    const notJson = httpApiEvent({ body: "not json", headers: { "x-github-event": "ping", "x-github-delivery": randomUUID(), "x-hub-signature-256": await sign(SECRET, "not json") } });
    const get = httpApiEvent({ body: null, method: "GET" });
    expect([(await handler(noDelivery)).statusCode, (await handler(array)).statusCode, (await handler(notJson)).statusCode, (await handler(get)).statusCode]).toEqual([400, 400, 400, 405]);
    expect(sqs.messages).toHaveLength(0);
  });
});
