import type { ApplicationFunction, ApplicationFunctionOptions, Context, Probot } from "probot";
import type { CommentOutcome } from "../slash/handlers.js";
import { mentionsEcrRegistry } from "../aws/ecr/host.js";
import type { FactsSource } from "../facts/source.js";
import { ecrScanCacheFor } from "../store/ecr-scan-cache.js";
import { CHECK_NAME, RECHECK_ACTION } from "../github/check-run.js";
import type { GitHubLimits } from "../github/client.js";
import { githubPorts } from "../github/ports.js";
import { getPull, openPullsForCommit } from "../github/pulls.js";
import { HeadTracker, KeyedMutex, prKey } from "../pipeline/freshness.js";
import { runReview, type ReviewOutcome } from "../pipeline/run-review.js";
import type { PullRequestTarget, ReviewDecisions } from "../pipeline/types.js";
import { reviewDecisions } from "../store/review-decisions.js";
import type { DecisionStore } from "../store/types.js";
import { isCommandCandidate, onPullRequestComment } from "./slash-comment.js";
import { deliveryGuard, type Handled } from "./deliveries.js";
import { PublishOrder } from "./publish-order.js";
import { branchesOf, repositoryWebUrl, targetFromPullRequest } from "./review-target.js";

export interface GuardAppOptions {
  /**
   * The decision store. A full DecisionStore (what `openStore` returns) gives reviews their waivers,
   * overrides and audit record, dedupes deliveries, and turns on slash-commands and closed-PR records.
   * A bare ReviewDecisions seam (tests) gives reviews their decisions and delivery dedupe only.
   */
  store?: DecisionStore | ReviewDecisions;
  now?: () => Date;
  limits?: Partial<GitHubLimits>;
  /**
   * Facts from outside the repository for every review. Default: Amazon ECR, on when the environment has AWS
   * credentials or AWS_ENDPOINT_URL_ECR (unless the repository config says `ecr.enabled: false`), with the decision
   * store's one-hour scan cache when the store is DynamoDB. Null: no facts (the ecr/* rules stay silent).
   */
  facts?: FactsSource | null;
  /** Called after every review (tests, metrics). */
  onReview?: (outcome: ReviewOutcome, target: PullRequestTarget) => void;
  /** Called after every comment with commands (tests). */
  onCommands?: (outcome: CommentOutcome, pr: { repo: string; number: number }) => void;
}

type AppFunctionOptions = Partial<ApplicationFunctionOptions> & GuardAppOptions;

const PR_ACTIONS = [
  "pull_request.opened",
  "pull_request.synchronize",
  "pull_request.reopened",
  "pull_request.ready_for_review",
  "pull_request.edited",
] as const;

export function isDecisionStore(store: DecisionStore | ReviewDecisions): store is DecisionStore {
  return "activeWaivers" in store && "recordDelivery" in store && "createWaiver" in store;
}

/**
 * The App's ECR facts from `process.env`, with the store's scan cache. The ECR module (and the AWS SDK's ECR client)
 * is loaded on the first review that needs it, not when the app starts (Lambda cold start).
 */
export function defaultFactsSource(store: DecisionStore | undefined, warn: (message: string) => void): FactsSource {
  let loaded: Promise<FactsSource> | null = null;
  const load = () =>
    (loaded ??= import("../aws/ecr/facts-source.js").then(({ ecrFactsSource }) =>
      ecrFactsSource({ env: process.env, cache: store ? ecrScanCacheFor(store) : null, warn, sessionName: "gitops-guard" }),
    ));
  return {
    providersFor: async (config) => (await load()).providersFor(config),
    mayReference: mentionsEcrRegistry,
  };
}

