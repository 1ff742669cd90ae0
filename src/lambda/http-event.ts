/** The parts of API Gateway HTTP API events (payload format 2.0) and results that the webhook function uses. */

export interface HttpApiEvent {
  version?: string;
  rawPath?: string;
  headers?: Record<string, string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
  requestContext?: { http?: { method?: string; path?: string }; requestId?: string };
}

export interface HttpApiResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** GitHub's largest webhook payload; anything larger is refused before it is decoded or verified. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

/** Header names lower-cased (HTTP API does this already; other callers may not). */
export function lowerCaseHeaders(headers: HttpApiEvent["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (typeof v === "string") out[k.toLowerCase()] = v;
  return out;
}

/** Size of the decoded body in bytes, computed without decoding it. */
export function bodyBytes(event: HttpApiEvent): number {
  const body = event.body ?? "";
  if (!event.isBase64Encoded) return Buffer.byteLength(body, "utf8");
  const padding = body.endsWith("==") ? 2 : body.endsWith("=") ? 1 : 0;
  return Math.floor((body.length * 3) / 4) - padding;
}

/** The raw body as GitHub sent it (what the signature covers). */
export function decodeBody(event: HttpApiEvent): string {
  const body = event.body ?? "";
  return event.isBase64Encoded ? Buffer.from(body, "base64").toString("utf8") : body;
}

export function reply(statusCode: number, body: Record<string, unknown>): HttpApiResult {
  return { statusCode, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}
