import type { ReviewResult } from "../core/review.js";
import type { Waiver } from "../core/suppress.js";
import { reviewRecordFrom, toCoreWaiver } from "./convert.js";
import { summaryCommentsFor } from "./summary-comments.js";
import type { DecisionStore } from "./types.js";
import type { FailedReviewInput, RememberedComment } from "../pipeline/types.js";
import { SEVERITIES, type Severity } from "../core/types.js";

/** What the review pipeline records after a review (structurally the pipeline's `ReviewRecordInput`). */
export interface ReviewToRecord {
  repo: string;
  pr: number;
  headSha: string;
  baseSha: string;
  result: Pick<ReviewResult, "conclusion" | "summary" | "findings">;
  time: Date;
  checkRunId?: number;
  deliveryId?: string;
}

/**
 * The store as the review pipeline uses it: waivers in force in the engine's shape, the override of a
 * head SHA, recording a review, and claiming (or, after a failure, forgetting) a webhook delivery.
 */
export function reviewDecisions(store: DecisionStore) {
  const comments = summaryCommentsFor(store);
  return {
    async waiversFor(repo: string, pr: number, now: Date): Promise<Waiver[]> {
      return (await store.activeWaivers(repo, pr, now)).map(toCoreWaiver);
    },
    async overrideFor(repo: string, pr: number, sha: string): Promise<{ actor: string; reason: string } | null> {
      const o = await store.overrideFor(repo, pr, sha);
      return o ? { actor: o.actor, reason: o.reason } : null;
    },
    async recordReview(r: ReviewToRecord): Promise<void> {
      await store.recordReview({
        ...reviewRecordFrom(r.result, { repo: r.repo, pr: r.pr, headSha: r.headSha, baseSha: r.baseSha, time: r.time, deliveryId: r.deliveryId }),
        checkRunId: r.checkRunId,
      });
    },
    async recordFailedReview(r: FailedReviewInput): Promise<void> {
      const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
      await store.recordReview({
        repo: r.repo,
        pr: r.pr,
        headSha: r.headSha,
        baseSha: r.baseSha,
        conclusion: r.conclusion,
        counts: { new: 0, existing: 0, fixed: 0, suppressed: 0, bySeverity },
        findings: [],
        time: r.time,
        checkRunId: r.checkRunId,
        ...(r.deliveryId ? { deliveryId: r.deliveryId } : {}),
        error: r.reason,
      });
    },
    async latestReviewedHead(repo: string, pr: number): Promise<string | null> {
      return (await store.latestReview(repo, pr))?.headSha ?? null;
    },
    ...(comments
      ? {
          summaryComment: (repo: string, pr: number): Promise<RememberedComment | null> => comments.recall(repo, pr),
          rememberSummaryComment: (repo: string, pr: number, comment: RememberedComment): Promise<void> => comments.remember(repo, pr, comment),
        }
      : {}),
    claimDelivery(deliveryId: string): Promise<boolean> {
      return store.recordDelivery(deliveryId);
    },
    forgetDelivery(deliveryId: string): Promise<void> {
      return store.forgetDelivery(deliveryId);
    },
  };
}
