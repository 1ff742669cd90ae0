import { isSecretName, nameWords } from "./_names.js";
import { decodeBase64, entropy, isPublicMaterial, literalSkipReason } from "./_values.js";

/** Keys of a Secret that hold connection metadata, not the secret itself (Argo CD `url`, `type`, `project`...). */
const METADATA_TAILS = new Set([
  "url", "uri", "endpoint", "host", "hostname", "server", "address", "port", "type", "name", "project", "namespace",
  "namespaces", "user", "username", "login", "email", "region", "zone", "bucket", "database", "db", "dbname", "schema",
  "id", "ids", "tenant", "issuer", "audience", "scope", "scopes", "insecure", "proxy", "mode", "enabled", "path", "domain",
  "realm", "account", "org", "organization", "owner", "repo", "repository", "branch", "version", "protocol", "driver",
  "resources", "label", "labels", "group",
]);

/** True for Secret keys like `url`, `username`, `AWS_ACCESS_KEY_ID`, `githubAppInstallationID`. */
export function isMetadataKey(key: string): boolean {
  if (isSecretName(key)) return false;
  const words = nameWords(key);
  const last = words[words.length - 1];
  return last !== undefined && METADATA_TAILS.has(last);
}

/**
 * Does a single-line value under a neutral key (`LOG_LEVEL`, `MYAPP_KEY`) look like a secret? Random-looking
 * tokens do (`8f3a9c61d2e0b7a4`, `Tr1cky-Passw0rd!`); words, hostnames, identifiers, URLs, emails and versions
 * do not (`info`, `postgres.shop.svc`, `eu-west-1`, `https://...`).
 */
function looksSecretLike(v: string): boolean {
  if (v.length < 8 || /\s/.test(v) || v.includes("://")) return false;
  if (/^[a-z]+([-_.][a-z0-9]+)*$/.test(v)) return false; // identifiers and hostnames: `eu-west-1`, `db.shop.svc`
  if (/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(v)) return false; // email address
  if (/^v?\d+(\.\d+)*([-+][\w.]+)?$/.test(v)) return false; // version numbers, IPs
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v)) return false; // dates
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(v)).length;
  return classes >= 2 && entropy(v) >= 3;
}

/**
 * Is the value of a Secret entry plaintext worth reporting? `base64` for `data` (decoded first, so that a
 * base64 `changeme` or empty string is recognised). References, placeholders, booleans, small numbers, public
 * certificates and connection metadata (`url`, `username`, `*_ID`) are not. Under a secret-looking key any
 * other literal is; under a neutral key (`LOG_LEVEL`, `config.json`) a multi-line blob or a random-looking
 * token is, a plain word or hostname is not.
 */
export function isPlaintextSecretValue(key: string, value: unknown, encoding: "base64" | "text"): boolean {
  if (typeof value !== "string") return false;
  if (isMetadataKey(key)) return false;
  if (literalSkipReason(value) !== null) return false; // the value as written: `${X}`, `<path:...>`, `ENC[...]`
  let text = value;
  if (encoding === "base64") {
    const decoded = decodeBase64(value);
    if (decoded !== null) text = decoded;
  }
  if (literalSkipReason(text) !== null || isPublicMaterial(text)) return false;
  if (isSecretName(key)) return true;
  const trimmed = text.trim();
  return trimmed.includes("\n") || looksSecretLike(trimmed);
}
