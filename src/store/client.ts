import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { StoreError } from "./types.js";

/**
 * Bounded waits on the store. The SDK's default is no timeout at all, so an endpoint that accepts connections but
 * never answers held every event (delivery claim, waivers, record) forever: no check run, or one left in progress.
 * Each of the SDK's attempts gives up after these. DynamoDB answers in milliseconds; the margin is for the embedded
 * store, which shares the event loop with every review in flight (200 at once delayed its answers past 3 s).
 */
export const STORE_HTTP_TIMEOUTS = { connectionTimeout: 3_000, requestTimeout: 10_000, throwOnRequestTimeout: true } as const;

/** What the SDK and its HTTP handler put before the reason itself. */
const PREFIXES = /^(?:AWS SDK error wrapper for (?:\w*Error: )?|@smithy\/[\w-]+ - \[\w+\] )+/;

/** The store could not be talked to at all; `detail` is the transport's reason (e.g. `connect ECONNREFUSED …`). */
export class StoreUnreachableError extends StoreError {
  override name = "StoreUnreachableError";

  constructor(
    readonly detail: string,
    override readonly cause: Error,
  ) {
    super(`cannot reach the decision store (DynamoDB): ${detail}`);
  }
}

/**
 * A failure to talk to the store at all (no HTTP answer: refused, reset, timed out, unknown host), as an error that
 * says so; null for anything else (DynamoDB's own answers, such as a failed condition, pass unchanged).
 */
export function unreachableStoreError(error: unknown): StoreUnreachableError | null {
  if (!(error instanceof Error) || error instanceof StoreError) return null;
  const metadata = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
  if (metadata?.httpStatusCode !== undefined) return null;
  const transport = metadata !== undefined || error.name === "TimeoutError" || typeof (error as { code?: unknown }).code === "string";
  if (!transport) return null;
  return new StoreUnreachableError(error.message.replace(PREFIXES, "").split("\n")[0]!.trim() || error.name, error);
}

/** A DynamoDB client for the decision store: bounded waits, and an unreachable store named as such in errors. */
export function storeClient(config: DynamoDBClientConfig): DynamoDBClient {
  const client = new DynamoDBClient({ ...config, requestHandler: STORE_HTTP_TIMEOUTS });
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        throw unreachableStoreError(error) ?? error;
      }
    },
    { step: "initialize", name: "gitopsGuardUnreachableStore" },
  );
  return client;
}
