import type { ProbotOctokit } from "probot";

/** The authenticated installation client Probot hands to handlers (REST + GraphQL + config plugin). */
export type GitHubClient = ProbotOctokit;

/** The platform's name in messages ("GitHub API answered 403: …"). */
export const PLATFORM_NAME = "GitHub";

export interface RepoRef {
  owner: string;
  repo: string;
}

/** Tunables for the GitHub adapters; the defaults keep a 3,000-file PR within the request budget. */
export interface GitHubLimits {
  /** Concurrent PR-files pages (100 files each). */
  listConcurrency: number;
  /** Blobs asked for in one GraphQL query (base and head of a file travel together). */
  blobsPerQuery: number;
  /** Concurrent GraphQL queries (Octokit's throttling still spaces them as writes). */
  graphqlConcurrency: number;
  /** Concurrent REST blob fallbacks. */
  blobFallbackConcurrency: number;
}

export const DEFAULT_GITHUB_LIMITS: GitHubLimits = {
  listConcurrency: 8,
  blobsPerQuery: 200,
  graphqlConcurrency: 4,
  blobFallbackConcurrency: 8,
};

/** The HTTP status of an Octokit RequestError, if it is one. */
export function httpStatus(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null && "status" in error) {
    const s = (error as { status: unknown }).status;
    return typeof s === "number" ? s : undefined;
  }
  return undefined;
}
