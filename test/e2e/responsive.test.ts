/**
 * End to end, issue 12 #2: the server keeps answering while it reviews. A pull request of many files that are each
 * expensive to review (but legitimate, within every per-file limit) is being reviewed; meanwhile GET /ping and a
 * signed webhook for an innocent pull request (another installation) arrive. Both are answered while the expensive
 * review is still running, and the innocent pull request gets its completed check run. The server runs in this
 * process, so the test also counts the event loop's turns while the expensive review works: the longest gap between
 * two turns must be a small part of that work (one step, not the whole review). A review that holds the event loop
 * makes one gap as long as all of its work. Ratios of the run's own durations, no wall-clock bound. The real server over HTTP,
 * with the GitHub API served by the loopback fake (GHE_HOST), the decision store in dynalite.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { performance } from "node:perf_hooks";
import { startServer, type RunningServer } from "../../src/app/server.js";
import { startDynalite, type DynaliteServer } from "../../src/store/dynalite-server.js";
import { FakeGitHub, type FakeRepo } from "../fakes/github/fake-github.js";
import { expensiveFile } from "./expensive-pr.js";
import * as h from "./harness.js";
import { APP_ID, BASE, PUBLIC_KEY, until } from "./harness.js";

/** Files in the expensive pull request, each a list of this many clean Deployments (about 60 ms of review each here). */
const FILES = 80;
const DEPLOYMENTS = 40;
const EXPENSIVE = "e".repeat(40);
const INNOCENT = "c".repeat(40);


let gh: FakeGitHub;
let app: RunningServer;
let dynamo: DynaliteServer;
let heavy: FakeRepo;
let light: FakeRepo;

beforeAll(async () => {
  gh = await FakeGitHub.start({ appId: APP_ID, publicKey: PUBLIC_KEY });
  heavy = gh.addRepo("acme/platform");
  heavy.commit(BASE, { "README.md": "platform\n" }, "main");
  const files: Record<string, string> = { "README.md": "platform\n" };
  for (let f = 0; f < FILES; f++) files[`apps/web-${f}/deployments.yaml`] = expensiveFile(`web-${f}`, DEPLOYMENTS);
  heavy.commit(EXPENSIVE, files);
  heavy.addPull({ number: 1, base: { sha: BASE, ref: "main" }, head: { sha: EXPENSIVE, ref: "many-apps" } });
  light = gh.addRepo("acme/gitops");
  light.commit(BASE, { "projects/team-a.yaml": h.PROJECT_OK }, "main");
  light.commit(INNOCENT, { "projects/team-a.yaml": h.PROJECT_FIXED });
  light.addPull({ number: 1, base: { sha: BASE, ref: "main" }, head: { sha: INNOCENT, ref: "bump" } });
  dynamo = await startDynalite();
  app = await startServer({
    env: h.appEnv(gh.host, { endpoint: dynamo.endpoint, table: "gitops-guard-responsive" }),
    port: 0,
    host: "127.0.0.1",
  });
});

afterAll(async () => {
  await app?.close();
  await gh?.close();
  await dynamo?.close();
});

/** Whether the expensive pull request's check run is completed, now. */
const expensiveDone = (): boolean => heavy.latestCheckRun(EXPENSIVE)?.status === "completed";

const contentsOf = (repo: string) => (r: { method: string; path: string; body: unknown }) => r.path.endsWith("/graphql") && JSON.stringify(r.body).includes(`name: \\"${repo}\\"`);

describe("a server reviewing an expensive pull request", () => {
  it("answers /ping and an innocent pull request's webhook meanwhile, and its event loop turns between the review's steps", async () => {
    // The event loop's turns, from a ticker that re-arms itself with setImmediate (one tick per turn).
    const turns: number[] = [];
    let ticking = true;
    const tick = (): void => {
      turns.push(performance.now());
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);

    const expensive = h.pullRequestPayload(heavy, "opened", EXPENSIVE);
    expensive.pull_request.changed_files = FILES;
    expect((await h.deliver(app.url, "pull_request", expensive)).status).toBe(202);
    // Every expensive file's content has been served: the review is at its work (parse and rules) from here on.
    await until("the expensive files served", () => gh.requests.some((r) => contentsOf("platform")(r) && r.status !== 0));
    const workFrom = performance.now();
    expect(expensiveDone()).toBe(false);

    const ping = await fetch(`${app.url}/ping`);
    const pingAnsweredWhileReviewing = !expensiveDone();
    expect(ping.status).toBe(200);

    const innocent = h.pullRequestPayload(light, "opened", INNOCENT);
    innocent.installation = { id: 78, node_id: "inst-78" };
    const ack = await h.deliver(app.url, "pull_request", innocent);
    const ackedWhileReviewing = !expensiveDone();
    expect(ack.status).toBe(202);

    const expensiveRun = await until("the expensive pull request's completed check run", () => (expensiveDone() ? heavy.latestCheckRun(EXPENSIVE) : null), 60_000);
    const workTo = performance.now();
    ticking = false;
    // Reviewed in full: no file was cut short by its budget, none left by the review's.
    expect(expensiveRun!.conclusion).toBe("success");
    expect(expensiveRun!.output.title).not.toMatch(/Not fully reviewed/);
    const run = await until("the innocent pull request's completed check run", () => {
      const r = light.latestCheckRun(INNOCENT);
      return r?.status === "completed" ? r : null;
    }, 60_000);
    expect(run.conclusion).toBe("success");

    // While the expensive review worked, the event loop kept turning: its longest pause is a small part of the work.
    const during = [workFrom, ...turns.filter((t) => t > workFrom && t < workTo), workTo];
    // A loop, not Math.max(...): a slow machine records more turns than a spread may pass as arguments.
    let longestPause = 0;
    for (let i = 1; i < during.length; i++) longestPause = Math.max(longestPause, during[i]! - during[i - 1]!);
    const work = workTo - workFrom;
    expect({ pingAnsweredWhileReviewing, ackedWhileReviewing, longestPauseUnderAThirdOfTheWork: longestPause < work / 3 }).toEqual({
      pingAnsweredWhileReviewing: true,
      ackedWhileReviewing: true,
      longestPauseUnderAThirdOfTheWork: true,
    });
  }, 120_000);
});
