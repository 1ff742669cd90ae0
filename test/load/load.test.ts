/**
 * Load: 50 pull-request reviews in flight at once against the local server (Probot over HTTP, the production
 * Octokit with its throttling and retries) and the fake GitHub on loopback, with the decision store on dynalite.
 * Each PR belongs to its own installation, as 50 customers of one App would: Octokit spaces writes per
 * installation, so what is measured is the server's own capacity, not GitHub's pacing of one installation (a
 * single installation's reviews wait ≥ 1 s between writes by design).
 *
 * Asserted: every delivery is accepted, every PR gets exactly one completed check run with the verdict a single
 * review gives, one summary comment and one review record; memory grows by a bounded amount per review in flight
 * (and 50 at once stay under DESIGN.md's 512 MB). Printed: wall time, throughput, CPU time and peak RSS.
 * Bounded: the run gives up after 60 s (`npm run test:long`: 200 PRs of 40 files, 240 s).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { openStore } from "../../src/store/open.js";
import type { FakeRepo } from "../fakes/github/fake-github.js";
import { callsAbout, deliverPull, newInstallation, pullRepo, shasOf, startWorld, until, type World } from "../faults/world.js";
import { LONG, scaled } from "../long.js";

const PULLS = scaled(50, 200);
const FILES_PER_PULL = scaled(20, 40);
const DEADLINE_MS = scaled(60_000, 240_000);
/** DESIGN.md's memory budget (for one 3,000-file review; 50 reviews of 20 files read about a third of that). */
const RSS_BUDGET = 512 * 1024 * 1024;
/**
 * Growth of the process's RSS per review in flight (an Octokit, a logger and the review's files and findings each;
 * also the fake GitHub's record of every request): measured ≈ 2.2 MB, for 20 and for 40 files a PR.
 */
const RSS_PER_REVIEW = 4 * 1024 * 1024;

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
  peakRss: number;
  startRss: number;
}

let world: World;
let run: Run;

function sampleRss(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

beforeAll(async () => {
  world = await startWorld();
  const head = headFiles();
  const repos = Array.from({ length: PULLS }, (_, i) => pullRepo(world.gh, `load/repo-${i}`, { "README.md": "base\n" }, head));
  const startRss = process.memoryUsage().rss;
  const rss = sampleRss();
  const cpu = process.cpuUsage();
  const started = Date.now();
  const statuses = await Promise.all(repos.map((repo) => deliverPull(world, repo, "opened", shasOf(repo).head1, { installation: newInstallation() })));
  await until(`${PULLS} completed check runs`, () => repos.every((r) => r.latestCheckRun(shasOf(r).head1)?.status === "completed"), DEADLINE_MS);
  const wallMs = Date.now() - started;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  // The summary comments go out after the check runs (one more spaced write per installation).
  await until("every summary comment", () => repos.every((r) => r.comments(1).length > 0), 10_000);
  run = { repos, statuses, wallMs, peakRss: rss.stop(), startRss };
  const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
  console.log(
    `load${LONG ? " (long)" : ""}: ${PULLS} PRs × ${FILES_PER_PULL} files in flight at once: all check runs completed in ${(wallMs / 1000).toFixed(2)} s → ` +
      `${(PULLS / (wallMs / 1000)).toFixed(1)} PRs/s, ${((PULLS * FILES_PER_PULL) / (wallMs / 1000)).toFixed(0)} files/s; ` +
      `CPU ${(cpuMs / 1000).toFixed(2)} s (${(cpuMs / PULLS).toFixed(0)} ms per PR); ` +
      `peak RSS ${mb(run.peakRss)} (${mb(startRss)} before; Jest, the fake GitHub and dynalite share the process)`,
  );
}, DEADLINE_MS + 30_000);

afterAll(async () => {
  await world?.close();
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
      const calls = callsAbout(world.gh, repo);
      // The config lookups answer 404 (no .github/gitops-guard.yml): that is how GitHub says "none".
      expect(calls.filter((c) => c.status >= 400 && !(c.route === "contents" && c.status === 404))).toEqual([]);
      expect(calls.filter((c) => c.route !== "contents").length).toBeLessThanOrEqual(4 + 3 * Math.ceil(FILES_PER_PULL / 100));
    }
  });

  it("one summary comment and one review record per PR", async () => {
    for (const repo of run.repos) expect(repo.comments(1)).toHaveLength(1);
    const store = await openStore(world.storeEnv);
    try {
      const records = await Promise.all(run.repos.slice(0, 10).map((r) => store.audit({ repo: r.fullName })));
      for (const rs of records) expect(rs.map((r) => r.type)).toEqual(["review"]);
    } finally {
      await store.close();
    }
  });

  it("memory stays bounded: at most 4 MB more per review in flight, and (50 at once) under DESIGN.md's 512 MB", () => {
    expect(run.peakRss - run.startRss).toBeLessThan(PULLS * RSS_PER_REVIEW);
    if (!LONG) expect(run.peakRss).toBeLessThan(RSS_BUDGET);
  });
});
