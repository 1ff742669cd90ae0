import type { PullRequestTarget } from "../pipeline/types.js";

interface PullLike {
  number: number;
  head: { sha: string };
  base: { sha: string };
  changed_files?: number;
}

/** The review target of a `pull_request` event (the base repository is the event's repository). */
export function targetFromPullRequest(
  repository: { owner: { login: string }; name: string },
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
    ...(extra.previousHeadSha ? { previousHeadSha: extra.previousHeadSha } : {}),
    ...(extra.justOpened ? { justOpened: true } : {}),
  };
}

/** The repository's web address from any event payload that names a repository (`repository.html_url`). */
export function repositoryWebUrl(payload: unknown): string | undefined {
  const repository = typeof payload === "object" && payload !== null ? (payload as { repository?: unknown }).repository : undefined;
  const url = typeof repository === "object" && repository !== null ? (repository as { html_url?: unknown }).html_url : undefined;
  return typeof url === "string" && url ? url : undefined;
}