/** The gitops-guard Probot app: thin handlers that turn events into reviews and decisions. */
export default function gitopsGuard(app: Probot, options: AppFunctionOptions = {}): void {
  const heads = new HeadTracker();
  const locks = new KeyedMutex();
  const order = new PublishOrder();
  const fullStore = options.store && isDecisionStore(options.store) ? options.store : undefined;
  const decisions: ReviewDecisions | undefined = fullStore ? reviewDecisions(fullStore) : (options.store as ReviewDecisions | undefined);
  const now = options.now ?? (() => new Date());
  const facts = options.facts === undefined ? defaultFactsSource(fullStore, (message) => app.log.warn(`gitops-guard: ${message}`)) : (options.facts ?? undefined);

  /** Every handled event goes through `once`: a redelivery (same x-github-delivery) changes nothing. */
  const once = deliveryGuard(decisions);

  /** Reviews one PR at one head; `preloaded` is the raw config when the caller has already read it. */
  const review = async (context: Context, prTarget: PullRequestTarget, preloaded?: { raw: unknown }): Promise<ReviewOutcome> => {
    const target = { ...prTarget, webUrl: prTarget.webUrl ?? repositoryWebUrl(context.payload) };
    const key = prKey(target);
    heads.note(key, target.headSha);
    const ticket = order.start();
    const ports = githubPorts(context.octokit, target, { configSource: context, limits: options.limits, now: options.now });
    const outcome = await runReview(target, {
      ports: preloaded ? { ...ports, config: { load: async () => preloaded.raw } } : ports,
      decisions,
      now: options.now,
      log: context.log,
      // Evaluated inside the comment lock: neither a newer head nor a newer review of this head has published.
      isLatest: () => heads.isLatest(key, target.headSha) && order.mayPublish(key, ticket),
      commentLock: (fn) =>
        locks.run(key, async () => {
          const done = await fn();
          order.markPublished(key, ticket);
          return done;
        }),
      deliveryId: context.id,
      ...(facts ? { facts } : {}),
    });
    options.onReview?.(outcome, target);
    return outcome;
  };

  app.on([...PR_ACTIONS], async (context) => {
    const { payload } = context;
    // An edit matters only when it moved the PR to another base branch.
    if (payload.action === "edited" && !payload.changes.base) return;
    await once(context, async () => {
      const target = targetFromPullRequest(payload.repository, payload.pull_request, {
        previousHeadSha: payload.action === "synchronize" ? payload.before : null,
        justOpened: payload.action === "opened",
      });
      return (await review(context, target)).kind === "error" ? "failed" : undefined;
    });
  });

  /** "Re-run" on a check run or suite (or our "Re-run review" button): review again every open PR whose head is that commit. */
  const rereview = async (context: Context<"check_run" | "check_suite">, headSha: string, listed: ReadonlyArray<{ number: number; base: { repo: { id: number } } }>): Promise<Handled> => {
    const repo = context.repo();
    const repoId = context.payload.repository.id;
    let numbers = listed.filter((p) => p.base.repo.id === repoId).map((p) => p.number);
    if (numbers.length === 0) numbers = await openPullsForCommit(context.octokit, repo, headSha);
    if (numbers.length === 0) context.log.info({ sha: headSha }, "gitops-guard: re-run requested, but no open pull request has this head");
    let failed = false;
    for (const number of [...new Set(numbers)]) {
      const pull = await getPull(context.octokit, repo, number);
      const outcome = await review(context, { ...repo, number, headSha: pull.headSha, baseSha: pull.baseSha, changedFiles: pull.changedFiles, ...branchesOf(pull) });
      if (outcome.kind === "error") failed = true;
    }
    return failed ? "failed" : undefined;
  };

  app.on("check_run.rerequested", async (context) => {
    const run = context.payload.check_run;
    if (run.name !== CHECK_NAME) return;
    await once(context, () => rereview(context, run.head_sha, run.pull_requests));
  });

  app.on("check_run.requested_action", async (context) => {
    const run = context.payload.check_run;
    if (run.name !== CHECK_NAME || context.payload.requested_action?.identifier !== RECHECK_ACTION.identifier) return;
    await once(context, () => rereview(context, run.head_sha, run.pull_requests));
  });

  app.on("check_suite.rerequested", async (context) => {
    const suite = context.payload.check_suite;
    await once(context, () => rereview(context, suite.head_sha, suite.pull_requests));
  });

  /** Slash-commands in a new comment on a pull request (edited comments and plain issues are not handled). */
  app.on("issue_comment.created", async (context) => {
    if (!isCommandCandidate(context.payload)) return;
    if (!fullStore) {
      context.log.info("gitops-guard: slash-commands need the decision store; this app runs without one");
      return;
    }
    const store = fullStore;
    await once(context, async () => {
      const outcome = await onPullRequestComment(context, { store, now, review: (target, raw) => review(context, target, { raw }) });
      if (outcome) options.onCommands?.(outcome, { repo: `${context.payload.repository.full_name}`, number: context.payload.issue.number });
    });
  });

  /** The final state of a closed PR, on the record: merged or not, the last conclusion, overrides in force. */
  app.on("pull_request.closed", async (context) => {
    if (!fullStore) return;
    const store = fullStore;
    const { payload } = context;
    await once(context, async () => {
      const record = await store.recordClosed({
        repo: `${payload.repository.owner.login}/${payload.repository.name}`,
        pr: payload.pull_request.number,
        merged: payload.pull_request.merged === true,
        headSha: payload.pull_request.head.sha,
        actor: payload.sender?.login,
        time: now(),
      });
      context.log.info({ pr: record.pr, merged: record.merged, lastConclusion: record.lastConclusion }, "gitops-guard: closed pull request recorded");
    });
  });
}

/** The app function with options bound (Probot calls app functions with its own options only). */
export function withOptions(options: GuardAppOptions): ApplicationFunction {
  return (app, probotOptions) => gitopsGuard(app, { ...probotOptions, ...options });
}
