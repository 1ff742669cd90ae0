/**
 * The built artifacts, the way Lambda runs them and the way an outside harness checks them: each zip from
 * `npm run package` is unzipped, its handler imported in a fresh Node 22 process (test/lambda/invoke-handler.mjs)
 * and given Lambda events, with the AWS endpoints (AWS_ENDPOINT_URL_SQS/DYNAMODB/SECRETS_MANAGER) and GHE_HOST
 * pointing at local servers: dynalite, a fake SQS, a fake Secrets Manager and the fake GitHub.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDynalite, type DynaliteServer } from "../../src/store/dynalite-server.js";
import { FakeGitHub, type FakeRepo } from "../fakes/github/fake-github.js";
import { APP_ID, BASE, HEAD1, HEAD2, PRIVATE_KEY, PROJECT_FIXED, PROJECT_OK, PROJECT_WILDCARD, PUBLIC_KEY, pullRequestPayload, summaryComments, until } from "../e2e/harness.js";
import { startFakeSecretsManager, type FakeSecretsManager } from "../fakes/aws/secrets-manager.js";
import { startFakeSqs, type FakeMessage, type FakeSqs } from "../fakes/aws/sqs.js";
import { webhookEvent } from "./events.js";
import { ensurePackaged, extractZip, packagedFunctions, ROOT } from "./packaged.js";

const SECRET = "built-webhook-secret";
const SECRET_ID = "gitops-guard/test";
const TABLE = "gitops-guard-built";
const RUNNER = join(ROOT, "test", "lambda", "invoke-handler.mjs");

let tmp: string;
let node22: string;
let handlers: Record<string, { file: string; exportName: string; files: string[] }>;
let dynamo: DynaliteServer;
let sqs: FakeSqs;
let sm: FakeSecretsManager;
let gh: FakeGitHub;
let repo: FakeRepo;
let env: NodeJS.ProcessEnv;

/** Node 22, the Lambda runtime's major version (this process's node when it is 22). */
function findNode22(): string {
  if (process.versions.node.startsWith("22.")) return process.execPath;
  return execFileSync("npx", ["-y", "node@22", "-p", "process.execPath"], { encoding: "utf8" }).trim();
}

/** The file Lambda's Node.js runtime loads for `file.export` (.js, .mjs or .cjs), inside the unzipped artifact. */
function resolveHandler(dir: string, handler: string): { file: string; exportName: string } {
  const dot = handler.lastIndexOf(".");
  const file = [".js", ".mjs", ".cjs"].map((ext) => join(dir, handler.slice(0, dot) + ext)).find(existsSync);
  if (!file) throw new Error(`handler ${handler} does not resolve inside the zip`);
  return { file, exportName: handler.slice(dot + 1) };
}

interface Invocation {
  event: unknown;
  remainingMs?: number;
}
interface Outcome {
  importMs: number;
  results: Array<{ result?: unknown; error?: string }>;
}

