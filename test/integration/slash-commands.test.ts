/**
 * Slash-commands, closed PRs and delivery dedupe through Probot + nock, with a real decision store
 * (dynalite on 127.0.0.1, DynamoDB's wire protocol; no stubbed client).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import nock from "nock";
import type { Probot } from "probot";
import type { ReviewOutcome } from "../../src/pipeline/run-review.js";
import type { CommentOutcome } from "../../src/slash/handlers.js";
import { startDynalite, type DynaliteServer } from "../../src/store/dynalite-server.js";
import { openStore, type OpenedStore } from "../../src/store/open.js";
import {
  API,
  BASE_SHA,
  HEAD_SHA,
  OWNER,
  PRIVILEGED_POD,
  REPO,
  REPO_PATH,
  example,
  makeProbot,
  nockCheckRun,
  nockComments,
  nockConfig,
  nockFiles,
  nockGraphql,
  nockToken,
  prPayload,
  type PayloadJson,
} from "./helpers.js";

const FULL = `${OWNER}/${REPO}`;
const AUTHOR = "alice";
const RULE = "k8s/privileged-container";
const NOW = new Date("2026-03-01T10:00:00.000Z");
/** A clock that moves a second at every reading (records are ordered by time). */
let tick = 0;
const clock = () => new Date(NOW.getTime() + ++tick * 1000);

let dynalite: DynaliteServer;
let store: OpenedStore;
let tables = 0;

beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(async () => {
  await dynalite.close();
});

beforeEach(async () => {
  nock.cleanAll();
  store = await openStore({ AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint, TABLE_NAME: `commands-${++tables}` });
});
afterEach(async () => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  await store.close();
  expect(pending).toEqual([]);
});

interface Harness {
  probot: Probot;
  commands: CommentOutcome[];
  /** Every review's outcome, in order (the comment phase's action included). */
  outcomes: ReviewOutcome[];
}

async function app(): Promise<Harness> {
  const commands: CommentOutcome[] = [];
  const { probot, outcomes } = await makeProbot({ store, now: clock, onCommands: (o) => commands.push(o) });
  return { probot, commands, outcomes };
}

let commentSeq = 5000;

/** A real `issue_comment.created` example, moved onto PR #2 (examples have no PR comment: add `issue.pull_request`). */
function commentPayload(body: string, o: { login?: string; type?: "User" | "Bot"; action?: string; onIssue?: boolean; id?: number } = {}): PayloadJson {
  const p = example("issue_comment", o.action ?? "created");
  p.action = o.action ?? "created";
  p.repository.owner.login = OWNER;
  p.repository.name = REPO;
  p.repository.full_name = FULL;
  const issue = p.issue as { number: number; user: { login: string }; pull_request?: unknown };
  issue.number = 2;
  issue.user = { ...issue.user, login: AUTHOR };
  if (o.onIssue) delete issue.pull_request;
  else issue.pull_request = { url: `${API}${REPO_PATH}/pulls/2`, html_url: `https://github.com/${FULL}/pull/2`, diff_url: null, patch_url: null, merged_at: null };
  const comment = p.comment as { id: number; body: string; user: { login: string; type: string } };
  comment.id = o.id ?? ++commentSeq;
  comment.body = body;
  comment.user = { ...comment.user, login: o.login ?? "bob", type: o.type ?? "User" };
  return p;
}

async function deliver(probot: Probot, name: string, payload: PayloadJson, id = `delivery-${Math.random().toString(36).slice(2)}`): Promise<void> {
  await probot.receive({ id, name, payload } as Parameters<Probot["receive"]>[0]);
}

function nockPull(scope: nock.Scope): void {
  scope.get(`${REPO_PATH}/pulls/2`).reply(200, { number: 2, state: "open", head: { sha: HEAD_SHA }, base: { sha: BASE_SHA }, changed_files: 1 });
}

function nockPermission(scope: nock.Scope, login: string, permission: string, roleName = permission): void {
  scope.get(`${REPO_PATH}/collaborators/${login}/permission`).reply(200, { permission, role_name: roleName, user: { login } });
}

/** Replies (new comments that are not the summary comment). */
function nockReply(scope: nock.Scope, replies: string[], status = 201): void {
  scope.post(`${REPO_PATH}/issues/2/comments`).reply(status, (_u, body) => {
    replies.push((body as { body: string }).body);
    return status === 201 ? { id: 7000 + replies.length } : { message: "Server Error" };
  });
}

