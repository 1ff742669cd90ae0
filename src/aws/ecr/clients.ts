/**
 * ECR clients, one per account and region (and FIPS/dual-stack form), with adaptive retries that do not retry
 * `LimitExceededException`, bounded concurrency per account/region, and credentials from the default chain or,
 * for accounts with a configured role, from STS AssumeRole (one AssumeRole per role, reused until it expires).
 * Endpoints and static keys are taken from the environment the caller passes (`AWS_ENDPOINT_URL_ECR`,
 * `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL`, `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`), so a CLI run in process
 * with its own environment talks to the endpoint that environment names; anything else (profiles, web identity,
 * container and instance credentials) comes from the SDK's default chain. An endpoint override applies to every
 * region an image host names, over plain HTTP too; FIPS and dual-stack hosts then use the override as well.
 */
import { ECRClient, type ECRClientConfig } from "@aws-sdk/client-ecr";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { hasAwsCredentials, isLoopback } from "../environment.js";
import { AssumeRoleError } from "./errors.js";
import type { EcrRegistry } from "./host.js";

type Credentials = NonNullable<ECRClientConfig["credentials"]>;
type Identity = Awaited<ReturnType<Extract<Credentials, (...args: never[]) => unknown>>>;
type RetryStrategy = Awaited<ReturnType<ECRClient["config"]["retryStrategy"]>>;
type RetryStrategyV2 = Extract<RetryStrategy, { acquireInitialRetryToken: unknown }>;

/** A counting semaphore: at most `limit` tasks run at once, the rest wait in arrival order. */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/**
 * The SDK's own adaptive strategy, except that `LimitExceededException` is final: ECR raises it for quotas that
 * a retry seconds later cannot meet (one scan per image per day), and the SDK counts it as throttling.
 */
function withoutLimitRetries(inner: RetryStrategyV2): RetryStrategyV2 {
  return {
    acquireInitialRetryToken: (scope) => inner.acquireInitialRetryToken(scope),
    refreshRetryTokenForRetry: (token, info) => {
      if (info.error?.name === "LimitExceededException") return Promise.reject(info.error);
      return inner.refreshRetryTokenForRetry(token, info);
    },
    recordSuccess: (token) => inner.recordSuccess(token),
  };
}

const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };
const EXPIRY_MARGIN_MS = 5 * 60_000;
/** Per request: a black-holed endpoint fails the call (and its retries) instead of hanging the review. */
const CONNECTION_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 20_000;

function setting(v: string | undefined): string | undefined {
  return v !== undefined && v.trim() !== "" ? v.trim() : undefined;
}