/** Starts a fresh process (a cold container) running `fn` on the invocations, one after another. */
function startContainer(fn: string, invocations: Invocation[]): { child: ChildProcess; done: Promise<Outcome>; output: () => string } {
  const id = randomUUID();
  const input = join(tmp, `${id}.in.json`);
  const results = join(tmp, `${id}.out.json`);
  writeFileSync(input, JSON.stringify(invocations));
  const { file, exportName } = handlers[fn];
  const child = spawn(node22, [RUNNER, file, exportName, input, results], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const done = new Promise<Outcome>((resolve, reject) => {
    child.on("exit", (code, signal) => {
      if (code !== 0) return reject(new Error(`${fn} exited with ${code ?? signal}:\n${output}`));
      resolve(JSON.parse(readFileSync(results, "utf8")) as Outcome);
    });
  });
  return { child, done, output: () => output };
}

const invoke = (fn: string, invocations: Invocation[]) => startContainer(fn, invocations).done;

beforeAll(async () => {
  ensurePackaged();
  node22 = findNode22();
  tmp = mkdtempSync(join(tmpdir(), "gitops-guard-built-"));
  handlers = {};
  for (const f of packagedFunctions()) {
    const dir = join(tmp, f.name);
    const files = extractZip(f.zip, dir);
    handlers[f.name] = { ...resolveHandler(dir, f.handler), files };
  }
  [dynamo, sqs, sm, gh] = await Promise.all([startDynalite(), startFakeSqs(), startFakeSecretsManager(), FakeGitHub.start({ appId: APP_ID, publicKey: PUBLIC_KEY })]);
  sm.put(SECRET_ID, JSON.stringify({ appId: String(APP_ID), privateKey: PRIVATE_KEY, webhookSecret: SECRET }));
  repo = gh.addRepo("acme/gitops");
  const config = { ".github/gitops-guard.yml": "failOn: high\n" };
  repo.commit(BASE, { "projects/team-a.yaml": PROJECT_OK, ...config }, "main");
  repo.commit(HEAD1, { "projects/team-a.yaml": PROJECT_WILDCARD, ...config });
  repo.commit(HEAD2, { "projects/team-a.yaml": PROJECT_FIXED, ...config });
  repo.addPull({ number: 1, base: { sha: BASE, ref: "main" }, head: { sha: HEAD1, ref: "open-up" } });
  env = {
    PATH: process.env.PATH,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_ENDPOINT_URL_SQS: sqs.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.endpoint,
    // A queue URL on AWS's host: AWS_ENDPOINT_URL_SQS must still win.
    QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/000000000000/gitops-guard-test-reviews",
    TABLE_NAME: TABLE,
    APP_SECRET_ID: SECRET_ID,
    GHE_HOST: gh.host,
    GHE_PROTOCOL: "http",
    LOG_LEVEL: "warn",
    // Decoys: in Lambda the App's credentials come from Secrets Manager only.
    APP_ID: "1",
    PRIVATE_KEY: "not a key",
    WEBHOOK_SECRET: "decoy",
  };
}, 180_000);

afterAll(async () => {
  await Promise.all([dynamo?.close(), sqs?.close(), sm?.close(), gh?.close()]);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("the packaged zips", () => {
  it("hold one ESM bundle each, the file their handler names, within the 5 MB budget", () => {
    const fns = packagedFunctions();
    expect(fns.map((f) => f.name).sort()).toEqual(["webhook", "worker"]);
    for (const f of fns) {
      expect(statSync(f.zip).size).toBeLessThanOrEqual(5 * 1024 * 1024);
      expect(handlers[f.name].files).toEqual([`${f.handler.slice(0, f.handler.lastIndexOf("."))}.mjs`]);
      const code = readFileSync(handlers[f.name].file, "utf8");
      expect(code.startsWith("import{createRequire as __cr}from'module';const require=__cr(import.meta.url);")).toBe(true);
      // The embedded store (dynalite, LevelDB) is not bundled.
      expect(code).not.toMatch(/classic-level|leveldown|abstract-level|createTableMs/);
    }
  });
});

describe("built handlers on Node 22, with local AWS and GitHub endpoints", () => {
  let delivery: string;
  let message: FakeMessage;

  it("webhook: a signed delivery → 202 and one SQS message; the same delivery → none; unsigned → 401; the secret is read once", async () => {
    delivery = randomUUID();
    const payload = pullRequestPayload(repo, "opened", HEAD1);
    const githubCalls = gh.requests.length;
    const out = await invoke("webhook", [
      { event: await webhookEvent("pull_request", payload, { secret: SECRET, delivery }) },
      { event: await webhookEvent("pull_request", payload, { secret: SECRET, delivery }) },
      { event: await webhookEvent("pull_request", payload, { secret: SECRET, signature: null }) },
      { event: await webhookEvent("pull_request", payload, { secret: "decoy" }) },
    ]);
    expect(out.results.map((r) => (r.result as { statusCode: number } | undefined)?.statusCode)).toEqual([202, 202, 401, 401]);
    expect(sqs.messages).toHaveLength(1);
    message = sqs.messages[0];
    expect(JSON.parse(message.body)).toMatchObject({ v: 1, id: delivery, name: "pull_request", payload: { action: "opened", number: 1 } });
    expect(sm.reads(SECRET_ID)).toBe(1);
    expect(gh.requests.length).toBe(githubCalls);
  });

  it("webhook: a redelivery to a new container is not queued either (the claim is in the table)", async () => {
    const out = await invoke("webhook", [{ event: await webhookEvent("pull_request", pullRequestPayload(repo, "opened", HEAD1), { secret: SECRET, delivery }) }]);
    expect(out.results[0].result).toMatchObject({ statusCode: 202 });
    expect(sqs.messages).toHaveLength(1);
  });

  it("worker: given that message, completes the gitops-guard check run and posts the summary comment through GHE_HOST", async () => {
    const out = await invoke("worker", [{ event: sqs.lambdaEvent([message]), remainingMs: 120_000 }]);
    expect(out.results).toEqual([{ result: { batchItemFailures: [] } }]);
    expect(repo.latestCheckRun(HEAD1)).toMatchObject({ name: "gitops-guard", status: "completed", conclusion: "failure" });
    expect(summaryComments(repo)).toHaveLength(1);
    // The App authenticated with the key from Secrets Manager (the fake verifies the JWT against its public key).
    expect(gh.requests.some((r) => r.path === "/app/installations/77/access_tokens" && r.status === 201)).toBe(true);
  });

  it("worker: the same message in another container (SQS delivers at least once) creates no second check run or comment", async () => {
    const runs = repo.checkRuns().length;
    const out = await invoke("worker", [{ event: sqs.lambdaEvent([message]) }]);
    expect(out.results).toEqual([{ result: { batchItemFailures: [] } }]);
    expect(repo.checkRuns()).toHaveLength(runs);
    expect(summaryComments(repo)).toHaveLength(1);
  });

  it("worker: a container killed mid-review is retried by SQS after its deadline, and the retry completes the check run", async () => {
    repo.pushHead(1, HEAD2);
    const push = await invoke("webhook", [{ event: await webhookEvent("pull_request", pullRequestPayload(repo, "synchronize", HEAD2, HEAD1), { secret: SECRET }) }]);
    expect(push.results[0].result).toMatchObject({ statusCode: 202 });
    const sync = sqs.messages.at(-1)!;
    expect(JSON.parse(sync.body)).toMatchObject({ name: "pull_request", payload: { action: "synchronize" } });

    // Every GitHub answer now takes 1 s: the container is surely mid-review when its check run appears.
    gh.latencyMs = 1000;
    const deadline = Date.now() + 3000;
    const first = startContainer("worker", [{ event: sqs.lambdaEvent([sync]), remainingMs: 3000 }]);
    try {
      await until("the check run of the new head", () => repo.checkRuns().find((c) => c.head_sha === HEAD2), 30_000);
    } finally {
      first.child.kill("SIGKILL");
      gh.latencyMs = 0;
    }
    await first.done.catch(() => undefined);
    expect(repo.latestCheckRun(HEAD2)?.status).not.toBe("completed");

    // SQS makes the message visible again after the visibility timeout, long after the dead worker's deadline.
    await new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now()) + 2100));
    const retry = await invoke("worker", [{ event: sqs.lambdaEvent([sync]), remainingMs: 120_000 }]);
    expect(retry.results).toEqual([{ result: { batchItemFailures: [] } }]);
    expect(repo.latestCheckRun(HEAD2)).toMatchObject({ status: "completed", conclusion: "success" });
    expect(summaryComments(repo)).toHaveLength(1);
    expect(summaryComments(repo)[0].body).toContain(HEAD2);
  });

  it("worker: a batch with a record that is not a webhook drops that record and reports no failure", async () => {
    const junk: FakeMessage = { queueUrl: "q", messageId: randomUUID(), body: "not a webhook", receiptHandle: "r", receiveCount: 0 };
    const out = await invoke("worker", [{ event: sqs.lambdaEvent([junk]) }]);
    expect(out.results).toEqual([{ result: { batchItemFailures: [] } }]);
  });
});
