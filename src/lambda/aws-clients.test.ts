import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startFakeSqs, type FakeSqs } from "../../test/fakes/aws/sqs.js";
import { sqsClient } from "./aws-clients.js";

let sqs: FakeSqs;
const saved = { ...process.env };

beforeAll(async () => {
  sqs = await startFakeSqs();
});

afterAll(async () => {
  process.env = saved;
  await sqs.close();
});

describe("AWS clients", () => {
  it("honour AWS_ENDPOINT_URL_SQS even for a queue URL on AWS's host, with dummy credentials for a loopback endpoint", async () => {
    const env: NodeJS.ProcessEnv = { AWS_ENDPOINT_URL_SQS: sqs.endpoint };
    // The SDK reads the endpoint variable from the process environment itself.
    process.env = { PATH: saved.PATH, AWS_ENDPOINT_URL_SQS: sqs.endpoint, AWS_REGION: "eu-west-1" };
    sqs.omitMd5 = true;
    const client = sqsClient(env);
    try {
      const out = await client.send(new SendMessageCommand({ QueueUrl: "https://sqs.eu-west-1.amazonaws.com/000000000000/reviews", MessageBody: "hello" }));
      expect(out.MessageId).toBe(sqs.messages[0].messageId);
      expect(sqs.messages.map((m) => [m.queueUrl, m.body])).toEqual([["https://sqs.eu-west-1.amazonaws.com/000000000000/reviews", "hello"]]);
    } finally {
      client.destroy();
      sqs.omitMd5 = false;
      process.env = saved;
    }
  });
});
