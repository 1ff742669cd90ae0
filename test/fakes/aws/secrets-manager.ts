/**
 * A fake AWS Secrets Manager on loopback, over the wire protocol @aws-sdk/client-secrets-manager speaks (AWS JSON
 * 1.1, `X-Amz-Target: secretsmanager.GetSecretValue`). Point the SDK at it with `AWS_ENDPOINT_URL_SECRETS_MANAGER`.
 */
import { AwsError, startAwsJsonServer, type AwsJsonServer } from "./aws-json-server.js";

export interface FakeSecretsManager extends AwsJsonServer {
  /** Stores a secret string under a name. */
  put(name: string, value: string): void;
  /** How many times a secret was read. */
  reads(name: string): number;
}

export async function startFakeSecretsManager(): Promise<FakeSecretsManager> {
  const secrets = new Map<string, string>();
  const server = await startAwsJsonServer({
    targetPrefix: "secretsmanager",
    contentType: "application/x-amz-json-1.1",
    operations: {
      GetSecretValue(input) {
        const id = String(input.SecretId ?? "");
        // A secret is found by name or by its ARN (…:secret:<name>-AbCdEf).
        const name = secrets.has(id) ? id : [...secrets.keys()].find((n) => id.endsWith(`:secret:${n}-AbCdEf`));
        if (name === undefined) throw new AwsError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
        return {
          ARN: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${name}-AbCdEf`,
          Name: name,
          SecretString: secrets.get(name),
          VersionId: "00000000-0000-0000-0000-000000000001",
          VersionStages: ["AWSCURRENT"],
          CreatedDate: 1_767_225_600,
        };
      },
    },
  });
  return {
    ...server,
    put: (name, value) => void secrets.set(name, value),
    reads: (name) => server.requests.filter((r) => r.operation === "GetSecretValue" && String(r.input.SecretId).includes(name)).length,
  };
}
