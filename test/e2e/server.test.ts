/**
 * End to end: the real server (the factory `npm start` runs) on loopback, HMAC-SHA256-signed webhooks
 * over HTTP, and the GitHub API served by a local fake (GHE_HOST=127.0.0.1:<port>, GHE_PROTOCOL=http).
 * Probot's production Octokit is used, throttling included.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { sign } from "@octokit/webhooks-methods";
import { randomUUID } from "node:crypto";
import { startServer, type RunningServer } from "../../src/app/server.js";
import { startDynalite, type DynaliteServer } from "../../src/store/dynalite-server.js";
import { FakeGitHub, type FakeRepo } from "../fakes/github/fake-github.js";
import * as h from "./harness.js";
import { APP_ID, BASE, HEAD1, HEAD2, PROJECT_FIXED, PROJECT_OK, PROJECT_WILDCARD, PUBLIC_KEY, eventually, until, type Payload } from "./harness.js";

let gh: FakeGitHub;
let app: RunningServer;
let repo: FakeRepo;
let dynamo: DynaliteServer;
const TABLE = "gitops-guard-e2e";

const pullRequestPayload = (action: "opened" | "synchronize", head: string, before?: string) => h.pullRequestPayload(repo, action, head, before);
const commentPayload = (comment: { id: number; body: string; user: { login: string; type: string } }) => h.commentPayload(repo, gh.apiUrl, comment);
const deliver = (event: string, payload: unknown, signature?: string | null, delivery?: string) => h.deliver(app.url, event, payload, signature, delivery);
/** `gitops-guard decisions --repo acme/gitops …` against the test's dynalite. */
const decisions = (...args: string[]) => h.decisions({ env: { AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, TABLE_NAME: TABLE } }, "acme/gitops", ...args);
const summaryComments = () => h.summaryComments(repo);
const replies = () => h.replies(repo);

beforeAll(async () => {
  gh = await FakeGitHub.start({ appId: APP_ID, publicKey: PUBLIC_KEY });
  repo = gh.addRepo("acme/gitops");
  repo.commit(BASE, { "projects/team-a.yaml": PROJECT_OK, ".github/gitops-guard.yml": "failOn: high\n" }, "main");
  repo.commit(HEAD1, { "projects/team-a.yaml": PROJECT_WILDCARD, ".github/gitops-guard.yml": "failOn: high\n" });
  repo.commit(HEAD2, { "projects/team-a.yaml": PROJECT_FIXED, ".github/gitops-guard.yml": "failOn: high\n", "README.md": "docs\n" });
  repo.addPull({ number: 1, base: { sha: BASE, ref: "main" }, head: { sha: HEAD1, ref: "open-up" } });
  repo.setPermission("bob", "write");
  repo.setPermission("carol", "read");
  dynamo = await startDynalite();
  app = await startServer({
    env: h.appEnv(gh.host, { endpoint: dynamo.endpoint, table: TABLE }),
    port: 0,
    host: "127.0.0.1",
  });
});

afterAll(async () => {
  await app?.close();
  await gh?.close();
  await dynamo?.close();
});