/** The re-evaluation: a new check run on the head, the files, their contents, and the summary comment. */
function nockRereview(scope: nock.Scope, summary: { id: number; body: string } | null, edits = true) {
  const check = nockCheckRun(scope, 43);
  nockFiles(scope, [{ filename: "apps/debug.yaml", status: "added" }]);
  nockGraphql(scope, { [HEAD_SHA]: { "apps/debug.yaml": PRIVILEGED_POD } });
  // The decision store remembers the summary comment the first review created: it is edited by id, not looked up.
  const comments = nockComments(scope, summary ? [summary] : [], summary ? (edits ? { update: summary.id, list: false } : { list: false, read: summary.id }) : {});
  return { check, comments };
}

/** The PR as first reviewed (synchronize): failing, one summary comment created, the review recorded. */
async function firstReview(probot: Probot): Promise<{ id: number; body: string }> {
  const gh = nock(API);
  const check = nockCheckRun(gh, 42);
  nockConfig(gh, "{}\n");
  nockFiles(gh, [{ filename: "apps/debug.yaml", status: "added" }]);
  nockGraphql(gh, { [HEAD_SHA]: { "apps/debug.yaml": PRIVILEGED_POD } });
  const comments = nockComments(gh, [], { create: true });
  await deliver(probot, "pull_request", prPayload("synchronize"));
  expect(check.updates[0]).toMatchObject({ conclusion: "failure" });
  return { id: 900, body: comments.created[0]! };
}

describe("waive", () => {
  it("a writer's waiver: reply, the check run re-run green, the summary comment updated, the waiver and both reviews recorded", async () => {
    const { probot, commands } = await app();
    nockToken();
    const summary = await firstReview(probot);

    const gh = nock(API);
    nockConfig(gh, "{}\n");
    nockPull(gh);
    nockPermission(gh, "bob", "write");
    const { check, comments } = nockRereview(gh, summary);
    const replies: string[] = [];
    nockReply(gh, replies);
    await deliver(probot, "issue_comment", commentPayload(`/guard waive ${RULE} apps/debug.yaml#Pod/debug --reason "debug pod for INC-7, removed tomorrow" --for 2d`));

    const waivers = await store.activeWaivers(FULL, 2, NOW);
    expect(waivers).toHaveLength(1);
    expect(waivers[0]).toMatchObject({ rule: RULE, file: "apps/debug.yaml", resource: "Pod/debug", actor: "bob", headSha: HEAD_SHA, reason: "debug pod for INC-7, removed tomorrow" });
    expect(Date.parse(waivers[0]!.expires) - Date.parse(waivers[0]!.time)).toBe(2 * 86_400_000);
    expect(check.created[0]).toMatchObject({ name: "gitops-guard", head_sha: HEAD_SHA, status: "in_progress" });
    expect(check.updates[0]).toMatchObject({ conclusion: "success" });
    expect(check.updates[0]!.output.annotations.find((a) => a.title.startsWith(RULE))?.annotation_level).toBe("notice");
    expect(comments.updated).toHaveLength(1);
    expect(comments.updated[0]!.body).toContain("waived");
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain(`✅ Waiver \`${waivers[0]!.id}\`: \`${RULE}\``);
    expect(replies[0]).toContain("Re-evaluated `ec26c3e`: ✅ success");
    expect(commands[0]!.results.map((r) => r.status)).toEqual(["done"]);

    const audit = await store.audit({ repo: FULL, pr: 2 });
    expect(audit.map((r) => [r.type, "conclusion" in r ? r.conclusion : null])).toEqual([
      ["review", "failure"],
      ["waiver", null],
      ["review", "success"],
    ]);
  });

  it("a reader's waiver: the reply says exactly why, nothing is recorded or re-run", async () => {
    const { probot } = await app();
    nockToken();
    const gh = nock(API);
    nockConfig(gh, "{}\n");
    nockPull(gh);
    nockPermission(gh, "carol", "read");
    const replies: string[] = [];
    nockReply(gh, replies);
    await deliver(probot, "issue_comment", commentPayload(`/guard waive ${RULE} --reason "trust me"`, { login: "carol" }));
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain("⛔ `/guard waive` was not run: `waive` needs write permission on the repository (you have read permission). Nothing changed.");
    expect(await store.waiversOf(FULL, 2)).toEqual([]);
    expect(await store.audit({ repo: FULL })).toEqual([]);
  });

  it("a stranger (no permission) changes nothing; waiveRequires from the config is what counts", async () => {
    const { probot } = await app();
    nockToken();
    const gh = nock(API);
    nockConfig(gh, "commands:\n  waiveRequires: maintain\n");
    nockPull(gh);
    nockPermission(gh, "erin", "write");
    const replies: string[] = [];
    nockReply(gh, replies);
    await deliver(probot, "issue_comment", commentPayload(`/guard waive ${RULE} --reason "x"`, { login: "erin" }));
    expect(replies[0]).toContain("`waive` needs maintain permission on the repository (you have write permission)");
    expect(await store.waiversOf(FULL, 2)).toEqual([]);
  });
});

