import type { GitHubClient, RepoRef } from "./client.js";

export interface PullSnapshot {
  number: number;
  state: string;
  headSha: string;
  baseSha: string;
  changedFiles: number;
  /** The branch it merges into and the repository's default branch. */
  baseRef?: string;
  defaultBranch?: string;
}

export async function getPull(octokit: GitHubClient, repo: RepoRef, pullNumber: number): Promise<PullSnapshot> {
  const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: pullNumber });
  const defaultBranch = data.base.repo?.default_branch;
  return {
    number: data.number,
    state: data.state,
    headSha: data.head.sha,
    baseSha: data.base.sha,
    changedFiles: data.changed_files,
    ...(data.base.ref ? { baseRef: data.base.ref } : {}),
    ...(defaultBranch ? { defaultBranch } : {}),
  };
}

const MAX_OPEN_PULL_PAGES = 10;

/**
 * The open pull requests of `repo` whose head is `sha`. Check-run payloads list only same-repository
 * PRs, so PRs from forks are found through the commit's associated PRs, then the open PR list.
 */
export async function openPullsForCommit(octokit: GitHubClient, repo: RepoRef, sha: string): Promise<number[]> {
  const { data: associated } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: sha, per_page: 100 });
  const found = associated.filter((p) => p.state === "open" && p.head.sha === sha).map((p) => p.number);
  if (found.length) return found;
  const out: number[] = [];
  let page = 0;
  for await (const res of octokit.paginate.iterator(octokit.rest.pulls.list, { ...repo, state: "open", per_page: 100 })) {
    out.push(...res.data.filter((p) => p.head.sha === sha).map((p) => p.number));
    if (++page >= MAX_OPEN_PULL_PAGES) break;
  }
  return out;
}
