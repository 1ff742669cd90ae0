import { GetCommand, PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { randomUUID } from "node:crypto";
import { StoreError } from "./types.js";

/** How long a webhook delivery id is remembered. */
export const DELIVERY_TTL_SECONDS = 24 * 60 * 60;

export function isConditionFailure(err: unknown): boolean {
  return err instanceof Error && err.name === "ConditionalCheckFailedException";
}

export function checkDeliveryId(deliveryId: string): void {
  if (!deliveryId || deliveryId.length > 256) throw new StoreError("invalid delivery id");
}

/**
 * A claim: puts `item` (which carries `expiresAt`, epoch seconds) with a conditional put that succeeds only when no
 * item with its key exists, the existing one has expired (DynamoDB's TTL sweep may lag, and dynalite has none), or
 * `orIf` (a further condition on the existing item, with `:now`) holds. True when the claim was written.
 *
 * The claim carries a token of its own: when the answer to the put is lost (a timeout, a reset connection) the SDK
 * sends it again, and that retry fails its condition on the item the first attempt wrote. A failed put whose item
 * holds our token is our claim, not a redelivery (taken for one, the event would be dropped).
 */
export async function putClaim(doc: DynamoDBDocumentClient, table: string, item: Record<string, unknown> & { pk: string; sk: string }, nowSec: number, orIf?: string): Promise<boolean> {
  const claimToken = randomUUID();
  try {
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: { ...item, claimToken },
        ConditionExpression: `attribute_not_exists(pk) OR expiresAt <= :now${orIf ? ` OR ${orIf}` : ""}`,
        ExpressionAttributeValues: { ":now": nowSec },
      }),
    );
    return true;
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    const stored = await doc.send(new GetCommand({ TableName: table, Key: { pk: item.pk, sk: item.sk }, ConsistentRead: true }));
    return stored.Item?.claimToken === claimToken;
  }
}
