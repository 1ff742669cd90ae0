/** What the process environment says about AWS: whether credentials are present, and whether an endpoint is local. */

/** Variables that mean the default credential chain will find credentials (keys, profile, container, web identity, Lambda). */
const CREDENTIAL_VARIABLES = [
  "AWS_ACCESS_KEY_ID",
  "AWS_PROFILE",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_LAMBDA_FUNCTION_NAME",
] as const;

function set(v: string | undefined): v is string {
  return v !== undefined && v.trim() !== "";
}

export function hasAwsCredentials(env: NodeJS.ProcessEnv): boolean {
  return CREDENTIAL_VARIABLES.some((k) => set(env[k]));
}

/** Whether an endpoint URL is on this machine (localhost, 127.0.0.0/8 or ::1): such endpoints get dummy AWS credentials. */
export function isLoopback(endpoint: string): boolean {
  let host: string;
  try {
    host = new URL(endpoint).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === "localhost" || host.endsWith(".localhost") || /^127\.\d+\.\d+\.\d+$/.test(host) || host === "[::1]" || host === "::1";
}
