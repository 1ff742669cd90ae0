import { ProbotOctokit } from "probot";

/**
 * How many times a request that hit GitHub's secondary rate limit is sent again, each after the `retry-after`
 * GitHub asked for. Probot's production settings never retry one, so a single secondary limit on the check-run
 * create left a pull request without any check run (a required check that never reports blocks the PR); retrying
 * forever (Probot's other default) would leave the check in progress forever. A few retries, then the error.
 */
export const SECONDARY_RATE_LIMIT_RETRIES = 2;

type Options = NonNullable<ConstructorParameters<typeof ProbotOctokit>[0]>;
type SecondaryLimitHandler = (retryAfter: number, options: { method: string; url: string }, octokit: { log: { warn(msg: string): void } }, retryCount: number) => boolean;

const onSecondaryRateLimit: SecondaryLimitHandler = (retryAfter, request, octokit, retryCount) => {
  const again = retryCount < SECONDARY_RATE_LIMIT_RETRIES;
  octokit.log.warn(
    `GitHub's secondary rate limit on "${request.method} ${request.url}"${again ? `: retrying in ${retryAfter} s (retry ${retryCount + 1} of ${SECONDARY_RATE_LIMIT_RETRIES})` : ` again after ${retryCount} retries: giving up`}.`,
  );
  return again;
};

/** The installation an Octokit authenticates as, when it is an installation's (a webhook event's) client. */
function installationOf(options: Options): string | undefined {
  const id = (options.auth as { installationId?: unknown } | undefined)?.installationId;
  return typeof id === "number" || typeof id === "string" ? String(id) : undefined;
}

/**
 * Probot's Octokit with gitops-guard's rate-limit policy. Octokit's throttling and retry plugins stay on with
 * Probot's settings (writes and GraphQL queries ≥ 1 s apart, 5xx retried three times, primary rate limits retried),
 * and:
 * - a secondary rate limit is retried a few times after GitHub's `retry-after`, then fails the request;
 * - writes are spaced per installation, as GitHub counts them and as Probot already does for `app.auth(id)`
 *   clients (its webhook-event clients carry no throttle id, so every installation's writes waited on each other's).
 * The function form of `defaults`, so Probot's own defaults (applied after it) keep these settings.
 */
export const GuardOctokit = ProbotOctokit.defaults((options: Options) => {
  const installation = installationOf(options);
  const throttle = options.throttle ?? {};
  return {
    ...options,
    throttle: { ...throttle, ...(installation !== undefined && throttle.enabled !== false ? { id: installation } : {}), onSecondaryRateLimit },
  };
});
