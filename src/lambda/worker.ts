/**
 * The `worker` Lambda function (SQS trigger): runs the same Probot app as `npm start` on each queued webhook
 * delivery. Probot, the app and the clients are created once per container. The answer is
 * `{ batchItemFailures }`, so SQS retries only the records that failed; a record that is not a gitops-guard
 * message at all is logged and dropped (it could never succeed).
 *
 * Deduplication is the app's own (`DELIVERY#<id>` claims), made leases by LeasedDeliveryStore: a duplicate
 * message changes nothing, an attempt that failed (the app forgets its claim) or died (its lease runs out at
 * the invocation's deadline) runs again when SQS redelivers the message.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { AsyncLocalStorage } from "node:async_hooks";
import type { Logger } from "pino";
import { createProbot, type Probot, type ProbotOctokit } from "probot";
import { withOptions, type GuardAppOptions } from "../app/index.js";
import { GuardOctokit } from "../app/octokit.js";
import { LeasedDeliveryStore, type LeaseScope } from "../store/delivery-lease.js";
import { ensureTable } from "../store/table.js";
import { readAppSecret, type AppCredentials } from "./app-secret.js";
import { dynamoClient, secretsClient } from "./aws-clients.js";
import { lambdaLogger } from "./log.js";
import { oncePerContainer } from "./once-per-container.js";
import { decodeMessage, type QueueMessage } from "./queue-message.js";
import { readSettings } from "./settings.js";
import { rebuildPayload, type ApiGet } from "./slim-event.js";

export interface SqsRecord {
  messageId: string;
  body: string;
  attributes?: { ApproximateReceiveCount?: string };
}

export interface SqsEvent {
  Records?: SqsRecord[];
}

/** The part of Lambda's context object the worker uses. */
export interface LambdaContext {
  getRemainingTimeInMillis?: () => number;
}

export interface BatchResponse {
  batchItemFailures: Array<{ itemIdentifier: string }>;
}

export type WorkerHandler = (event: SqsEvent, context?: LambdaContext) => Promise<BatchResponse>;

/** What one container keeps between invocations. */
export interface Worker {
  probot: Probot;
  store: LeasedDeliveryStore;
  log: Logger;
}

export interface WorkerOptions {
  credentials: AppCredentials;
  dynamo: DynamoDBClient;
  tableName: string;
  log: Logger;
  gheHost?: string;
  gheProtocol?: string;
  /** An Octokit class for Probot (default GuardOctokit; tests turn throttling off). */
  Octokit?: typeof ProbotOctokit;
  /** More app options (tests). */
  app?: Omit<GuardAppOptions, "store">;
}

/** Without a Lambda context, claims are leased for the longest a Lambda function can run. */
const MAX_INVOCATION_MS = 15 * 60 * 1000;

const scopes = new AsyncLocalStorage<LeaseScope>();

/** Probot with the app loaded, on the decision store whose delivery claims are leases. */
export async function loadWorker(opts: WorkerOptions): Promise<Worker> {
  const store = new LeasedDeliveryStore(opts.dynamo, { tableName: opts.tableName, scope: () => scopes.getStore() });
  const probot = createProbot({
    // Only what points Probot at an API: credentials never come from environment variables here.
    env: { ...(opts.gheHost ? { GHE_HOST: opts.gheHost } : {}), ...(opts.gheProtocol ? { GHE_PROTOCOL: opts.gheProtocol } : {}) },
    overrides: {
      appId: opts.credentials.appId,
      privateKey: opts.credentials.privateKey,
      secret: opts.credentials.webhookSecret,
      log: opts.log,
      Octokit: opts.Octokit ?? GuardOctokit,
    },
  });
  await probot.load(withOptions({ ...opts.app, store }));
  return { probot, store, log: opts.log };
}

async function payloadOf(worker: Worker, message: QueueMessage): Promise<Record<string, unknown>> {
  if ("payload" in message) return message.payload;
  const octokit = await worker.probot.auth(message.slim.installationId);
  const get: ApiGet = (route, params) => octokit.request(route, params);
  return rebuildPayload(message.name, message.slim, get);
}

/** Handles one record; false when SQS should deliver it again. */
async function handleRecord(worker: Worker, record: SqsRecord, untilMs: number): Promise<boolean> {
  const { log } = worker;
  const decoded = decodeMessage(record.body);
  if ("error" in decoded) {
    log.error({ messageId: record.messageId, reason: decoded.error }, "gitops-guard: dropped a queue record that is not a webhook delivery");
    return true;
  }
  const { id, name } = decoded.message;
  const attempt = Number(record.attributes?.ApproximateReceiveCount ?? "1");
  const scope: LeaseScope = { untilMs, claimed: new Map(), forgotten: new Set() };
  try {
    await scopes.run(scope, async () => {
      const payload = await payloadOf(worker, decoded.message);
      await worker.probot.receive({ id, name, payload } as unknown as Parameters<Probot["receive"]>[0]);
    });
  } catch (err) {
    log.error({ err, delivery: id, event: name, attempt }, "gitops-guard: the delivery failed; SQS will deliver it again");
    return false;
  }
  if (scope.forgotten.size > 0) {
    log.warn({ delivery: id, event: name, attempt }, "gitops-guard: the review failed; SQS will deliver it again");
    return false;
  }
  for (const [delivery, token] of scope.claimed) {
    try {
      await worker.store.completeDelivery(delivery, token);
    } catch (err) {
      // The lease then lapses at the deadline; a later duplicate would run the event again. Worth a warning only.
      log.warn({ err, delivery }, "gitops-guard: could not mark the delivery complete");
    }
  }
  return true;
}

/** The handler, given how to get the container's worker (created on the first invocation). */
export function createWorkerHandler(worker: () => Promise<Worker>): WorkerHandler {
  return async (event, context) => {
    const w = await worker();
    const remaining = context?.getRemainingTimeInMillis?.();
    const untilMs = Date.now() + (typeof remaining === "number" && remaining > 0 ? remaining : MAX_INVOCATION_MS);
    const batchItemFailures: BatchResponse["batchItemFailures"] = [];
    // One record at a time: a review can use hundreds of MB, and the app serialises work per PR in process.
    for (const record of event.Records ?? []) {
      if (!(await handleRecord(w, record, untilMs))) batchItemFailures.push({ itemIdentifier: record.messageId });
    }
    return { batchItemFailures };
  };
}

/** The worker from the environment: TABLE_NAME, APP_SECRET_ID, GHE_HOST/GHE_PROTOCOL, LOG_LEVEL (and the AWS SDK's own). */
export async function workerFromEnvironment(env: NodeJS.ProcessEnv = process.env): Promise<Worker> {
  const settings = readSettings(env, ["TABLE_NAME", "APP_SECRET_ID"]);
  const log = lambdaLogger("worker", settings.logLevel);
  try {
    const dynamo = dynamoClient(env);
    const [credentials] = await Promise.all([
      readAppSecret(secretsClient(env), settings.appSecretId),
      settings.dynamoEndpoint ? ensureTable(dynamo, settings.tableName) : Promise.resolve(),
    ]);
    return await loadWorker({ credentials, dynamo, tableName: settings.tableName, log, gheHost: settings.gheHost, gheProtocol: settings.gheProtocol });
  } catch (err) {
    log.error({ err }, "gitops-guard: the worker function cannot start");
    throw err;
  }
}

/** The Lambda entry point (`dist/bundle/worker.handler`). Probot and the app are created once per container. */
export const handler: WorkerHandler = createWorkerHandler(oncePerContainer(() => workerFromEnvironment()));
