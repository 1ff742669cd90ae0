import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { startDynalite, type DynaliteServer } from "./dynalite-server.js";
import { StoreError } from "./types.js";

/**
 * The embedded store for laptops: dynalite in this process on 127.0.0.1, data in LevelDB under
 * `.gitops-guard/dynalite/`, so decisions survive restarts.
 *
 * LevelDB allows one process per directory. The process that runs the store writes its endpoint
 * to `.gitops-guard/endpoint.json`; another process (e.g. `gitops-guard decisions` while
 * `npm start` runs) connects to that endpoint instead of opening the directory a second time.
 */

export interface EmbeddedEndpoint {
  endpoint: string;
  /** True when another process serves the store and this one only connects to it. */
  shared: boolean;
  release(): Promise<void>;
}

interface Running {
  server: DynaliteServer;
  refs: number;
  advert: string;
}

/** Servers started by this process, by data directory (a second open in the same process reuses it). */
const running = new Map<string, Promise<Running>>();
/** Servers being stopped: a new open waits until the LevelDB lock is released. */
const stopping = new Map<string, Promise<void>>();

interface Advert {
  pid: number;
  endpoint: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether a DynamoDB-compatible server (dynalite) answers at the endpoint — not merely some process on that port. */
async function reachable(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": "DynamoDB_20120810.ListTables",
        // dynalite wants an Authorization header but does not check the signature.
        authorization: "AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=00",
        "x-amz-date": "20200101T000000Z",
      },
      body: "{}",
      signal: AbortSignal.timeout(1500),
    });
    const body: unknown = await res.json();
    return res.ok && typeof body === "object" && body !== null && "TableNames" in body;
  } catch {
    return false;
  }
}

async function readAdvert(file: string): Promise<Advert | null> {
  try {
    const v: unknown = JSON.parse(await readFile(file, "utf8"));
    if (typeof v === "object" && v !== null && "pid" in v && "endpoint" in v && typeof v.pid === "number" && typeof v.endpoint === "string") {
      return { pid: v.pid, endpoint: v.endpoint };
    }
  } catch {
    // absent or unreadable: nobody serves the store
  }
  return null;
}

interface LevelLike {
  open(): Promise<void>;
  close(): Promise<void>;
}

/** Fails clearly (instead of crashing later inside dynalite) when another process holds the LevelDB lock. */
async function checkNotLocked(dbPath: string): Promise<void> {
  const fromDynalite = createRequire(createRequire(import.meta.url).resolve("dynalite"));
  const { Level } = fromDynalite("level") as { Level: new (path: string) => LevelLike };
  const db = new Level(dbPath);
  try {
    await db.open();
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    if (cause?.code === "LEVEL_LOCKED") {
      throw new StoreError(`the embedded store in ${dbPath} is in use by another process that does not announce an endpoint; stop it or set AWS_ENDPOINT_URL_DYNAMODB`);
    }
    throw new StoreError(`cannot open the embedded store in ${dbPath}: ${err instanceof Error ? err.message : String(err)}`);
  }
  await db.close();
}

async function start(dir: string): Promise<Running> {
  await mkdir(dir, { recursive: true });
  const dbPath = join(dir, "dynalite");
  await checkNotLocked(dbPath);
  const server = await startDynalite({ path: dbPath });
  const advert = join(dir, "endpoint.json");
  await writeFile(advert, `${JSON.stringify({ pid: process.pid, endpoint: server.endpoint })}\n`);
  return { server, refs: 0, advert };
}

/** The data directory: `<cwd>/.gitops-guard` unless given. */
export function embeddedDir(cwd: string, dataDir?: string): string {
  return resolve(cwd, dataDir ?? ".gitops-guard");
}

/** Starts (or joins) the embedded store in `dir` and returns its endpoint. */
export async function openEmbedded(dir: string): Promise<EmbeddedEndpoint> {
  const key = resolve(dir);
  const advert = await readAdvert(join(key, "endpoint.json"));
  if (!running.has(key) && advert && advert.pid !== process.pid && alive(advert.pid) && (await reachable(advert.endpoint))) {
    return { endpoint: advert.endpoint, shared: true, release: async () => {} };
  }
  let pending = running.get(key);
  if (!pending) {
    const previous = stopping.get(key) ?? Promise.resolve();
    pending = previous.then(() => start(key));
    running.set(key, pending);
    pending.catch(() => running.delete(key));
  }
  const r = await pending;
  r.refs++;
  let released = false;
  return {
    endpoint: r.server.endpoint,
    shared: false,
    async release() {
      if (released) return;
      released = true;
      if (--r.refs > 0) return;
      running.delete(key);
      const stop = (async () => {
        const current = await readAdvert(r.advert);
        if (current?.pid === process.pid && current.endpoint === r.server.endpoint) await rm(r.advert, { force: true });
        await r.server.close();
      })();
      const settled = stop.catch(() => {});
      stopping.set(key, settled);
      try {
        await stop;
      } finally {
        if (stopping.get(key) === settled) stopping.delete(key);
      }
    },
  };
}
