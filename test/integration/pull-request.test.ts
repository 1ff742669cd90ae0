import { describe, expect, it } from "@jest/globals";
import nock from "nock";
import {
  API,
  BASE_SHA,
  HEAD_SHA,
  PLAIN_YAML,
  PREVIOUS_SHA,
  PRIVILEGED_POD,
  REPO_PATH,
  findingTitles,
  makeProbot,
  nockCheckRun,
  nockComments,
  nockConfig,
  nockFiles,
  nockGraphql,
  nockToken,
  prPayload,
  recordRequests,
  send,
  requireAllMocksUsed,
} from "./helpers.js";

requireAllMocksUsed();

describe("pull_request events", () => {
  it("opened: check run in progress, then completed as failure with annotations, and one summary comment", async () => {
    const { probot, outcomes } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const requests = recordRequests(gh);
    const check = nockCheckRun(gh);
    nockConfig(gh, "failOn: high\n");
    nockFiles(gh, [{ filename: "apps/debug.yaml", status: "added" }]);
    const graphql = nockGraphql(gh, { [HEAD_SHA]: { "apps/debug.yaml": PRIVILEGED_POD } });
    // A PR opened a moment ago has no comment yet: the App creates one without listing comments first.
    const comments = nockComments(gh, [], { create: true, list: false });

    await send(probot, "pull_request", prPayload("opened"));

    expect(outcomes.map((o) => o.kind)).toEqual(["reviewed"]);
    expect(check.created[0]).toMatchObject({ name: "gitops-guard", head_sha: HEAD_SHA, status: "in_progress" });
    const done = check.updates[0];
    expect(done).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(done.output.title).toMatch(/^\d+ new (critical-risk|high-risk|risky) changes?/);
    const privileged = done.output.annotations.find((a: { title: string }) => a.title.startsWith("k8s/privileged-container"));
    expect(privileged).toMatchObject({ path: "apps/debug.yaml", start_line: 11, end_line: 11, annotation_level: "failure" });
    // Only the head of an added file is read, in one GraphQL query, by SHA.
    expect(graphql.queries).toEqual([{ owner: "Codertocat", name: "Hello-World", expressions: [`${HEAD_SHA}:apps/debug.yaml`] }]);
    expect(comments.created).toHaveLength(1);
    expect(comments.created[0]).toContain("<!-- gitops-guard:summary -->");
    expect(comments.created[0]).toContain(`<!-- gitops-guard:sha=${HEAD_SHA} -->`);
    expect(comments.created[0]).toContain("k8s/privileged-container");
    // Locations link to the head commit of the repository the event names, and the comment to the check run.
    expect(comments.created[0]).toContain(`(https://github.com/Codertocat/Hello-World/blob/${HEAD_SHA}/apps/debug.yaml#L11)`);
    expect(done.output.summary).toContain(`(https://github.com/Codertocat/Hello-World/blob/${HEAD_SHA}/apps/debug.yaml#L11)`);
    // 1 check create + 1 config + 1 files page + 1 head tree (for the Kustomize render) + 1 GraphQL + 1 comment
    // create + 1 check update.
    expect(requests).toHaveLength(7);
    expect(requests.filter((r) => r.includes("/git/trees/"))).toEqual([`GET ${REPO_PATH}/git/trees/${HEAD_SHA}?recursive=1`]);
  });

  it("synchronize: edits the comment computed for the previous head without re-reading the PR", async () => {
    const { probot } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    nockConfig(gh, null);
    nockFiles(gh, [{ filename: "apps/debug.yaml", status: "modified" }]);
    nockGraphql(gh, { [HEAD_SHA]: { "apps/debug.yaml": PLAIN_YAML }, [BASE_SHA]: { "apps/debug.yaml": PRIVILEGED_POD } });
    const old = `<!-- gitops-guard:summary -->\n<!-- gitops-guard:sha=${PREVIOUS_SHA} -->\n### ❌ gitops-guard: 1 new critical-risk change\n`;
    const comments = nockComments(gh, [{ id: 77, body: old }], { update: 77 });

    await send(probot, "pull_request", prPayload("synchronize", { before: PREVIOUS_SHA }));

    expect(check.updates[0]).toMatchObject({ conclusion: "success" });
    expect(comments.updated).toHaveLength(1);
    expect(comments.updated[0].body).toContain(`sha=${HEAD_SHA}`);
    expect(comments.updated[0].body).toMatch(/No new risky changes/);
    expect(comments.updated[0].body).toContain("fixed");
  });

  it("does not create a comment when there is nothing new to say", async () => {
    const { probot, outcomes } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    nockConfig(gh, "{}\n");
    nockFiles(gh, [{ filename: "docs/index.yaml", status: "modified" }]);
    nockGraphql(gh, { [HEAD_SHA]: { "docs/index.yaml": PLAIN_YAML }, [BASE_SHA]: { "docs/index.yaml": "title: old\n" } });
    nockComments(gh, []);

    await send(probot, "pull_request", prPayload("synchronize"));
    expect(check.updates[0]).toMatchObject({ conclusion: "success", output: { title: "No new risky changes" } });
    expect(outcomes[0]).toMatchObject({ comment: "skipped-no-findings" });
  });

  it("skips the comment update when the body would not change (the same commit reviewed again), edits it for a new commit", async () => {
    const { probot, outcomes } = await makeProbot();
    nockToken();
    const gh = nock(API);
    nockCheckRun(gh);
    nockConfig(gh, "{}\n");
    nockFiles(gh, [{ filename: "apps/debug.yaml", status: "added" }]);
    nockGraphql(gh, { [HEAD_SHA]: { "apps/debug.yaml": PRIVILEGED_POD } });
    // First run: capture the body the app writes.
    const first = nockComments(gh, [], { create: true });
    await send(probot, "pull_request", prPayload("synchronize"));
    expect(first.created).toHaveLength(1);

    // The same commit again (e.g. a re-run; a new check run): the comment exists and says the same. (The installation token is cached.)
    const gh2 = nock(API);
    nockCheckRun(gh2, 43);
    nockConfig(gh2, "{}\n");
    nockFiles(gh2, [{ filename: "apps/debug.yaml", status: "added" }]);
    nockGraphql(gh2, { [HEAD_SHA]: { "apps/debug.yaml": PRIVILEGED_POD } });
    nockComments(gh2, [{ id: 5, body: first.created[0] }]); // no update expected
    await send(probot, "pull_request", prPayload("reopened"));

    // A new push with the same findings: the comment now names the commit it is about.
    const gh3 = nock(API);
    nockCheckRun(gh3, 44);
    nockConfig(gh3, "{}\n");
    nockFiles(gh3, [{ filename: "apps/debug.yaml", status: "added" }]);
    const next = "1".repeat(40);
    nockGraphql(gh3, { [next]: { "apps/debug.yaml": PRIVILEGED_POD } });
    const third = nockComments(gh3, [{ id: 5, body: first.created[0] }], { update: 5 });
    await send(probot, "pull_request", prPayload("synchronize", { headSha: next, before: HEAD_SHA }));
    expect(outcomes.map((o) => o.kind === "reviewed" && o.comment)).toEqual(["created", "unchanged", "updated"]);
    expect(third.updated[0]!.body).toContain("Reviewed [`1111111`]");
  });


  it.each(["reopened", "ready_for_review"])("%s: reviews the pull request", async (action) => {
    const { probot, outcomes } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    nockConfig(gh, "{}\n");
    nockFiles(gh, [{ filename: "README.md", status: "modified" }]);
    nockComments(gh, []);
    await send(probot, "pull_request", prPayload(action));
    expect(outcomes).toHaveLength(1);
    expect(check.updates[0]).toMatchObject({ conclusion: "success", output: { title: "No GitOps files changed" } });
  });

  it("edited: ignored unless the base branch changed", async () => {
    const { probot, outcomes } = await makeProbot();
    const titleOnly = prPayload("edited");
    titleOnly.changes = { title: { from: "old title" } };
    await send(probot, "pull_request", titleOnly); // no nock: any request would fail the test
    expect(outcomes).toHaveLength(0);

    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    nockConfig(gh, "{}\n");
    nockFiles(gh, [{ filename: "README.md", status: "modified" }]);
    nockComments(gh, []);
    const baseChanged = prPayload("edited");
    baseChanged.changes = { base: { ref: { from: "develop" }, sha: { from: PREVIOUS_SHA } } };
    await send(probot, "pull_request", baseChanged);
    expect(outcomes).toHaveLength(1);
    expect(check.updates[0]).toMatchObject({ conclusion: "success" });
  });

  it("a PR that changes no YAML gets a completed, successful check run and no GraphQL query", async () => {
    const { probot } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    nockConfig(gh, null);
    nockFiles(gh, [
      { filename: "README.md", status: "modified" },
      { filename: "src/main.go", status: "added" },
    ]);
    await send(probot, "pull_request", prPayload("opened", { changedFiles: 2 })); // opened + nothing to say: no comment lookup
    expect(check.created).toHaveLength(1);
    expect(check.updates[0]).toMatchObject({ status: "completed", conclusion: "success", output: { title: "No GitOps files changed" } });
  });

  it("does not edit a human's comment that quotes the marker", async () => {
    const { probot } = await makeProbot();
    nockToken();
    const gh = nock(API);
    nockCheckRun(gh);
    nockConfig(gh, "{}\n");
    nockFiles(gh, [{ filename: "apps/debug.yaml", status: "added" }]);
    nockGraphql(gh, { [HEAD_SHA]: { "apps/debug.yaml": PRIVILEGED_POD } });
    const comments = nockComments(gh, [{ id: 3, body: "copied: <!-- gitops-guard:summary -->", user: { login: "mallory", type: "User" } }], { create: true });
    await send(probot, "pull_request", prPayload("synchronize"));
    expect(comments.created).toHaveLength(1);
  });

  it("check run output carries title, summary and annotation lines", async () => {
    const { probot } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    nockConfig(gh, "{}\n");
    nockFiles(gh, [{ filename: "apps/debug.yaml", status: "added" }]);
    nockGraphql(gh, { [HEAD_SHA]: { "apps/debug.yaml": PRIVILEGED_POD } });
    nockComments(gh, [], { create: true });
    await send(probot, "pull_request", prPayload("synchronize"));
    const out = check.updates[0].output;
    expect(out.summary).toContain("apps/debug.yaml");
    expect(findingTitles(check.updates[0])).toContain("k8s/privileged-container (critical)");
    expect(out.annotations.length).toBeLessThanOrEqual(50);
  });
});

describe("request path", () => {
  it("reads the repository config from the base repository's default branch (no ref), never the PR head", async () => {
    const { probot } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const requests = recordRequests(gh);
    nockCheckRun(gh);
    nockConfig(gh, "{}\n");
    nockFiles(gh, [{ filename: "README.md", status: "modified" }]);
    nockComments(gh, []);
    await send(probot, "pull_request", prPayload("synchronize"));
    const configRequests = requests.filter((r) => r.includes("/contents/"));
    expect(configRequests).toEqual([`GET ${REPO_PATH}/contents/.github%2Fgitops-guard.yml`]);
  });
});
