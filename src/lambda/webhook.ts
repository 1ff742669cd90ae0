/**
 * The `webhook` Lambda function (HTTP API, payload format 2.0, `POST /api/github/webhooks`): verifies the
 * delivery's HMAC-SHA256 signature, claims its id, sends one message to the review queue and answers 202.
 * It makes no GitHub call, so it answers well within GitHub's 10-second webhook timeout; the `worker`
 * function does the review.
 */
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { verify } from "@octokit/webhooks-methods";
import type { Logger } from "pino";
import { QueuedDeliveries } from "../store/queued-deliveries.js";
import { ensureTable } from "../store/table.js";
import { readAppSecret } from "./app-secret.js";
import { dynamoClient, secretsClient, sqsClient } from "./aws-clients.js";
import { MAX_WEBHOOK_BYTES, bodyBytes, decodeBody, lowerCaseHeaders, reply, type HttpApiEvent, type HttpApiResult } from "./http-event.js";
import { lambdaLogger } from "./log.js";
import { oncePerContainer } from "./once-per-container.js";
import { encodeMessage } from "./queue-message.js";
import { readSettings } from "./settings.js";

export interface WebhookDeps {
  /** The App's webhook secret (read once per container). */
  webhookSecret: string;
  /** "Queued" claims (`QUEUED#<id>`), so a redelivery is not queued twice. */
  queued: Pick<QueuedDeliveries, "claim" | "release">;
  /** Sends one message body to the review queue. */
  enqueue: (body: string) => Promise<void>;
  log: Pick<Logger, "info" | "warn" | "error">;
  /** Largest message body the queue takes (tests lower it). */
  maxMessageBytes?: number;
}

export type WebhookHandler = (event: HttpApiEvent) => Promise<HttpApiResult>;

async function signatureIsValid(secret: string, body: string, signature: string): Promise<boolean> {
  try {
    return await verify(secret, body, signature);
  } catch {
    return false; // an empty body, or a signature verify() cannot read
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The handler, given how to get its dependencies (once per container, after the size check). */
export function createWebhookHandler(deps: () => Promise<WebhookDeps>): WebhookHandler {
  return async (event) => {
    // Before anything else: never decode, verify or store an oversized body.
    if (bodyBytes(event) > MAX_WEBHOOK_BYTES) return reply(413, { error: "payload too large (GitHub webhooks are at most 25 MB)" });
    const method = event.requestContext?.http?.method;
    if (method && method.toUpperCase() !== "POST") return reply(405, { error: "use POST" });
    const { webhookSecret, queued, enqueue, log, maxMessageBytes } = await deps();

    const headers = lowerCaseHeaders(event.headers);
    const signature = headers["x-hub-signature-256"];
    const body = decodeBody(event);
    if (!signature || !(await signatureIsValid(webhookSecret, body, signature))) {
      const reason = signature ? "signature does not match" : "missing X-Hub-Signature-256";
      log.warn({ delivery: headers["x-github-delivery"], event: headers["x-github-event"], reason }, "gitops-guard: webhook refused (401)");
      return reply(401, { error: reason });
    }

    const id = headers["x-github-delivery"];
    const name = headers["x-github-event"];
    if (!id || id.length > 256 || !name) return reply(400, { error: "missing X-GitHub-Delivery or X-GitHub-Event" });
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      return reply(400, { error: "the body is not JSON" });
    }
    if (!isObject(payload)) return reply(400, { error: "the body is not a JSON object" });

    const encoded = encodeMessage(id, name, payload, maxMessageBytes);
    if ("tooLarge" in encoded) {
      log.warn({ delivery: id, event: name, bytes: body.length }, "gitops-guard: payload too large for the queue, and this event cannot be re-read from the API; not queued");
      return reply(202, { queued: false, reason: "too large to queue, and this event cannot be re-read from the GitHub API" });
    }

    let claimed = false;
    try {
      if (!(await queued.claim(id, name))) {
        log.info({ delivery: id, event: name }, "gitops-guard: delivery already queued; not queued again");
        return reply(202, { queued: false, reason: "delivery already queued" });
      }
      claimed = true;
    } catch (err) {
      // The table is unreachable: queue anyway (the worker's app dedupes deliveries too) rather than drop a review.
      log.warn({ err, delivery: id }, "gitops-guard: could not claim the delivery; queueing it anyway");
    }

    try {
      await enqueue(encoded.body);
    } catch (err) {
      if (claimed) await queued.release(id).catch((e: unknown) => log.warn({ err: e, delivery: id }, "gitops-guard: could not release the claim"));
      log.error({ err, delivery: id, event: name }, "gitops-guard: could not queue the delivery; GitHub's redelivery will be queued");
      throw err;
    }
    log.info({ delivery: id, event: name, action: payload.action, slim: encoded.slim !== null }, "gitops-guard: delivery queued");
    return reply(202, { queued: true, ...(encoded.slim ? { slim: true } : {}) });
  };
}

/** Dependencies from the environment: QUEUE_URL, TABLE_NAME, APP_SECRET_ID, LOG_LEVEL (and the AWS SDK's own). */
export async function webhookDepsFromEnvironment(env: NodeJS.ProcessEnv = process.env): Promise<WebhookDeps> {
  const settings = readSettings(env, ["QUEUE_URL", "TABLE_NAME", "APP_SECRET_ID"]);
  const log = lambdaLogger("webhook", settings.logLevel);
  try {
    const dynamo = dynamoClient(env);
    const sqs = sqsClient(env);
    const [credentials] = await Promise.all([
      readAppSecret(secretsClient(env), settings.appSecretId),
      // A local endpoint (tests, trials) may not have the table yet; in AWS it comes from infrastructure.
      settings.dynamoEndpoint ? ensureTable(dynamo, settings.tableName) : Promise.resolve(),
    ]);
    return {
      webhookSecret: credentials.webhookSecret,
      queued: new QueuedDeliveries(dynamo, settings.tableName),
      enqueue: async (body) => {
        await sqs.send(new SendMessageCommand({ QueueUrl: settings.queueUrl, MessageBody: body }));
      },
      log,
    };
  } catch (err) {
    log.error({ err }, "gitops-guard: the webhook function cannot start");
    throw err;
  }
}

/** The Lambda entry point (`dist/bundle/webhook.handler`). Clients and the secret are set up once per container. */
export const handler: WebhookHandler = createWebhookHandler(oncePerContainer(() => webhookDepsFromEnvironment()));
