/**
 * End to end, issue 12 #2: the server keeps answering while it reviews. A pull request of many files that are each
 * expensive to review (but legitimate, within every per-file limit) is being reviewed; meanwhile GET /ping and a
 * signed webhook for an innocent pull request (another installation) arrive. Both are answered while the expensive
 * review is still running, and the innocent pull request gets its completed check run first: its review ran between
 * the expensive review's steps. When a review holds the event loop, the innocent review cannot even start before the
 * expensive one's work is done, and then it needs several more requests and Octokit's write spacing, so the order
 * of the two completions is the behaviour under test (no wall-clock bound is asserted). The real server over HTTP,
 * the GitHub API served by the loopback fake (GHE_HOST), the decision store in dynalite.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startServer, type RunningServer } from "../../src/app/server.js";
import { startDynalite, type DynaliteServer } from "../../src/store/dynalite-server.js";
import { FakeGitHub, type FakeRepo } from "../fakes/github/fake-github.js";
import { expensiveFile } from "./expensive-pr.js";
import * as h from "./harness.js";
import { APP_ID, BASE, PRIVATE_KEY, PUBLIC_KEY, SECRET, until } from "./harness.js";

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
    env: {
      APP_ID: String(APP_ID),
      PRIVATE_KEY,
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: gh.host,
      GHE_PROTOCOL: "http",
      LOG_LEVEL: "fatal",
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      TABLE_NAME: "gitops-guard-responsive",
    },
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

/** Where in the fake's request log (arrival order) the first request matching `match` is; -1 when none. */
const arrival = (match: (r: { method: string; path: string; body: unknown }) => boolean): number => gh.requests.findIndex(match);
const contentsOf = (repo: string) => (r: { method: string; path: string; body: unknown }) => r.path.endsWith("/graphql") && JSON.stringify(r.body).includes(`name: \\"${repo}\\"`);
const completionOf = (repo: string) => (r: { method: string; path: string; body: unknown }) =>
  r.method === "PATCH" && r.path.startsWith(`/repos/acme/${repo}/check-runs/`) && (r.body as { conclusion?: unknown } | undefined)?.conclusion !== undefined;

describe("a server reviewing an expensive pull request", () => {
  it("answers /ping and an innocent pull request's webhook meanwhile, and reviews the innocent one between its steps", async () => {
    const expensive = h.pullRequestPayload(heavy, "opened", EXPENSIVE);
    expensive.pull_request.changed_files = FILES;
    expect((await h.deliver(app.url, "pull_request", expensive)).status).toBe(202);
    // Every expensive file's content has been served: the review is at its work (parse and rules) from here on.
    await until("the expensive files served", () => gh.requests.some((r) => contentsOf("platform")(r) && r.status !== 0));
    expect(expensiveDone()).toBe(false);

    const ping = await fetch(`${app.url}/ping`);
    const pingAnsweredWhileReviewing = !expensiveDone();
    expect(ping.status).toBe(200);

    const innocent = h.pullRequestPayload(light, "opened", INNOCENT);
    innocent.installation = { id: 78, node_id: "inst-78" };
    const ack = await h.deliver(app.url, "pull_request", innocent);
    const ackedWhileReviewing = !expensiveDone();
    expect(ack.status).toBe(202);

    const run = await until("the innocent pull request's completed check run", () => {
      const r = light.latestCheckRun(INNOCENT);
      return r?.status === "completed" ? r : null;
    }, 60_000);
    expect(run.conclusion).toBe("success");
    const expensiveRun = await until("the expensive pull request's completed check run", () => (expensiveDone() ? heavy.latestCheckRun(EXPENSIVE) : null), 60_000);
    // Reviewed in full: no file was cut short by its budget, none left by the review's.
    expect(expensiveRun!.conclusion).toBe("success");
    expect(expensiveRun!.output.title).not.toMatch(/Not fully reviewed/);

    // The innocent review ran between the expensive review's steps: it had its check run and asked for its files
    // before the expensive review was done. A review that holds the event loop makes it wait for the whole work, and
    // then for Octokit's write spacing: its content request would come after the expensive completion.
    const innocentFetched = arrival(contentsOf("gitops"));
    const expensiveCompleted = arrival(completionOf("platform"));
    expect(innocentFetched).toBeGreaterThan(-1);
    expect({ pingAnsweredWhileReviewing, ackedWhileReviewing, innocentFetchedFirst: innocentFetched < expensiveCompleted }).toEqual({
      pingAnsweredWhileReviewing: true,
      ackedWhileReviewing: true,
      innocentFetchedFirst: true,
    });
  }, 120_000);
});
