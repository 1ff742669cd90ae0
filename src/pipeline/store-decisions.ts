import { reviewRecordFrom, toCoreWaiver } from "../store/convert.js";
import type { DecisionStore } from "../store/types.js";
import type { ReviewDecisions } from "./types.js";

export type StoreForReviews = Pick<DecisionStore, "activeWaivers" | "overrideFor" | "recordReview" | "recordDelivery">;

/** The review pipeline's decisions seam, backed by the DynamoDB decision store. */
export function decisionsFromStore(store: StoreForReviews): ReviewDecisions {
  return {
    waiversFor: async (repo, pr, now) => (await store.activeWaivers(repo, pr, now)).map(toCoreWaiver),
    overrideFor: async (repo, pr, sha) => {
      const o = await store.overrideFor(repo, pr, sha);
      return o ? { actor: o.actor, reason: o.reason } : null;
    },
    recordReview: async (r) => {
      await store.recordReview(
        reviewRecordFrom(r.result, { repo: r.repo, pr: r.pr, headSha: r.headSha, baseSha: r.baseSha, time: r.time, ...(r.deliveryId ? { deliveryId: r.deliveryId } : {}) }),
      );
    },
    claimDelivery: (deliveryId) => store.recordDelivery(deliveryId),
  };
}