describe("override", () => {
  it("the PR's author cannot override their own PR without allowSelfOverride, even as an admin", async () => {
    const { probot } = await app();
    nockToken();
    const gh = nock(API);
    nockConfig(gh, "{}\n");
    nockPull(gh);
    nockPermission(gh, AUTHOR, "admin");
    const replies: string[] = [];
    nockReply(gh, replies);
    await deliver(probot, "issue_comment", commentPayload('/guard override --reason "I know what I am doing"', { login: AUTHOR }));
    expect(replies[0]).toContain("⛔ `/guard override` was not run: the PR's author cannot override their own PR (`commands.allowSelfOverride` is off). Nothing changed.");
    expect(await store.overrideFor(FULL, 2, HEAD_SHA)).toBeNull();
  });

  it("an admin's override makes this head pass; the findings stay listed as overridden", async () => {
    const { probot } = await app();
    nockToken();
    const gh = nock(API);
    nockConfig(gh, "{}\n");
    nockPull(gh);
    nockPermission(gh, "root", "admin");
    const { check } = nockRereview(gh, null);
    const replies: string[] = [];
    nockReply(gh, replies);
    await deliver(probot, "issue_comment", commentPayload('/guard override --reason "hotfix approved in INC-42"', { login: "root" }));
    expect(await store.overrideFor(FULL, 2, HEAD_SHA)).toMatchObject({ actor: "root", reason: "hotfix approved in INC-42", headSha: HEAD_SHA });
    expect(check.updates[0]).toMatchObject({ conclusion: "success" });
    expect(check.updates[0]!.output.title).toMatch(/override/i);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain("✅ Override: commit `ec26c3e` passes, by `@root`: “hotfix approved in INC-42”.");
  });

  it("a member of an overrideTeams team may override (team membership API, state active)", async () => {
    const { probot } = await app();
    nockToken();
    const gh = nock(API);
    nockConfig(gh, "commands:\n  overrideTeams: [platform-leads]\n");
    nockPull(gh);
    nockPermission(gh, "dave", "write");
    gh.get(`/orgs/${OWNER}/teams/platform-leads/memberships/dave`).reply(200, { state: "active", role: "member" });
    nockRereview(gh, null);
    const posted: string[] = [];
    nockReply(gh, posted);
    await deliver(probot, "issue_comment", commentPayload('/guard override --reason "release freeze exception"', { login: "dave" }));
    expect(await store.overrideFor(FULL, 2, HEAD_SHA)).toMatchObject({ actor: "dave" });
  });

  it("a pending team invitation does not count", async () => {
    const { probot } = await app();
    nockToken();
    const gh = nock(API);
    nockConfig(gh, "commands:\n  overrideTeams: [acme/platform-leads]\n");
    nockPull(gh);
    nockPermission(gh, "dave", "write");
    gh.get("/orgs/acme/teams/platform-leads/memberships/dave").reply(200, { state: "pending", role: "member" });
    const replies: string[] = [];
    nockReply(gh, replies);
    await deliver(probot, "issue_comment", commentPayload('/guard override --reason "please"', { login: "dave" }));
    expect(replies[0]).toContain("`override` needs a repository admin or a member of `acme/platform-leads`");
    expect(await store.overrideFor(FULL, 2, HEAD_SHA)).toBeNull();
  });
});

