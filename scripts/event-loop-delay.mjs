// How long the webhook server's event loop is held while it reviews an expensive pull request (issue 12 #2).
// The server `npm start` runs (startServer, production Octokit), a loopback fake GitHub (GHE_HOST) and dynalite, all
// in this process; the sources are bundled with esbuild on each run. One pull request of FILES files, each a list of
// DEPLOYMENTS clean Deployments, is reviewed; meanwhile another process asks /ping every 50 ms, and one innocent pull
// request's webhook is delivered once the expensive files have been fetched. Prints the worst event-loop delay
// (perf_hooks.monitorEventLoopDelay) during the reviews, the slowest /ping, and which check run completed first.
//
//   node scripts/event-loop-delay.mjs [--root DIR] [--files N] [--deployments N]
//
// --root measures another checkout's sources (e.g. `git archive main | tar -x -C /tmp/main-src`), with this
// checkout's node_modules.
import { build } from "esbuild";
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const here = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { root: { type: "string" }, files: { type: "string" }, deployments: { type: "string" } } });
const root = resolve(values.root ?? here);
const FILES = Number(values.files ?? 100);
const DEPLOYMENTS = Number(values.deployments ?? 40);

const outdir = join(here, "node_modules", ".cache", "gitops-guard-event-loop");
mkdirSync(outdir, { recursive: true });
const outfile = join(outdir, `pieces-${process.pid}.mjs`);
await build({
  stdin: {
    contents: `
      export { startServer } from "./src/app/server.ts";
      export { GuardOctokit } from "./src/app/octokit.ts";
      export { startDynalite } from "./src/store/dynalite-server.ts";
      export { FakeGitHub } from "./test/fakes/github/fake-github.ts";
      export { expensiveFile } from "${join(here, "test", "e2e", "expensive-pr.ts")}";`,
    resolveDir: root,
    loader: "ts",
  },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  packages: "external",
  outfile,
  logLevel: "silent",
});
const { startServer, GuardOctokit, startDynalite, FakeGitHub, expensiveFile } = await import(pathToFileURL(outfile).href);
const { sign } = await import("@octokit/webhooks-methods");
const { generateKeyPairSync, randomUUID } = await import("node:crypto");
const { monitorEventLoopDelay } = await import("node:perf_hooks");

const APP_ID = 4242;
const SECRET = "event-loop-secret";
const keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PRIVATE_KEY = keys.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const PUBLIC_KEY = keys.publicKey.export({ type: "spki", format: "pem" }).toString();
const BASE = "b".repeat(40);
const HEAVY = "e".repeat(40);
const LIGHT = "c".repeat(40);


const gh = await FakeGitHub.start({ appId: APP_ID, publicKey: PUBLIC_KEY });
const heavy = gh.addRepo("acme/platform");
heavy.commit(BASE, { "README.md": "x\n" }, "main");
const files = { "README.md": "x\n" };
for (let f = 0; f < FILES; f++) files[`apps/web-${f}/deployments.yaml`] = expensiveFile(`web-${f}`, DEPLOYMENTS);
heavy.commit(HEAVY, files);
heavy.addPull({ number: 1, base: { sha: BASE, ref: "main" }, head: { sha: HEAVY, ref: "many" } });
const light = gh.addRepo("acme/gitops");
light.commit(BASE, { "apps/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n" }, "main");
light.commit(LIGHT, { "apps/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n" });
light.addPull({ number: 1, base: { sha: BASE, ref: "main" }, head: { sha: LIGHT, ref: "small" } });
const dynamo = await startDynalite();
const app = await startServer({
  env: { APP_ID: String(APP_ID), PRIVATE_KEY, WEBHOOK_SECRET: SECRET, GHE_HOST: gh.host, GHE_PROTOCOL: "http", LOG_LEVEL: "fatal", AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, TABLE_NAME: "event-loop" },
  port: 0,
  host: "127.0.0.1",
  Octokit: GuardOctokit,
});

