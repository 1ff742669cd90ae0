import type { PullRequestTarget } from "../pipeline/types.js";

interface PullLike {
  number: number;
  head: { sha: string };
  base: { sha: string; ref?: string };
  changed_files?: number;
}

/** The review target of a `pull_request` event (the base repository is the event's repository). */
export function targetFromPullRequest(
  repository: { owner: { login: string }; name: string; default_branch?: string },
  pr: PullLike,
  extra: { previousHeadSha?: string | null; justOpened?: boolean } = {},
): PullRequestTarget {
  return {
    owner: repository.owner.login,
    repo: repository.name,
    number: pr.number,
    headSha: pr.head.sha,
    baseSha: pr.base.sha,
    changedFiles: typeof pr.changed_files === "number" ? pr.changed_files : Number.NaN,
    ...(typeof pr.base.ref === "string" && pr.base.ref !== "" ? { baseRef: pr.base.ref } : {}),
    ...(typeof repository.default_branch === "string" && repository.default_branch !== "" ? { defaultBranch: repository.default_branch } : {}),
    ...(extra.previousHeadSha ? { previousHeadSha: extra.previousHeadSha } : {}),
    ...(extra.justOpened ? { justOpened: true } : {}),
  };
}

/** The branches of a pull request as `getPull` read them, for its review target. */
export function branchesOf(pull: { baseRef?: string; defaultBranch?: string }): Pick<PullRequestTarget, "baseRef" | "defaultBranch"> {
  return { ...(pull.baseRef !== undefined ? { baseRef: pull.baseRef } : {}), ...(pull.defaultBranch !== undefined ? { defaultBranch: pull.defaultBranch } : {}) };
}

/** The repository's web address from any event payload that names a repository (`repository.html_url`). */
export function repositoryWebUrl(payload: unknown): string | undefined {
  const repository = typeof payload === "object" && payload !== null ? (payload as { repository?: unknown }).repository : undefined;
  const url = typeof repository === "object" && repository !== null ? (repository as { html_url?: unknown }).html_url : undefined;
  return typeof url === "string" && url ? url : undefined;
}
