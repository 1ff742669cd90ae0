/**
 * The review queue's message: one per webhook delivery, JSON
 * `{"v":1,"id":"<X-GitHub-Delivery>","name":"<X-GitHub-Event>","payload":{…}}`, or, for a payload too large
 * for SQS, `{"v":1,"id","name","slim":{…}}` (see slim-event.ts).
 */
import * as z from "zod/mini";
import { SlimEventSchema, slimEvent, type SlimEvent } from "./slim-event.js";

/** SQS's message size limit (the queue's MaximumMessageSize is set to it in infra/queue.yml). */
export const MAX_MESSAGE_BYTES = 256 * 1024;

const Id = z.string().check(z.minLength(1), z.maxLength(256));
const EventName = z.string().check(z.regex(/^[a-z_]{1,64}$/));
const MessageSchema = z.union([
  z.strictObject({ v: z.literal(1), id: Id, name: EventName, payload: z.record(z.string(), z.unknown()) }),
  z.strictObject({ v: z.literal(1), id: Id, name: EventName, slim: SlimEventSchema }),
]);

export type QueueMessage = z.infer<typeof MessageSchema>;

export type Encoded = { body: string; slim: SlimEvent | null } | { tooLarge: true };

/** The message body for a delivery: the whole payload when it fits, else its slim form (when the event has one). */
export function encodeMessage(id: string, name: string, payload: Record<string, unknown>, maxBytes = MAX_MESSAGE_BYTES): Encoded {
  const full = JSON.stringify({ v: 1, id, name, payload });
  if (Buffer.byteLength(full, "utf8") <= maxBytes) return { body: full, slim: null };
  const slim = slimEvent(name, payload);
  if (!slim) return { tooLarge: true };
  return { body: JSON.stringify({ v: 1, id, name, slim }), slim };
}

/** The message in an SQS record's body, or why it is not one (such a record can never succeed). */
export function decodeMessage(body: string): { message: QueueMessage } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { error: "the body is not JSON" };
  }
  const parsed = MessageSchema.safeParse(json);
  if (!parsed.success) return { error: `not a gitops-guard webhook message (${parsed.error.issues.map((i) => i.path.join(".") || i.code).join(", ")})` };
  return { message: parsed.data };
}
