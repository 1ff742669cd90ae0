/**
 * The GitHub part of `npm run bench`: reviews of pull requests with 10, 300 and 3,000 changed YAML files
 * against the local fake GitHub adding 50 ms to every request, through the real Probot app and gitops-guard's
 * production Octokit (GuardOctokit: Probot's throttling and retries on). Side by side: a naive reviewer that lists files page
 * by page and reads every file version with the contents API, one request at a time.
 *
 * Octokit's throttling starts writes (GraphQL queries count as writes) at least 1 s apart. DESIGN.md does
 * not count that spacing against the time budget, so it is measured — the time some request was held
 * back by the throttle while no request was on the wire — and reported next to the wall time.
 */
import { generateKeyPairSync } from "node:crypto";
import { performance } from "node:perf_hooks";
import { Probot } from "probot";
import gitopsGuard from "../src/app/index.js";
import { GuardOctokit } from "../src/app/octokit.js";
import { CONFIG_PATH } from "../src/core/config.js";
import { loadConfigYaml } from "../src/core/config-loader.js";
import { review, type FileChange } from "../src/core/review.js";
import { startDynalite } from "../src/store/dynalite-server.js";
import { openStore } from "../src/store/open.js";
import { FakeGitHub, type FakeRepo } from "../test/fakes/github/fake-github.js";
import type { ReviewOutcome } from "../src/pipeline/run-review.js";
import { ALL_RULES } from "../src/rules/index.js";

export const LATENCY_MS = 50;
const SIZES = [10, 300, 3000] as const;
export const TIME_BUDGET_MS: Readonly<Record<number, number>> = { 300: 3000, 3000: 15000 };
const INSTALLATION_ID = 31337;
export const APP_ID = 1001;

export interface GithubBenchRow {
  files: number;
  requests: number;
  budget: number;
  wallMs: number;
  throttleMs: number;
  conclusion: string;
  naiveRequests: number;
  naiveMs: number;
  naiveMeasured: boolean;
}

// ---------------------------------------------------------------------------------------------
// Request timing: when a request was issued (outermost Octokit hook), put on the wire (fetch), answered.

interface Timing {
  url?: string;
  issued: number;
  dispatched?: number;
  done?: number;
}
const timings = new Map<string, Timing>();
let nextTimingId = 0;
const TIMING_HEADER = "x-bench-request";

// The production Octokit (gitops-guard's rate-limit policy on Probot's), timed.
const TimedOctokit = GuardOctokit.plugin((octokit) => {
  octokit.hook.wrap("request", async (request, options) => {
    const id = String(++nextTimingId);
    timings.set(id, { issued: performance.now(), url: `${options.method} ${options.url}` });
    options.headers = { ...options.headers, [TIMING_HEADER]: id };
    return request(options);
  });
  return {};
});

const timedFetch: typeof fetch = async (input, init) => {
  const headers = new Headers(init?.headers);
  const t = timings.get(headers.get(TIMING_HEADER) ?? "");
  if (t) t.dispatched = performance.now();
  try {
    return await fetch(input, init);
  } finally {
    if (t) t.done = performance.now();
  }
};

/** Time in [from, to] when some request waited for the throttle while none was on the wire. */
function throttleIdle(from: number, to: number): number {
  const events: Array<[number, number, number]> = []; // time, Δqueued, Δinflight
  for (const t of timings.values()) {
    if (t.dispatched === undefined || t.done === undefined || t.issued < from || t.issued > to) continue;
    events.push([t.issued, 1, 0], [t.dispatched, -1, 1], [t.done, 0, -1]);
  }
  events.sort((a, b) => a[0] - b[0]);
  let queued = 0;
  let inflight = 0;
  let last = from;
  let idle = 0;
  for (const [time, dq, df] of events) {
    if (queued > 0 && inflight === 0) idle += time - last;
    queued += dq;
    inflight += df;
    last = time;
  }
  return idle;
}

// ---------------------------------------------------------------------------------------------
// Fixtures: N Deployments; the PR bumps every image and makes every tenth container privileged.

