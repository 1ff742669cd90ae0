import {
  CreateTableCommand,
  DescribeTableCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import { INDEX_BY_PR, INDEX_BY_REPO } from "./keys.js";
import { StoreError } from "./types.js";

export const DEFAULT_TABLE_NAME = "gitops-guard";
export const TTL_ATTRIBUTE = "expiresAt";

/**
 * The table, as `CreateTable` input. Infrastructure (CloudFormation) must declare the same keys and
 * indexes, plus TTL on `expiresAt`.
 */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  const auditIndex = (name: string, hashKey: string) => ({
    IndexName: name,
    KeySchema: [
      { AttributeName: hashKey, KeyType: "HASH" as const },
      { AttributeName: "auditTime", KeyType: "RANGE" as const },
    ],
    Projection: { ProjectionType: "ALL" as const },
  });
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: "pk", AttributeType: "S" },
      { AttributeName: "sk", AttributeType: "S" },
      { AttributeName: "auditRepo", AttributeType: "S" },
      { AttributeName: "auditPr", AttributeType: "S" },
      { AttributeName: "auditTime", AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: [auditIndex(INDEX_BY_REPO, "auditRepo"), auditIndex(INDEX_BY_PR, "auditPr")],
  };
}

function errorName(err: unknown): string {
  return err instanceof Error ? err.name : "";
}

/** Whether the table exists; true once it is ACTIVE (waits while it is being created). */
async function waitActive(client: DynamoDBClient, tableName: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
      if (out.Table?.TableStatus === "ACTIVE") return true;
    } catch (err) {
      if (errorName(err) === "ResourceNotFoundException") return false;
      throw err;
    }
    if (Date.now() > deadline) throw new StoreError(`table ${tableName} did not become ACTIVE within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Creates the table when it is missing (local endpoints and the embedded store only; in AWS the table
 * comes from infrastructure). Safe when several processes race to create it.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string, timeoutMs = 30_000): Promise<void> {
  if (await waitActive(client, tableName, timeoutMs)) return;
  try {
    await client.send(new CreateTableCommand(tableDefinition(tableName)));
  } catch (err) {
    if (errorName(err) !== "ResourceInUseException") throw err;
  }
  if (!(await waitActive(client, tableName, timeoutMs))) throw new StoreError(`table ${tableName} could not be created`);
  // DynamoDB Local and LocalStack support TTL; dynalite does not (the store filters expired items itself).
  try {
    await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true } }));
  } catch {
    // not supported by this endpoint: fine
  }
}

/** Whether the table exists (without creating it). */
export async function tableExists(client: DynamoDBClient, tableName: string): Promise<boolean> {
  return waitActive(client, tableName, 30_000);
}
