import type { IncomingMessage, ServerResponse } from "node:http";

/** GitHub caps webhook payloads at 25 MB; nothing larger is ever read. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

const JSON_CONTENT_TYPE = /^\s*application\/json\s*(?:;|$)/i;

export interface WebhookEvent {
  id: string;
  name: string;
  payload: unknown;
}

export interface IntakeDeps {
  /** True when `signature` (`sha256=…`) is the HMAC of `body` with the webhook secret. */
  verify(body: string, signature: string): Promise<boolean>;
  /** Runs the App's handlers for a verified event (Probot's `receive`). */
  receive(event: WebhookEvent): Promise<void>;
  log: { error(obj: object, msg: string): void };
  maxBytes?: number;
}

type Body = { ok: true; body: Buffer } | { ok: false; reason: "too-large" | "aborted" };

/**
 * Reads a request body, never more than `max` bytes: a `content-length` over it is refused before any byte is
 * read, and a body without one (chunked) is counted as it streams and dropped the moment it goes over.
 */
function readBody(req: IncomingMessage, max: number): Promise<Body> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > max) return Promise.resolve({ ok: false, reason: "too-large" });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: Body): void => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onAbort);
      req.off("close", onAbort);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > max) {
        chunks.length = 0;
        req.pause();
        finish({ ok: false, reason: "too-large" });
      } else chunks.push(chunk);
    };
    const onEnd = (): void => finish({ ok: true, body: Buffer.concat(chunks, size) });
    const onAbort = (): void => finish({ ok: false, reason: "aborted" });
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onAbort);
    req.on("close", onAbort);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** How long a refused request's connection stays open for the client to read the answer. */
const LINGER_MS = 2_000;

/**
 * Answers a request that is refused. A body not read by then is never read: the request stays paused, the answer
 * goes out with our end of the connection closed after it (FIN), and the connection is dropped a moment later.
 * Not at once (Node's own handling of `Connection: close`): dropping a connection with unread data in it resets
 * it, and the client can lose the answer with the reset.
 */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, error: string): void {
  const unread = !req.complete;
  if (unread) {
    req.pause();
    res.shouldKeepAlive = true; // keeps Node from destroying the socket as soon as the answer is written
  }
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ error }));
  if (unread) {
    res.once("finish", () => {
      req.socket?.end();
      setTimeout(() => req.destroy(), LINGER_MS).unref();
    });
  }
}

/**
 * The webhook endpoint of `npm start`, in front of Probot: a body is read only up to GitHub's 25 MB cap, its
 * `X-Hub-Signature-256` is checked before it is parsed, and a verified event is acknowledged (202) before any
 * handler runs — the review happens after the answer, never on the request path (GitHub gives up after 10 s).
 * Handlers' failures are logged. `drain` waits for the events still being handled (graceful shutdown).
 */
export class WebhookIntake {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly maxBytes: number;

  constructor(private readonly deps: IntakeDeps) {
    this.maxBytes = deps.maxBytes ?? MAX_WEBHOOK_BYTES;
  }

  /** Events acknowledged whose handlers have not finished. */
  get pending(): number {
    return this.inFlight.size;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const contentType = header(req, "content-type");
    if (!contentType || !JSON_CONTENT_TYPE.test(contentType)) return refuse(req, res, 415, 'Unsupported "Content-Type" header value. Must be "application/json"');
    const name = header(req, "x-github-event");
    const id = header(req, "x-github-delivery");
    const signature = header(req, "x-hub-signature-256");
    const missing = [!name && "x-github-event", !signature && "x-hub-signature-256", !id && "x-github-delivery"].filter(Boolean);
    if (missing.length) return refuse(req, res, 400, `Required headers missing: ${missing.join(", ")}`);
    const read = await readBody(req, this.maxBytes);
    if (!read.ok) {
      if (read.reason === "too-large") refuse(req, res, 413, `payload over the ${Math.round(this.maxBytes / 1024 / 1024)} MB limit`);
      else req.destroy();
      return;
    }
    const body = read.body.toString("utf8");
    let verified = false;
    try {
      verified = await this.deps.verify(body, signature!);
    } catch {
      verified = false;
    }
    if (!verified) return refuse(req, res, 400, "signature does not match event payload and secret");
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      return refuse(req, res, 400, "payload is not valid JSON");
    }
    res.writeHead(202, { "content-type": "text/plain" }).end("accepted\n");
    this.track({ id: id!, name: name!, payload });
  }

  private track(event: WebhookEvent): void {
    const work = (async () => {
      // After the answer has gone out: the handlers run on a later turn of the event loop.
      await new Promise<void>((resolve) => setImmediate(resolve));
      await this.deps.receive(event);
    })().catch((err: unknown) => {
      this.deps.log.error({ err, delivery: event.id, event: event.name }, `gitops-guard: handling ${event.name} delivery ${event.id} failed`);
    });
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** Waits until every acknowledged event has been handled, or `timeoutMs` has passed; true when all were. */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      while (this.inFlight.size > 0) {
        const done = await Promise.race([Promise.allSettled([...this.inFlight]).then(() => true), timeout]);
        if (!done) return false;
      }
      return true;
    } finally {
      clearTimeout(timer);
    }
  }
}
