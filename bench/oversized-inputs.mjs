#!/usr/bin/env node
/**
 * Oversized inputs (issue 12 #4 and #5), each run in a child process whose peak RSS is measured: sparse 1.5 GB
 * and 2.5 GB files in a scanned directory, `scan /dev/zero`, five 90 MB blobs in git mode, and an unsigned 500 MB
 * webhook POST streamed at `npm start`'s server. Prints exit code / HTTP status, wall time and peak RSS per case;
 * exits 1 when a case's peak RSS goes over 400 MB or it does not give the expected answer. Run after
 * `npm run build` (it imports dist/); it writes about 450 MB of git objects under the system temp directory and
 * removes them afterwards.
 */
import { execFileSync, spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(fileURLToPath(import.meta.url), "../..");
const MB = 1024 * 1024;
const LIMIT_MB = 400;
const work = mkdtempSync(join(tmpdir(), "gg-oversized-"));

const POD = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      securityContext:\n        privileged: true\n`;

function sparse(path, size) {
  const fd = openSync(path, "w");
  ftruncateSync(fd, size);
  closeSync(fd);
}

/** Runs the CLI in a child that reports its own peak RSS; resolves with exit code, wall ms and peak MB. */
function cli(args, cwd) {
  const script = `
    const { main } = await import(${JSON.stringify(join(ROOT, "dist/cli/main.js"))});
    const { Writable } = await import("node:stream");
    const sink = new Writable({ write(_c, _e, cb) { cb(); } });
    const code = await main(${JSON.stringify(args)}, { stdout: sink, stderr: process.stderr, cwd: ${JSON.stringify(cwd)} });
    process.stderr.write("\\nMAXRSS " + process.resourceUsage().maxRSS + "\\n");
    process.exit(code);`;
  return runChild(["--input-type=module", "-e", script]);
}

function runChild(args, onStart, env = process.env) {
  return new Promise((resolveRun) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    child.stdout.on("data", (d) => onStart?.(String(d), child));
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const rss = /MAXRSS (\d+)/.exec(err);
      resolveRun({ code: signal ?? code, ms: performance.now() - start, peakMb: rss ? Number(rss[1]) / 1024 : NaN, stderr: err.replace(/\nMAXRSS \d+\n/, "").trim() });
    });
  });
}

/** `npm start`'s server in a child; streams `size` bytes of an unsigned body at it and reports the answer. */
async function unsignedPost(size) {
  const key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const script = `
    const { startServer } = await import(${JSON.stringify(join(ROOT, "dist/app/server.js"))});
    const store = { waiversFor: async () => [], overrideFor: async () => null, recordReview: async () => undefined };
    const app = await startServer({ env: { APP_ID: "1", PRIVATE_KEY: process.env.KEY, WEBHOOK_SECRET: "s", LOG_LEVEL: "fatal", GHE_HOST: "127.0.0.1:9", GHE_PROTOCOL: "http" }, port: 0, host: "127.0.0.1", app: { store } });
    process.stdout.write("URL " + app.url + app.webhookPath + "\\n");
    process.on("SIGTERM", async () => { await app.close(); process.stderr.write("\\nMAXRSS " + process.resourceUsage().maxRSS + "\\n"); process.exit(0); });`;
  let status = 0;
  const result = await new Promise((resolveRun) => {
    let sent = false;
    const run = runChild(["--input-type=module", "-e", script], (out, child) => {
      const m = /URL (\S+)/.exec(out);
      if (!m || sent) return;
      sent = true;
      const chunk = Buffer.alloc(MB, 0x20);
      let written = 0;
      const req = request(m[1], { method: "POST", agent: false, headers: { "content-type": "application/json", "transfer-encoding": "chunked", "x-github-event": "push", "x-github-delivery": "x", "x-hub-signature-256": "sha256=00" } });
      const finish = () => setTimeout(() => child.kill("SIGTERM"), 200);
      req.on("response", (res) => {
        status = res.statusCode;
        res.resume();
        finish();
      });
      req.on("error", finish);
      const pump = () => {
        while (written < size && !status) {
          written += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        if (!status) req.end();
      };
      pump();
    }, { ...process.env, KEY: key });
    run.then(resolveRun);
  });
  return { ...result, code: status };
}

function gitRepoWithBigBlobs() {
  const repo = join(work, "repo");
  const git = (...args) => execFileSync("git", ["-C", repo, ...args], { env: { ...process.env, GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@b", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@b" } });
  execFileSync("git", ["init", "-q", "-b", "main", repo]);
  writeFileSync(join(repo, "keep.yaml"), "a: 1\n");
  git("add", "-A");
  git("commit", "-qm", "base");
  git("checkout", "-q", "-b", "pr");
  const line = "k: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n";
  for (let i = 0; i < 5; i++) writeFileSync(join(repo, `big-${i}.yaml`), `# ${i}\n${line.repeat(Math.floor((90 * MB) / line.length))}`);
  writeFileSync(join(repo, "pod.yaml"), POD);
  git("add", "-A");
  git("commit", "-qm", "five 90 MB blobs");
  return repo;
}

const cases = [];
try {
  const dir = join(work, "scan");
  execFileSync("mkdir", ["-p", dir]);
  writeFileSync(join(dir, "pod.yaml"), POD);
  sparse(join(dir, "huge.yaml"), 1_500 * 1_000_000);
  cases.push(["scan: sparse 1.5 GB file + a pod", await cli(["scan", ".", "--format", "json"], dir), 1]);
  sparse(join(dir, "huge.yaml"), 2_500 * 1_000_000);
  cases.push(["scan: sparse 2.5 GB file + a pod", await cli(["scan", ".", "--format", "json"], dir), 1]);
  cases.push(["scan /dev/zero", await cli(["scan", "/dev/zero", "--format", "json"], dir), 1]);
  const repo = gitRepoWithBigBlobs();
  cases.push(["review (git): five 90 MB blobs + a pod", await cli(["review", "--base", "main", "--head", "pr", "--repo", repo, "--format", "json"], repo), 1]);
  cases.push(["npm start: unsigned 500 MB POST, streamed", await unsignedPost(500 * MB), 413]);
} finally {
  rmSync(work, { recursive: true, force: true });
}

let failed = false;
for (const [name, r, expected] of cases) {
  const bad = r.code !== expected || !(r.peakMb <= LIMIT_MB);
  failed ||= bad;
  process.stdout.write(`${bad ? "FAIL" : "ok  "} ${String(r.code).padStart(4)} ${r.ms.toFixed(0).padStart(7)} ms ${r.peakMb.toFixed(0).padStart(6)} MB peak RSS  ${name}${r.stderr ? `  [${r.stderr.slice(0, 160)}]` : ""}\n`);
}
process.stdout.write(`limit: ${LIMIT_MB} MB peak RSS per case\n`);
process.exitCode = failed ? 1 : 0;
