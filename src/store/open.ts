import type { DynamoDBClient, DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { storeClient, StoreUnreachableError } from "./client.js";
import { DynamoDecisionStore } from "./dynamo-store.js";
import { DEFAULT_TABLE_NAME, ensureTable, tableExists } from "./table.js";
import { StoreError, type DecisionStore } from "./types.js";
import { hasAwsCredentials, isLoopback } from "../aws/environment.js";

export { hasAwsCredentials, isLoopback };

export type StoreMode = "endpoint" | "embedded" | "aws";

export interface OpenStoreOptions {
  /** Base of the embedded store's data directory (default: process.cwd()). */
  cwd?: string;
  /** Embedded data directory, relative to `cwd` (default `.gitops-guard`). */
  dataDir?: string;
  /**
   * For readers such as `gitops-guard decisions`: never create anything. A missing embedded store or
   * table is a StoreError with code `empty`.
   */
  readOnly?: boolean;
}

export interface OpenedStore extends DecisionStore {
  readonly mode: StoreMode;
  /** The endpoint in use (null for AWS's own). */
  readonly endpoint: string | null;
  readonly tableName: string;
}


function set(v: string | undefined): v is string {
  return v !== undefined && v.trim() !== "";
}

/** Which store the environment asks for: an explicit endpoint, AWS itself, or the embedded store. */
export function storeMode(env: NodeJS.ProcessEnv): StoreMode {
  if (set(env.AWS_ENDPOINT_URL_DYNAMODB)) return "endpoint";
  return hasAwsCredentials(env) ? "aws" : "embedded";
}

const DUMMY_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

/** Credentials named in `env` itself (so a caller's env object wins over process.env). */
function envCredentials(env: NodeJS.ProcessEnv): DynamoDBClientConfig["credentials"] | undefined {
  if (!set(env.AWS_ACCESS_KEY_ID) || !set(env.AWS_SECRET_ACCESS_KEY)) return undefined;
  return { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN || undefined };
}

function region(env: NodeJS.ProcessEnv): string | undefined {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
}

function tableNameOf(env: NodeJS.ProcessEnv): string {
  const name = set(env.TABLE_NAME) ? env.TABLE_NAME.trim() : DEFAULT_TABLE_NAME;
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(name)) throw new StoreError(`TABLE_NAME "${name}" is not a valid DynamoDB table name`);
  return name;
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error && cause.message ? `${err.message} (${cause.message})` : err.message || err.name;
}

async function prepare(client: DynamoDBClient, table: string, where: string, opts: OpenStoreOptions): Promise<void> {
  try {
    if (opts.readOnly) {
      if (!(await tableExists(client, table))) throw new StoreError(`no table ${table} at ${where}: nothing has been recorded there`, "empty");
    } else await ensureTable(client, table);
  } catch (err) {
    if (err instanceof StoreError && !(err instanceof StoreUnreachableError)) throw err;
    throw new StoreError(`cannot reach the DynamoDB store at ${where}: ${err instanceof StoreUnreachableError ? err.detail : describeError(err)}`);
  }
}

/**
 * Opens the decision store the environment describes:
 * - `AWS_ENDPOINT_URL_DYNAMODB` set: that endpoint (dummy credentials for a loopback endpoint when none
 *   are set), creating the table when it is missing;
 * - no endpoint and no AWS credentials: the embedded store (dynalite in this process, data under
 *   `.gitops-guard/`), table created on first use;
 * - otherwise the real table `TABLE_NAME` (created by infrastructure, never here).
 */
export async function openStore(env: NodeJS.ProcessEnv = process.env, opts: OpenStoreOptions = {}): Promise<OpenedStore> {
  const tableName = tableNameOf(env);
  const mode = storeMode(env);

  if (mode === "aws") {
    const client = storeClient({ region: region(env), credentials: envCredentials(env) });
    return Object.assign(new DynamoDecisionStore(client, { tableName }), { mode, endpoint: null });
  }

  if (mode === "endpoint") {
    const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB!.trim();
    try {
      new URL(endpoint);
    } catch {
      throw new StoreError(`AWS_ENDPOINT_URL_DYNAMODB "${endpoint}" is not a URL`);
    }
    const credentials = envCredentials(env) ?? (isLoopback(endpoint) || !hasAwsCredentials(env) ? DUMMY_CREDENTIALS : undefined);
    const client = storeClient({ endpoint, region: region(env) ?? "us-east-1", credentials });
    try {
      await prepare(client, tableName, endpoint, opts);
    } catch (err) {
      client.destroy();
      throw err;
    }
    return Object.assign(new DynamoDecisionStore(client, { tableName }), { mode, endpoint });
  }

  const { embeddedDir, openEmbedded } = await import("./embedded.js");
  const dir = embeddedDir(opts.cwd ?? process.cwd(), opts.dataDir);
  if (opts.readOnly && !existsSync(join(dir, "dynalite"))) throw new StoreError(`no embedded store in ${dir}: nothing has been recorded there`, "empty");
  let embedded: Awaited<ReturnType<typeof openEmbedded>>;
  try {
    embedded = await openEmbedded(dir);
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw new StoreError(`cannot start the embedded store in ${dir}: ${describeError(err)}`);
  }
  const client = storeClient({ endpoint: embedded.endpoint, region: "us-east-1", credentials: DUMMY_CREDENTIALS });
  try {
    await prepare(client, tableName, `${embedded.endpoint} (embedded store in ${dir})`, opts);
  } catch (err) {
    client.destroy();
    await embedded.release();
    throw err;
  }
  return Object.assign(new DynamoDecisionStore(client, { tableName, onClose: () => embedded.release() }), { mode, endpoint: embedded.endpoint });
}
