/** SDK errors as short, secret-free reasons for `ecr/scan-unavailable`. */

const ACCESS_DENIED = new Set([
  "AccessDeniedException",
  "AccessDenied",
  "UnauthorizedOperation",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "InvalidClientTokenId",
  "ExpiredTokenException",
  "ExpiredToken",
  "SignatureDoesNotMatch",
]);
const THROTTLED = new Set(["ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded", "LimitExceededException"]);
const NETWORK = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "ETIMEDOUT", "EAI_AGAIN", "EPIPE", "EHOSTUNREACH", "ENETUNREACH"]);

interface SdkErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { attempts?: number; httpStatusCode?: number };
  cause?: unknown;
}

function clip(s: string, n = 200): string {
  const line = s.split("\n")[0] ?? s;
  return line.length > n ? `${line.slice(0, n - 3)}...` : line;
}

/** An error raised while assuming a configured role, so the reason names the role rather than an ECR action. */
export class AssumeRoleError extends Error {
  constructor(
    readonly roleArn: string,
    cause: unknown,
  ) {
    super(`could not assume ${roleArn}: ${reasonOf(cause, "sts:AssumeRole")}`, { cause });
    this.name = "AssumeRoleError";
  }
}

/** Why a call failed, for a finding: access denied (with the action), throttled, unreachable, or the error's own name. */
export function reasonOf(err: unknown, action: string): string {
  if (err instanceof AssumeRoleError) return err.message;
  const e = (typeof err === "object" && err !== null ? err : { message: String(err) }) as SdkErrorLike;
  const name = e.name ?? "Error";
  const attempts = e.$metadata?.attempts;
  const after = attempts && attempts > 1 ? ` after ${attempts} attempts` : "";
  if (name === "AbortError") return `ECR calls were stopped before ${action} finished (the time limit of the facts stage ran out, or the review was cancelled)`;
  if (ACCESS_DENIED.has(name)) {
    const denied = /perform: (\S+)(?: on resource: (\S+))?/.exec(e.message ?? "");
    return denied ? `access denied: not authorized to perform ${denied[1]}${denied[2] ? ` on ${denied[2]}` : ""}` : `access denied for ${action} (${name})`;
  }
  if (THROTTLED.has(name)) return `throttled by AWS on ${action} (${name})${after}`;
  // The code is on the error, on its cause, or (when the SDK had to wrap a foreign error) only in the message.
  const code = e.code ?? (e.cause as SdkErrorLike | undefined)?.code ?? /\b(E[A-Z]{4,})\b/.exec(e.message ?? "")?.[1];
  if ((code && NETWORK.has(code)) || name === "TimeoutError" || name === "RequestTimeout") return `AWS endpoint unreachable on ${action} (${code ?? name})${after}`;
  if (name === "CredentialsProviderError") return `no usable AWS credentials: ${clip(e.message ?? "")}`;
  if ((e.$metadata?.httpStatusCode ?? 0) >= 500 || name === "ServerException") return `AWS server error on ${action} (${name})${after}`;
  return `${action} failed: ${name}${e.message ? `: ${clip(e.message)}` : ""}`;
}
