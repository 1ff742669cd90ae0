import { ConfigError, DEFAULT_COMMAND_PREFIX, type Config } from "../core/config.js";
import { loadConfig } from "../core/config-loader.js";
import { Policy } from "../core/policy.js";
import { prepareReviewSteps, type ReviewResult } from "../core/review.js";
import { gatherReviewFacts, type FactsSource, type GatheredReviewFacts } from "../facts/source.js";
import type { Waiver } from "../core/suppress.js";
import type { Conclusion } from "../core/types.js";
import { DEFAULT_LIMITS, type ParseLimits } from "../parse/limits.js";
import { checkRunOutput, internalErrorOutput, invalidConfigOutput } from "../report/check-run-output.js";
import type { ExtraSection } from "../report/finding-sections.js";
import { imagesSection } from "../report/images.js";
import { checkRunUrl, type ReviewedCommit } from "../report/links.js";
import { renderMarkdown } from "../report/pr-comment.js";
import { ecrImageRows, ecrRan } from "../rules/ecr/_image-rows.js";
import { ALL_RULES } from "../rules/index.js";
import { publishSummary, type CommentAction, type CommentMemory } from "./comment.js";
import { assemble, planFetch } from "./gather.js";
import { DEFAULT_SLICE_MS, Pacer } from "./pace.js";
import { gatherWithRender, type Gathered } from "./gather-render.js";
import type { CheckCompletion, Logger, PullRequestTarget, ReviewDecisions, ReviewPorts } from "./types.js";

export interface ReviewDeps {
  ports: ReviewPorts;
  decisions?: ReviewDecisions;
  now?: () => Date;
  log?: Logger;
  /** False when a newer head is already known for this PR; the summary comment is then left alone. */
  isLatest?: () => boolean;
  /** Runs the comment phase exclusively for this PR (so two reviews cannot both create a comment). */
  commentLock?: <T>(fn: () => Promise<T>) => Promise<T>;
  deliveryId?: string;
  limits?: ParseLimits;
  /** Annotations on the check run (sent 50 a request). Default 50. */
  maxAnnotations?: number;
  /** False: no Kustomize render (every changed file judged on its own). Default true when the ports list trees. */
  render?: boolean;
  /**
   * Facts from outside the repository (Amazon ECR scans of the images the change introduces), gathered between
   * prepare and evaluate. Without it no provider runs and the ecr/* rules are silent.
   */
  facts?: FactsSource;
  /**
   * Time budget for the review's own work (parse, render, rules; see ReviewInput.maxReviewMs). Default
   * DEFAULT_MAX_REVIEW_MS; `Infinity` turns it off.
   */
  maxReviewMs?: number;
  /** Synchronous work between two turns of the event loop (see pace.ts). Default DEFAULT_SLICE_MS. */
  sliceMs?: number;
}

/**
 * The review's own work may take 30 s (wall time, counted only while its steps run) before the files left are
 * reported as not reviewed. The Lambda worker has 120 s (serverless.yml) for everything: gathering from GitHub
 * (seconds, ~7 s for 3,000 files with 50 ms latency), the facts stage (at most 60 s, FACTS_TIMEOUT_MS), this, and
 * publishing; 30 s leaves room for the rest. An ordinary 3,000-file pull request needs about 7 s (development machine).
 */
export const DEFAULT_MAX_REVIEW_MS = 30_000;

export type ReviewOutcome =
  | { kind: "reviewed"; checkRunId: number; result: ReviewResult; comment: CommentAction | "failed" }
  | { kind: "invalid-config"; checkRunId: number; problems: string[] }
  | { kind: "error"; checkRunId: number | null; reason: string };

const silent: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * One review of a pull request at one head SHA: check run in progress → config → gather → review() →
 * record → complete the check run → sticky comment. Whatever fails, the check run is completed
 * (`failure`, or `neutral` with `onError: neutral`) with the reason and a recheck hint.
 */
