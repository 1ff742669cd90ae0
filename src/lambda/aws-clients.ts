import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
import { isLoopback } from "../aws/environment.js";
import { storeClient } from "../store/client.js";
import { hasCustomEndpoint } from "./settings.js";

type Service = "SQS" | "DYNAMODB" | "SECRETS_MANAGER";

interface CommonConfig {
  region: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * Region and, for a loopback endpoint without credentials, dummy ones. Endpoints are never set here: the SDK
 * reads `AWS_ENDPOINT_URL_<SERVICE>` / `AWS_ENDPOINT_URL` itself. On Lambda, region and credentials come from
 * the runtime's environment through the SDK's default chain.
 */
function common(env: NodeJS.ProcessEnv, service: Service): CommonConfig {
  const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || "us-east-1";
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`]?.trim() || env.AWS_ENDPOINT_URL?.trim();
  const hasCredentials = Boolean(env.AWS_ACCESS_KEY_ID?.trim() || env.AWS_PROFILE?.trim() || env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI);
  return endpoint !== undefined && isLoopback(endpoint) && !hasCredentials ? { region, credentials: { accessKeyId: "local", secretAccessKey: "local" } } : { region };
}

export function sqsClient(env: NodeJS.ProcessEnv): SQSClient {
  const custom = hasCustomEndpoint(env, "SQS");
  return new SQSClient({
    ...common(env, "SQS"),
    // With a custom endpoint, send to it even when QUEUE_URL names another host (by default the SDK sends to the
    // queue URL's host, which would bypass AWS_ENDPOINT_URL_SQS).
    useQueueUrlAsEndpoint: !custom,
    // The SDK checks SendMessage's MD5OfMessageBody; local stand-ins for SQS may not send one (TLS already
    // protects the body on the way to AWS, where the check stays on).
    ...(custom ? { md5: false } : {}),
  });
}

export function dynamoClient(env: NodeJS.ProcessEnv): DynamoDBClient {
  return storeClient(common(env, "DYNAMODB"));
}

export function secretsClient(env: NodeJS.ProcessEnv): SecretsManagerClient {
  return new SecretsManagerClient(common(env, "SECRETS_MANAGER"));
}
