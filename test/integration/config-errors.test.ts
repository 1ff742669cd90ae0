/**
 * Configuration mistakes that used to pass silently in the App (issue 12 §9): an `_extends` to a repository that is not
 * there (Probot's loader falls back to the defaults without a word) and a slash-command prefix nobody can type. Both
 * are configuration errors on the check run, through Probot + nock like the rest of test/integration.
 */
import { describe, expect, it } from "@jest/globals";
import nock from "nock";
import { mergeConfigs } from "../../src/github/config.js";
import { API, OWNER, makeProbot, nockCheckRun, nockComments, nockConfig, nockFiles, nockToken, prPayload, requireAllMocksUsed, send } from "./helpers.js";

requireAllMocksUsed();

const RAW = { "content-type": "application/vnd.github.raw; charset=utf-8" };
const file = (repo: string) => `/repos/${OWNER}/${repo}/contents/${encodeURIComponent(".github/gitops-guard.yml")}`;

describe("_extends", () => {
  it("to a repository that does not exist (or the App cannot read): an invalid configuration naming it, not the defaults", async () => {
    const { probot, outcomes } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    nockConfig(gh, "_extends: org-policies\nfailOn: medium\n");
    gh.get(file("org-policies")).reply(404, { message: "Not Found" });
    await send(probot, "pull_request", prPayload("synchronize"));
    expect(outcomes[0]?.kind).not.toBe("reviewed");
    expect(check.updates[0]).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "Invalid gitops-guard configuration" } });
    expect(check.updates[0]!.output.summary).toContain(`_extends: repository ${OWNER}/org-policies not found or not readable`);
  });

  it("through the owner's .github repository to another owner's missing repository: the same error", async () => {
    const { probot } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    nockConfig(gh, "_extends: .github\n");
    gh.get(file(".github")).reply(200, "_extends: other-org/policies\n", RAW);
    gh.get(`/repos/other-org/policies/contents/${encodeURIComponent(".github/gitops-guard.yml")}`).reply(404, { message: "Not Found" });
    await send(probot, "pull_request", prPayload("synchronize"));
    expect(check.updates[0]).toMatchObject({ conclusion: "failure", output: { title: "Invalid gitops-guard configuration" } });
    expect(check.updates[0]!.output.summary).toContain("_extends: repository other-org/policies not found or not readable");
  });

  it("that exists: its settings apply, the repository's own win, and lists replace the inherited ones", async () => {
    const { probot } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    nockConfig(gh, "_extends: org-policies\npaths:\n  exclude: ['apps/**']\n");
    gh.get(file("org-policies")).reply(200, "failOn: low\npaths:\n  exclude: ['other/**']\n  include: ['**/*.tmpl']\n", RAW);
    nockFiles(gh, [{ filename: "apps/debug.yaml", status: "added" }]);
    nockComments(gh, []);
    await send(probot, "pull_request", prPayload("synchronize"));
    expect(check.updates[0]).toMatchObject({ conclusion: "success", output: { title: "No GitOps files changed" } });
    expect(mergeConfigs([{ failOn: "low", paths: { exclude: ["other/**"], include: ["**/*.tmpl"] } }, { paths: { exclude: ["apps/**"] } }])).toEqual({
      failOn: "low",
      paths: { exclude: ["apps/**"], include: ["**/*.tmpl"] },
    });
  });
  it("a cycle is an invalid configuration, not a loop", async () => {
    const { probot } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    nockConfig(gh, "_extends: org-policies\n");
    gh.get(file("org-policies")).reply(200, "_extends: .github\n", RAW);
    gh.get(file(".github")).reply(200, "_extends: org-policies\n", RAW);
    await send(probot, "pull_request", prPayload("synchronize"));
    expect(check.updates[0]).toMatchObject({ conclusion: "failure", output: { title: "Invalid gitops-guard configuration" } });
    expect(check.updates[0]!.output.summary).toContain("is extended twice (a cycle)");
  });
});

describe("commands.prefix", () => {
  it.each([["' '"], ["'/guard now'"], ["''"]])("%s is an invalid configuration on the check run (it would silently disable every command)", async (prefix) => {
    const { probot } = await makeProbot();
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    nockConfig(gh, `commands:\n  prefix: ${prefix}\n`);
    await send(probot, "pull_request", prPayload("synchronize"));
    expect(check.updates[0]).toMatchObject({ conclusion: "failure", output: { title: "Invalid gitops-guard configuration" } });
    expect(check.updates[0]!.output.summary).toContain("commands.prefix");
  });
});
