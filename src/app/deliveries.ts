import type { Context } from "probot";
import { describeError } from "../pipeline/run-review.js";
import type { ReviewDecisions } from "../pipeline/types.js";

/** What a handler's work says: "failed" when GitHub's redelivery of the event should run it again. */
export type Handled = "failed" | void;

/**
 * Runs an event's work once per webhook delivery (`x-github-delivery`, Probot's `context.id`): the id is
 * claimed with a conditional put before anything is done, and a redelivery of a claimed id does nothing.
 * When the work fails (throws, or says "failed"), the claim is withdrawn so a redelivery can retry. A
 * store that cannot be reached does not stop the work: a PR must still get its check run.
 */
export function deliveryGuard(decisions: Pick<ReviewDecisions, "claimDelivery" | "forgetDelivery"> | undefined) {
  return async (context: Pick<Context, "id" | "log">, work: () => Promise<Handled>): Promise<void> => {
    let claimed = false;
    if (decisions?.claimDelivery && context.id) {
      try {
        if (!(await decisions.claimDelivery(context.id))) {
          context.log.info({ delivery: context.id }, "gitops-guard: delivery already handled; ignoring the redelivery");
          return;
        }
        claimed = true;
      } catch (error) {
        context.log.warn({ err: error, delivery: context.id }, `gitops-guard: could not record the delivery (${describeError(error)}); handling it anyway`);
      }
    }
    let failed = true;
    try {
      failed = (await work()) === "failed";
    } finally {
      if (failed && claimed && decisions?.forgetDelivery) {
        try {
          await decisions.forgetDelivery(context.id);
        } catch (error) {
          context.log.warn({ err: error, delivery: context.id }, `gitops-guard: could not forget the failed delivery: ${describeError(error)}`);
        }
      }
    }
  };
}
