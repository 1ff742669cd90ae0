import { describe, expect, it } from "@jest/globals";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { createServer } from "node:net";
import { storeClient, StoreUnreachableError, unreachableStoreError } from "./client.js";
import { StoreError } from "./types.js";

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("unreachableStoreError", () => {
  it("names a transport failure (no HTTP answer) without the SDK's wrapping", () => {
    const refused = Object.assign(new Error("AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:9"), { $metadata: { attempts: 3 } });
    const timedOut = Object.assign(new Error("@smithy/node-http-handler - [ERROR] a request has exceeded the configured 3000 ms requestTimeout."), { name: "TimeoutError" });
    expect(unreachableStoreError(refused)).toMatchObject({ name: "StoreUnreachableError", detail: "connect ECONNREFUSED 127.0.0.1:9", message: "cannot reach the decision store (DynamoDB): connect ECONNREFUSED 127.0.0.1:9" });
    expect(unreachableStoreError(timedOut)?.detail).toBe("a request has exceeded the configured 3000 ms requestTimeout.");
    expect(unreachableStoreError(refused)).toBeInstanceOf(StoreError);
  });

  it("leaves DynamoDB's own answers and other errors alone", () => {
    const conditional = Object.assign(new Error("The conditional request failed"), { name: "ConditionalCheckFailedException", $metadata: { httpStatusCode: 400 } });
    expect(unreachableStoreError(conditional)).toBeNull();
    expect(unreachableStoreError(new StoreError("invalid delivery id"))).toBeNull();
    expect(unreachableStoreError(new TypeError("x is not a function"))).toBeNull();
    expect(unreachableStoreError("a string")).toBeNull();
  });
});

describe("storeClient", () => {
  it("a store that cannot be reached fails with StoreUnreachableError, not the SDK's wrapper", async () => {
    const client = storeClient({ endpoint: `http://127.0.0.1:${await closedPort()}`, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" }, maxAttempts: 1 });
    try {
      const err = await client.send(new DescribeTableCommand({ TableName: "t" })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreUnreachableError);
      expect((err as StoreUnreachableError).message).toMatch(/^cannot reach the decision store \(DynamoDB\): connect ECONN(REFUSED|RESET) 127\.0\.0\.1:\d+$/);
    } finally {
      client.destroy();
    }
  });
});