describe("answers", () => {
  it("recheck: a 👍 reaction on the comment and a new review of the head, no reply", async () => {
    const { probot, commands } = await app();
    nockToken();
    const gh = nock(API);
    nockConfig(gh, "{}\n");
    nockPull(gh);
    nockPermission(gh, "bob", "read");
    const reactions: string[] = [];
    const payload = commentPayload("/guard recheck");
    gh.post(`${REPO_PATH}/issues/comments/${(payload.comment as { id: number }).id}/reactions`).reply(201, (_u, body) => (reactions.push((body as { content: string }).content), { id: 1 }));
    const { check } = nockRereview(gh, null);
    // The failing review creates the summary comment.
    const created: string[] = [];
    nockReply(gh, created);
    await deliver(probot, "issue_comment", payload);
    expect(reactions).toEqual(["+1"]);
    expect(check.updates[0]).toMatchObject({ conclusion: "failure" });
    expect(created.every((b) => b.includes("<!-- gitops-guard:summary -->"))).toBe(true);
    expect(commands[0]!.reply).toBeNull();
  });

  it("an unknown command gets the help text", async () => {
    const { probot } = await app();
    nockToken();
    const gh = nock(API);
    nockConfig(gh, "{}\n");
    nockPull(gh);
    const replies: string[] = [];
    nockReply(gh, replies);
    await deliver(probot, "issue_comment", commentPayload("/guard approve please"));
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain("**gitops-guard commands**");
    expect(replies[0]).toContain("`/guard waive <rule>");
  });

  it("a configured prefix is the one that counts", async () => {
    const { probot } = await app();
    nockToken();
    const gh = nock(API);
    nockConfig(gh, "commands:\n  prefix: /gg\n");
    nockPull(gh);
    const replies: string[] = [];
    nockReply(gh, replies);
    await deliver(probot, "issue_comment", commentPayload("/guard help\n/gg help"));
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain("`/gg recheck`");
  });

  it("an invalid config: the command is answered with the problem, nothing is done", async () => {
    const { probot } = await app();
    nockToken();
    const gh = nock(API);
    nockConfig(gh, "failOn: sometimes\n");
    const replies: string[] = [];
    nockReply(gh, replies);
    await deliver(probot, "issue_comment", commentPayload(`/guard waive ${RULE} --reason "x"`));
    expect(replies[0]).toMatch(/Nothing was done: `\.github\/gitops-guard\.yml` on the default branch is invalid: .*failOn/);
    expect(await store.waiversOf(FULL, 2)).toEqual([]);
  });

  it("an ordinary comment costs one config read and gets no answer", async () => {
    const { probot, commands } = await app();
    nockToken();
    nockConfig(nock(API), "{}\n");
    await deliver(probot, "issue_comment", commentPayload("LGTM, but see /guard docs later"));
    expect(commands).toEqual([]);
  });
});

describe("ignored comments (no request at all)", () => {
  it.each([
    ["a bot's comment", commentPayload("/guard help", { login: "gitops-guard[bot]", type: "Bot" })],
    ["a bot-named account", commentPayload("/guard help", { login: "renovate[bot]", type: "User" })],
    ["an edited comment", commentPayload("/guard help", { action: "edited" })],
    ["a comment on a plain issue", commentPayload("/guard help", { onIssue: true })],
  ])("%s", async (_what, payload) => {
    const { probot, commands } = await app();
    await deliver(probot, "issue_comment", payload);
    expect(commands).toEqual([]);
    expect(await store.audit({ repo: FULL })).toEqual([]);
  });
});

describe("deliveries", () => {
  it("a redelivered comment (same delivery id) gets no second reply and records nothing twice", async () => {
    const { probot, commands } = await app();
    nockToken();
    const gh = nock(API);
    nockConfig(gh, "{}\n");
    nockPull(gh);
    nockPermission(gh, "bob", "write");
    nockRereview(gh, null);
    const posted: string[] = [];
    nockReply(gh, posted);
    nockReply(gh, posted);
    const payload = commentPayload(`/guard waive ${RULE} --reason "known, tracked in OPS-9"`);
    await deliver(probot, "issue_comment", payload, "delivery-same");
    await deliver(probot, "issue_comment", payload, "delivery-same");
    expect(commands).toHaveLength(1);
    expect(posted.filter((b) => b.includes("command-reply"))).toHaveLength(1);
    expect((await store.audit({ repo: FULL })).map((r) => r.type)).toEqual(["waiver", "review"]);
  });

  it("a redelivered pull_request event records no second review and makes no second comment", async () => {
    const { probot } = await app();
    nockToken();
    const gh = nock(API);
    nockCheckRun(gh, 42);
    nockConfig(gh, "{}\n");
    nockFiles(gh, [{ filename: "apps/debug.yaml", status: "added" }]);
    nockGraphql(gh, { [HEAD_SHA]: { "apps/debug.yaml": PRIVILEGED_POD } });
    const comments = nockComments(gh, [], { create: true });
    const payload = prPayload("synchronize");
    await deliver(probot, "pull_request", payload, "pr-delivery");
    await deliver(probot, "pull_request", payload, "pr-delivery");
    expect(comments.created).toHaveLength(1);
    expect((await store.audit({ repo: FULL })).map((r) => r.type)).toEqual(["review"]);
  });

  it("when processing fails the delivery is forgotten, and GitHub's redelivery completes the work without doubling the waiver", async () => {
    const { probot, outcomes } = await app();
    nockToken();
    const gh = nock(API);
    nockConfig(gh, "{}\n");
    nockPull(gh);
    nockPermission(gh, "bob", "write");
    nockRereview(gh, null);
    const failed: string[] = [];
    const posted: string[] = [];
    nockReply(gh, failed); // the summary comment
    nockReply(gh, failed, 500); // the reply fails
    const payload = commentPayload(`/guard waive ${RULE} --reason "accepted for the demo"`);
    await expect(deliver(probot, "issue_comment", payload, "delivery-retry")).rejects.toThrow();
    const [waiver] = await store.waiversOf(FULL, 2);
    expect(waiver).toBeDefined();

    nockConfig(gh, "{}\n");
    nockPull(gh);
    nockPermission(gh, "bob", "write");
    // The summary comment the first attempt posted is remembered and says the same: neither looked up nor written.
    expect(failed[0]).toContain("<!-- gitops-guard:summary -->");
    nockRereview(gh, { id: 7001, body: failed[0]! }, false);
    nockReply(gh, posted);
    await deliver(probot, "issue_comment", payload, "delivery-retry");
    expect(posted).toHaveLength(1);
    expect(outcomes.map((o) => (o.kind === "reviewed" ? o.comment : o.kind))).toEqual(["created", "unchanged"]);
    expect(await store.waiversOf(FULL, 2)).toEqual([waiver]);
    expect(posted.find((b) => b.includes("command-reply"))).toContain(`Waiver \`${waiver!.id}\` (already recorded)`);
  });
});

