/**
 * A loopback HTTP server speaking an AWS JSON protocol (`X-Amz-Target: <prefix>.<Operation>`, JSON body), the
 * wire protocol the AWS SDK v3 clients for SQS (awsJson1_0, `AmazonSQS.*`) and Secrets Manager (awsJson1_1,
 * `secretsmanager.*`) use. Requests are not signature-checked; each is recorded.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface AwsRequest {
  operation: string;
  input: Record<string, unknown>;
}

export type Operations = Record<string, (input: Record<string, unknown>) => unknown>;

export interface AwsJsonServer {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  requests: AwsRequest[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startAwsJsonServer(opts: { targetPrefix: string; contentType: string; operations: Operations }): Promise<AwsJsonServer> {
  const requests: AwsRequest[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const target = String(req.headers["x-amz-target"] ?? "");
      const raw = await readBody(req);
      const send = (status: number, body: unknown) => res.writeHead(status, { "content-type": opts.contentType }).end(JSON.stringify(body));
      const operation = target.startsWith(`${opts.targetPrefix}.`) ? target.slice(opts.targetPrefix.length + 1) : "";
      const handler = Object.hasOwn(opts.operations, operation) ? opts.operations[operation] : undefined;
      if (req.method !== "POST" || !handler) return send(400, { __type: "UnknownOperationException", message: `unsupported: ${req.method} ${target || "(no X-Amz-Target)"}` });
      let input: Record<string, unknown>;
      try {
        input = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        return send(400, { __type: "SerializationException", message: "the body is not JSON" });
      }
      requests.push({ operation, input });
      try {
        send(200, handler(input));
      } catch (err) {
        if (err instanceof AwsError) return send(err.status, { __type: err.type, message: err.message });
        send(500, { __type: "InternalFailure", message: err instanceof Error ? err.message : String(err) });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
