import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { checkDeliveryId, DELIVERY_TTL_SECONDS, putClaim } from "./claims.js";
import { epochSeconds } from "./keys.js";

/** How long a "queued" claim keeps a redelivery of the same id out of the queue. */
export const QUEUED_TTL_SECONDS = DELIVERY_TTL_SECONDS;

/** `QUEUED#<id> | QUEUED`: the claim the Lambda `webhook` function makes before it queues a delivery. */
export function queuedKey(deliveryId: string): { pk: string; sk: string } {
  return { pk: `QUEUED#${deliveryId}`, sk: "QUEUED" };
}

/**
 * "Queued" claims of webhook deliveries: the webhook function claims `QUEUED#<id>` with a conditional put and
 * sends the delivery to the review queue only when the claim is new, so a redelivery is never queued twice.
 *
 * These claims are deliberately separate from the app's own `DELIVERY#<id>` claims (see keys.ts), which the
 * worker makes when it runs the event: if the webhook claimed `DELIVERY#<id>`, the worker's app would take
 * every queued event for a redelivery and skip it.
 */
export class QueuedDeliveries {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
  }

  /** True the first time an id is claimed (or after its claim expired), false for a redelivery. */
  async claim(deliveryId: string, event: string, now: Date = new Date()): Promise<boolean> {
    checkDeliveryId(deliveryId);
    const nowSec = epochSeconds(now);
    return putClaim(this.doc, this.tableName, { ...queuedKey(deliveryId), event, time: now.toISOString(), expiresAt: nowSec + QUEUED_TTL_SECONDS }, nowSec);
  }

  /** Withdraws a claim whose delivery could not be queued, so that GitHub's redelivery of it is queued. */
  async release(deliveryId: string): Promise<void> {
    checkDeliveryId(deliveryId);
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: queuedKey(deliveryId) }));
  }
}
