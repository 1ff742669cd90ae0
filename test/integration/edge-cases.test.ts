import { describe, expect, it } from "@jest/globals";
import nock from "nock";
import { CONFIG_MAX_ALIASES } from "../../src/core/config-loader.js";
import { gitBlobSha } from "../fakes/github/fake-github.js";
import {
  API,
  BASE_SHA,
  HEAD_SHA,
  OWNER,
  PLAIN_YAML,
  PRIVILEGED_POD,
  REPO,
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
  type ListedFile,
  requireAllMocksUsed,
} from "./helpers.js";

requireAllMocksUsed();

const ruleOf = (title: string) => title.split(" ")[0];

describe("file statuses and contents", () => {
  it("removed file: only its base is read; its findings are fixed, not new", async () => {
    const { probot, outcomes } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    nockConfig(gh, "{}\n");
    nockFiles(gh, [{ filename: "apps/debug.yaml", status: "removed" }]);
    const graphql = nockGraphql(gh, { [BASE_SHA]: { "apps/debug.yaml": PRIVILEGED_POD } });
    nockComments(gh, []);
    await send(probot, "pull_request", prPayload("synchronize"));
    expect(graphql.queries[0].expressions).toEqual([`${BASE_SHA}:apps/debug.yaml`]);
    expect(check.updates[0]).toMatchObject({ conclusion: "success" });
    const result = outcomes[0].kind === "reviewed" ? outcomes[0].result : null;
    expect(result?.summary.fixed).toBeGreaterThan(0);
    expect(result?.summary.new).toBe(0);
  });

  it("renamed file: base read at the previous path; unchanged findings stay existing", async () => {
    const { probot, outcomes } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    nockConfig(gh, "{}\n");
    nockFiles(gh, [{ filename: "apps/new-name.yaml", status: "renamed", previous_filename: "apps/old-name.yaml" }]);
    const graphql = nockGraphql(gh, { [HEAD_SHA]: { "apps/new-name.yaml": PRIVILEGED_POD }, [BASE_SHA]: { "apps/old-name.yaml": PRIVILEGED_POD } });
    nockComments(gh, []);
    await send(probot, "pull_request", prPayload("synchronize"));
    expect(graphql.queries[0].expressions.sort()).toEqual([`${BASE_SHA}:apps/old-name.yaml`, `${HEAD_SHA}:apps/new-name.yaml`].sort());
    expect(check.updates[0]).toMatchObject({ conclusion: "success" });
    const result = outcomes[0].kind === "reviewed" ? outcomes[0].result : null;
    expect(result?.summary.new).toBe(0);
    expect(result?.summary.existing).toBeGreaterThan(0);
  });

  it("a blob GraphQL truncates (>512 KB) is read again through REST git/blobs", async () => {
    const { probot } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    nockConfig(gh, "{}\n");
    nockFiles(gh, [{ filename: "apps/big.yaml", status: "added" }]);
    // The pod comes after 600 KB of comment: only the full blob shows it.
    const big = `# ${"x".repeat(600_000)}\n${PRIVILEGED_POD}`;
    nockGraphql(gh, { [HEAD_SHA]: { "apps/big.yaml": big } });
    gh.get(`${REPO_PATH}/git/blobs/${gitBlobSha(big)}`).reply(200, { sha: gitBlobSha(big), size: big.length, encoding: "base64", content: Buffer.from(big).toString("base64") });
    nockComments(gh, [], { create: true });
    await send(probot, "pull_request", prPayload("synchronize"));
    const privileged = check.updates[0].output.annotations.find((a: { title: string }) => ruleOf(a.title) === "k8s/privileged-container");
    expect(privileged).toMatchObject({ path: "apps/big.yaml", start_line: 12 });
  });

  it("a binary .yaml is read through REST and reported as a parse error, not a crash", async () => {
    const { probot } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    nockConfig(gh, "{}\n");
    nockFiles(gh, [{ filename: "apps/blob.yaml", status: "added" }]);
    const binary = Buffer.from([0x6b, 0x3a, 0x00, 0x01, 0x02, 0xff]);
    nockGraphql(gh, { [HEAD_SHA]: { "apps/blob.yaml": binary } });
    gh.get(`${REPO_PATH}/git/blobs/${gitBlobSha(binary)}`).reply(200, { sha: gitBlobSha(binary), size: binary.length, encoding: "base64", content: binary.toString("base64") });
    nockComments(gh, [], { create: true });
    await send(probot, "pull_request", prPayload("synchronize"));
    const parse = check.updates[0].output.annotations.find((a: { title: string }) => ruleOf(a.title) === "guard/parse-error");
    expect(parse).toMatchObject({ path: "apps/blob.yaml", start_line: 1 });
    expect(parse?.message).toMatch(/binary/);
  });

  it("an oversized file is reported as too large without downloading it", async () => {
    const { probot } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    nockConfig(gh, "{}\n");
    nockFiles(gh, [{ filename: "apps/huge.yaml", status: "added" }]);
    nockGraphql(gh, { [HEAD_SHA]: { "apps/huge.yaml": `a: ${"y".repeat(1_200_000)}\n` } }); // no git/blobs mock: a download would fail
    nockComments(gh, [], { create: true });
    await send(probot, "pull_request", prPayload("synchronize"));
    const parse = check.updates[0].output.annotations.find((a: { title: string }) => ruleOf(a.title) === "guard/parse-error");
    expect(parse?.message).toMatch(/1\.2 MB, over the 1\.0 MB limit/);
  });

  it("fork PR: head blobs are read by SHA through the base repository", async () => {
    const { probot } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    nockConfig(gh, "{}\n");
    nockFiles(gh, [{ filename: "apps/debug.yaml", status: "added" }]);
    const graphql = nockGraphql(gh, { [HEAD_SHA]: { "apps/debug.yaml": PRIVILEGED_POD } });
    nockComments(gh, [], { create: true });
    await send(probot, "pull_request", prPayload("synchronize", { headRepo: { owner: "contributor", name: "Hello-World-fork", id: 999 } }));
    expect(graphql.queries[0]).toMatchObject({ owner: OWNER, name: REPO, expressions: [`${HEAD_SHA}:apps/debug.yaml`] });
    expect(check.created[0]).toMatchObject({ head_sha: HEAD_SHA });
    expect(check.updates[0]).toMatchObject({ conclusion: "failure" });
  });

  it("only YAML files and paths.include are reviewed; paths.exclude is not read", async () => {
    const { probot } = await makeProbot();
    nockToken();
    const gh = nock(API);
    nockCheckRun(gh);
    nockConfig(gh, "paths:\n  include: ['**/*.tpl.txt']\n  exclude: ['vendor/**']\n");
    nockFiles(gh, [
      { filename: "a.yaml", status: "added" },
      { filename: "b.yml", status: "added" },
      { filename: "c.tpl.txt", status: "added" },
      { filename: "vendor/d.yaml", status: "added" },
      { filename: "e.json", status: "added" },
    ]);
    const graphql = nockGraphql(gh, { [HEAD_SHA]: { "a.yaml": PLAIN_YAML, "b.yml": PLAIN_YAML, "c.tpl.txt": PLAIN_YAML } });
    nockComments(gh, []);
    await send(probot, "pull_request", prPayload("synchronize", { changedFiles: 5 }));
    // e.json is read in the request's free slots as a possible ApplicationSet generator's config file (a changed YAML
    // file outside every kustomization may hold ApplicationSets), not reviewed; vendor/d.yaml is excluded: not read.
    expect(graphql.queries[0].expressions.map((e) => e.split(":")[1]).sort()).toEqual(["a.yaml", "b.yml", "c.tpl.txt", "e.json"]);
  });
});

