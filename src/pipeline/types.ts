import type { ReviewResult } from "../core/review.js";
import type { Waiver } from "../core/suppress.js";
import type { BlobContent, BlobRequest } from "../github/blobs.js";
import type { CheckRunCompletion } from "../github/check-run.js";
import type { PullFileListing } from "../github/pull-files.js";
import type { StickyComment } from "../github/sticky-comment.js";

/** The pull request a review is for, at one head SHA. */
export interface PullRequestTarget {
  owner: string;
  repo: string;
  number: number;
  headSha: string;
  /** Base side of the comparison (the PR's `base.sha`). */
  baseSha: string;
  /** `changed_files` of the PR: how many pages of files to read. */
  changedFiles: number;
  /** The head before this push (`before` of a synchronize event), when known. */
  previousHeadSha?: string;
  /** True when the PR was just opened: it cannot have a summary comment yet. */
  justOpened?: boolean;
}

/** Everything the review needs from GitHub, behind small interfaces so tests can swap them. */
export interface ReviewPorts {
  checks: {
    /** Creates the check run `in_progress`; returns its id. */
    start(headSha: string): Promise<number>;
    complete(checkRunId: number, completion: CheckRunCompletion): Promise<void>;
  };
  /** Raw repository config (default branch of the base repository); throws ConfigError when unreadable. */
  config: { load(): Promise<unknown> };
  files: { list(target: PullRequestTarget): Promise<PullFileListing> };
  contents: { fetch(requests: readonly BlobRequest[], maxBytes: number): Promise<Map<string, BlobContent>> };
  comments: {
    find(): Promise<StickyComment | null>;
    create(body: string): Promise<void>;
    update(commentId: number, body: string): Promise<void>;
    /** The PR's head SHA right now (one request; used only when the comment's SHA is not known to be older). */
    currentHeadSha(): Promise<string>;
  };
}

export interface ReviewRecordInput {
  /** `owner/name`. */
  repo: string;
  pr: number;
  headSha: string;
  baseSha: string;
  result: ReviewResult;
  checkRunId: number;
  time: Date;
  deliveryId?: string;
}

/**
 * The decision store seam (waivers, overrides, the audit record). Optional: without it a review
 * uses config waivers only and records nothing.
 */
export interface ReviewDecisions {
  waiversFor(repo: string, pr: number, now: Date): Promise<Waiver[]>;
  overrideFor(repo: string, pr: number, sha: string): Promise<{ actor: string; reason: string } | null>;
  recordReview(record: ReviewRecordInput): Promise<void>;
  /** True the first time a webhook delivery id is seen; false for a redelivery (which then does nothing). */
  claimDelivery?(deliveryId: string): Promise<boolean>;
  /** Forgets a claimed delivery whose processing failed, so that a redelivery of it runs again. */
  forgetDelivery?(deliveryId: string): Promise<void>;
}

/** The subset of pino (Probot's logger) the pipeline uses. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
