/**
 * Issue 12 #4 and #2 ("never run a review on the request path"), for `npm start`: the webhook endpoint reads a
 * body only up to GitHub's 25 MB cap, checks the signature before it parses the JSON, and acknowledges a verified
 * event before its handler runs — so a slow review delays neither `/ping` nor another delivery's answer.
 * The slow handler is the App's own, held at its first step (claiming the delivery in the decision store).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { sign } from "@octokit/webhooks-methods";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { connect } from "node:net";
import { startServer, type RunningServer } from "../../src/app/server.js";
import type { ReviewDecisions } from "../../src/pipeline/types.js";

const SECRET = "intake-secret";
const PRIVATE_KEY = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const MB = 1024 * 1024;

/** A decision store whose delivery claims wait at a gate the test opens. */
function gatedStore() {
  const events: string[] = [];
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const store: ReviewDecisions = {
    waiversFor: async () => [],
    overrideFor: async () => null,
    recordReview: async () => undefined,
    claimDelivery: async (id) => {
      events.push(`handler started ${id}`);
      await gate;
      events.push(`handler finished ${id}`);
      return false; // "already handled": nothing else runs
    },
    forgetDelivery: async () => undefined,
  };
  return { store, events, open };
}

async function startWith(store: ReviewDecisions, shutdownTimeoutMs?: number): Promise<RunningServer> {
  return startServer({
    env: { APP_ID: "4321", PRIVATE_KEY, WEBHOOK_SECRET: SECRET, LOG_LEVEL: "fatal", GHE_HOST: "127.0.0.1:9", GHE_PROTOCOL: "http" },
    port: 0,
    host: "127.0.0.1",
    app: { store },
    ...(shutdownTimeoutMs !== undefined ? { shutdownTimeoutMs } : {}),
  });
}

const payload = (n: number) => ({
  action: "opened",
  number: n,
  installation: { id: 77 },
  repository: { id: 1, name: "gitops", full_name: "acme/gitops", owner: { login: "acme" } },
  pull_request: { number: n, changed_files: 1, head: { sha: "1".repeat(40), ref: "x" }, base: { sha: "b".repeat(40), ref: "main" } },
});

