import { isPlainObject } from "../../parse/classify.js";
import { isSecretName, nameWords } from "./_names.js";
import { decodeBase64, isPublicMaterial, literalSkipReason } from "./_values.js";

/** Keys of a Secret that hold connection metadata, not the secret itself (Argo CD `url`, `type`, `project`...). */
const METADATA_TAILS = new Set([
  "url", "uri", "endpoint", "host", "hostname", "server", "address", "port", "type", "name", "project", "namespace",
  "namespaces", "user", "username", "login", "email", "region", "zone", "bucket", "database", "db", "dbname", "schema",
  "id", "ids", "tenant", "issuer", "audience", "scope", "scopes", "insecure", "proxy", "mode", "enabled", "path", "domain",
  "realm", "account", "org", "organization", "owner", "repo", "repository", "branch", "version", "protocol", "driver",
  "resources", "label", "labels", "group", "level", "schedule", "cron", "timezone", "tz", "locale", "language", "lang",
  "environment", "env", "stage", "tier", "format", "provider", "backend", "method", "dialect", "algorithm", "class",
  "flags", "features",
]);

/**
 * Keys that hold the secret of the built-in Secret types (`kubernetes.io/dockercfg`, `dockerconfigjson`,
 * `basic-auth`, `ssh-auth`, `tls`, `service-account-token`, bootstrap tokens); they are secret in any Secret.
 * The other keys of those types (`username`, `tls.crt`, `ca.crt`, `namespace`) are metadata or public material.
 */
const SECRET_TYPE_KEYS = new Set([".dockercfg", ".dockerconfigjson", "password", "ssh-privatekey", "tls.key", "token", "token-secret"]);

/** True for Secret keys like `url`, `username`, `AWS_ACCESS_KEY_ID`, `githubAppInstallationID`. */
export function isMetadataKey(key: string): boolean {
  if (isSecretName(key)) return false;
  const words = nameWords(key);
  const last = words[words.length - 1];
  return last !== undefined && METADATA_TAILS.has(last);
}

/**
 * Values that are connection metadata by their shape, not secrets, under a neutral key: URLs without a
 * password, email addresses, host names, versions and IP addresses, dates, cron schedules. A plain word is not
 * one of them: in a Secret it may well be the password (`key: mypassword`).
 */
function looksLikeMetadataValue(v: string): boolean {
  if (/\s/.test(v) && !/^(\S+\s+){4}\S+$/.test(v)) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\/[^\s/@]+(\/\S*)?$/i.test(v)) return true; // URL without userinfo
  if (/^[^@\s:/]+@[^@\s]+\.[a-z]{2,}$/i.test(v)) return true; // email address
  if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}$/.test(v)) return true; // host name
  if (/^v?\d+(\.\d+)+([-+][\w.]+)?$/.test(v)) return true; // versions, IPv4 addresses
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v)) return true; // dates
  return /^([\d*/,-]+|[A-Z]{3}(-[A-Z]{3})?)(\s+([\d*/,-]+|[A-Z]{3}(-[A-Z]{3})?)){4}$/i.test(v); // cron: `0 3 * * *`
}

const DOCKER_CONFIG_KEYS = new Set([".dockercfg", ".dockerconfigjson"]);
const DOCKER_CREDENTIAL_FIELDS = ["auth", "password", "identitytoken", "registrytoken"] as const;

/**
 * A registry config (`.dockerconfigjson` `{"auths": {host: {...}}}` or legacy `.dockercfg` `{host: {...}}`) holds a
 * credential when an entry has a literal `auth` (base64 `user:password`), `password` or token; null when the text
 * is not such JSON. Judged per field, so that a registry host such as `registry.example.com` does not make the
 * whole document look like a placeholder.
 */
function dockerConfigHasCredential(text: string): boolean | null {
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    return null;
  }
  if (!isPlainObject(json)) return null;
  const registries = isPlainObject(json.auths) ? json.auths : json;
  return Object.values(registries).some((entry) => {
    if (!isPlainObject(entry)) return false;
    return DOCKER_CREDENTIAL_FIELDS.some((field) => {
      const v = entry[field];
      if (typeof v !== "string" || literalSkipReason(v) !== null) return false;
      if (field !== "auth") return true;
      const decoded = decodeBase64(v);
      const colon = decoded?.indexOf(":") ?? -1;
      return decoded === null || colon < 0 || literalSkipReason(decoded.slice(colon + 1)) === null;
    });
  });
}

/**
 * Is the value of a Secret entry (or a Kustomize `secretGenerator` literal) plaintext worth reporting? `base64`
 * for `data` (decoded first, so that a base64 `changeme` or empty string is recognised). In a Secret every
 * value counts (RULES.md) except: references and placeholders, booleans, small numbers, public certificates and
 * keys (`tls.crt`, `ca.crt`), connection metadata by key (`url`, `username`, `host`, `port`, `*_ID`,
 * `LOG_LEVEL`) or by shape (a URL without a password, a host name, an email address, a version, a date).
 * The keys of the built-in Secret types (`.dockerconfigjson`, `tls.key`, `ssh-privatekey`, `password`, `token`)
 * and secret-looking names always hold the secret; a registry config is judged by its credential fields.
 */
export function isPlaintextSecretValue(key: string, value: unknown, encoding: "base64" | "text"): boolean {
  if (typeof value !== "string") return false;
  const typeKey = SECRET_TYPE_KEYS.has(key);
  if (!typeKey && isMetadataKey(key)) return false;
  let text = value;
  if (encoding === "base64") {
    const decoded = decodeBase64(value);
    if (decoded !== null) text = decoded;
  }
  if (DOCKER_CONFIG_KEYS.has(key)) {
    const found = dockerConfigHasCredential(text);
    if (found !== null) return found;
  }
  if (literalSkipReason(value) !== null) return false; // the value as written: `${X}`, `<path:...>`, `ENC[...]`
  if (literalSkipReason(text) !== null || isPublicMaterial(text)) return false;
  if (typeKey || isSecretName(key)) return true;
  return !looksLikeMetadataValue(text.trim());
}