describe("webhook server against a fake GitHub", () => {
  it("answers GET /ping", async () => {
    const res = await fetch(`${app.url}/ping`);
    expect(res.status).toBe(200);
  });

  it("rejects unsigned and wrongly signed webhooks, and calls nothing", async () => {
    const before = gh.requests.length;
    const unsigned = await deliver("pull_request", pullRequestPayload("opened", HEAD1), null);
    const wrong = await deliver("pull_request", pullRequestPayload("opened", HEAD1), await sign("not-the-secret", "{}"));
    const sha1Only = await deliver("pull_request", pullRequestPayload("opened", HEAD1), "sha1=0123456789abcdef0123456789abcdef01234567");
    for (const res of [unsigned, wrong, sha1Only]) expect([400, 401]).toContain(res.status);
    await new Promise((r) => setTimeout(r, 200));
    expect(gh.requests.length).toBe(before);
    expect(repo.checkRuns()).toHaveLength(0);
  });

  it("opened: a completed check run with annotations and one summary comment", async () => {
    const res = await deliver("pull_request", pullRequestPayload("opened", HEAD1));
    expect([200, 202]).toContain(res.status);
    const run = await until("a completed check run", () => repo.checkRuns().find((c) => c.head_sha === HEAD1 && c.status === "completed"));
    expect(run.name).toBe("gitops-guard");
    expect(run.conclusion).toBe("failure");
    expect(run.output.title).toMatch(/new high-risk change/);
    const wildcard = run.output.annotations.find((a) => String(a.title).startsWith("argocd/project-source-repos-wildcard"));
    expect(wildcard).toMatchObject({ path: "projects/team-a.yaml", start_line: 8, annotation_level: "failure" });
    const comments = await until("the summary comment", () => (summaryComments().length ? summaryComments() : null));
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain("<!-- gitops-guard:summary -->");
    expect(comments[0].body).toContain(`<!-- gitops-guard:sha=${HEAD1} -->`);
    // Installation token through POST /app/installations/{id}/access_tokens, with a JWT the fake verified.
    expect(gh.requests.some((r) => r.path === "/app/installations/77/access_tokens" && r.status === 201)).toBe(true);
  });

  it("opened over HTTP: the store is the one in AWS_ENDPOINT_URL_DYNAMODB, and the review is on the record", async () => {
    expect(app.store).toMatchObject({ mode: "endpoint", endpoint: dynamo.endpoint, tableName: TABLE });
    const [review] = await eventually("the review record", async () => (await decisions("--pr", "1")).slice(0, 1));
    expect(review).toMatchObject({ type: "review", pr: 1, headSha: HEAD1, baseSha: BASE, conclusion: "failure", counts: { bySeverity: { high: 1 } } });
    expect(review!.findings).toEqual([expect.objectContaining({ ruleId: "argocd/project-source-repos-wildcard", file: "projects/team-a.yaml", resource: { kind: "AppProject", namespace: "argocd", name: "team-a" } })]);
  });

  it("a signed waiver comment from a writer turns the failing check green, edits the summary, replies, and is on the record", async () => {
    const text = '/guard waive argocd/project-source-repos-wildcard projects/team-a.yaml#AppProject/team-a --reason "migration window, OPS-77" --for 7d';
    const comment = repo.addComment(1, text, { login: "bob", type: "User" });
    const delivery = randomUUID();
    const res = await deliver("issue_comment", commentPayload(comment), undefined, delivery);
    expect([200, 202]).toContain(res.status);
    const run = await until("a green check run on the head", () => {
      const latest = repo.latestCheckRun(HEAD1);
      return latest?.status === "completed" && latest.conclusion === "success" ? latest : null;
    });
    expect(run.output.title).not.toMatch(/new high-risk change/);
    expect(run.actions.map((a) => a.identifier)).toEqual(["recheck"]);
    const [reply] = await until("the reply", () => (replies().length ? replies() : null));
    expect(reply!.body).toContain("@bob");
    expect(reply!.body).toMatch(/✅ Waiver `[a-z0-9]+`: `argocd\/project-source-repos-wildcard` on `projects\/team-a\.yaml`/);
    expect(reply!.body).toContain("success");
    expect(summaryComments()).toHaveLength(1);
    expect(summaryComments()[0]!.body).toMatch(/waived/i);

    const records = await eventually("the second review record", async () => {
      const all = await decisions("--pr", "1");
      return all.filter((r) => r.type === "review").length === 2 ? all : null;
    });
    const waiver = records.find((r) => r.type === "waiver");
    expect(waiver).toMatchObject({
      repo: "acme/gitops",
      pr: 1,
      rule: "argocd/project-source-repos-wildcard",
      file: "projects/team-a.yaml",
      resource: "AppProject/team-a",
      actor: "bob",
      reason: "migration window, OPS-77",
      headSha: HEAD1,
    });
    expect(Date.parse(String(waiver!.expires)) - Date.parse(String(waiver!.time))).toBe(7 * 86_400_000);
    expect(records.filter((r) => r.type === "review").map((r) => r.conclusion)).toEqual(["failure", "success"]);

    // GitHub's redelivery of the same delivery: nothing new (no reply, no check run, no record).
    const runs = repo.checkRuns().length;
    const again = await deliver("issue_comment", commentPayload(comment), undefined, delivery);
    expect([200, 202]).toContain(again.status);
    await new Promise((r) => setTimeout(r, 300));
    expect(replies()).toHaveLength(1);
    expect(repo.checkRuns()).toHaveLength(runs);
    expect(await decisions("--pr", "1")).toHaveLength(records.length);
  });

  it("a reader's waiver is refused with the reason; a reader's recheck gets a 👍 reaction", async () => {
    const refused = repo.addComment(1, '/guard waive argocd/project-source-repos-wildcard --reason "me too"', { login: "carol", type: "User" });
    await deliver("issue_comment", commentPayload(refused));
    const reply = await until("the refusal", () => replies().find((c) => c.body.includes("⛔")));
    expect(reply.body).toContain("`waive` needs write permission on the repository (you have read permission). Nothing changed.");
    expect((await decisions()).filter((r) => r.type === "waiver")).toHaveLength(1);

    const recheck = repo.addComment(1, "/guard recheck", { login: "carol", type: "User" });
    const runs = repo.checkRuns().length;
    await deliver("issue_comment", commentPayload(recheck));
    await until("the reaction", () => repo.reactions(recheck.id).find((r) => r.content === "+1"));
    await until("a new check run", () => repo.checkRuns().length > runs && repo.latestCheckRun(HEAD1)?.status === "completed");
    expect(repo.latestCheckRun(HEAD1)!.conclusion).toBe("success");
  });

  it("synchronize with the fix: the same comment is edited to all clear, and the new head gets its own check run", async () => {
    repo.pushHead(1, HEAD2);
    const mark = gh.requests.length;
    const res = await deliver("pull_request", pullRequestPayload("synchronize", HEAD2, HEAD1));
    expect([200, 202]).toContain(res.status);
    const run = await until("the second check run", () => repo.checkRuns().find((c) => c.head_sha === HEAD2 && c.status === "completed"));
    expect(run.conclusion).toBe("success");
    const comments = await until("the edited comment", () => (summaryComments()[0]?.body.includes(HEAD2) ? summaryComments() : null));
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toMatch(/No new risky changes/);
    // The store remembers which comment is the summary: it is edited by its id, the PR's comments are not listed.
    const requests = gh.apiRequests(mark).map((r) => `${r.method} ${r.path}`);
    expect(requests).toContain(`PATCH /repos/acme/gitops/issues/comments/${comments[0].id}`);
    expect(requests.filter((r) => r.startsWith("GET /repos/acme/gitops/issues/1/comments"))).toEqual([]);
    expect(repo.checkRuns().every((c) => c.status === "completed")).toBe(true);
  });

  it("closing the PR (merged) records its final state", async () => {
    const closed = pullRequestPayload("synchronize", HEAD2, HEAD1) as Payload & { action: string; pull_request: { merged?: boolean } };
    closed.action = "closed";
    closed.pull_request.merged = true;
    delete closed.before;
    delete closed.after;
    await deliver("pull_request", closed);
    const record = await eventually("the closed record", async () => (await decisions("--pr", "1")).find((r) => r.type === "closed"));
    expect(record).toMatchObject({ type: "closed", pr: 1, merged: true, headSha: HEAD2, lastConclusion: "success", overrides: [] });
    expect((record.waivers as string[]).length).toBe(1);
  });

  it("answers 404 for other paths", async () => {
    const res = await fetch(`${app.url}/nothing-here`);
    expect(res.status).toBe(404);
  });
});
