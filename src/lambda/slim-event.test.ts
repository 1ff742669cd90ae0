import { describe, expect, it } from "@jest/globals";
import { decodeMessage, encodeMessage } from "./queue-message.js";
import { rebuildPayload, slimEvent, type ApiGet } from "./slim-event.js";

const repository = { id: 1, name: "gitops", full_name: "acme/gitops", owner: { login: "acme" } };
const common = { installation: { id: 77 }, repository, sender: { login: "bob", id: 2, type: "User" } };

/** A GitHub API that answers GETs from a table, recording the routes and parameters asked for. */
function api(answers: Record<string, unknown>): { get: ApiGet; calls: string[] } {
  const calls: string[] = [];
  const get: ApiGet = async (route, params) => {
    const url = route.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k]));
    calls.push(url);
    if (!(url in answers)) throw new Error(`unexpected ${url}`);
    return { data: answers[url] };
  };
  return { get, calls };
}

describe("slim events (payloads too large for SQS)", () => {
  it("keeps what identifies each event the app handles, and nothing bulky", () => {
    const body = "x".repeat(70_000);
    expect(slimEvent("pull_request", { ...common, action: "edited", number: 5, pull_request: { number: 5, body }, changes: { base: { ref: { from: "dev" } }, body: { from: body } } })).toEqual({
      action: "edited",
      installationId: 77,
      owner: "acme",
      repo: "gitops",
      sender: { login: "bob", id: 2, type: "User" },
      pullNumber: 5,
      baseChange: { ref: { from: "dev" } },
    });
    expect(slimEvent("issue_comment", { ...common, action: "created", issue: { number: 5, body }, comment: { id: 9, body } })).toMatchObject({ issueNumber: 5, commentId: 9 });
    expect(slimEvent("check_run", { ...common, action: "requested_action", check_run: { id: 3, output: { text: body } }, requested_action: { identifier: "recheck" } })).toMatchObject({ checkRunId: 3, requestedAction: "recheck" });
    expect(slimEvent("check_suite", { ...common, action: "rerequested", check_suite: { id: 4 } })).toMatchObject({ checkSuiteId: 4 });
  });

  it("has no slim form for other events, or without an installation or the object's id", () => {
    expect(slimEvent("push", { ...common, commits: [] })).toBeNull();
    expect(slimEvent("pull_request", { ...common, installation: undefined, number: 5 })).toBeNull();
    expect(slimEvent("issue_comment", { ...common, issue: { number: 5 } })).toBeNull();
    expect(slimEvent("check_suite", { ...common, check_suite: {} })).toBeNull();
  });

  it("pull_request: the pull request is re-read, the repository taken from its base", async () => {
    const pull = { number: 5, head: { sha: "h" }, base: { sha: "b", repo: repository } };
    const { get, calls } = api({ "GET /repos/acme/gitops/pulls/5": pull });
    const slim = slimEvent("pull_request", { ...common, action: "synchronize", number: 5, before: "a", after: "h" })!;
    expect(await rebuildPayload("pull_request", slim, get)).toEqual({ action: "synchronize", number: 5, pull_request: pull, repository, installation: { id: 77 }, sender: common.sender, before: "a", after: "h" });
    expect(calls).toEqual(["GET /repos/acme/gitops/pulls/5"]);
  });

  it("issue_comment: the comment, its issue and the repository are re-read", async () => {
    const comment = { id: 9, body: "/guard recheck", user: { login: "bob", type: "User" } };
    const issue = { number: 5, pull_request: { url: "…/pulls/5" }, user: { login: "alice" } };
    const { get, calls } = api({ "GET /repos/acme/gitops/issues/comments/9": comment, "GET /repos/acme/gitops/issues/5": issue, "GET /repos/acme/gitops": repository });
    const slim = slimEvent("issue_comment", { ...common, action: "created", issue, comment })!;
    expect(await rebuildPayload("issue_comment", slim, get)).toEqual({ action: "created", comment, issue, repository, installation: { id: 77 }, sender: common.sender });
    expect(calls.sort()).toEqual(["GET /repos/acme/gitops", "GET /repos/acme/gitops/issues/5", "GET /repos/acme/gitops/issues/comments/9"]);
  });

  it("check_run and check_suite: the run or suite is re-read, with the button that was pressed", async () => {
    const run = { id: 3, name: "gitops-guard", head_sha: "h", pull_requests: [] };
    const suite = { id: 4, head_sha: "h", pull_requests: [] };
    const { get } = api({ "GET /repos/acme/gitops/check-runs/3": run, "GET /repos/acme/gitops/check-suites/4": suite, "GET /repos/acme/gitops": repository });
    const runSlim = slimEvent("check_run", { ...common, action: "requested_action", check_run: run, requested_action: { identifier: "recheck" } })!;
    expect(await rebuildPayload("check_run", runSlim, get)).toMatchObject({ action: "requested_action", check_run: run, requested_action: { identifier: "recheck" }, repository });
    const suiteSlim = slimEvent("check_suite", { ...common, action: "rerequested", check_suite: suite })!;
    expect(await rebuildPayload("check_suite", suiteSlim, get)).toMatchObject({ action: "rerequested", check_suite: suite, repository });
  });

  it("an API answer that is not an object is an error (the record is retried), not a wrong payload", async () => {
    const { get } = api({ "GET /repos/acme/gitops/pulls/5": "oops" });
    await expect(rebuildPayload("pull_request", slimEvent("pull_request", { ...common, number: 5 })!, get)).rejects.toThrow(/not an object/);
  });
});

describe("queue messages", () => {
  it("round-trip a full and a slim message", () => {
    const payload = { ...common, action: "opened", number: 5, pull_request: { number: 5, body: "é".repeat(200) } };
    const full = encodeMessage("d-1", "pull_request", payload);
    expect(full).toEqual({ body: expect.any(String), slim: null });
    expect(decodeMessage((full as { body: string }).body)).toEqual({ message: { v: 1, id: "d-1", name: "pull_request", payload } });
    const slim = encodeMessage("d-1", "pull_request", payload, 200);
    expect(decodeMessage((slim as { body: string }).body)).toEqual({ message: { v: 1, id: "d-1", name: "pull_request", slim: expect.objectContaining({ pullNumber: 5 }) } });
  });

  it("say why a record is not a message", () => {
    expect(decodeMessage("hello")).toEqual({ error: "the body is not JSON" });
    expect(decodeMessage(JSON.stringify({ v: 1, id: "d", name: "pull_request" }))).toMatchObject({ error: expect.stringMatching(/^not a gitops-guard webhook message/) });
    expect(decodeMessage(JSON.stringify({ v: 2, id: "d", name: "ping", payload: {} }))).toHaveProperty("error");
    expect(decodeMessage(JSON.stringify({ v: 1, id: "d", name: "Not An Event", payload: {} }))).toHaveProperty("error");
    expect(decodeMessage(JSON.stringify({ v: 1, id: "d", name: "ping", payload: {}, extra: 1 }))).toHaveProperty("error");
  });
});
