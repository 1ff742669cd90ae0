/**
 * The memory part of `npm run bench`: the peak RSS of a 3,000-file PR review (DESIGN.md: under 512 MB), measured in
 * a process that runs the app alone (bench/review-process.ts) while this process serves the fake GitHub (+50 ms per
 * request) and holds the fixtures. The review is the same PR as the GitHub part's 3,000-file row.
 */
import { spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { FakeGitHub } from "../test/fakes/github/fake-github.js";
import { APP_ID, fixture, LATENCY_MS, openedPayload } from "./github.js";
import type { ReviewProcessResult } from "./review-process.js";

export const RSS_BUDGET_BYTES = 512 * 1024 * 1024;
const CHILD = join(dirname(fileURLToPath(import.meta.url)), "review-process.js");

export interface MemoryBench extends ReviewProcessResult {
  files: number;
  requests: number;
}

function runChild(env: NodeJS.ProcessEnv, input: string): Promise<ReviewProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD], { env: { PATH: process.env.PATH, ...env }, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.once("error", reject);
    child.once("exit", (code) => {
      const last = out.trim().split("\n").at(-1) ?? "";
      try {
        if (code !== 0) throw new Error(`exited ${code}`);
        resolve(JSON.parse(last) as ReviewProcessResult);
      } catch (e) {
        reject(new Error(`the review process failed (${(e as Error).message}): ${err.trim().split("\n").slice(-3).join(" / ") || last}`));
      }
    });
    child.stdin.end(input);
  });
}

export async function benchMemory(files = 3000): Promise<MemoryBench> {
  const keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const gh = await FakeGitHub.start({ latencyMs: LATENCY_MS, appId: APP_ID, publicKey: keys.publicKey.export({ type: "spki", format: "pem" }).toString() });
  try {
    const f = fixture(gh, files, `rss-${files}`);
    const mark = gh.requests.length;
    const result = await runChild(
      { BENCH_GH_URL: gh.apiUrl, BENCH_APP_ID: String(APP_ID), BENCH_PRIVATE_KEY: keys.privateKey.export({ type: "pkcs1", format: "pem" }).toString() },
      JSON.stringify(openedPayload(f)),
    );
    return { ...result, files, requests: gh.apiRequests(mark).length };
  } finally {
    await gh.close();
  }
}
