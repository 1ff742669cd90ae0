/** Lambda events as AWS delivers them: API Gateway HTTP API (payload format 2.0) requests, signed like GitHub's. */
import { sign } from "@octokit/webhooks-methods";
import { randomUUID } from "node:crypto";
import type { HttpApiEvent } from "../../src/lambda/http-event.js";

/** An HTTP API v2 event for `POST /api/github/webhooks` (API Gateway lower-cases header names). */
export function httpApiEvent(opts: { body: string | null; headers?: Record<string, string>; base64?: boolean; method?: string }): HttpApiEvent & Record<string, unknown> {
  const method = opts.method ?? "POST";
  const now = Date.now();
  const requestContext = {
    accountId: "000000000000",
    apiId: "abc123",
    domainName: "abc123.execute-api.us-east-1.amazonaws.com",
    domainPrefix: "abc123",
    http: { method, path: "/api/github/webhooks", protocol: "HTTP/1.1", sourceIp: "140.82.115.1", userAgent: "GitHub-Hookshot/abc123" },
    requestId: randomUUID(),
    routeKey: `${method} /api/github/webhooks`,
    stage: "$default",
    time: new Date(now).toUTCString(),
    timeEpoch: now,
  };
  return {
    version: "2.0",
    routeKey: `${method} /api/github/webhooks`,
    rawPath: "/api/github/webhooks",
    rawQueryString: "",
    headers: { "content-type": "application/json", "user-agent": "GitHub-Hookshot/abc123", host: "abc123.execute-api.us-east-1.amazonaws.com", ...opts.headers },
    requestContext,
    isBase64Encoded: opts.base64 ?? false,
    body: opts.body === null ? null : opts.base64 ? Buffer.from(opts.body, "utf8").toString("base64") : opts.body,
  };
}

export interface SignOptions {
  secret: string;
  delivery?: string;
  /** A signature to send instead of the right one; null sends none. */
  signature?: string | null;
  base64?: boolean;
}

/** A GitHub delivery of `payload` as `event`, signed with `secret` (X-Hub-Signature-256). */
export async function webhookEvent(event: string, payload: unknown, opts: SignOptions): Promise<HttpApiEvent & Record<string, unknown>> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = { "x-github-event": event, "x-github-delivery": opts.delivery ?? randomUUID(), "x-github-hook-id": "1" };
  const signature = opts.signature === undefined ? await sign(opts.secret, body) : opts.signature;
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  return httpApiEvent({ body, headers, base64: opts.base64 });
}
