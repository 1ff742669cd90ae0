import type { Conclusion, Severity } from "../core/types.js";

/**
 * The decision store: what gitops-guard decided and who decided what, on the record.
 * Records never hold a finding's message or any value from a manifest — only ids, paths,
 * resource names and fingerprints — so a secret cannot leak into the store.
 */

/** `Kind`, `namespace` and `name` of the resource a finding is about. */
export interface ResourceRef {
  kind: string | null;
  namespace: string | null;
  name: string | null;
}

/** One new finding of a review, as recorded. */
export interface RecordedFinding {
  ruleId: string;
  severity: Severity;
  file: string;
  resource: ResourceRef;
  fingerprint: string;
  /** How the finding was suppressed when the review ran (annotation/config/waiver/override), if it was. */
  suppressedBy?: string;
}

export interface ReviewCounts {
  new: number;
  existing: number;
  fixed: number;
  suppressed: number;
  /** New, unsuppressed findings by severity. */
  bySeverity: Record<Severity, number>;
}

export interface ReviewRecord {
  type: "review";
  repo: string;
  pr: number;
  headSha: string;
  baseSha: string;
  conclusion: Conclusion;
  counts: ReviewCounts;
  findings: RecordedFinding[];
  /** How many new findings were left out of `findings` to keep the item within DynamoDB's size limit. */
  findingsOmitted?: number;
  /** ISO time the review was recorded. */
  time: string;
  /** The webhook delivery that caused it, when known. */
  deliveryId?: string;
  /** The check run it was reported on, when known. */
  checkRunId?: number;
  /**
   * Why the review failed before judging anything (a GitHub API 500, the store down): the attempt is recorded with the
   * conclusion its check run ended with, no counts and no findings, so the audit shows it (held-out round 17).
   */
  error?: string;
}

export interface WaiverRecord {
  type: "waiver";
  id: string;
  repo: string;
  pr: number;
  rule: string;
  /** Exact file the waiver is limited to; absent = every file of the PR. */
  file?: string;
  /** `Kind/name` (or `Kind/namespace/name`) the waiver is limited to; absent = every resource. */
  resource?: string;
  reason: string;
  actor: string;
  /** ISO time of creation. */
  time: string;
  /** ISO time the waiver stops applying. */
  expires: string;
  /** Head SHA of the PR when the waiver was given. */
  headSha: string;
  /** Where the decision came from, e.g. `comment:123#2` (for idempotent retries). */
  source?: string;
  revokedBy?: string;
  revokedAt?: string;
}

export interface UnwaiveRecord {
  type: "unwaive";
  repo: string;
  pr: number;
  waiverId: string;
  rule: string;
  actor: string;
  time: string;
  headSha: string;
}

export interface OverrideRecord {
  type: "override";
  repo: string;
  pr: number;
  /** The head SHA that passes; a new push needs a new decision. */
  headSha: string;
  actor: string;
  reason: string;
  time: string;
  source?: string;
}

export interface ClosedRecord {
  type: "closed";
  repo: string;
  pr: number;
  merged: boolean;
  headSha: string;
  /** Conclusion of the last recorded review of the PR (null when none was recorded). */
  lastConclusion: Conclusion | null;
  /** Overrides in force on the final head SHA. */
  overrides: Array<{ actor: string; reason: string; headSha: string; time: string }>;
  /** Waivers in force when the PR was closed (ids). */
  waivers: string[];
  actor?: string;
  time: string;
}

export type AuditRecord = ReviewRecord | WaiverRecord | UnwaiveRecord | OverrideRecord | ClosedRecord;
export type AuditType = AuditRecord["type"];

export interface NewReview {
  repo: string;
  pr: number;
  headSha: string;
  baseSha: string;
  conclusion: Conclusion;
  counts: ReviewCounts;
  findings: RecordedFinding[];
  time?: Date;
  deliveryId?: string;
  checkRunId?: number;
  /** See `ReviewRecord.error`. */
  error?: string;
}

export interface NewWaiver {
  repo: string;
  pr: number;
  rule: string;
  file?: string;
  resource?: string;
  reason: string;
  actor: string;
  headSha: string;
  expires: Date;
  time?: Date;
  /** Chosen by the caller (e.g. derived from the comment) or generated. */
  id?: string;
  source?: string;
}

export interface NewOverride {
  repo: string;
  pr: number;
  headSha: string;
  actor: string;
  reason: string;
  time?: Date;
  source?: string;
}

export interface NewClosed {
  repo: string;
  pr: number;
  merged: boolean;
  headSha: string;
  actor?: string;
  time?: Date;
  /** Taken from the latest recorded review when absent. */
  lastConclusion?: Conclusion | null;
}

export type CreateResult<T> = { created: true; record: T } | { created: false; existing: T };

export type RevokeResult =
  | { revoked: true; waiver: WaiverRecord }
  | { revoked: false; reason: "not-found" }
  | { revoked: false; reason: "already-revoked" | "expired" | "other-pr"; waiver: WaiverRecord };

export interface AuditQuery {
  repo: string;
  pr?: number;
  /** Only records at or after this instant. */
  since?: Date;
}

export interface DecisionStore {
  /** Remembers a webhook delivery for a day. True the first time an id is seen, false for a redelivery. */
  recordDelivery(deliveryId: string, now?: Date): Promise<boolean>;
  /** Forgets a delivery whose processing failed, so that GitHub's redelivery of it runs again. */
  forgetDelivery(deliveryId: string): Promise<void>;
  recordReview(review: NewReview): Promise<ReviewRecord>;
  /** The most recent review of a PR (any head SHA). */
  latestReview(repo: string, pr: number): Promise<ReviewRecord | null>;
  /** Conditional put: with a caller-chosen id that exists, nothing is written and the existing waiver is returned. */
  createWaiver(waiver: NewWaiver): Promise<CreateResult<WaiverRecord>>;
  getWaiver(repo: string, id: string): Promise<WaiverRecord | null>;
  /** Marks a waiver of this PR revoked (the record is kept) and records the unwaive. */
  revokeWaiver(input: { repo: string; pr: number; id: string; actor: string; headSha: string; time?: Date }): Promise<RevokeResult>;
  /** Every waiver given on a PR, revoked and expired ones included, oldest first. */
  waiversOf(repo: string, pr: number): Promise<WaiverRecord[]>;
  /** Waivers of a PR that are neither revoked nor expired at `now`. */
  activeWaivers(repo: string, pr: number, now: Date): Promise<WaiverRecord[]>;
  /** One override per head SHA: a second one is not written and the first is returned. */
  createOverride(override: NewOverride): Promise<CreateResult<OverrideRecord>>;
  overrideFor(repo: string, pr: number, headSha: string): Promise<OverrideRecord | null>;
  recordClosed(closed: NewClosed): Promise<ClosedRecord>;
  /** Reviews, waivers, unwaives, overrides and closings of a repo (or one PR), oldest first. */
  audit(query: AuditQuery): Promise<AuditRecord[]>;
  close(): Promise<void>;
}

/** A store problem worth a clear message (unreachable endpoint, store in use, missing table). */
export class StoreError extends Error {
  override name = "StoreError";

  /** `empty`: there is no store or table yet, so nothing was ever recorded. */
  constructor(
    message: string,
    readonly code?: "empty",
  ) {
    super(message);
  }
}
