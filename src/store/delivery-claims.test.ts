import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { LeasedDeliveryStore, type LeaseScope } from "./delivery-lease.js";
import { DynamoDecisionStore } from "./dynamo-store.js";
import { startDynalite, type DynaliteServer } from "./dynalite-server.js";
import { QueuedDeliveries, queuedKey } from "./queued-deliveries.js";
import { ensureTable } from "./table.js";

const TABLE = "claims";
const T0 = new Date("2026-03-01T10:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const DAY = 86_400_000;

let server: DynaliteServer;
let client: DynamoDBClient;

function scope(untilMs: number): LeaseScope {
  return { untilMs, claimed: new Map(), forgotten: new Set() };
}

beforeAll(async () => {
  server = await startDynalite();
  client = new DynamoDBClient({ endpoint: server.endpoint, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
  await ensureTable(client, TABLE);
});

afterAll(async () => {
  client.destroy();
  await server.close();
});

describe("QueuedDeliveries (the webhook function's claims)", () => {
  const queued = () => new QueuedDeliveries(client, TABLE);

  it("claims an id once; a redelivery is refused until the claim expires or is released", async () => {
    const q = queued();
    expect(await q.claim("q-1", "pull_request", T0)).toBe(true);
    expect(await q.claim("q-1", "pull_request", at(60_000))).toBe(false);
    expect(await q.claim("q-1", "pull_request", at(DAY + 1000))).toBe(true);
    await q.release("q-1");
    expect(await q.claim("q-1", "pull_request", at(DAY + 2000))).toBe(true);
  });

  it("uses its own key: a queued delivery is still new to the app's delivery dedupe (and the other way round)", async () => {
    const q = queued();
    const app = new DynamoDecisionStore(client, { tableName: TABLE });
    expect(await q.claim("q-2", "pull_request", T0)).toBe(true);
    expect(await app.recordDelivery("q-2", T0)).toBe(true);
    expect(await q.claim("q-2", "pull_request", T0)).toBe(false);
    const item = await client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: queuedKey("q-2").pk }, sk: { S: "QUEUED" } } }));
    expect(item.Item?.expiresAt?.N).toBe(String(T0.getTime() / 1000 + 86_400));
  });

  it("rejects an empty or overlong id", async () => {
    await expect(queued().claim("", "ping")).rejects.toThrow(/invalid delivery id/);
    await expect(queued().claim("x".repeat(257), "ping")).rejects.toThrow(/invalid delivery id/);
  });
});

describe("LeasedDeliveryStore (the worker's delivery dedupe)", () => {
  let current: LeaseScope | undefined;
  const store = () => new LeasedDeliveryStore(client, { tableName: TABLE, scope: () => current });

  it("a duplicate during the lease is skipped; a retry after a dead worker's deadline runs", async () => {
    const s = store();
    current = scope(T0.getTime() + 120_000);
    expect(await s.recordDelivery("l-1", T0)).toBe(true);
    expect(current.claimed.has("l-1")).toBe(true);
    // The same message again while the first worker may still run: skipped.
    current = scope(T0.getTime() + 200_000);
    expect(await s.recordDelivery("l-1", at(60_000))).toBe(false);
    // The first worker died (no complete, no forget); SQS redelivers after its deadline: taken over.
    current = scope(T0.getTime() + 900_000);
    expect(await s.recordDelivery("l-1", at(130_000))).toBe(true);
  });

  it("a completed delivery is skipped for the rest of the day, even after the lease deadline", async () => {
    const s = store();
    current = scope(T0.getTime() + 120_000);
    expect(await s.recordDelivery("l-2", T0)).toBe(true);
    expect(await s.completeDelivery("l-2", current.claimed.get("l-2")!)).toBe(true);
    current = scope(T0.getTime() + 999_000);
    expect(await s.recordDelivery("l-2", at(600_000))).toBe(false);
    expect(await s.recordDelivery("l-2", at(DAY + 1000))).toBe(true);
  });

  it("only the holder of the lease completes it", async () => {
    const s = store();
    current = scope(T0.getTime() + 1000);
    expect(await s.recordDelivery("l-3", T0)).toBe(true);
    const first = current.claimed.get("l-3")!;
    current = scope(T0.getTime() + 500_000);
    expect(await s.recordDelivery("l-3", at(2000))).toBe(true); // the first lease ran out
    expect(await s.completeDelivery("l-3", first)).toBe(false);
    expect(await s.completeDelivery("l-3", current.claimed.get("l-3")!)).toBe(true);
  });

  it("a forgotten delivery (its work failed) is new again, and the scope says so", async () => {
    const s = store();
    current = scope(T0.getTime() + 120_000);
    expect(await s.recordDelivery("l-4", T0)).toBe(true);
    await s.forgetDelivery("l-4");
    expect([...current.forgotten]).toEqual(["l-4"]);
    expect(current.claimed.has("l-4")).toBe(false);
    expect(await s.recordDelivery("l-4", at(1000))).toBe(true);
  });

  it("claims without a scope hold a 15-minute lease", async () => {
    const s = store();
    current = undefined;
    expect(await s.recordDelivery("l-5", T0)).toBe(true);
    current = scope(0);
    expect(await s.recordDelivery("l-5", at(14 * 60_000))).toBe(false);
    expect(await s.recordDelivery("l-5", at(16 * 60_000))).toBe(true);
  });
});

describe("a claim whose answer was lost", () => {
  it("is still ours when the SDK's retry finds the item the first attempt wrote; a real redelivery is not", async () => {
    // Every put is sent twice and only the second answer is kept, as when the first answer times out and the SDK retries.
    const lossy = new DynamoDBClient({ endpoint: server.endpoint, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
    lossy.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "PutItemCommand") await next(args).catch(() => undefined);
        return next(args);
      },
      { step: "finalizeRequest", name: "loseFirstAnswer" },
    );
    try {
      const app = new DynamoDecisionStore(lossy, { tableName: TABLE });
      expect(await app.recordDelivery("lost-1", T0)).toBe(true);
      expect(await app.recordDelivery("lost-1", T0)).toBe(false);
      expect(await new QueuedDeliveries(lossy, TABLE).claim("lost-2", "pull_request", T0)).toBe(true);
      expect(await new LeasedDeliveryStore(lossy, { tableName: TABLE, scope: () => scope(T0.getTime() + 60_000) }).recordDelivery("lost-3", T0)).toBe(true);
    } finally {
      lossy.destroy();
    }
  });
});
