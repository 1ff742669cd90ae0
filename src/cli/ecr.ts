/**
 * The facts stage of `scan` and `review`: Amazon ECR checks for the images the change introduces, under the same
 * rule as the App (`ecrActivation`: on with AWS credentials or `AWS_ENDPOINT_URL_ECR`, off with `ecr.enabled:
 * false`; `--no-ecr` turns them off). When they do not run although the change introduces ECR images, the CLI says so
 * once: one stderr line and one note in the report.
 *
 * Cache: a CLI run is one review, so by default digests are cached in memory for that run only. When the
 * environment names a DynamoDB decision store — `AWS_ENDPOINT_URL_DYNAMODB`, or `TABLE_NAME` with AWS credentials —
 * the run also uses the store's one-hour ECR cache (shared with the App and other CI runs), opened on first use; a
 * store that cannot be opened or read costs calls, never the review. The CLI never starts the embedded store for it.
 */
import type { Config } from "../core/config.js";
import type { FileChange, PreparedReview, ReviewResult } from "../core/review.js";
import { gatherReviewFacts } from "../facts/source.js";
import type { CacheItem, CacheItemKey, PersistentEcrCache } from "../aws/ecr/cache.js";
import { ecrActivation } from "../aws/ecr/enabled.js";
import { hasAwsCredentials } from "../aws/environment.js";
import { ecrFactsSource } from "../aws/ecr/facts-source.js";
import type { ImageRow } from "../report/images.js";
import { ecrImageRows, ecrRan } from "../rules/ecr/_image-rows.js";
import type { CliIO } from "./io.js";

function set(v: string | undefined): boolean {
  return v !== undefined && v.trim() !== "";
}

/** Whether the environment names a DynamoDB decision store (an endpoint, or a real table) whose ECR cache a CLI run shares. */
export function wantsStoreCache(env: NodeJS.ProcessEnv): boolean {
  return set(env.AWS_ENDPOINT_URL_DYNAMODB) || (set(env.TABLE_NAME) && hasAwsCredentials(env));
}

/** The decision store's ECR cache, opened on the first read; `close` releases it. */
function lazyStoreCache(env: NodeJS.ProcessEnv, cwd: string, warn: (m: string) => void): PersistentEcrCache & { close(): Promise<void> } {
  let opened: Promise<{ cache: PersistentEcrCache | null; close: () => Promise<void> }> | null = null;
  const open = () =>
    (opened ??= (async () => {
      const [{ openStore }, { ecrScanCacheFor }] = await Promise.all([import("../store/open.js"), import("../store/ecr-scan-cache.js")]);
      try {
        const store = await openStore(env, { cwd });
        return { cache: ecrScanCacheFor(store), close: () => store.close() };
      } catch (err) {
        warn(`ECR cache: the decision store could not be opened (${err instanceof Error ? err.message : String(err)}); digests are cached for this run only`);
        return { cache: null, close: async () => undefined };
      }
    })());
  return {
    async read(keys: readonly CacheItemKey[], now: Date): Promise<Map<string, unknown>> {
      const { cache } = await open();
      return cache ? cache.read(keys, now) : new Map();
    },
    async write(items: readonly CacheItem[], now: Date): Promise<void> {
      const { cache } = await open();
      if (cache) await cache.write(items, now);
    },
    async close(): Promise<void> {
      if (opened) await (await opened).close();
    },
  };
}

export interface CliFactsInput {
  prepared: PreparedReview;
  changes: readonly FileChange[];
  config: Config;
  now: Date;
  /** `--no-ecr`. */
  noEcr: boolean;
  io: CliIO;
}

/** Gathers the ECR facts and evaluates the prepared review with them; `images` is set when the ECR checks ran. */
export async function evaluateWithFacts(input: CliFactsInput): Promise<{ result: ReviewResult; images?: ImageRow[] }> {
  const { io, config } = input;
  const env = io.env ?? {};
  const warn = (m: string) => io.stderr.write(`gitops-guard: ${m}\n`);
  const active = ecrActivation(env, config.ecr, { cliDisabled: input.noEcr }).enabled;
  const cache = active && wantsStoreCache(env) ? lazyStoreCache(env, io.cwd, warn) : null;
  const source = ecrFactsSource({ env, cache, cliDisabled: input.noEcr, warn, sessionName: "gitops-guard-cli" });
  try {
    const { facts, notes } = await gatherReviewFacts({ prepared: input.prepared, changes: input.changes, config, source, now: input.now });
    for (const n of notes) warn(n);
    const result = input.prepared.evaluate({ facts, notes });
    return ecrRan(facts) ? { result, images: ecrImageRows(facts, config.ecr) } : { result };
  } finally {
    source.close();
    await cache?.close();
  }
}