function payload(repo, head, installation, changed) {
  return {
    action: "opened",
    number: 1,
    installation: { id: installation, node_id: `inst-${installation}` },
    repository: { id: repo.id, name: repo.name, full_name: repo.fullName, owner: { login: repo.owner }, html_url: `https://github.com/${repo.fullName}` },
    pull_request: { number: 1, changed_files: changed, draft: false, state: "open", head: { sha: head, ref: "x", repo: { full_name: repo.fullName } }, base: { sha: BASE, ref: "main", repo: { full_name: repo.fullName } } },
    sender: { login: "octocat", type: "User" },
  };
}
async function deliver(body) {
  const text = JSON.stringify(body);
  const res = await fetch(`${app.url}/api/github/webhooks`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": randomUUID(), "x-hub-signature-256": await sign(SECRET, text) },
    body: text,
  });
  return res.status;
}
const done = (repo, sha) => repo.latestCheckRun(sha)?.status === "completed";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The pinger is a process of its own: a client sharing this event loop could not even send while it is held.
const pinger = spawn(
  process.execPath,
  [
    "-e",
    `let max = 0, n = 0;
     const tick = async () => { const t = performance.now(); await fetch(process.argv[1]); max = Math.max(max, performance.now() - t); n++; setTimeout(tick, 50); };
     process.on("SIGTERM", () => { process.stdout.write(JSON.stringify({ max, n })); process.exit(0); });
     tick();`,
    `${app.url}/ping`,
  ],
  { stdio: ["ignore", "pipe", "inherit"] },
);
let pingReport = "";
pinger.stdout.on("data", (d) => (pingReport += d));
const pingerExit = new Promise((r) => pinger.once("exit", r));

const histogram = monitorEventLoopDelay({ resolution: 10 });
const started = performance.now();
histogram.enable();
console.log(`expensive pull request: ${FILES} files × ${DEPLOYMENTS} Deployments; webhook answered ${await deliver(payload(heavy, HEAVY, 77, FILES))}`);
let innocentSent = false;
const order = [];
while (!(done(heavy, HEAVY) && done(light, LIGHT))) {
  const fetched = gh.requests.some((r) => r.path.endsWith("/graphql") && JSON.stringify(r.body).includes("acme") && JSON.stringify(r.body).includes("platform") && r.status !== 0);
  if (fetched && !innocentSent) {
    innocentSent = true;
    const t1 = performance.now();
    const status = await deliver(payload(light, LIGHT, 78, 1));
    console.log(`innocent webhook answered ${status} in ${(performance.now() - t1).toFixed(0)} ms`);
  }
  for (const [name, repo, sha] of [["expensive", heavy, HEAVY], ["innocent", light, LIGHT]]) if (done(repo, sha) && !order.includes(name)) order.push(name);
  await sleep(50);
}
histogram.disable();
for (const [name, repo, sha] of [["expensive", heavy, HEAVY], ["innocent", light, LIGHT]]) if (done(repo, sha) && !order.includes(name)) order.push(name);
const ms = (ns) => (ns / 1e6).toFixed(0);
console.log(`both reviews completed after ${((performance.now() - started) / 1000).toFixed(1)} s; check runs seen completed in this order (polled every 50 ms): ${order.join(", ")}`);
pinger.kill("SIGTERM");
await pingerExit;
const ping = JSON.parse(pingReport || "{}");
console.log(`event-loop delay: max ${ms(histogram.max)} ms, p99 ${ms(histogram.percentile(99))} ms, mean ${ms(histogram.mean)} ms; /ping from another process: ${ping.n} answers, slowest ${ping.max?.toFixed(0)} ms`);
console.log(`expensive check run: ${heavy.latestCheckRun(HEAVY)?.conclusion} — ${heavy.latestCheckRun(HEAVY)?.output.title}`);
await app.close();
await gh.close();
await dynamo.close();
