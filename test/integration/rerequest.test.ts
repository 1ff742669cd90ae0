import { describe, expect, it } from "@jest/globals";
import nock from "nock";
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
  send,
  type PayloadJson,
  requireAllMocksUsed,
} from "./helpers.js";

requireAllMocksUsed();

const REPO_ID = 186853002;

function useRepository(p: PayloadJson): void {
  p.repository.id = REPO_ID;
  p.repository.name = REPO;
  p.repository.full_name = `${OWNER}/${REPO}`;
  p.repository.owner.login = OWNER;
}

function checkRunRerequested(name = "gitops-guard", pulls: number[] = [2]) {
  const p = example("check_run", "rerequested");
  useRepository(p);
  p.check_run!.name = name;
  p.check_run!.head_sha = HEAD_SHA;
  p.check_run!.pull_requests = pulls.map((number) => ({
    number,
    url: `${API}${REPO_PATH}/pulls/${number}`,
    id: number,
    head: { ref: "changes", sha: HEAD_SHA, repo: { id: REPO_ID, name: REPO, url: `${API}${REPO_PATH}` } },
    base: { ref: "main", sha: BASE_SHA, repo: { id: REPO_ID, name: REPO, url: `${API}${REPO_PATH}` } },
  }));
  return p;
}

function checkSuiteRerequested(pulls: "payload" | "none") {
  const p = example("check_suite", "rerequested");
  useRepository(p);
  p.check_suite!.head_sha = HEAD_SHA;
  if (pulls === "none") p.check_suite!.pull_requests = [];
  else for (const pr of p.check_suite!.pull_requests) pr.base.repo.id = REPO_ID;
  return p;
}

function nockPull(scope: nock.Scope, number = 2): void {
  scope.get(`${REPO_PATH}/pulls/${number}`).reply(200, { number, state: "open", head: { sha: HEAD_SHA }, base: { sha: BASE_SHA }, changed_files: 1 });
}

function nockReview(scope: nock.Scope) {
  const check = nockCheckRun(scope);
  nockConfig(scope, "{}\n");
  nockFiles(scope, [{ filename: "apps/debug.yaml", status: "added" }]);
  nockGraphql(scope, { [HEAD_SHA]: { "apps/debug.yaml": PRIVILEGED_POD } });
  nockComments(scope, [], { create: true });
  return check;
}

describe("re-run buttons", () => {
  it("check_run.rerequested on gitops-guard reviews the PR again (a new check run on its head)", async () => {
    const { probot, outcomes } = await makeProbot();
    nockToken();
    const gh = nock(API);
    nockPull(gh);
    const check = nockReview(gh);
    await send(probot, "check_run", checkRunRerequested());
    expect(outcomes).toHaveLength(1);
    expect(check.created[0]).toMatchObject({ name: "gitops-guard", head_sha: HEAD_SHA, status: "in_progress" });
    expect(check.updates[0]).toMatchObject({ status: "completed", conclusion: "failure" });
  });

  it("check_run.rerequested for another app's check is ignored", async () => {
    const { probot, outcomes } = await makeProbot();
    await send(probot, "check_run", checkRunRerequested("some-other-check"));
    expect(outcomes).toHaveLength(0);
  });

  it("check_suite.rerequested reviews the PRs listed in the payload", async () => {
    const { probot, outcomes } = await makeProbot();
    nockToken();
    const gh = nock(API);
    nockPull(gh);
    nockReview(gh);
    await send(probot, "check_suite", checkSuiteRerequested("payload"));
    expect(outcomes.map((o) => o.kind)).toEqual(["reviewed"]);
  });

  it("check_suite.rerequested without listed PRs (a fork's branch) finds the open PR whose head is that commit", async () => {
    const { probot, outcomes } = await makeProbot();
    nockToken();
    const gh = nock(API);
    gh.get(`${REPO_PATH}/commits/${HEAD_SHA}/pulls`).query(true).reply(200, []);
    gh.get(`${REPO_PATH}/pulls`)
      .query({ state: "open", per_page: "100" })
      .reply(200, [
        { number: 7, state: "open", head: { sha: "1".repeat(40) } },
        { number: 2, state: "open", head: { sha: HEAD_SHA } },
      ]);
    nockPull(gh);
    nockReview(gh);
    await send(probot, "check_suite", checkSuiteRerequested("none"));
    expect(outcomes.map((o) => o.kind)).toEqual(["reviewed"]);
  });

  it("check_suite.rerequested with no open PR for the commit does nothing more", async () => {
    const { probot, outcomes } = await makeProbot();
    nockToken();
    const gh = nock(API);
    gh.get(`${REPO_PATH}/commits/${HEAD_SHA}/pulls`).query(true).reply(200, []);
    gh.get(`${REPO_PATH}/pulls`).query(true).reply(200, []);
    await send(probot, "check_suite", checkSuiteRerequested("none"));
    expect(outcomes).toHaveLength(0);
  });
});