export async function runReview(target: PullRequestTarget, deps: ReviewDeps): Promise<ReviewOutcome> {
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? silent;
  const { ports } = deps;
  // The check run, the config and the file listing do not depend on each other: ask for all three at once.
  const started = ports.checks.start(target.headSha);
  const configLoaded = settle(ports.config.load().then((raw) => loadConfig(raw, ALL_RULES)));
  const listed = settle(ports.files.list(target));
  // The head tree, for the Kustomize render: listed at once, beside the changed files.
  const treeListed = ports.trees && deps.render !== false ? settle(ports.trees.list(target.headSha)) : null;
  // And the base tree, when the base versions could fill more than one read of unknown sizes: one more listing
  // (a read, in parallel) whose sizes let the content source pack them into fewer requests.
  const unsized = ports.contents.unsizedBatchSize;
  const baseTreeListed = ports.trees && treeListed && unsized !== undefined && target.changedFiles > unsized ? settle(ports.trees.list(target.baseSha)) : null;
  let checkRunId: number;
  try {
    checkRunId = await started;
  } catch (error) {
    const reason = describeError(error, ports.platform);
    log.error({ err: error, pr: target.number }, `gitops-guard: could not create the check run: ${reason}`);
    return { kind: "error", checkRunId: null, reason };
  }

  let completed = false;
  let onError: Conclusion = "failure";
  let prefix = DEFAULT_COMMAND_PREFIX;
  const complete = async (conclusion: Conclusion, output: CheckCompletion["output"]) => {
    await ports.checks.complete(checkRunId, { conclusion, output });
    completed = true;
  };

  try {
    const configResult = await configLoaded;
    if (!configResult.ok) {
      if (!(configResult.error instanceof ConfigError)) throw configResult.error;
      await complete("failure", invalidConfigOutput(configResult.error.problems));
      return { kind: "invalid-config", checkRunId, problems: configResult.error.problems };
    }
    const config: Config = configResult.value;
    onError = config.onError;
    prefix = config.commands.prefix;

    const repoName = `${target.owner}/${target.repo}`;
    const limits = deps.limits ?? DEFAULT_LIMITS;
    const policy = new Policy(config, ALL_RULES);
    const reviewTime = now();
    const gathered = (async (): Promise<Gathered> => {
      const listing = await listed;
      if (!listing.ok) throw listing.error;
      const shas = { base: target.baseSha, head: target.headSha };
      const plan = planFetch(listing.value.files, policy, shas);
      if (treeListed) {
        const g = await gatherWithRender({
          listed: listing.value.files,
          // The platform lists fewer files than the PR changes (its listing limit): the base tree cannot be derived.
          listingComplete: !(Number.isFinite(target.changedFiles) && listing.value.files.length < target.changedFiles),
          tree: await treeListed,
          baseTree: baseTreeListed ? await baseTreeListed : null,
          plan,
          shas,
          policy,
          contents: ports.contents,
          maxBytes: limits.maxFileBytes,
          batchSize: ports.contents.batchSize ?? 1,
          ...(ports.contents.batchBytes !== undefined ? { batchBytes: ports.contents.batchBytes } : {}),
          describeError: (e) => describeError(e, ports.platform),
          // Which repository the Applications' `repoURL`s may name: the one the pull request is in.
          identity: repoName,
          // Whether an Application at HEAD (or at a branch) follows what merging changes.
          branches: { ...(target.baseRef !== undefined ? { base: target.baseRef } : {}), ...(target.defaultBranch !== undefined ? { default: target.defaultBranch } : {}) },
        });
        return { ...g, notes: [...listing.value.notes, ...g.notes] };
      }
      const contents = plan.requests.length ? await ports.contents.fetch(plan.requests, limits.maxFileBytes) : new Map();
      const { changes, notes } = assemble(plan, contents, target.headSha, limits.maxFileBytes);
      return { changes, notes: [...listing.value.notes, ...notes] };
    })();
    const decided = settle(
      (async (): Promise<[Waiver[], { actor: string; reason: string } | null]> =>
        deps.decisions
          ? Promise.all([deps.decisions.waiversFor(repoName, target.number, reviewTime), deps.decisions.overrideFor(repoName, target.number, target.headSha)])
          : [[], null])(),
    );
    // Parse and render as soon as the files are in; waivers and the override (the decision store) join at evaluation.
    const { changes, notes, repository } = await gathered;
    // The review's synchronous work runs in steps, with turns of the event loop between them (a server keeps answering).
    const pacer = new Pacer(deps.sliceMs ?? DEFAULT_SLICE_MS);
    const maxReviewMs = deps.maxReviewMs ?? DEFAULT_MAX_REVIEW_MS;
    const prepared = await pacer.drive(prepareReviewSteps({ changes, config, rules: ALL_RULES, now: reviewTime, notes, limits, maxReviewMs, ...(repository ? { repository } : {}) }));
    // Facts about the images the change introduces, while the decision store answers.
    const factsGathered = deps.facts ? settle(gatherReviewFacts({ prepared, changes, config, source: deps.facts, now: reviewTime, pace: pacer.pace })) : null;
    const decisions = await decided;
    if (!decisions.ok) throw decisions.error;
    const [waivers, override] = decisions.value;
    let facts: GatheredReviewFacts | null = null;
    if (factsGathered) {
      const f = await factsGathered;
      if (!f.ok) throw f.error;
      facts = f.value;
    }
    const result = await pacer.drive(prepared.evaluateSteps({ waivers, override, ...(facts ? { facts: facts.facts, notes: facts.notes } : {}) }));

    if (deps.decisions) {
      await deps.decisions.recordReview({
        repo: repoName,
        pr: target.number,
        headSha: target.headSha,
        baseSha: target.baseSha,
        result,
        checkRunId,
        time: reviewTime,
        ...(deps.deliveryId ? { deliveryId: deps.deliveryId } : {}),
      });
    }

    // The verdict and the summary comment go out together; a comment that cannot be written does
    // not change the verdict. Both link each finding to its line at the head commit when the repository's address is known.
    const commit: ReviewedCommit = { headSha: target.headSha, ...(target.baseSha ? { baseSha: target.baseSha } : {}), ...(target.webUrl ? { repositoryUrl: target.webUrl, checkRunUrl: checkRunUrl(target.webUrl, checkRunId) } : {}) };
    // More sections for both reports (e.g. container images: one line here, a renderer of its own in src/report).
    const sections: ExtraSection[] = [];
    // Only with rows: a pull request that introduces no ECR image gets no empty "Images (0)" section (held-out round 14).
    const imageRows = facts && ecrRan(facts.facts) ? ecrImageRows(facts.facts, config.ecr) : [];
    if (imageRows.length > 0) sections.push(imagesSection(imageRows));
    // A PR opened a moment ago has no comment yet, so the comment phase creates one without looking; but when the
    // decision store holds a review of another head by now (a push reviewed meanwhile, by another worker or server),
    // that review may have written one: then look first, as for any push.
    const commentTarget = async (): Promise<PullRequestTarget> => {
      if (!target.justOpened || !deps.decisions?.latestReviewedHead) return target;
      const latest = await deps.decisions.latestReviewedHead(repoName, target.number).catch(() => null);
      return latest === target.headSha ? target : { ...target, justOpened: false };
    };
    const publishComment = async (): Promise<CommentAction | "failed"> => {
      try {
        const markdown = renderMarkdown(result, { maxChars: ports.comments.maxBodyChars - 200, commandPrefix: prefix, commit, sections });
        const publish = async () =>
          publishSummary(ports.comments, await commentTarget(), markdown, { hasNewFindings: result.summary.new > 0, isLatest: deps.isLatest?.() ?? true }, commentMemory(deps.decisions, repoName, target.number));
        return await (deps.commentLock ? deps.commentLock(publish) : publish());
      } catch (error) {
        log.warn({ err: error, pr: target.number }, `gitops-guard: could not update the summary comment: ${describeError(error, ports.platform)}`);
        return "failed";
      }
    };
    const output = checkRunOutput(result, { maxAnnotations: deps.maxAnnotations ?? 50, commandPrefix: prefix, commit, sections });
    const [, comment] = await Promise.all([
      complete(result.conclusion, output),
      publishComment(),
    ]);
    log.info({ pr: target.number, sha: target.headSha, conclusion: result.conclusion, comment }, "gitops-guard: review complete");
    return { kind: "reviewed", checkRunId, result, comment };
  } catch (error) {
    const reason = describeError(error, ports.platform);
    log.error({ err: error, pr: target.number }, `gitops-guard: review failed: ${reason}`);
    if (!completed) {
      try {
        await complete(onError, internalErrorOutput(reason, prefix));
      } catch (completeError) {
        log.error({ err: completeError, pr: target.number }, "gitops-guard: could not complete the check run after an error");
      }
    }
    await recordFailure(deps, target, { conclusion: onError, reason, checkRunId, time: now() }, log);
    return { kind: "error", checkRunId, reason };
  }
}

