import { describe, expect, it } from "@jest/globals";
import { targetFromPullRequest } from "./review-target.js";

describe("targetFromPullRequest", () => {
  it("carries the branch the pull request merges into and the repository's default branch", () => {
    const t = targetFromPullRequest({ owner: { login: "acme" }, name: "gitops", default_branch: "main" }, { number: 7, head: { sha: "h" }, base: { sha: "b", ref: "develop" }, changed_files: 2 });
    expect(t).toMatchObject({ baseRef: "develop", defaultBranch: "main", baseSha: "b", headSha: "h" });
  });
});
