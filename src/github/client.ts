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
  /** Blobs asked for in one GraphQL query at most (base and head of a file travel together). */
  blobsPerQuery: number;
  /** Text bytes one GraphQL query may answer, counted from tree listings' sizes. */
  bytesPerQuery: number;
  /** Blobs of unknown size (no tree listing) in one GraphQL query at most: each may answer up to 512 KB. */
  unsizedPerQuery: number;
  /** Concurrent GraphQL queries (Octokit's throttling still spaces them as writes). */
  graphqlConcurrency: number;
  /** Concurrent REST blob fallbacks. */
  blobFallbackConcurrency: number;
}

export const DEFAULT_GITHUB_LIMITS: GitHubLimits = {
  listConcurrency: 8,
  // GitHub documents no alias limit, only 500,000 nodes a query and a 10 s timeout. 1,000 aliases and 4 MB of text
  // a query are far from the first; the second cannot be known in advance, so a query GitHub times out on is split
  // in two and asked again (src/github/blobs.ts).
  blobsPerQuery: 1000,
  bytesPerQuery: 4_000_000,
  // Without sizes, as many as before the packing by size (a query answers at most 200 × 512 KB).
  unsizedPerQuery: 200,
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
