import { safeUrl, type ReviewedCommit } from "../report/links.js";
import { pullRequestCommits } from "../local/git-history.js";
import { UsageError } from "./io.js";

/**
 * Where `review` of git refs can link its findings (`--format markdown`): the repository's web address from
 * `--repo-url`, else from GitHub Actions (`GITHUB_SERVER_URL`/`GITHUB_REPOSITORY`), and the commit `--head` resolves
 * to. Without an address the report shows plain `file:line`. `scan` and directory reviews never link: their paths
 * need not be paths in the repository.
 */
export async function reviewedCommit(repoUrl: string | undefined, env: NodeJS.ProcessEnv, git: { repo: string; base: string; head: string } | null): Promise<ReviewedCommit | undefined> {
  if (repoUrl !== undefined && !safeUrl(repoUrl)) throw new UsageError(`--repo-url must be the repository's web address, like https://github.com/owner/repo (got "${repoUrl}")`);
  if (!git) {
    if (repoUrl !== undefined) throw new UsageError("--repo-url links findings to the reviewed commit: use it with review --base/--head of git refs");
    return undefined;
  }
  const actions = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}` : undefined;
  const repositoryUrl = repoUrl ?? actions;
  if (!repositoryUrl || !safeUrl(repositoryUrl)) return undefined;
  // The base side of a review of refs is the merge base (what the pull request is compared with).
  const { headSha, mergeBase } = await pullRequestCommits(git.repo, git.base, git.head);
  return { headSha, baseSha: mergeBase, repositoryUrl };
}
