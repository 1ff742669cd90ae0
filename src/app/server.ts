import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createProbot, type Probot, type ProbotOctokit } from "probot";
import { openStore, type OpenedStore } from "../store/open.js";
import { withOptions, type GuardAppOptions } from "./index.js";
import { WebhookIntake } from "./webhook-intake.js";

export interface StartOptions {
  /** Defaults to process.env: APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH), WEBHOOK_SECRET, PORT, HOST, GHE_HOST, GHE_PROTOCOL, WEBHOOK_PATH, LOG_LEVEL. */
  env?: NodeJS.ProcessEnv;
  /** Overrides PORT (0 = any free port). */
  port?: number;
  /** Overrides HOST. Without either, the server listens on every interface. */
  host?: string;
  /**
   * App options. Without `app.store`, the decision store is opened from `env` (openStore: the endpoint in
   * AWS_ENDPOINT_URL_DYNAMODB, else the real TABLE_NAME with AWS credentials, else the embedded store under
   * `.gitops-guard/` in `cwd`) and closed with the server.
   */
  app?: GuardAppOptions;
  /** Base directory of the embedded store (default process.cwd()). */
  cwd?: string;
  /** An Octokit class for Probot to use (tests). */
  Octokit?: typeof ProbotOctokit;
  /** How long `close()` waits for webhooks still being handled before it closes anyway (default 20 s). */
  shutdownTimeoutMs?: number;
}

export interface RunningServer {
  server: HttpServer;
  port: number;
  /** e.g. http://127.0.0.1:3000 (loopback address of the listening port). */
  url: string;
  webhookPath: string;
  /** The decision store the server opened (null when the caller passed its own in `app.store`). */
  store: OpenedStore | null;
  close(): Promise<void>;
}

export class StartupError extends Error {
  override name = "StartupError";
}

/** What is missing from the environment to run the app (empty when nothing is). */
export function missingSettings(env: NodeJS.ProcessEnv): string[] {
  const missing: string[] = [];
  if (!env.APP_ID?.trim()) missing.push("APP_ID (the GitHub App's id)");
  if (!env.PRIVATE_KEY?.trim() && !env.PRIVATE_KEY_PATH?.trim()) missing.push("PRIVATE_KEY or PRIVATE_KEY_PATH (the App's private key, PEM)");
  if (!env.WEBHOOK_SECRET?.trim()) missing.push("WEBHOOK_SECRET (the App's webhook secret)");
  return missing;
}

/**
 * Starts the Probot app on an HTTP server: webhooks at POST /api/github/webhooks (or WEBHOOK_PATH), GET /ping
 * for health checks. A webhook body is read only up to GitHub's 25 MB cap (413 beyond it), its HMAC-SHA256
 * signature is checked before it is parsed (a bad or missing one gets 400 and runs nothing), and a verified
 * event is acknowledged (202) before the App handles it. GHE_HOST/GHE_PROTOCOL point it at any
 * GitHub-compatible API. `close()` waits (bounded) for the events still being handled.
 */
export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const env = opts.env ?? process.env;
  const missing = missingSettings(env);
  if (missing.length) throw new StartupError(`gitops-guard cannot start; set ${missing.join(", ")}.`);
  const port = opts.port ?? (env.PORT ? Number(env.PORT) : 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new StartupError(`PORT must be a port number, got "${env.PORT}"`);
  const host = opts.host ?? (env.HOST?.trim() || undefined);
  const webhookPath = env.WEBHOOK_PATH?.trim() || "/api/github/webhooks";

  const store = opts.app?.store ? null : await openStore(env, { cwd: opts.cwd });
  try {
    return await listen({ env, port, host, webhookPath, opts, store });
  } catch (error) {
    await store?.close();
    throw error;
  }
}

async function listen(s: { env: NodeJS.ProcessEnv; port: number; host: string | undefined; webhookPath: string; opts: StartOptions; store: OpenedStore | null }): Promise<RunningServer> {
  const { env, port, host, webhookPath, opts, store } = s;
  const probot = createProbot({ env, ...(opts.Octokit ? { overrides: { Octokit: opts.Octokit } } : {}) });
  const appOptions: GuardAppOptions = { ...opts.app, ...(store ? { store } : {}) };
  const handlers: Array<(req: IncomingMessage, res: ServerResponse) => boolean | void | Promise<boolean | void>> = [];
  await probot.load(withOptions(appOptions), { cwd: process.cwd(), addHandler: (handler) => void handlers.push(handler) });
  const intake = new WebhookIntake({
    verify: (body, signature) => probot.webhooks.verify(body, signature),
    receive: (event) => probot.receive(event as Parameters<Probot["receive"]>[0]),
    log: probot.log,
  });
  const hookPath = pathOf(webhookPath);
  const notFound = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: `Not found: ${req.method} ${req.url}` }));
  };
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = pathOf(req.url);
    if (req.method === "GET" && (path === "/ping" || path === "/health")) {
      res.writeHead(200, { "content-type": "text/plain" }).end("PONG");
      return;
    }
    if (path === hookPath && req.method === "POST") return intake.handle(req, res);
    for (const handler of handlers) if (await handler(req, res)) return;
    notFound(req, res);
  };
  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      probot.log.error({ err: error }, "gitops-guard: request failed");
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port, ...(host ? { host } : {}) }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  const shownHost = host && host !== "0.0.0.0" && host !== "::" ? (host.includes(":") ? `[${host}]` : host) : "127.0.0.1";
  return {
    server,
    port: actual,
    url: `http://${shownHost}:${actual}`,
    webhookPath,
    store,
    close: async () => {
      // No new connections; then let the events already acknowledged finish (bounded) before the store closes.
      const closed = new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
      server.closeIdleConnections();
      try {
        if (!(await intake.drain(opts.shutdownTimeoutMs ?? 20_000))) {
          probot.log.warn(`gitops-guard: closing with ${intake.pending} webhook(s) still being handled`);
        }
      } finally {
        server.closeAllConnections();
        try {
          await closed;
        } finally {
          await store?.close();
        }
      }
    },
  };
}

/** The path of a request target, without query string or trailing slashes ("/" stays "/"). */
function pathOf(url: string | undefined): string {
  const path = (url ?? "/").split(/[?#]/, 1)[0]!;
  return path.replace(/\/+$/, "") || "/";
}

async function main(): Promise<void> {
  // Like `probot run`: settings may come from a .env file (the environment wins).
  if (existsSync(".env")) process.loadEnvFile(".env");
  let running: RunningServer;
  try {
    running = await startServer();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const api = process.env.GHE_HOST ? `${process.env.GHE_PROTOCOL || "https"}://${process.env.GHE_HOST}/api/v3` : "https://api.github.com";
  process.stdout.write(`gitops-guard listening on port ${running.port}: webhooks at POST ${running.webhookPath}, GitHub API ${api}\n`);
  if (running.store) process.stdout.write(`decisions: ${describeStore(running.store)}\n`);
  const stop = () => {
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

function describeStore(store: OpenedStore): string {
  switch (store.mode) {
    case "embedded":
      return `embedded store (dynalite in this process, data in ./.gitops-guard/), table ${store.tableName}`;
    case "endpoint":
      return `DynamoDB at ${store.endpoint}, table ${store.tableName}`;
    case "aws":
      return `DynamoDB table ${store.tableName}`;
  }
}

/** True when this file is the entry point (`node dist/app/server.js`), symlinks resolved. */
function isEntryPoint(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(fileURLToPath(import.meta.url)) === realpathSync(process.argv[1]);
  } catch {
    return false;
  }
}

if (isEntryPoint()) await main();
