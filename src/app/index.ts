import type { ApplicationFunction, ApplicationFunctionOptions, Context, Probot } from "probot";
import { CHECK_NAME } from "../github/check-run.js";
import type { GitHubLimits } from "../github/client.js";
import { githubPorts } from "../github/ports.js";
import { getPull, openPullsForCommit } from "../github/pulls.js";
import { HeadTracker, KeyedMutex, prKey } from "../pipeline/freshness.js";
import { runReview, type ReviewOutcome } from "../pipeline/run-review.js";
import type { PullRequestTarget, ReviewDecisions } from "../pipeline/types.js";
import { targetFromPullRequest } from "./review-target.js";

export interface GuardAppOptions {
  /** Decision store (waivers, overrides, audit records, delivery dedupe). Optional. */
  store?: ReviewDecisions;
  now?: () => Date;
  limits?: Partial<GitHubLimits>;
  /** Called after every review (tests, metrics). */
  onReview?: (outcome: ReviewOutcome, target: PullRequestTarget) => void;
}

type AppFunctionOptions = Partial<ApplicationFunctionOptions> & GuardAppOptions;

const PR_ACTIONS = [
  "pull_request.opened",
  "pull_request.synchronize",
  "pull_request.reopened",
  "pull_request.ready_for_review",
  "pull_request.edited",
] as const;

/** The gitops-guard Probot app: thin handlers that turn events into reviews. */
export default function gitopsGuard(app: Probot, options: AppFunctionOptions = {}): void {
  const heads = new HeadTracker();
  const locks = new KeyedMutex();
  const store = options.store;

  /** False for a redelivery the store has already seen. */
  const firstDelivery = async (context: Context): Promise<boolean> => {
    if (!store?.claimDelivery || !context.id) return true;
    if (await store.claimDelivery(context.id)) return true;
    context.log.info({ delivery: context.id }, "gitops-guard: delivery already handled; ignoring the redelivery");
    return false;
  };

  const review = async (context: Context, target: PullRequestTarget): Promise<void> => {
    const key = prKey(target);
    heads.note(key, target.headSha);
    const outcome = await runReview(target, {
      ports: githubPorts(context.octokit, target, { configSource: context, limits: options.limits, now: options.now }),
      decisions: store,
      now: options.now,
      log: context.log,
      isLatest: () => heads.isLatest(key, target.headSha),
      commentLock: (fn) => locks.run(key, fn),
      deliveryId: context.id,
    });
    options.onReview?.(outcome, target);
  };

  app.on([...PR_ACTIONS], async (context) => {
    const { payload } = context;
    // An edit matters only when it moved the PR to another base branch.
    if (payload.action === "edited" && !payload.changes.base) return;
    if (!(await firstDelivery(context))) return;
    const target = targetFromPullRequest(payload.repository, payload.pull_request, {
      previousHeadSha: payload.action === "synchronize" ? payload.before : null,
      justOpened: payload.action === "opened",
    });
    await review(context, target);
  });

  /** "Re-run" on a check run or suite: review again every open PR whose head is that commit. */
  const rereview = async (context: Context<"check_run" | "check_suite">, headSha: string, listed: ReadonlyArray<{ number: number; base: { repo: { id: number } } }>) => {
    if (!(await firstDelivery(context))) return;
    const repo = context.repo();
    const repoId = context.payload.repository.id;
    let numbers = listed.filter((p) => p.base.repo.id === repoId).map((p) => p.number);
    if (numbers.length === 0) numbers = await openPullsForCommit(context.octokit, repo, headSha);
    if (numbers.length === 0) context.log.info({ sha: headSha }, "gitops-guard: re-run requested, but no open pull request has this head");
    for (const number of [...new Set(numbers)]) {
      const pull = await getPull(context.octokit, repo, number);
      await review(context, { ...repo, number, headSha: pull.headSha, baseSha: pull.baseSha, changedFiles: pull.changedFiles });
    }
  };

  app.on("check_run.rerequested", async (context) => {
    const run = context.payload.check_run;
    if (run.name !== CHECK_NAME) return;
    await rereview(context, run.head_sha, run.pull_requests);
  });

  app.on("check_suite.rerequested", async (context) => {
    const suite = context.payload.check_suite;
    await rereview(context, suite.head_sha, suite.pull_requests);
  });
}

/** The app function with options bound (Probot calls app functions with its own options only). */
export function withOptions(options: GuardAppOptions): ApplicationFunction {
  return (app, probotOptions) => gitopsGuard(app, { ...probotOptions, ...options });
}
