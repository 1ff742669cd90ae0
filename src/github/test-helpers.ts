/** Shared by the GitHub adapter's unit tests (nock on api.github.com); not built into dist/. */
import { expect } from "@jest/globals";
import nock from "nock";
import { ProbotOctokit } from "probot";
import type { GitHubClient } from "./client.js";

export const API = "https://api.github.com";
export const repo = { owner: "acme", repo: "gitops" };

/** An Octokit like Probot's with a plain token, no retries, no throttling. */
export function testClient(): GitHubClient {
  return new ProbotOctokit({ auth: { token: "ghs_test" }, retry: { enabled: false }, throttle: { enabled: false } });
}

/** For `afterEach`: every nock interceptor the test set up was used, and none is left for the next test. */
export function expectNoPendingMocks(): void {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
}