function deployment(i: number, tag: string, privileged: boolean): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-${i}
  namespace: team-${i % 7}
  labels:
    app.kubernetes.io/name: svc-${i}
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: svc-${i}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: svc-${i}
    spec:
      securityContext:
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: app
          image: registry.example.com/svc-${i}:${tag}
          ports:
            - containerPort: 8080
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { memory: 256Mi }
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]${privileged ? "\n            privileged: true" : ""}
`;
}

export interface Fixture {
  repo: FakeRepo;
  number: number;
  baseSha: string;
  headSha: string;
  files: number;
}

function sha(n: number, side: string): string {
  return `${side}${String(n).padStart(8, "0")}`.padEnd(40, "0");
}

export function fixture(gh: FakeGitHub, n: number, name: string): Fixture {
  const repo = gh.addRepo(`bench/${name}`);
  const base: Record<string, string> = { [CONFIG_PATH]: "failOn: high\n" };
  const head: Record<string, string> = { ...base };
  for (let i = 0; i < n; i++) {
    const path = `apps/team-${i % 7}/svc-${i}/deployment.yaml`;
    base[path] = deployment(i, "1.0.0", false);
    head[path] = deployment(i, "1.1.0", i % 10 === 0);
  }
  const baseSha = repo.commit(sha(n, "ba5e"), base, "main");
  const headSha = repo.commit(sha(n, "bead"), head);
  repo.addPull({ number: 1, base: { sha: baseSha, ref: "main" }, head: { sha: headSha, ref: "bump" } });
  return { repo, number: 1, baseSha, headSha, files: n };
}

export function openedPayload(f: Fixture): Record<string, unknown> {
  const repository = { id: f.repo.id, name: f.repo.name, full_name: f.repo.fullName, owner: { login: f.repo.owner } };
  return {
    action: "opened",
    number: f.number,
    pull_request: {
      number: f.number,
      state: "open",
      head: { sha: f.headSha, ref: "bump", repo: repository },
      base: { sha: f.baseSha, ref: "main", repo: repository },
      changed_files: f.files,
    },
    repository,
    installation: { id: INSTALLATION_ID },
  };
}

// ---------------------------------------------------------------------------------------------
// Naive baseline: sequential pages, then each file version through the contents API, one at a time.

type Client = InstanceType<typeof TimedOctokit>;

async function naiveReview(octokit: Client, f: Fixture): Promise<string> {
  const repo = { owner: f.repo.owner, repo: f.repo.name };
  const { data: run } = await octokit.rest.checks.create({ ...repo, name: "gitops-guard-naive", head_sha: f.headSha, status: "in_progress" });
  const { data: cfg } = await octokit.rest.repos.getContent({ ...repo, path: CONFIG_PATH });
  const config = loadConfigYaml(!Array.isArray(cfg) && cfg.type === "file" ? Buffer.from(cfg.content, "base64").toString("utf8") : "", ALL_RULES, CONFIG_PATH);
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, { ...repo, pull_number: f.number, per_page: 100 });
  const read = async (path: string, ref: string): Promise<string> => {
    const { data } = await octokit.rest.repos.getContent({ ...repo, path, ref });
    if (Array.isArray(data) || data.type !== "file") return "";
    return Buffer.from(data.content, "base64").toString("utf8");
  };
  const changes: FileChange[] = [];
  for (const file of files) {
    if (!/\.ya?ml$/.test(file.filename)) continue;
    const head = file.status === "removed" ? undefined : await read(file.filename, f.headSha);
    const base = file.status === "added" ? undefined : await read(file.previous_filename ?? file.filename, f.baseSha);
    changes.push({ path: file.filename, status: file.status === "removed" ? "removed" : file.status === "added" ? "added" : "modified", base, head });
  }
  const result = review({ changes, config, rules: ALL_RULES, now: new Date() });
  await octokit.rest.checks.update({ ...repo, check_run_id: run.id, status: "completed", conclusion: result.conclusion, output: { title: "naive", summary: `${result.summary.new} new` } });
  await octokit.rest.issues.listComments({ ...repo, issue_number: f.number, per_page: 100 });
  return result.conclusion;
}

// ---------------------------------------------------------------------------------------------

/** check run create + config + file pages + base and head of every file + check run update + comment lookup. */
function naiveRequestCount(n: number): number {
  return 4 + Math.ceil(n / 100) + 2 * n;
}

/** DESIGN.md: ≤ 4 + 3·⌈(N + C)/100⌉ requests for N changed files and C files a render reads (none here). */
export function requestBudget(n: number): number {
  return 4 + 3 * Math.ceil(n / 100);
}

/** The fake GitHub with latency and the real app on Probot's production Octokit (timed), recording outcomes. */
/**
 * The App as it runs in service: with its decision store (dynalite on loopback, DynamoDB's wire protocol), which
 * records each review and remembers the summary comment. `close` stops the fake GitHub and the store.
 */
async function startBenchApp(): Promise<{ gh: FakeGitHub; probot: Probot; outcomes: ReviewOutcome[]; close: () => Promise<void> }> {
  const keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const privateKey = keys.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const gh = await FakeGitHub.start({ latencyMs: LATENCY_MS, appId: APP_ID, publicKey: keys.publicKey.export({ type: "spki", format: "pem" }).toString() });
  const dynamo = await startDynalite();
  const store = await openStore({ AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, TABLE_NAME: "gitops-guard-bench" });
  const outcomes: ReviewOutcome[] = [];
  const probot = new Probot({ appId: APP_ID, privateKey, baseUrl: gh.apiUrl, Octokit: TimedOctokit, logLevel: "fatal", request: { fetch: timedFetch } });
  await probot.load((app) => gitopsGuard(app, { store, onReview: (o) => outcomes.push(o) }));
  const close = async () => {
    await gh.close();
    await store.close();
    await dynamo.close();
  };
  return { gh, probot, outcomes, close };
}

export async function runGithubBench(sizes: readonly number[] = SIZES, naiveMeasuredUpTo = 300): Promise<GithubBenchRow[]> {
  const { gh, probot, outcomes, close } = await startBenchApp();
  const rows: GithubBenchRow[] = [];
  try {
    // A server in service is warm: one unmeasured review first loads the code, warms the JIT and fetches
    // the installation token (cached for an hour, as in production).
    const octokit = (await probot.auth(INSTALLATION_ID)) as Client;
    await probot.receive({ id: "bench-warmup", name: "pull_request", payload: openedPayload(fixture(gh, 100, "warmup")) } as Parameters<Probot["receive"]>[0]);
    let perNaiveRequest = 0;
    for (const n of sizes) {
      const f = fixture(gh, n, `gitops-${n}`);
      const mark = gh.requests.length;
      const t0 = performance.now();
      await probot.receive({ id: `bench-${n}`, name: "pull_request", payload: openedPayload(f) } as Parameters<Probot["receive"]>[0]);
      const t1 = performance.now();
      if (process.env.BENCH_TRACE) {
        for (const t of timings.values()) if (t.issued >= t0 && t.issued <= t1) process.stderr.write(`${(t.issued - t0).toFixed(0).padStart(6)} ${((t.dispatched ?? 0) - t0).toFixed(0).padStart(6)} ${((t.done ?? 0) - t0).toFixed(0).padStart(6)} ${t.url}\n`);
      }
      const requests = gh.apiRequests(mark);
      const outcome = outcomes.at(-1);

      // The naive reviewer is strictly sequential, so its time is its requests × the time each takes; the
      // 3,000-file run (6,000+ requests, minutes) is extrapolated from the largest measured one.
      let naiveRequests = naiveRequestCount(n);
      let naiveMs: number;
      const measured = n <= naiveMeasuredUpTo;
      if (measured) {
        const nMark = gh.requests.length;
        const n0 = performance.now();
        await naiveReview(octokit, fixture(gh, n, `naive-${n}`));
        naiveMs = performance.now() - n0;
        naiveRequests = gh.apiRequests(nMark).length;
        perNaiveRequest = naiveMs / naiveRequests;
      } else {
        naiveMs = naiveRequests * (perNaiveRequest || LATENCY_MS);
      }

      rows.push({
        files: n,
        requests: requests.length,
        budget: requestBudget(n),
        wallMs: t1 - t0,
        throttleMs: throttleIdle(t0, t1),
        conclusion: outcome?.kind === "reviewed" ? outcome.result.conclusion : (outcome?.kind ?? "none"),
        naiveRequests,
        naiveMs,
        naiveMeasured: measured,
      });
    }
  } finally {
    await close();
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Kustomize: a PR that touches one base used by 20 overlays (each overlay: a kustomization and a patch).

export interface KustomizeBenchRow {
  overlays: number;
  event: "opened" | "synchronize";
  requests: number;
  /** 4 + 3·⌈(N + C)/100⌉ for N changed files and C files the render reads. */
  budget: number;
  graphqlQueries: number;
  treeRequests: number;
  /** Each request, `METHOD /path`, in order (what to look at when the count is over). */
  requestList: string[];
  wallMs: number;
  throttleMs: number;
  /** Overlays named by the finding the base change introduces. */
  overlaysNamed: number;
  conclusion: string;
}

function overlayRepo(overlays: number, privileged: boolean): Record<string, string> {
  const files: Record<string, string> = {
    [CONFIG_PATH]: "failOn: high\n",
    "apps/web/base/kustomization.yaml": "resources:\n  - deployment.yaml\n",
    "apps/web/base/deployment.yaml": deployment(0, "1.0.0", privileged).replace("  namespace: team-0\n", "").replace("image: registry.example.com/svc-0:1.0.0", "image: registry.example.com/web"),
  };
  for (let i = 0; i < overlays; i++) {
    files[`apps/web/overlays/region-${i}/kustomization.yaml`] =
      `resources:\n  - ../../base\nnamespace: web-${i}\nimages:\n  - name: registry.example.com/web\n    newTag: 1.${i}.0\npatches:\n  - path: replicas.yaml\n`;
    files[`apps/web/overlays/region-${i}/replicas.yaml`] = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc-0\nspec:\n  replicas: ${2 + (i % 3)}\n`;
  }
  return files;
}

