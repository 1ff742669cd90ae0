import { afterEach, describe, expect, it } from "@jest/globals";
import nock from "nock";
import { GuardOctokit, SECONDARY_RATE_LIMIT_RETRIES } from "./octokit.js";

const API = "https://api.github.com";
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** A client as Probot builds one for a webhook event of this installation (authentication stubbed out). */
function installationClient(installationId: number): InstanceType<typeof GuardOctokit> {
  const authStrategy = () =>
    Object.assign(async () => ({ type: "unauthenticated" }), {
      hook: (request: (route: unknown, params: unknown) => unknown, route: unknown, params: unknown) => request(route, params),
    });
  return new GuardOctokit({ authStrategy, auth: { installationId }, log: silent });
}

afterEach(() => {
  nock.cleanAll();
});

describe("GuardOctokit", () => {
  it(`retries a secondary rate limit ${SECONDARY_RATE_LIMIT_RETRIES} times after retry-after, then fails with GitHub's answer`, async () => {
    let calls = 0;
    nock(API)
      .post("/repos/o/r/check-runs")
      .times(SECONDARY_RATE_LIMIT_RETRIES + 2)
      .reply(() => (calls++, [403, { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." }, { "retry-after": "1" }]));
    const started = Date.now();
    const err = await installationClient(901)
      .request("POST /repos/{owner}/{repo}/check-runs", { owner: "o", repo: "r", name: "x", head_sha: "a".repeat(40) })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 403, message: expect.stringContaining("secondary rate limit") });
    expect(calls).toBe(SECONDARY_RATE_LIMIT_RETRIES + 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(SECONDARY_RATE_LIMIT_RETRIES * 950);
  });

  it("spaces one installation's writes ≥ 1 s apart, without making another installation wait for them", async () => {
    const seen: Array<{ installation: string; at: number }> = [];
    const started = Date.now();
    nock(API)
      .post(/\/repos\/o\/r\d\/issues\/1\/labels/)
      .times(3)
      .reply(200, (uri) => (seen.push({ installation: uri.includes("/r1/") ? "one" : "two", at: Date.now() - started }), []));
    const one = installationClient(911);
    const two = installationClient(912);
    const add = (client: typeof one, repo: string) => client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", { owner: "o", repo, issue_number: 1, labels: ["x"] });
    await Promise.all([add(one, "r1"), add(one, "r1"), add(two, "r2")]);
    const ones = seen.filter((s) => s.installation === "one").map((s) => s.at);
    const twos = seen.filter((s) => s.installation === "two").map((s) => s.at);
    expect(ones[1]! - ones[0]!).toBeGreaterThanOrEqual(950);
    expect(twos[0]!).toBeLessThan(ones[1]!);
    expect(twos[0]!).toBeLessThan(500);
  });
});
