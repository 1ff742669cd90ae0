/**
 * Load: 50 pull-request reviews in flight at once against the local server — in a process of its own (the sources
 * bundled on every run), Probot over HTTP with the production Octokit (throttling and retries on) — with the fake
 * GitHub and the decision store (dynalite) on loopback in the test's process. Each PR belongs to its own
 * installation, as 50 customers of one App would: Octokit spaces writes per installation, so what is measured is
 * the server's capacity, not GitHub's pacing of one installation (whose writes wait ≥ 1 s on each other by design).
 *
 * Asserted: every delivery is accepted, every PR gets exactly one completed check run with the verdict a single
 * review gives, one summary comment and one review record, within the request budget; the server's peak RSS stays
 * under DESIGN.md's 512 MB. Printed: wall time, throughput, the server's CPU time and peak RSS. Bounded: the run
 * gives up after 60 s, and the server process is stopped whatever happens (`npm run test:long`: 200 PRs of 40
 * files, 240 s).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { startDynalite, type DynaliteServer } from "../../src/store/dynalite-server.js";
import { openStore } from "../../src/store/open.js";
import * as h from "../e2e/harness.js";
import { FakeGitHub, type FakeRepo } from "../fakes/github/fake-github.js";
import { callsAbout, deliverPull, newInstallation, pullRepo, shasOf, until } from "../faults/world.js";
import { LONG, scaled } from "../long.js";
import { startServerProcess, type ServerProcess } from "./server-process.js";

const PULLS = scaled(50, 200);
const FILES_PER_PULL = scaled(20, 40);
const DEADLINE_MS = scaled(60_000, 240_000);
/** DESIGN.md's memory budget (for one 3,000-file review; here up to 8,000 files are read at once). */
const RSS_BUDGET = 512 * 1024 * 1024;
const TABLE = "gitops-guard-load";

/** Real manifests: the corpus's Argo CD example applications. */
function corpusFiles(n: number): Record<string, string> {
  const root = resolve(process.cwd(), "../shared/corpus/argocd-example-apps");
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name) && !p.includes("/templates/") && Object.keys(out).length < n) out[relative(root, p)] = readFileSync(p, "utf8");
    }
  };
  walk(root);
  return out;
}