export async function runKustomizeBench(overlays = 20): Promise<KustomizeBenchRow[]> {
  const { gh, probot, outcomes, close } = await startBenchApp();
  const rows: KustomizeBenchRow[] = [];
  try {
    await probot.receive({ id: "kbench-warmup", name: "pull_request", payload: openedPayload(fixture(gh, 10, "kwarmup")) } as Parameters<Probot["receive"]>[0]);
    const repo = gh.addRepo("bench/overlays");
    const base = overlayRepo(overlays, false);
    const baseSha = repo.commit(sha(overlays, "ba5e"), base, "main");
    const headSha = repo.commit(sha(overlays, "bead"), overlayRepo(overlays, true));
    const nextSha = repo.commit(sha(overlays, "beef"), { ...overlayRepo(overlays, true), "apps/web/base/deployment.yaml": overlayRepo(overlays, true)["apps/web/base/deployment.yaml"]!.replace("replicas: 2", "replicas: 3") });
    repo.addPull({ number: 1, base: { sha: baseSha, ref: "main" }, head: { sha: headSha, ref: "debug" } });
    const f: Fixture = { repo, number: 1, baseSha, headSha, files: 1 };
    // N = 1 changed file; C = what the render of the overlays reads besides it: the base kustomization and each
    // overlay's kustomization and patch.
    const budget = 4 + 3 * Math.ceil((1 + 1 + 2 * overlays) / 100);
    const run = async (event: KustomizeBenchRow["event"], payload: Record<string, unknown>): Promise<void> => {
      const mark = gh.requests.length;
      const t0 = performance.now();
      await probot.receive({ id: `kbench-${event}`, name: "pull_request", payload } as Parameters<Probot["receive"]>[0]);
      const t1 = performance.now();
      rows.push(kustomizeRow(gh.apiRequests(mark), outcomes.at(-1), { overlays, event, budget, wallMs: t1 - t0, throttleMs: throttleIdle(t0, t1) }));
    };
    await run("opened", openedPayload(f));
    // A push to the PR: the summary comment exists now, and is edited by the id the decision store remembers.
    repo.pushHead(1, nextSha);
    await run("synchronize", { ...openedPayload({ ...f, headSha: nextSha }), action: "synchronize", before: headSha });
  } finally {
    await close();
  }
  return rows;
}

function kustomizeRow(
  requests: ReturnType<FakeGitHub["apiRequests"]>,
  outcome: ReviewOutcome | undefined,
  r: Pick<KustomizeBenchRow, "overlays" | "event" | "budget" | "wallMs" | "throttleMs">,
): KustomizeBenchRow {
  const finding = outcome?.kind === "reviewed" ? outcome.result.findings.find((x) => x.ruleId === "k8s/privileged-container") : undefined;
  return {
    ...r,
    requests: requests.length,
    graphqlQueries: requests.filter((q) => q.path.endsWith("/graphql")).length,
    treeRequests: requests.filter((q) => q.path.includes("/git/trees/")).length,
    requestList: requests.map((q) => `${q.method} ${q.path}`),
    overlaysNamed: finding?.renderedFrom?.length ?? 0,
    conclusion: outcome?.kind === "reviewed" ? outcome.result.conclusion : (outcome?.kind ?? "none"),
  };
}
