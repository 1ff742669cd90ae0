import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { randomUUID } from "node:crypto";
import { DynamoDecisionStore, type DynamoStoreOptions } from "./dynamo-store.js";
import { deliveryKey, epochSeconds } from "./keys.js";
import { checkDeliveryId, DELIVERY_TTL_SECONDS, isConditionFailure, putClaim } from "./claims.js";

/** Lease of a claim made outside any scope (the worker always gives one). */
const DEFAULT_LEASE_MS = 15 * 60 * 1000;

/** The claims made while one event is handled, and until when they may be held. */
export interface LeaseScope {
  /** Epoch milliseconds after which a claim made in this scope may be taken over (the invocation's deadline). */
  untilMs: number;
  /** Delivery id → lease token of every claim made in this scope (and not forgotten). */
  readonly claimed: Map<string, string>;
  /** Deliveries whose claim was withdrawn in this scope because their work failed: they should run again. */
  readonly forgotten: Set<string>;
}

export interface LeasedStoreOptions extends DynamoStoreOptions {
  /** The scope of the event being handled now (e.g. from AsyncLocalStorage), if any. */
  scope: () => LeaseScope | undefined;
}

/**
 * The decision store for workers that can die mid-event (a Lambda timeout or crash runs no `finally`).
 *
 * The app claims each delivery (`DELIVERY#<id>`) before it runs the event and forgets the claim when the work
 * fails. A worker that dies does neither, and a plain claim would then make SQS's retry of the message skip the
 * event for a day, leaving its check run in progress. Here a claim is a lease until the worker's deadline: a
 * retry after the deadline takes it over, while a duplicate message handled during the lease, or after the
 * work completed (`completeDelivery`), is still skipped.
 */
export class LeasedDeliveryStore extends DynamoDecisionStore {
  private readonly leases: DynamoDBDocumentClient;
  private readonly scope: () => LeaseScope | undefined;

  constructor(client: DynamoDBClient, opts: LeasedStoreOptions) {
    super(client, opts);
    this.leases = DynamoDBDocumentClient.from(client);
    this.scope = opts.scope;
  }

  override async recordDelivery(deliveryId: string, now: Date = new Date()): Promise<boolean> {
    checkDeliveryId(deliveryId);
    const scope = this.scope();
    const nowSec = epochSeconds(now);
    const leaseUntil = Math.ceil((scope?.untilMs ?? now.getTime() + DEFAULT_LEASE_MS) / 1000);
    const token = randomUUID();
    const item = { ...deliveryKey(deliveryId), time: now.toISOString(), expiresAt: nowSec + DELIVERY_TTL_SECONDS, leaseUntil, leaseToken: token };
    // Also when leased by a worker whose deadline has passed (a completed claim has no lease).
    if (!(await putClaim(this.leases, this.tableName, item, nowSec, "leaseUntil < :now"))) return false;
    scope?.claimed.set(deliveryId, token);
    return true;
  }

  override async forgetDelivery(deliveryId: string): Promise<void> {
    const scope = this.scope();
    try {
      await super.forgetDelivery(deliveryId);
    } finally {
      // Even when the delete failed: the work failed, so the event must run again (after the lease).
      scope?.claimed.delete(deliveryId);
      scope?.forgotten.add(deliveryId);
    }
  }

  /** Marks a delivery handled for good: its lease ends, so no retry takes it over. Only the lease holder can. */
  async completeDelivery(deliveryId: string, token: string): Promise<boolean> {
    checkDeliveryId(deliveryId);
    try {
      await this.leases.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: deliveryKey(deliveryId),
          UpdateExpression: "REMOVE leaseUntil, leaseToken",
          ConditionExpression: "leaseToken = :token",
          ExpressionAttributeValues: { ":token": token },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }
}
