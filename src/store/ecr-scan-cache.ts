/**
 * The ECR provider's persistent cache on the decision store's table:
 * `ECR#<account>.dkr.ecr.<region>/<repository>@<digest> | SCAN` (what is known about a digest) and
 * `ECR#<account>.dkr.ecr.<region>/<repository> | REPOSITORY` (tag mutability), each with `expiresAt` one hour
 * ahead (the table's TTL attribute). Expired items are filtered on read: DynamoDB's TTL sweep lags, and dynalite
 * has none.
 */
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { CACHE_TTL_SECONDS, itemId, type CacheItem, type CacheItemKey, type PersistentEcrCache } from "../aws/ecr/cache.js";
import { DynamoDecisionStore } from "./dynamo-store.js";
import { epochSeconds } from "./keys.js";
import type { DecisionStore } from "./types.js";

const READ_BATCH = 100;
const WRITE_BATCH = 25;
/** Rounds for a batch's unprocessed keys/items (DynamoDB returns them under load) before giving up on them. */
const MAX_ROUNDS = 5;
/** A cached value larger than this is not stored (DynamoDB items are capped at 400 KB). */
const MAX_VALUE_CHARS = 350_000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class DynamoEcrScanCache implements PersistentEcrCache {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async read(keys: readonly CacheItemKey[], now: Date): Promise<Map<string, unknown>> {
    const out = new Map<string, unknown>();
    const nowSec = epochSeconds(now);
    const unique = [...new Map(keys.map((k) => [itemId(k), { pk: k.pk, sk: k.sk }])).values()];
    for (const batch of chunks(unique, READ_BATCH)) {
      let pending: Array<Record<string, unknown>> = batch;
      for (let round = 0; pending.length && round < MAX_ROUNDS; round++) {
        if (round) await pause(50 * 2 ** round);
        const res = await this.doc.send(
          new BatchGetCommand({
            RequestItems: { [this.table]: { Keys: pending, ProjectionExpression: "pk, sk, #d, expiresAt", ExpressionAttributeNames: { "#d": "data" } } },
          }),
        );
        for (const item of res.Responses?.[this.table] ?? []) {
          if (typeof item.expiresAt !== "number" || item.expiresAt <= nowSec || typeof item.data !== "string") continue;
          try {
            out.set(itemId({ pk: String(item.pk), sk: item.sk as CacheItemKey["sk"] }), JSON.parse(item.data));
          } catch {
            // A damaged item is a miss.
          }
        }
        pending = (res.UnprocessedKeys?.[this.table]?.Keys ?? []) as Array<Record<string, unknown>>;
      }
    }
    return out;
  }

  async write(items: readonly CacheItem[], now: Date): Promise<void> {
    const expiresAt = epochSeconds(now) + CACHE_TTL_SECONDS;
    const puts = items
      .map((i) => ({ pk: i.pk, sk: i.sk, data: JSON.stringify(i.value), expiresAt }))
      .filter((i) => i.data.length <= MAX_VALUE_CHARS);
    for (const batch of chunks(puts, WRITE_BATCH)) {
      let pending = batch.map((Item) => ({ PutRequest: { Item } }));
      for (let round = 0; pending.length && round < MAX_ROUNDS; round++) {
        if (round) await pause(50 * 2 ** round);
        const res = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.table]: pending } }));
        pending = (res.UnprocessedItems?.[this.table] ?? []) as typeof pending;
      }
    }
  }
}

/** The persistent ECR cache of a decision store on DynamoDB (null for other stores: the cache is then per review). */
export function ecrScanCacheFor(store: DecisionStore): PersistentEcrCache | null {
  return store instanceof DynamoDecisionStore ? new DynamoEcrScanCache(store.documentClient, store.tableName) : null;
}
