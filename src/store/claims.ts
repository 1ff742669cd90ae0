import { PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
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
 */
export async function putClaim(doc: DynamoDBDocumentClient, table: string, item: Record<string, unknown> & { pk: string; sk: string }, nowSec: number, orIf?: string): Promise<boolean> {
  try {
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: item,
        ConditionExpression: `attribute_not_exists(pk) OR expiresAt <= :now${orIf ? ` OR ${orIf}` : ""}`,
        ExpressionAttributeValues: { ":now": nowSec },
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}