describe("large pull requests", () => {
  it("fetches the pages known from changed_files concurrently", async () => {
    const { probot } = await makeProbot();
    nockToken();
    const gh = nock(API);
    nockCheckRun(gh);
    nockConfig(gh, "{}\n");
    const arrivals: number[] = [];
    for (let page = 1; page <= 5; page++) {
      gh.get(`${REPO_PATH}/pulls/2/files`)
        .query({ per_page: "100", page: String(page) })
        .delay(250)
        .reply(200, () => {
          arrivals.push(Date.now());
          return Array.from({ length: page < 5 ? 100 : 50 }, (_, i) => ({ filename: `docs/p${page}-${i}.md`, status: "added" }));
        });
    }
    nockComments(gh, []);
    await send(probot, "pull_request", prPayload("synchronize", { changedFiles: 450 }));
    expect(arrivals).toHaveLength(5);
    // Sequential paging would take ≥ 4 × 250 ms between the first and the last answer.
    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeLessThan(500);
  });

  it("over 3,000 files: reviews what GitHub lists and says the rest was not reviewed", async () => {
    const { probot } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const requests = recordRequests(gh);
    const check = nockCheckRun(gh);
    nockConfig(gh, "{}\n");
    const files: ListedFile[] = Array.from({ length: 3000 }, (_, i) => ({ filename: `docs/f${i}.md`, status: "added" }));
    nockFiles(gh, files);
    nockComments(gh, []);
    await send(probot, "pull_request", prPayload("synchronize", { changedFiles: 3500 }));
    expect(requests.filter((r) => r.includes("/files?"))).toHaveLength(30);
    const summary: string = check.updates[0].output.summary;
    expect(summary).toContain("3,500 files");
    expect(summary).toContain("500 files were not reviewed");
  });

  it("stays within 4 + 3·⌈N/100⌉ requests (N = 250 YAML files, base and head each)", async () => {
    const { probot } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const requests = recordRequests(gh);
    nockCheckRun(gh);
    nockConfig(gh, "{}\n");
    const names = Array.from({ length: 250 }, (_, i) => `apps/app-${i}.yaml`);
    nockFiles(gh, names.map((filename) => ({ filename, status: "modified" as const })));
    const head = Object.fromEntries(names.map((n) => [n, PLAIN_YAML]));
    const base = Object.fromEntries(names.map((n) => [n, "title: before\n"]));
    const graphql = nockGraphql(gh, { [HEAD_SHA]: head, [BASE_SHA]: base }, 1);
    nockComments(gh, []);
    await send(probot, "pull_request", prPayload("synchronize", { changedFiles: 250 }));
    // More than 200 changed files: the base tree is listed too, so every version's size is known and the 500
    // versions (100 bytes each, says the listing) go in one query.
    expect(requests.filter((r) => r.includes("/git/trees/"))).toHaveLength(2);
    expect(graphql.queries.map((q) => q.expressions.length)).toEqual([500]);
    expect(requests.length).toBeLessThanOrEqual(4 + 3 * Math.ceil(250 / 100));
  });

  it("more than 50 new findings: 50 annotations, most severe first (each rule in turn), the rest listed in the summary", async () => {
    const { probot } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    nockConfig(gh, "{}\n");
    const containers = Array.from({ length: 60 }, (_, i) => `    - name: c${i}\n      image: busybox@sha256:${"a".repeat(64)}\n      securityContext:\n        privileged: true\n`).join("");
    const pod = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: many\n  namespace: default\nspec:\n  containers:\n${containers}`;
    nockFiles(gh, [{ filename: "apps/many.yaml", status: "added" }]);
    nockGraphql(gh, { [HEAD_SHA]: { "apps/many.yaml": pod } });
    nockComments(gh, [], { create: true });
    await send(probot, "pull_request", prPayload("synchronize"));
    expect(check.updates).toHaveLength(1);
    const anns = check.updates[0].output.annotations as Array<{ title: string }>;
    expect(anns).toHaveLength(50);
    expect(findingTitles(check.updates[0])[0]).toBe("k8s/privileged-container (critical)");
    expect(check.updates[0].output.summary).toMatch(/Annotations mark 50 of the \d+ new findings, blocking ones first and each rule in turn/);
  });
});

describe("configuration", () => {
  it("invalid config: failure titled 'Invalid gitops-guard configuration' with the exact problem; nothing else is read", async () => {
    const { probot } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    nockConfig(gh, "failOn: extreme\nrules:\n  k8s/no-such-rule: off\n");
    await send(probot, "pull_request", prPayload("synchronize"));
    expect(check.updates[0]).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "Invalid gitops-guard configuration" } });
    expect(check.updates[0].output.summary).toContain("failOn");
  });

  it("unknown rule id in config is named in the check run", async () => {
    const { probot } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    nockConfig(gh, "rules:\n  k8s/no-such-rule: off\n");
    await send(probot, "pull_request", prPayload("synchronize"));
    expect(check.updates[0].output.summary).toContain("rules.k8s/no-such-rule: unknown rule id");
  });

  it("config that is not valid YAML is an invalid config, not an internal error", async () => {
    const { probot } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    nockConfig(gh, "failOn: [high\n");
    await send(probot, "pull_request", prPayload("synchronize"));
    expect(check.updates[0]).toMatchObject({ conclusion: "failure", output: { title: "Invalid gitops-guard configuration" } });
    expect(check.updates[0].output.summary).toMatch(/\.github\/gitops-guard\.yml:2:1: not valid YAML: .*line 1: "failOn: \[high"/);
  });

  it("takes the CLI's alias cap: a config the CLI accepts is accepted, one the CLI refuses is an invalid config", async () => {
    const aliased = (n: number) => `production:\n  - &g "**/prod/**"\n${"  - *g\n".repeat(n)}`;
    const { probot } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const accepted = nockCheckRun(gh);
    nockConfig(gh, aliased(CONFIG_MAX_ALIASES - 1));
    nockFiles(gh, [{ filename: "README.md", status: "modified" }]);
    nockComments(gh, []);
    await send(probot, "pull_request", prPayload("synchronize"));
    expect(accepted.updates[0]).toMatchObject({ conclusion: "success", output: { title: "No GitOps files changed" } });

    const refused = nockCheckRun(gh);
    nockConfig(gh, aliased(CONFIG_MAX_ALIASES));
    nockFiles(gh, [{ filename: "README.md", status: "modified" }]);
    await send(probot, "pull_request", prPayload("synchronize"));
    expect(refused.updates[0]).toMatchObject({ conclusion: "failure", output: { title: "Invalid gitops-guard configuration" } });
    expect(refused.updates[0].output.summary).toMatch(/alias/i);
  });

  it("_extends: settings come from the extended repository's file", async () => {
    const { probot } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    nockConfig(gh, "_extends: gitops-policies\n");
    gh.get(`/repos/${OWNER}/gitops-policies/contents/.github%2Fgitops-guard.yml`).reply(200, "paths:\n  exclude: ['apps/**']\n", { "content-type": "application/vnd.github.raw; charset=utf-8" });
    nockFiles(gh, [{ filename: "apps/debug.yaml", status: "added" }]);
    nockComments(gh, []);
    await send(probot, "pull_request", prPayload("synchronize"));
    expect(check.updates[0]).toMatchObject({ conclusion: "success", output: { title: "No GitOps files changed" } });
  });

  it("without a repository file: the defaults, in one read (the owner's .github repository is not read)", async () => {
    // Every mock must be used and any other request fails: a read of the owner's .github repository would fail the review.
    const { probot, outcomes } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    nockConfig(gh, null);
    nockFiles(gh, [{ filename: "docs/notes.md", status: "added" }]);
    nockComments(gh, []);
    await send(probot, "pull_request", prPayload("synchronize"));
    expect(outcomes[0]?.kind).toBe("reviewed");
    expect(check.updates[0]).toMatchObject({ conclusion: "success", output: { title: "No GitOps files changed" } });
  });

  it("`_extends: .github` reads the owner's .github repository's file", async () => {
    const { probot } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    nockConfig(gh, "_extends: .github\n");
    gh.get(`/repos/${OWNER}/.github/contents/.github%2Fgitops-guard.yml`).reply(200, "paths:\n  exclude: ['apps/**']\n", { "content-type": "application/vnd.github.raw; charset=utf-8" });
    nockFiles(gh, [{ filename: "apps/debug.yaml", status: "added" }]);
    nockComments(gh, []);
    await send(probot, "pull_request", prPayload("synchronize"));
    expect(check.updates[0]).toMatchObject({ conclusion: "success", output: { title: "No GitOps files changed" } });
  });
});

describe("internal errors", () => {
  it("complete the check run as failure with the reason and a recheck hint", async () => {
    const { probot, outcomes } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    nockConfig(gh, "commands:\n  prefix: /gg\n");
    nockFiles(gh, [{ filename: "apps/debug.yaml", status: "added" }]);
    gh.post("/graphql").reply(502, { message: "Server Error" });
    await send(probot, "pull_request", prPayload("synchronize"));
    expect(outcomes[0].kind).toBe("error");
    expect(check.updates[0]).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "gitops-guard could not finish the review" } });
    expect(check.updates[0].output.summary).toContain("502");
    expect(check.updates[0].output.summary).toContain("/gg recheck");
  });

  it("onError: neutral completes the run as neutral", async () => {
    const { probot } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    nockConfig(gh, "onError: neutral\n");
    gh.get(`${REPO_PATH}/pulls/2/files`).query(true).reply(500, { message: "boom" });
    await send(probot, "pull_request", prPayload("synchronize"));
    expect(check.updates[0]).toMatchObject({ status: "completed", conclusion: "neutral" });
  });

  it("an error while loading the config (HTTP) is an internal error, not an invalid config", async () => {
    const { probot } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    gh.get(`${REPO_PATH}/contents/.github%2Fgitops-guard.yml`).reply(500, { message: "boom" });
    await send(probot, "pull_request", prPayload("synchronize"));
    expect(check.updates[0]).toMatchObject({ conclusion: "failure", output: { title: "gitops-guard could not finish the review" } });
  });

  it("a failing comment write does not change the verdict on the check run", async () => {
    const { probot, outcomes } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    nockConfig(gh, "{}\n");
    nockFiles(gh, [{ filename: "apps/debug.yaml", status: "added" }]);
    nockGraphql(gh, { [HEAD_SHA]: { "apps/debug.yaml": PRIVILEGED_POD } });
    nockComments(gh, []);
    gh.post(`${REPO_PATH}/issues/2/comments`).reply(403, { message: "Resource not accessible by integration" });
    await send(probot, "pull_request", prPayload("synchronize"));
    expect(check.updates).toHaveLength(1);
    expect(check.updates[0]).toMatchObject({ conclusion: "failure" });
    expect(outcomes[0]).toMatchObject({ kind: "reviewed", comment: "failed" });
  });
});

describe("stale results", () => {
  const commentFor = (sha: string) => `<!-- gitops-guard:summary -->\n<!-- gitops-guard:sha=${sha} -->\nold\n`;
  const NEWER = "9".repeat(40);

  it("does not overwrite a comment when the PR has moved to a newer head", async () => {
    const { probot, outcomes } = await makeProbot();
    nockToken();
    const gh = nock(API);
    nockCheckRun(gh);
    nockConfig(gh, "{}\n");
    nockFiles(gh, [{ filename: "apps/debug.yaml", status: "added" }]);
    nockGraphql(gh, { [HEAD_SHA]: { "apps/debug.yaml": PRIVILEGED_POD } });
    nockComments(gh, [{ id: 8, body: commentFor(NEWER) }]); // no update mocked
    gh.get(`${REPO_PATH}/pulls/2`).reply(200, { number: 2, state: "open", head: { sha: NEWER }, base: { sha: BASE_SHA }, changed_files: 1 });
    await send(probot, "pull_request", prPayload("synchronize"));
    expect(outcomes[0]).toMatchObject({ kind: "reviewed", comment: "skipped-stale" });
  });

  it("updates a comment of another SHA once the PR's head is confirmed to be this review's", async () => {
    const { probot } = await makeProbot();
    nockToken();
    const gh = nock(API);
    nockCheckRun(gh);
    nockConfig(gh, "{}\n");
    nockFiles(gh, [{ filename: "apps/debug.yaml", status: "added" }]);
    nockGraphql(gh, { [HEAD_SHA]: { "apps/debug.yaml": PRIVILEGED_POD } });
    const comments = nockComments(gh, [{ id: 8, body: commentFor("1".repeat(40)) }], { update: 8 });
    gh.get(`${REPO_PATH}/pulls/2`).reply(200, { number: 2, state: "open", head: { sha: HEAD_SHA }, base: { sha: BASE_SHA }, changed_files: 1 });
    await send(probot, "pull_request", prPayload("synchronize"));
    expect(comments.updated[0].body).toContain(`sha=${HEAD_SHA}`);
  });
});

describe("GitHub-compatible servers", () => {
  it("a server answering the config's raw request with the JSON contents object still gets its config read", async () => {
    const { probot } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    const json = { type: "file", encoding: "base64", size: 30, content: Buffer.from("paths:\n  exclude: ['apps/**']\n").toString("base64"), sha: "c".repeat(40) };
    // One read: the JSON contents object is decoded as it comes (the config loader used to fail on it and read again).
    gh.get(`${REPO_PATH}/contents/.github%2Fgitops-guard.yml`).reply(200, json, { "content-type": "application/json; charset=utf-8" });
    nockFiles(gh, [{ filename: "apps/debug.yaml", status: "added" }]);
    nockComments(gh, []);
    await send(probot, "pull_request", prPayload("synchronize"));
    expect(check.updates[0]).toMatchObject({ conclusion: "success", output: { title: "No GitOps files changed" } });
  });

  it("a server without GraphQL: contents through REST, same verdict", async () => {
    const { probot } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    nockConfig(gh, "{}\n");
    nockFiles(gh, [{ filename: "apps/debug.yaml", status: "added" }]);
    gh.post("/graphql").reply(404, { message: "Not Found" });
    gh.get(`${REPO_PATH}/contents/apps%2Fdebug.yaml`)
      .query({ ref: HEAD_SHA })
      .reply(200, { type: "file", encoding: "base64", size: PRIVILEGED_POD.length, content: Buffer.from(PRIVILEGED_POD).toString("base64"), sha: "d".repeat(40) });
    nockComments(gh, [], { create: true });
    await send(probot, "pull_request", prPayload("synchronize"));
    expect(check.updates[0]).toMatchObject({ conclusion: "failure" });
    expect(findingTitles(check.updates[0])).toContain("k8s/privileged-container (critical)");
  });
});
