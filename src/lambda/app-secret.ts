import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import * as z from "zod/mini";

/** The GitHub App's credentials, as stored in the Secrets Manager secret `APP_SECRET_ID`. */
export interface AppCredentials {
  appId: string;
  privateKey: string;
  webhookSecret: string;
}

// zod/mini: the same checks as zod's classic API in a fraction of the bundle (this runs in the webhook's cold start).
const AppSecret = z.object({
  appId: z.union([z.string().check(z.regex(/^\s*\d+\s*$/)), z.int().check(z.positive())]),
  privateKey: z.string().check(z.refine((k) => k.includes("-----BEGIN") && k.includes("PRIVATE KEY-----"))),
  webhookSecret: z.string().check(z.minLength(1)),
});

export class AppSecretError extends Error {
  override name = "AppSecretError";
}

/**
 * Reads and checks the App's credentials. Errors name the secret and the fields that are missing or malformed,
 * never a value from it.
 */
export async function readAppSecret(client: SecretsManagerClient, secretId: string): Promise<AppCredentials> {
  let text: string | undefined;
  try {
    const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    text = out.SecretString;
  } catch (err) {
    const name = err instanceof Error ? err.name : "Error";
    const message = err instanceof Error ? err.message : String(err);
    throw new AppSecretError(`cannot read the App secret "${secretId}" from Secrets Manager: ${name}: ${message}`);
  }
  if (text === undefined) throw new AppSecretError(`the App secret "${secretId}" has no SecretString (store it as JSON text, not binary)`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppSecretError(`the App secret "${secretId}" is not JSON; expected {"appId": "...", "privateKey": "-----BEGIN ...", "webhookSecret": "..."}`);
  }
  const parsed = AppSecret.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join(".") || "(the whole value)"))];
    throw new AppSecretError(`the App secret "${secretId}" has a missing or malformed ${fields.join(", ")}; expected {"appId": "<number>", "privateKey": "<PEM>", "webhookSecret": "<text>"}`);
  }
  return { ...parsed.data, appId: String(parsed.data.appId).trim() };
}
