/** The Lambda functions' environment (see docs/deploy.md): what each function needs, checked once per cold start. */

export interface LambdaSettings {
  /** The review queue (`QUEUE_URL`). */
  queueUrl: string;
  /** The decision table (`TABLE_NAME`). */
  tableName: string;
  /** Secrets Manager secret, name or ARN (`APP_SECRET_ID`), holding `{"appId","privateKey","webhookSecret"}`. */
  appSecretId: string;
  /** `GHE_HOST` / `GHE_PROTOCOL`: another GitHub API (GitHub Enterprise Server, or a local fake in tests). */
  gheHost: string | undefined;
  gheProtocol: string | undefined;
  logLevel: LogLevel;
  /** True when `AWS_ENDPOINT_URL_DYNAMODB` (or `AWS_ENDPOINT_URL`) points the table at a non-AWS endpoint. */
  dynamoEndpoint: boolean;
}

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class SettingsError extends Error {
  override name = "SettingsError";
}

function value(env: NodeJS.ProcessEnv, key: string): string | undefined {
  const v = env[key]?.trim();
  return v ? v : undefined;
}

/** True when the SDK will send this service's requests to a custom endpoint (`AWS_ENDPOINT_URL_<SERVICE>` or `AWS_ENDPOINT_URL`). */
export function hasCustomEndpoint(env: NodeJS.ProcessEnv, service: "SQS" | "DYNAMODB" | "SECRETS_MANAGER"): boolean {
  return value(env, `AWS_ENDPOINT_URL_${service}`) !== undefined || value(env, "AWS_ENDPOINT_URL") !== undefined;
}

/** Reads the settings `needs` names; a missing one is a SettingsError that names every missing variable. */
export function readSettings(env: NodeJS.ProcessEnv, needs: ReadonlyArray<"QUEUE_URL" | "TABLE_NAME" | "APP_SECRET_ID">): LambdaSettings {
  const missing = needs.filter((k) => value(env, k) === undefined);
  if (missing.length) throw new SettingsError(`gitops-guard (Lambda) cannot start: set ${missing.join(", ")}`);
  const level = (value(env, "LOG_LEVEL") ?? "info").toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new SettingsError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got "${level}"`);
  const tableName = value(env, "TABLE_NAME") ?? "";
  if (tableName && !/^[A-Za-z0-9_.-]{3,255}$/.test(tableName)) throw new SettingsError(`TABLE_NAME "${tableName}" is not a valid DynamoDB table name`);
  return {
    queueUrl: value(env, "QUEUE_URL") ?? "",
    tableName,
    appSecretId: value(env, "APP_SECRET_ID") ?? "",
    gheHost: value(env, "GHE_HOST"),
    gheProtocol: value(env, "GHE_PROTOCOL"),
    logLevel: level as LogLevel,
    dynamoEndpoint: hasCustomEndpoint(env, "DYNAMODB"),
  };
}
