/**
 * End to end with the embedded store: the server started like `npm start` on a laptop (no
 * AWS_ENDPOINT_URL_DYNAMODB, no AWS credentials) keeps its decisions in dynalite under `.gitops-guard/`
 * of its working directory; `gitops-guard decisions` reads them, also after a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type RunningServer } from "../../src/app/server.js";
import { FakeGitHub, type FakeRepo } from "../fakes/github/fake-github.js";
import * as h from "./harness.js";
import { APP_ID, BASE, HEAD1, PROJECT_OK, PROJECT_WILDCARD, PUBLIC_KEY, until } from "./harness.js";

let gh: FakeGitHub;
let repo: FakeRepo;
let app: RunningServer | undefined;
let cwd: string;

/** Only the App's settings: no AWS variable at all. */
function start(): Promise<RunningServer> {
  return startServer({
    env: h.appEnv(gh.host),
    port: 0,
    host: "127.0.0.1",
    cwd,
  });
}

const decisions = () => h.decisions({ env: {}, cwd }, repo.fullName, "--pr", "1");
const comment = async (login: string, body: string) => {
  const c = repo.addComment(1, body, { login, type: "User" });
  await h.deliver(app!.url, "issue_comment", h.commentPayload(repo, gh.apiUrl, c));
  return c;
};

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), "gitops-guard-embedded-"));
  gh = await FakeGitHub.start({ appId: APP_ID, publicKey: PUBLIC_KEY });
  repo = gh.addRepo("acme/gitops");
  repo.commit(BASE, { "projects/team-a.yaml": PROJECT_OK }, "main");
  repo.commit(HEAD1, { "projects/team-a.yaml": PROJECT_WILDCARD });
  repo.addPull({ number: 1, base: { sha: BASE, ref: "main" }, head: { sha: HEAD1, ref: "open-up" } });
  repo.setPermission("bob", "write");
  app = await start();
});

afterAll(async () => {
  await app?.close();
  await gh?.close();
  rmSync(cwd, { recursive: true, force: true });
});

describe("the embedded store", () => {
  it("is dynalite under .gitops-guard/ of the working directory", () => {
    expect(app!.store).toMatchObject({ mode: "embedded", tableName: "gitops-guard" });
    expect(existsSync(join(cwd, ".gitops-guard", "dynalite"))).toBe(true);
  });

  it("a waiver turns the failing check green and is on the record", async () => {
    await h.deliver(app!.url, "pull_request", h.pullRequestPayload(repo, "opened", HEAD1));
    await until("the failing check run", () => repo.latestCheckRun(HEAD1)?.conclusion === "failure");
    await comment("bob", '/guard waive argocd/project-source-repos-wildcard --reason "temporary, OPS-1"');
    await until("the green check run", () => repo.latestCheckRun(HEAD1)?.conclusion === "success");
    const records = await decisions();
    expect(records.map((r) => [r.type, r.conclusion ?? null])).toEqual([
      ["review", "failure"],
      ["waiver", null],
      ["review", "success"],
    ]);
    expect(records[1]).toMatchObject({ rule: "argocd/project-source-repos-wildcard", actor: "bob", reason: "temporary, OPS-1", headSha: HEAD1 });
  });

  it("keeps the decisions across a restart: the record and /guard status still show the waiver", async () => {
    const before = await decisions();
    await app!.close();
    app = undefined;
    expect(await decisions()).toEqual(before);
    app = await start();
    await comment("bob", "/guard status");
    const reply = await until("the status reply", () => h.replies(repo).find((c) => c.body.includes("Status of this PR")));
    expect(reply.body).toContain("Waivers in force (1)");
    expect(reply.body).toContain("argocd/project-source-repos-wildcard");
  });
});
