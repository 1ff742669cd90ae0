/**
 * The review pipeline's ports, in its own terms (Renovate's `Platform` interface is the model): a source of
 * changed files and their contents, a sink for the check (verdict and annotations), a sink for the one summary
 * comment, a config source and the decision store. A platform adapter (`src/github/`) implements them; the
 * pipeline knows no platform type or function, so a second platform or source is another adapter.
 */
import type { Conclusion } from "../core/types.js";
import type { FileChange, ReviewResult } from "../core/review.js";
import type { Waiver } from "../core/suppress.js";
import type { CheckRunOutput } from "../report/check-run-output.js";

/** The pull request a review is for, at one head SHA. */
export interface PullRequestTarget {
  owner: string;
  repo: string;
  number: number;
  headSha: string;
  /** Base side of the comparison (the PR's `base.sha`). */
  baseSha: string;
  /** How many files the pull request changes, as the platform counts them (NaN when unknown). */
  changedFiles: number;
  /** The branch the pull request merges into (`base.ref`) and the repository's default branch, when known. */
  baseRef?: string;
  defaultBranch?: string;
  /** The head before this push (`before` of a synchronize event), when known. */
  previousHeadSha?: string;
  /** True when the PR was just opened: it cannot have a summary comment yet. */
  justOpened?: boolean;
  /** The repository's web address (e.g. `https://github.com/acme/gitops`), when known: reports link to the code. */
  webUrl?: string;
}

/** One changed file, with the engine's status vocabulary (a platform's "copied" is "added", and so on). */
export type ChangedFile = Omit<FileChange, "base" | "head">;

export interface ChangedFileListing {
  files: ChangedFile[];
  /** Human-readable notes for the report (e.g. files beyond the platform's listing limit). */
  notes: string[];
}

/** One file version to read: `path` at commit `commitSha`; `key` names it in the answer. */
export interface FileVersionRequest {
  key: string;
  commitSha: string;
  path: string;
  /**
   * The version's size in bytes when a tree listing of that commit said it: a hint the content source may use to
   * skip a file over the limit or to pack its reads (the answer's own size still decides).
   */
  size?: number;
}

export type FileVersion =
  | { kind: "text"; text: string }
  | { kind: "bytes"; bytes: Uint8Array }
  /** Larger than the parse limit: not downloaded, only its size is known. */
  | { kind: "oversized"; byteSize: number }
  /** No such file at that commit (or not a regular file, e.g. a submodule). */
  | { kind: "missing" };

/** What a finished check says: the conclusion and the rendered output (title, summary, text, annotations). */
export interface CheckCompletion {
  conclusion: Conclusion;
  output: CheckRunOutput;
}

/** The one summary comment of a pull request, as found on the platform. */
export interface SummaryComment {
  id: number;
  body: string;
  /** The head SHA the comment was computed for (from its marker), when it says. */
  sha: string | null;
}

/**
 * What the decision store remembers of the summary comment it last wrote on a PR: enough to edit it again without
 * looking it up on the platform (one request less per review), and to tell an unchanged body without reading it.
 */
export interface RememberedComment {
  id: number;
  /** The head SHA the comment was written for. */
  sha: string;
  /** `contentDigest` of the body written. */
  digest: string;
}

/** Where the verdict goes: a check (run) on the head commit, started in progress and completed once. */
export interface ChecksSink {
  /** Creates the check in progress; returns its id. */
  start(headSha: string): Promise<number>;
  complete(checkId: number, completion: CheckCompletion): Promise<void>;
}

/** The repository config, raw (default branch of the base repository); throws ConfigError when unreadable. */
export interface ConfigSource {
  load(): Promise<unknown>;
}

/** The changed files of the pull request. */
export interface ChangedFileSource {
  list(target: PullRequestTarget): Promise<ChangedFileListing>;
}

/** File contents at given commits; files over `maxBytes` come back `oversized`, unread. */
export interface FileContentSource {
  fetch(requests: readonly FileVersionRequest[], maxBytes: number): Promise<Map<string, FileVersion>>;
  /** File versions one request reads (GitHub: blobs per GraphQL query), when reads are batched. */
  batchSize?: number;
  /** Bytes of file versions one request reads at most, when reads are packed by size (GitHub: text per query). */
  batchBytes?: number;
  /**
   * File versions of unknown size one request reads at most, when reads are packed by size: a pull request with
   * more changed files than this has its base tree listed too, so that the base versions' sizes are known.
   */
  unsizedBatchSize?: number;
}

/** One file of a repository tree. */
export interface TreeEntry {
  path: string;
  /** Size in bytes, when the platform says. */
  size?: number;
  /** The content's object id (git blob id), when the platform says: equal ids, equal contents. */
  id?: string;
}

export interface TreeListing {
  /** Every regular file of the tree (no directories, submodules or symbolic links). */
  files: TreeEntry[];
  /** True when the platform listed only part of the tree (the listing is then not used). */
  truncated: boolean;
  /** Symbolic links and submodules of the tree (left out of `files`), when listed. */
  links?: string[];
}

/** The files of the repository at a commit: what a Kustomize render may read. */
export interface RepositoryTreeSource {
  list(commitSha: string): Promise<TreeListing>;
}

/** The one summary comment of the pull request. */
export interface SummaryCommentSink {
  /** The longest body the platform accepts, in characters. */
  maxBodyChars: number;
  find(): Promise<SummaryComment | null>;
  /** The comment with this id (one request), or null when there is none (any more). */
  read(commentId: number): Promise<SummaryComment | null>;
  /** Posts the comment; its id. */
  create(body: string): Promise<number>;
  /** Edits the comment; false when there is no such comment (any more: someone deleted it). */
  update(commentId: number, body: string): Promise<boolean>;
  /** The PR's head SHA right now (one request; used only when the comment's SHA is not known to be older). */
  currentHeadSha(): Promise<string>;
}

/** Everything a review needs from the platform, behind small interfaces so tests can swap them. */
export interface ReviewPorts {
  /** The platform's name, for messages ("GitHub API answered 403: …"). */
  platform: string;
  checks: ChecksSink;
  config: ConfigSource;
  files: ChangedFileSource;
  contents: FileContentSource;
  comments: SummaryCommentSink;
  /** The repository tree at a commit, for the Kustomize render; without it every changed file is judged on its own. */
  trees?: RepositoryTreeSource;
}

/** A review that failed before it judged anything (see `ReviewDecisions.recordFailedReview`). */
export interface FailedReviewInput {
  /** `owner/name`. */
  repo: string;
  pr: number;
  headSha: string;
  baseSha: string;
  /** The conclusion the check run ended with (`failure`, or `neutral` with `onError: neutral`). */
  conclusion: Conclusion;
  /** Why it failed, as the check run says it (no request details, no tokens). */
  reason: string;
  checkRunId: number;
  time: Date;
  deliveryId?: string;
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
  /** Records a review that failed (its reason, the check run's conclusion) in the review items, for the audit. */
  recordFailedReview?(record: FailedReviewInput): Promise<void>;
  /** The head SHA of the PR's most recently recorded review (null: none), e.g. one another worker finished. */
  latestReviewedHead?(repo: string, pr: number): Promise<string | null>;
  /** The summary comment last written on the PR, as remembered (null: none, or not remembered). */
  summaryComment?(repo: string, pr: number): Promise<RememberedComment | null>;
  rememberSummaryComment?(repo: string, pr: number, comment: RememberedComment): Promise<void>;
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