/** The head of every PR: the corpus files, one of them made risky (a privileged container), and an open AppProject. */
function headFiles(): Record<string, string> {
  const files = corpusFiles(FILES_PER_PULL - 1);
  files["apps/risky.yaml"] = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: risky, namespace: apps}\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          image: nginx:1.27\n          securityContext: {privileged: true}\n`;
  return files;
}

interface Run {
  repos: FakeRepo[];
  statuses: number[];
  wallMs: number;
  /** The server process's resident memory before the load and at its peak (null where /proc is not available). */
  startRss: number | null;
  peakRss: number | null;
}

let gh: FakeGitHub;
let dynamo: DynaliteServer;
let server: ServerProcess;
let run: Run;

const mb = (n: number | null) => (n === null ? "n/a" : `${Math.round(n / 1024 / 1024)} MB`);

/** CPU seconds the process has used (Linux: /proc/<pid>/stat utime + stime), or null. */
function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

beforeAll(async () => {
  gh = await FakeGitHub.start({ appId: h.APP_ID, publicKey: h.PUBLIC_KEY });
  dynamo = await startDynalite();
  server = await startServerProcess({
    APP_ID: String(h.APP_ID),
    PRIVATE_KEY: h.PRIVATE_KEY,
    WEBHOOK_SECRET: h.SECRET,
    GHE_HOST: gh.host,
    GHE_PROTOCOL: "http",
    LOG_LEVEL: "fatal",
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    TABLE_NAME: TABLE,
  });
  const target = { gh, app: { url: server.url } };
  const head = headFiles();
  const repos = Array.from({ length: PULLS }, (_, i) => pullRepo(gh, `load/repo-${i}`, { "README.md": "base\n" }, head));
  const startRss = server.memory()?.rss ?? null;
  const cpu = cpuSeconds(server.pid);
  const started = Date.now();
  const statuses = await Promise.all(repos.map((repo) => deliverPull(target, repo, "opened", shasOf(repo).head1, { installation: newInstallation() })));
  await until(`${PULLS} completed check runs`, () => repos.every((r) => r.latestCheckRun(shasOf(r).head1)?.status === "completed"), DEADLINE_MS);
  const wallMs = Date.now() - started;
  const cpuUsed = cpu === null ? null : cpuSeconds(server.pid)! - cpu;
  // The summary comments go out after the check runs (one more spaced write per installation).
  await until("every summary comment", () => repos.every((r) => r.comments(1).length > 0), 10_000);
  run = { repos, statuses, wallMs, startRss, peakRss: server.memory()?.peak ?? null };
  console.log(
    `load${LONG ? " (long)" : ""}: ${PULLS} PRs × ${FILES_PER_PULL} files in flight at once: all check runs completed in ${(wallMs / 1000).toFixed(2)} s → ` +
      `${(PULLS / (wallMs / 1000)).toFixed(1)} PRs/s, ${((PULLS * FILES_PER_PULL) / (wallMs / 1000)).toFixed(0)} files/s; ` +
      `server CPU ${cpuUsed === null ? "n/a" : `${cpuUsed.toFixed(2)} s (${((cpuUsed * 1000) / PULLS).toFixed(0)} ms per PR)`}; ` +
      `server RSS ${mb(startRss)} before, peak ${mb(run.peakRss)}`,
  );
}, DEADLINE_MS + 60_000);

afterAll(async () => {
  await server?.stop();
  await gh?.close();
  await dynamo?.close();
}, 60_000);

describe(`${PULLS} pull requests reviewed at once`, () => {
  it("every delivery is accepted", () => {
    expect(run.statuses.every((s) => s >= 200 && s < 300)).toBe(true);
  });

  it("every PR has exactly one completed check run, with the same verdict and findings", () => {
    const verdicts = new Set(
      run.repos.map((r) => {
        const runs = r.checkRuns();
        expect(runs).toHaveLength(1);
        const [c] = runs;
        return JSON.stringify([c!.status, c!.conclusion, c!.output.title, c!.output.annotations.map((a) => [a.path, a.start_line, a.title])]);
      }),
    );
    expect(verdicts.size).toBe(1);
    const [status, conclusion, title, annotations] = JSON.parse([...verdicts][0]!) as [string, string, string, Array<[string, number, string]>];
    expect([status, conclusion, title]).toEqual(["completed", "failure", "1 new critical-risk change"]);
    expect(annotations).toContainEqual(["apps/risky.yaml", 10, expect.stringMatching(/^k8s\/privileged-container /)]);
  });

  it("no request failed, and each review stayed within the request budget (4 + 3·⌈N/100⌉)", () => {
    for (const repo of run.repos) {
      const calls = callsAbout(gh, repo);
      // The config lookups answer 404 (no .github/gitops-guard.yml): that is how GitHub says "none".
      expect(calls.filter((c) => c.status >= 400 && !(c.route === "contents" && c.status === 404))).toEqual([]);
      expect(calls.filter((c) => c.route !== "contents").length).toBeLessThanOrEqual(4 + 3 * Math.ceil(FILES_PER_PULL / 100));
    }
  });

  it("one summary comment and one review record per PR", async () => {
    for (const repo of run.repos) expect(repo.comments(1)).toHaveLength(1);
    const store = await openStore({ AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, TABLE_NAME: TABLE });
    try {
      const records = await Promise.all(run.repos.slice(0, 10).map((r) => store.audit({ repo: r.fullName })));
      for (const rs of records) expect(rs.map((r) => r.type)).toEqual(["review"]);
    } finally {
      await store.close();
    }
  });

  it("memory stays bounded: the server's peak RSS is under DESIGN.md's 512 MB", () => {
    // Where /proc is not available (not Linux) there is nothing to measure.
    if (run.peakRss !== null) expect(run.peakRss).toBeLessThan(RSS_BUDGET);
  });
});
