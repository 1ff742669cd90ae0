/**
 * The process of its own in which bench/memory.ts runs one PR review, so that its peak RSS is the app's alone (not
 * the bench's, the fake GitHub's or the fixtures'): the Probot app with the production Octokit (GuardOctokit:
 * throttling and retries on), configured from the environment, receives the `pull_request` event read from stdin,
 * reviews it against the fake GitHub served by the parent, and prints one JSON line: the peak RSS of this process
 * (`process.resourceUsage().maxRSS`) before and after the review, the review's wall time and its conclusion.
 *
 * Environment: BENCH_GH_URL (the fake GitHub's API URL), BENCH_APP_ID, BENCH_PRIVATE_KEY.
 */
import { performance } from "node:perf_hooks";
import { Probot } from "probot";
import gitopsGuard from "../src/app/index.js";
import { GuardOctokit } from "../src/app/octokit.js";
import type { ReviewOutcome } from "../src/pipeline/run-review.js";

export interface ReviewProcessResult {
  /** Peak RSS (bytes) once the app is loaded, before the event. */
  loadedMaxRss: number;
  /** Peak RSS (bytes) of the whole process after the review. */
  maxRss: number;
  heapUsedAfter: number;
  wallMs: number;
  conclusion: string;
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const payload = JSON.parse(await readStdin()) as Record<string, unknown>;
const outcomes: ReviewOutcome[] = [];
const probot = new Probot({ appId: Number(env("BENCH_APP_ID")), privateKey: env("BENCH_PRIVATE_KEY"), baseUrl: env("BENCH_GH_URL"), Octokit: GuardOctokit, logLevel: "fatal" });
await probot.load((app) => gitopsGuard(app, { onReview: (o) => outcomes.push(o) }));
const loadedMaxRss = process.resourceUsage().maxRSS * 1024;
const t0 = performance.now();
await probot.receive({ id: "bench-rss", name: "pull_request", payload } as Parameters<Probot["receive"]>[0]);
const wallMs = performance.now() - t0;
const outcome = outcomes.at(-1);
const result: ReviewProcessResult = {
  loadedMaxRss,
  maxRss: process.resourceUsage().maxRSS * 1024,
  heapUsedAfter: process.memoryUsage().heapUsed,
  wallMs,
  conclusion: outcome?.kind === "reviewed" ? outcome.result.conclusion : (outcome?.kind ?? "none"),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
