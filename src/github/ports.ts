import type { PullRequestTarget, ReviewPorts } from "../pipeline/types.js";
import { fetchBlobs } from "./blobs.js";
import { completeCheckRun, createCheckRun } from "./check-run.js";
import { DEFAULT_GITHUB_LIMITS, PLATFORM_NAME, type GitHubClient, type GitHubLimits, type RepoRef } from "./client.js";
import { loadRawConfig, type ConfigSource } from "./config.js";
import { listPullFiles, toChangedFile } from "./pull-files.js";
import { getPull } from "./pulls.js";
import { createComment, findStickyComment, MAX_COMMENT_CHARS, readComment, updateComment } from "./sticky-comment.js";
import { listTree } from "./tree.js";

export interface GitHubPortsOptions {
  /** Where the repository config comes from (Probot's `context`). */
  configSource: ConfigSource;
  limits?: Partial<GitHubLimits>;
  now?: () => Date;
}

/**
 * The review pipeline's ports (src/pipeline/types.ts), implemented with an installation's Octokit on the PR's
 * base repository. The pipeline's types are imported as types only: the adapter depends on the ports, never the reverse.
 */
export function githubPorts(octokit: GitHubClient, target: PullRequestTarget, opts: GitHubPortsOptions): ReviewPorts {
  const repo: RepoRef = { owner: target.owner, repo: target.repo };
  const limits = { ...DEFAULT_GITHUB_LIMITS, ...opts.limits };
  const now = opts.now ?? (() => new Date());
  return {
    platform: PLATFORM_NAME,
    checks: {
      start: (headSha) => createCheckRun(octokit, repo, headSha, now()),
      complete: (id, completion) => completeCheckRun(octokit, repo, id, completion, now()),
    },
    config: { load: () => loadRawConfig(opts.configSource) },
    files: {
      list: async (t) => {
        const listing = await listPullFiles(octokit, { ...repo, number: t.number, changedFiles: t.changedFiles }, limits.listConcurrency);
        return { files: listing.files.map(toChangedFile), notes: listing.notes };
      },
    },
    contents: {
      fetch: (requests, maxBytes) =>
        fetchBlobs(octokit, repo, requests, {
          blobsPerQuery: limits.blobsPerQuery,
          bytesPerQuery: limits.bytesPerQuery,
          unsizedPerQuery: limits.unsizedPerQuery,
          graphqlConcurrency: limits.graphqlConcurrency,
          fallbackConcurrency: limits.blobFallbackConcurrency,
          maxBytes,
        }),
      batchSize: limits.blobsPerQuery,
      batchBytes: limits.bytesPerQuery,
      unsizedBatchSize: limits.unsizedPerQuery,
    },
    trees: { list: (sha) => listTree(octokit, repo, sha) },
    comments: {
      maxBodyChars: MAX_COMMENT_CHARS,
      find: () => findStickyComment(octokit, repo, target.number),
      read: (id) => readComment(octokit, repo, id),
      create: (body) => createComment(octokit, repo, target.number, body),
      update: (id, body) => updateComment(octokit, repo, id, body),
      currentHeadSha: async () => (await getPull(octokit, repo, target.number)).headSha,
    },
  };
}
