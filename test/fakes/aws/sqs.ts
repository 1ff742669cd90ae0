/**
 * A fake Amazon SQS on loopback, over the wire protocol @aws-sdk/client-sqs speaks (AWS JSON 1.0,
 * `X-Amz-Target: AmazonSQS.SendMessage`, …). Point the SDK at it with `AWS_ENDPOINT_URL_SQS`.
 */
import { createHash, randomUUID } from "node:crypto";
import { AwsError, startAwsJsonServer, type AwsJsonServer } from "./aws-json-server.js";

export interface FakeMessage {
  queueUrl: string;
  messageId: string;
  body: string;
  receiptHandle: string;
  receiveCount: number;
}

export interface FakeSqs extends AwsJsonServer {
  /** Every message sent, in order (received ones too). */
  messages: FakeMessage[];
  /** A queue URL on this server for a queue name. */
  queueUrl(name: string): string;
  /** The next `n` SendMessage calls fail with a 500 (to test the webhook's failure path). */
  failNext(n?: number): void;
  /** Answer SendMessage without MD5OfMessageBody, as some local stand-ins for SQS do. */
  omitMd5: boolean;
  /** The SQS event Lambda would give the worker for these messages (ApproximateReceiveCount included). */
  lambdaEvent(messages: FakeMessage[]): { Records: Array<Record<string, unknown>> };
}

const MAX_BYTES = 256 * 1024;

export async function startFakeSqs(): Promise<FakeSqs> {
  const messages: FakeMessage[] = [];
  let failures = 0;
  const server = await startAwsJsonServer({
    targetPrefix: "AmazonSQS",
    contentType: "application/x-amz-json-1.0",
    operations: {
      SendMessage(input) {
        const queueUrl = String(input.QueueUrl ?? "");
        const body = input.MessageBody;
        if (!queueUrl) throw new AwsError("com.amazonaws.sqs#QueueDoesNotExist", "The specified queue does not exist.");
        if (typeof body !== "string" || body.length === 0) throw new AwsError("com.amazonaws.sqs#InvalidParameterValue", "The request must contain the parameter MessageBody.");
        if (Buffer.byteLength(body, "utf8") > MAX_BYTES) throw new AwsError("com.amazonaws.sqs#InvalidParameterValue", `One or more parameters are invalid. Reason: Message must be shorter than ${MAX_BYTES} bytes.`);
        if (failures > 0) {
          failures--;
          throw new AwsError("com.amazonaws.sqs#InternalError", "We encountered an internal error. Please try again.", 500);
        }
        const m: FakeMessage = { queueUrl, messageId: randomUUID(), body, receiptHandle: randomUUID(), receiveCount: 0 };
        messages.push(m);
        // The SDK checks MD5OfMessageBody against the body it sent.
        return fake.omitMd5 ? { MessageId: m.messageId } : { MessageId: m.messageId, MD5OfMessageBody: createHash("md5").update(body, "utf8").digest("hex") };
      },
      GetQueueUrl(input) {
        return { QueueUrl: `${server.endpoint}/000000000000/${String(input.QueueName)}` };
      },
    },
  });
  const fake: FakeSqs = {
    ...server,
    omitMd5: false,
    messages,
    queueUrl: (name) => `${server.endpoint}/000000000000/${name}`,
    failNext(n = 1) {
      failures += n;
    },
    lambdaEvent(batch) {
      return {
        Records: batch.map((m) => {
          m.receiveCount++;
          return {
            messageId: m.messageId,
            receiptHandle: m.receiptHandle,
            body: m.body,
            attributes: { ApproximateReceiveCount: String(m.receiveCount), SentTimestamp: String(Date.now()), ApproximateFirstReceiveTimestamp: String(Date.now()) },
            messageAttributes: {},
            md5OfBody: createHash("md5").update(m.body, "utf8").digest("hex"),
            eventSource: "aws:sqs",
            eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:gitops-guard-test-reviews",
            awsRegion: "us-east-1",
          };
        }),
      };
    },
  };
  return fake;
}