/**
 * Records a review that failed (the check run's conclusion and the reason) in the review items, so the audit shows the
 * attempt (held-out round 17: a review GitHub's 500s stopped left no record). A store that fails too is only logged.
 */
async function recordFailure(deps: ReviewDeps, target: PullRequestTarget, failure: { conclusion: Conclusion; reason: string; checkRunId: number; time: Date }, log: Logger): Promise<void> {
  const record = deps.decisions?.recordFailedReview?.bind(deps.decisions);
  if (!record) return;
  try {
    await record({ repo: `${target.owner}/${target.repo}`, pr: target.number, headSha: target.headSha, baseSha: target.baseSha, ...failure, ...(deps.deliveryId ? { deliveryId: deps.deliveryId } : {}) });
  } catch (error) {
    log.warn({ err: error, pr: target.number }, `gitops-guard: could not record the failed review: ${describeError(error, deps.ports.platform)}`);
  }
}

/** The decision store's memory of the PR's summary comment, when the store keeps one. */
function commentMemory(decisions: ReviewDecisions | undefined, repo: string, pr: number): CommentMemory | undefined {
  const recall = decisions?.summaryComment?.bind(decisions);
  const remember = decisions?.rememberSummaryComment?.bind(decisions);
  if (!recall || !remember) return undefined;
  return { recall: () => recall(repo, pr), remember: (comment) => remember(repo, pr, comment) };
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A promise that never rejects (so work started early cannot become an unhandled rejection). */
function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/**
 * A short, single-line reason, with the HTTP status first for an API error (an error carrying a numeric
 * `status`, as Octokit's do), named after the platform when given. No request details, no tokens.
 */
export function describeError(error: unknown, platform?: string): string {
  const status = typeof error === "object" && error !== null && "status" in error && typeof error.status === "number" ? error.status : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split("\n")[0].trim() || "unknown error";
  const text = status !== undefined ? `${platform ? `${platform} ` : ""}API answered ${status}: ${line}` : line;
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}