/** Static keys named in the environment itself (so a caller's env object wins over process.env). */
function envKeys(env: NodeJS.ProcessEnv): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined {
  const accessKeyId = setting(env.AWS_ACCESS_KEY_ID);
  const secretAccessKey = setting(env.AWS_SECRET_ACCESS_KEY);
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = setting(env.AWS_SESSION_TOKEN);
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

export interface EcrClientsOptions {
  /** Environment the decisions read (endpoint overrides, credentials present); the SDK itself reads process.env. */
  env: NodeJS.ProcessEnv;
  /** Account id → role ARN (config `ecr.roles`). */
  roles?: Readonly<Record<string, string>>;
  /** Region of the STS endpoint for AssumeRole (config `ecr.region`); default AWS_REGION, else the image's region. */
  stsRegion?: string;
  /** Session name on assumed roles (shows in CloudTrail). */
  sessionName?: string;
  /** Attempts per call, retries included (default 3, the SDK's). */
  maxAttempts?: number;
  /** Calls in flight per account and region (default 8). */
  concurrency?: number;
}

export type EcrTarget = Pick<EcrRegistry, "registryId" | "region" | "fips" | "dualStack">;

/** Long-lived: clients, credentials and limiters are reused across reviews (e.g. a warm Lambda). */
export class EcrClients {
  private readonly clients = new Map<string, ECRClient>();
  private readonly limiters = new Map<string, Limiter>();
  private readonly roleCredentials = new Map<string, Credentials>();
  private readonly endpoint: string | undefined;
  private readonly stsEndpoint: string | undefined;
  private readonly base: Credentials | undefined;

  constructor(private readonly opts: EcrClientsOptions) {
    this.endpoint = setting(opts.env.AWS_ENDPOINT_URL_ECR) ?? setting(opts.env.AWS_ENDPOINT_URL);
    this.stsEndpoint = setting(opts.env.AWS_ENDPOINT_URL_STS) ?? setting(opts.env.AWS_ENDPOINT_URL);
    // A loopback ECR-compatible server needs no real credentials (as for the local DynamoDB store).
    this.base = envKeys(opts.env) ?? (this.endpoint && isLoopback(this.endpoint) && !hasAwsCredentials(opts.env) ? LOCAL_CREDENTIALS : undefined);
  }

  /** The role configured for an account, if any. */
  roleFor(registryId: string): string | undefined {
    return this.opts.roles?.[registryId];
  }

  client(t: EcrTarget): ECRClient {
    const key = `${t.registryId}/${t.region}/${t.fips ? "fips" : ""}/${t.dualStack ? "dual" : ""}`;
    let client = this.clients.get(key);
    if (!client) {
      const role = this.roleFor(t.registryId);
      client = new ECRClient({
        region: t.region,
        retryMode: "adaptive",
        maxAttempts: this.opts.maxAttempts ?? 3,
        ...(this.endpoint ? { endpoint: this.endpoint } : {}),
        // With an endpoint override the SDK refuses FIPS/dual-stack flags; the override decides the endpoint.
        useFipsEndpoint: t.fips && !this.endpoint,
        useDualstackEndpoint: t.dualStack && !this.endpoint,
        credentials: role ? this.assumed(role, t.region) : this.base,
        requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
      });
      const original = client.config.retryStrategy;
      let wrapped: Promise<RetryStrategy> | null = null;
      client.config.retryStrategy = () =>
        (wrapped ??= original().then((s) => ("acquireInitialRetryToken" in s ? withoutLimitRetries(s) : s)));
      this.clients.set(key, client);
    }
    return client;
  }

  /** The concurrency limit shared by every call to one account in one region. */
  limiter(t: Pick<EcrTarget, "registryId" | "region">): Limiter {
    const key = `${t.registryId}/${t.region}`;
    let l = this.limiters.get(key);
    if (!l) {
      l = new Limiter(this.opts.concurrency ?? 8);
      this.limiters.set(key, l);
    }
    return l;
  }

  /** Credentials of a role, assumed once and shared by every client of the account until they near expiry. */
  private assumed(roleArn: string, imageRegion: string): Credentials {
    let creds = this.roleCredentials.get(roleArn);
    if (creds) return creds;
    const region = this.opts.stsRegion || this.opts.env.AWS_REGION || this.opts.env.AWS_DEFAULT_REGION || imageRegion;
    const provider = fromTemporaryCredentials({
      params: { RoleArn: roleArn, RoleSessionName: this.opts.sessionName ?? "gitops-guard" },
      clientConfig: {
        region,
        maxAttempts: this.opts.maxAttempts ?? 3,
        ...(this.stsEndpoint ? { endpoint: this.stsEndpoint } : {}),
        requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
      },
      ...(this.base ? { masterCredentials: this.base } : {}),
    });
    let current: Promise<Identity> | null = null;
    let expiresAt = 0;
    creds = async () => {
      if (current === null || (expiresAt && Date.now() > expiresAt - EXPIRY_MARGIN_MS)) {
        const pending = provider().then(
          (c) => {
            expiresAt = c.expiration?.getTime() ?? 0;
            return c;
          },
          (err: unknown) => {
            current = null;
            throw new AssumeRoleError(roleArn, err);
          },
        );
        current = pending;
      }
      return current;
    };
    this.roleCredentials.set(roleArn, creds);
    return creds;
  }

  destroy(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
  }
}