describe("closed pull requests and the Re-run review button", () => {
  it("pull_request.closed records merged, the last conclusion and the overrides in force", async () => {
    const { probot } = await app();
    nockToken();
    await firstReview(probot);
    await store.createOverride({ repo: FULL, pr: 2, headSha: HEAD_SHA, actor: "root", reason: "hotfix", time: NOW });
    const closed = prPayload("synchronize");
    closed.action = "closed";
    (closed.pull_request as { merged?: boolean }).merged = true;
    await deliver(probot, "pull_request", closed);
    const last = (await store.audit({ repo: FULL, pr: 2 })).at(-1);
    expect(last).toMatchObject({ type: "closed", merged: true, headSha: HEAD_SHA, lastConclusion: "failure", overrides: [{ actor: "root", reason: "hotfix", headSha: HEAD_SHA }] });
  });

  it("completed check runs carry a Re-run review button; pressing it reviews the head again", async () => {
    const { probot, outcomes } = await app();
    nockToken();
    const gh = nock(API);
    const first = nockCheckRun(gh, 42);
    nockConfig(gh, "{}\n");
    nockFiles(gh, [{ filename: "apps/debug.yaml", status: "added" }]);
    nockGraphql(gh, { [HEAD_SHA]: { "apps/debug.yaml": PRIVILEGED_POD } });
    const comments = nockComments(gh, [], { create: true });
    await deliver(probot, "pull_request", prPayload("synchronize"));
    expect((first.updates[0] as unknown as { actions: unknown }).actions).toEqual([{ label: "Re-run review", description: "Review this commit again", identifier: "recheck" }]);

    const p = example("check_run", "requested_action");
    p.repository.owner.login = OWNER;
    p.repository.name = REPO;
    p.repository.full_name = FULL;
    p.repository.html_url = `https://github.com/${FULL}`;
    p.check_run!.name = "gitops-guard";
    p.check_run!.head_sha = HEAD_SHA;
    p.check_run!.pull_requests = [{ number: 2, base: { repo: { id: p.repository.id } } }];
    (p as { requested_action?: unknown }).requested_action = { identifier: "recheck" };
    nockPull(gh);
    const again = nockCheckRun(gh, 44);
    nockConfig(gh, "{}\n");
    nockFiles(gh, [{ filename: "apps/debug.yaml", status: "added" }]);
    nockGraphql(gh, { [HEAD_SHA]: { "apps/debug.yaml": PRIVILEGED_POD } });
    // Same head, same findings: the store's digest says the body is the one remembered; the comment is read by id to
    // be sure it still says so, and left alone (no lookup, no edit).
    // Same head, same findings: the store's digest says the body is the one remembered; the comment is read by id to
    // be sure it still says so, and left alone (no lookup, no edit).
    nockComments(gh, [{ id: 900, body: comments.created[0]! }], { list: false, read: 900 });
    await deliver(probot, "check_run", p);
    expect(again.created[0]).toMatchObject({ head_sha: HEAD_SHA, status: "in_progress" });
    expect(again.updates[0]).toMatchObject({ conclusion: "failure" });
    expect(outcomes.map((o) => (o.kind === "reviewed" ? o.comment : o.kind))).toEqual(["created", "unchanged"]);
  });
});