async function deliver(app: RunningServer, body: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(`${app.url}${app.webhookPath}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": randomUUID(), "x-hub-signature-256": await sign(SECRET, body), ...headers },
    body,
  });
  return { status: res.status, text: await res.text() };
}

/**
 * Resolves with what comes first; the timer only turns a hang into a failure (it is never what passes). Its
 * default stays under the 9 s after which Probot's own middleware answers "202 still processing" for a handler
 * that has not finished: an answer that needs a timer to fire never comes while a review blocks the event loop.
 */
function first<T>(p: Promise<T>, ms = 5_000): Promise<T | "no answer"> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<"no answer">((resolve) => (timer = setTimeout(() => resolve("no answer"), ms)))]).finally(() => clearTimeout(timer));
}

async function until(what: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !what(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(what()).toBe(true);
}

/**
 * A POST over a plain TCP connection (no HTTP client library, nothing that could buffer the body on the client
 * side): `next` gives the body's next bytes (false: nothing more is sent). Resolves with the answer's status and
 * how many body bytes the connection had taken when it came.
 */
function rawPost(app: RunningServer, headers: Record<string, string>, next: () => Buffer | false): Promise<{ status: number; sent: number }> {
  const url = new URL(app.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let sent = 0;
    let answered = false;
    let received = "";
    socket.on("data", (d: Buffer) => {
      received += d.toString("latin1");
      const m = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (m && !answered) {
        answered = true;
        resolve({ status: Number(m[1]), sent });
        socket.destroy();
      }
    });
    socket.on("error", (e) => {
      if (!answered) reject(e);
    });
    socket.on("connect", () => {
      const head = { host: url.host, "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": randomUUID(), "x-hub-signature-256": "sha256=00", ...headers };
      socket.write(`POST ${app.webhookPath} HTTP/1.1\r\n${Object.entries(head).map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n`);
      const pump = (): void => {
        if (answered || socket.destroyed) return;
        const bytes = next();
        if (bytes === false) return;
        const more = socket.write(bytes, (err) => {
          if (!err) sent += bytes.length;
        });
        if (more) setImmediate(pump);
        else socket.once("drain", pump);
      };
      pump();
    });
  });
}

describe("the webhook endpoint acknowledges first and reviews after", () => {
  let app: RunningServer;
  let gated: ReturnType<typeof gatedStore>;

  beforeAll(async () => {
    gated = gatedStore();
    app = await startWith(gated.store, 2_000);
  });
  afterAll(async () => {
    gated.open();
    await app?.close();
  });

  it("a verified webhook is answered 202 while its handler is still running; /ping and another delivery too", async () => {
    const order = gated.events;
    const body = JSON.stringify(payload(1));
    const id1 = "delivery-1";
    const ack1 = await first(deliver(app, body, { "x-github-delivery": id1 }));
    order.push("ack 1");
    expect(ack1).toMatchObject({ status: 202 });
    await until(() => order.includes(`handler started ${id1}`));

    const ping = await first(fetch(`${app.url}/ping`).then((r) => r.status));
    order.push(`ping ${ping}`);
    const ack2 = await first(deliver(app, JSON.stringify(payload(2)), { "x-github-delivery": "delivery-2" }));
    order.push(`ack 2 ${typeof ack2 === "string" ? ack2 : ack2.status}`);
    await until(() => order.includes("handler started delivery-2"));

    gated.open();
    await until(() => order.includes("handler finished delivery-2") && order.includes(`handler finished ${id1}`));
    // Every answer went out while both handlers were held; they finished only when the gate opened.
    const finished = order.findIndex((e) => e.startsWith("handler finished"));
    expect(order.slice(0, finished).sort()).toEqual(["ack 1", "ack 2 202", "handler started delivery-1", "handler started delivery-2", "ping 200"]);
    expect(order.indexOf("ack 1")).toBeLessThan(order.indexOf("ping 200"));
    expect(order.indexOf("ping 200")).toBeLessThan(order.indexOf("ack 2 202"));
  });
});

describe("the webhook endpoint never buffers more than 25 MB", () => {
  let app: RunningServer;
  let gated: ReturnType<typeof gatedStore>;

  beforeAll(async () => {
    gated = gatedStore();
    gated.open();
    app = await startWith(gated.store);
  });
  afterAll(async () => {
    await app?.close();
  });

  it("a declared Content-Length over 25 MB is refused (413) before any byte of the body is sent", async () => {
    const answer = await first(rawPost(app, { "content-length": String(25 * MB + 1) }, () => false));
    expect(answer).toMatchObject({ status: 413, sent: 0 });
    expect(gated.events).toEqual([]);
  });

  it("an unsigned body streamed in chunks is cut off at 25 MB: 413 before the client has sent it all", async () => {
    const total = 200 * MB;
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    const framed = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]);
    let queued = 0;
    const answer = await first(
      rawPost(app, { "transfer-encoding": "chunked" }, () => {
        if (queued >= total) return false;
        queued += chunk.length;
        return framed;
      }),
      25_000,
    );
    expect(answer).toMatchObject({ status: 413 });
    // The server stopped reading at the cap: the answer came while most of the 200 MB was still unsent.
    const { sent } = answer as { sent: number };
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(100 * MB);
    expect(gated.events).toEqual([]);
  });

  it("the signature is checked before the body is parsed: a bad signature on bad JSON is a signature error", async () => {
    const badSig = await deliver(app, "{not json", { "x-hub-signature-256": await sign("wrong-secret", "{not json") });
    expect(badSig.status).toBe(400);
    expect(badSig.text).toMatch(/signature/);
    const badJson = await deliver(app, "{not json");
    expect(badJson.status).toBe(400);
    expect(badJson.text).toMatch(/not valid JSON/);
    expect(gated.events).toEqual([]);
  });
});

describe("shutdown", () => {
  it("close() waits for events still being handled, then closes", async () => {
    const gated = gatedStore();
    const app = await startWith(gated.store, 20_000);
    expect((await deliver(app, JSON.stringify(payload(3)), { "x-github-delivery": "d-3" })).status).toBe(202);
    await until(() => gated.events.includes("handler started d-3"));
    let closed = false;
    const closing = app.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(closed).toBe(false);
    gated.open();
    await closing;
    expect(gated.events).toEqual(["handler started d-3", "handler finished d-3"]);
  });

  it("close() waits no longer than its bound for a handler that does not finish", async () => {
    const gated = gatedStore();
    const app = await startWith(gated.store, 200);
    expect((await deliver(app, JSON.stringify(payload(4)), { "x-github-delivery": "d-4" })).status).toBe(202);
    await until(() => gated.events.includes("handler started d-4"));
    expect(await first(app.close().then(() => "closed"))).toBe("closed");
    gated.open();
  });
});
