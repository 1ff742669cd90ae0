import { authorizationToken, isAuthorizationSetting } from "./_authorization.js";
import { credentialsUnder, findCredentials, pemHits } from "./_credentials.js";
import { hasInlineCredential, isCapabilityUrl, parseJson, readEmbedded, userlistFileNames, type EmbeddedReading } from "./_embedded.js";
import { nameWords } from "./_name-words.js";
import { hasNeverWord, isSecretDataKeyName, isSecretName, pointsElsewhere } from "./_names.js";
import { isUuid, isWordLike, looksLikeMetadataValue, looksLikePassword, looksRandom } from "./_shape.js";
import { urlCredentials } from "./_urls.js";
import { isPasswordWordUnderPasswordName } from "./_placeholders.js";
import { decodeBase64, isPublicMaterial, literalSkipReason, type SkipReason } from "./_values.js";

/**
 * Is a value of a Secret (or a Kustomize `secretGenerator` literal) a plaintext credential? Content-aware: a config
 * file counts only for its credential fields, a name that says nothing is judged by what the value looks like.
 */

/** Last words of Secret keys that name connection metadata or settings, not the secret itself. */
const METADATA_TAILS = new Set([
  "url", "uri", "urls", "uris", "endpoint", "endpoints", "host", "hosts", "hostname", "server", "servers", "address", "addresses",
  "addr", "port", "ports", "brokers", "nodes", "dsn", "type", "kind", "name", "names", "title", "description", "project",
  "namespace", "namespaces", "cluster", "context", "user", "username", "login", "email", "from", "sender", "recipient",
  "recipients", "subject", "channel", "region", "zone", "datacenter", "site", "location", "country", "bucket", "database",
  "db", "dbname", "schema", "id", "ids", "tenant", "issuer", "audience", "scope", "scopes", "insecure", "proxy", "mode",
  "enabled", "disabled", "debug", "path", "dir", "directory", "folder", "file", "files", "home", "prefix", "suffix", "domain",
  "realm", "account", "org", "organization", "owner", "repo", "repository", "branch", "commit", "revision", "rev", "tag",
  "image", "release", "build", "version", "protocol", "protocols", "scheme", "driver", "engine", "vendor", "flavor",
  "flavour", "dialect", "connection", "mailer", "encryption", "sslmode", "resources", "label", "labels", "group", "level",
  "verbosity", "schedule", "cron", "interval", "timeout", "ttl", "retries", "size", "count", "replicas", "limit", "rate",
  "ratio", "threshold", "timezone", "tz", "locale", "language", "lang", "theme", "environment", "env", "stage", "tier",
  "profile", "profiles", "active", "format", "provider", "backend", "method", "strategy", "policy", "algorithm", "class",
  "flags", "features", "attributes", "options", "opts", "args", "disk", "stack", "filter", "source", "target", "sid",
  "selector", "selectors", "pattern", "regex", "regexp", "glob",
]);

/**
 * Keys that hold the secret of the built-in Secret types (`kubernetes.io/dockercfg`, `dockerconfigjson`,
 * `basic-auth`, `ssh-auth`, `tls`, `service-account-token`, bootstrap tokens); they are secret in any Secret.
 * The other keys of those types (`username`, `tls.crt`, `ca.crt`, `namespace`) are metadata or public material.
 */
const SECRET_TYPE_KEYS = new Set([".dockercfg", ".dockerconfigjson", "password", "ssh-privatekey", "tls.key", "token", "token-secret"]);

/** Bare key names that, in a Secret, hold the secret (`key: …`, `pw: …`). */
const SECRET_CONTEXT_NAMES = new Set(["key", "pw", "pass", "secret"]);

/**
 * Last words that, in a Secret, name the secret although elsewhere they may name a setting: `REDIS_AUTH`, `DB_PW`,
 * `ERLANG_COOKIE`, `PASSWORD_SALT`, `TOTP_SEED`, `LICENSE`, `KEYSTORE`, `AWS_CREDS`.
 */
const SECRET_CONTEXT_TAILS = new Set(["auth", "pw", "cookie", "salt", "pepper", "seed", "passcode", "pin", "otp", "totp", "hmac", "license", "licence", "cred", "creds", "keystore", "keytab", "jwt", "bearer"]);

/** True for Secret keys like `url`, `username`, `DATABASE_KIND`, `AWS_ACCESS_KEY_ID`, `STRIPE_PUBLISHABLE_KEY`. */
export function isMetadataKey(key: string): boolean {
  if (isSecretDataKeyName(key)) return false;
  if (hasNeverWord(key)) return true;
  const words = nameWords(key);
  const last = words[words.length - 1];
  if (last === "key" && words[words.length - 2] === "site") return true; // `RECAPTCHA_SITE_KEY`: public by design
  return last !== undefined && METADATA_TAILS.has(last);
}

/**
 * `JWT_SECRET_KEY_UUID`, `SESSION_TOKEN_GUID`, `VAULT_SECRET_ID`: a secret's name, then a word that says the secret is
 * an identifier-shaped value — a UUID generated to serve as the secret (found on a real repository's JWT signing
 * secret). `uuid` / `guid` follow any secret name; `id` only `secret` (Vault AppRole's `secret_id`), because
 * `ACCESS_KEY_ID`, `TOKEN_ID` and Azure's `CLIENT_SECRET_ID` name identifiers. `CLIENT_ID`, `TENANT_ID`, `REQUEST_UUID`
 * name no secret.
 */
function namesSecretUuid(key: string): boolean {
  const words = nameWords(key);
  const last = words.pop();
  if (last === "uuid" || last === "guid") return words.length > 0 && isSecretName(words.join("_"));
  return last === "id" && words[words.length - 1] === "secret" && words[words.length - 2] !== "client";
}

/**
 * Keys that name a secret in a Secret: secret-looking names (read as a Secret's data reads them: `…-password-secret`
 * holds the password, see `isSecretDataKeyName`) and the keys of the built-in Secret types.
 */
function namesASecret(key: string): boolean {
  if (SECRET_TYPE_KEYS.has(key) || isSecretDataKeyName(key) || SECRET_CONTEXT_NAMES.has(key.toLowerCase())) return true;
  const words = nameWords(key);
  return !hasNeverWord(key) && SECRET_CONTEXT_TAILS.has(words[words.length - 1] ?? "");
}

/** Where the credential is in the value: the line of an embedded config file, or the whole value. */
export interface SecretCredential {
  /** Credential fields inside an embedded config file (`admin_password`), empty when the whole value is the credential. */
  fields: string[];
  /** The first credential line of an embedded config file, to point at; null to point at the value. */
  line: { text: string; occurrence: number } | null;
  /**
   * The known credential format the value is or holds (`Slack incoming webhook URL`, a `glpat-` token in a base64
   * `.dockerconfigjson`), when base64 `data` hides it from `secrets/known-credential` (which reads the text as
   * committed), so that the message names it all the same, in place of the fields.
   */
  format?: string;
  /**
   * The lines of an embedded config file that hold its credentials (as `readEmbedded` found them), for the finding's
   * value digest (`credentialLinesDigest`): absent when the whole value is the credential.
   */
  settingLines?: string[];
}

export interface SecretContext {
  /**
   * Names of the other Secrets (and SealedSecrets, ExternalSecrets) of the file: under a key that names no secret, a
   * value naming one of them is a reference. (A password that happens to equal a name is still a password.)
   */
  secretNames: ReadonlySet<string>;
  /** The user names of the same object, lower-cased: `myworkpassword` beside the user `mywork` is no stand-in. */
  usernames?: ReadonlySet<string>;
  /**
   * The keys of the same object pgbouncer reads as its `auth_file` (`userlist.txt`, or the file a `pgbouncer.ini`
   * beside it names; see `userlistFileNames`); `userlist.txt` alone when not given.
   */
  userlistFiles?: ReadonlySet<string>;
  /**
   * The values are what a workload gets: an applied Secret's data or a secretGenerator's input, not an example,
   * sample or template file. There the bare word `password` under a password's name is the (weak) password itself,
   * not a stand-in (see `isPasswordWordUnderPasswordName`).
   */
  applied?: boolean;
}

/** `literalSkipReason` in a Secret's context: `POSTGRES_PASSWORD: password` is a placeholder unless the Secret is applied. */
function skipReason(value: string, key: string, ctx: SecretContext): SkipReason | null {
  const skip = literalSkipReason(value, key, ctx.usernames);
  return skip === "placeholder" && ctx.applied === true && isPasswordWordUnderPasswordName(value, key) ? null : skip;
}

const DEFAULT_USERLIST_FILES: ReadonlySet<string> = userlistFileNames([]);

/**
 * Keys that name a config file the embedded readers know (`userlist.txt`, `redis.conf`, `.pgpass`, `app.properties`):
 * a one-line value there is that file, read as such (a one-user pgbouncer userlist is one line).
 */
const CONFIG_FILE_KEY = /\.(?:txt|ini|conf|cfg|cnf|properties|env|toml|xml|ya?ml|json|config|pgpass|netrc|htpasswd|npmrc|acl)$/i;

/** Decoded text with control characters or invalid UTF-8: a keystore, a keyring, random key bytes. */
function isBinary(text: string): boolean {
  return text.includes("\uFFFD") || /[\x00-\x08\x0E-\x1F]/.test(text);
}

/** What Kubernetes decodes in `data`: standard base64, padded to a multiple of four. */
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** `user:password@tcp(host)/db` (Go MySQL DSN) and other scheme-less `user:password@host` connection strings. */
const DSN = /^[^\s:@/]{1,64}:([^\s@/]{1,256})@[^\s@]*$/;

/**
 * A one-line `.npmrc` that authenticates (`//registry.npmjs.org/:_authToken=…`, `_auth=…`, `//host/:_password=…`):
 * a config file, read for its credential fields like a longer one, not a file path (it starts with `//`).
 */
const NPMRC_AUTH_LINE = /^(?:\/\/[^\s=]{0,256}:)?_(?:authToken|auth|password)\s*=/;

/**
 * Password hashes in the formats crypt(3), PHC strings and LDAP write: bcrypt `$2b$…`, `$argon2id$…`, sha-crypt
 * `$5$`/`$6$`, md5-crypt `$1$`, yescrypt `$y$`, scrypt `$7$`, `$pbkdf2-sha256$…`, `{SSHA}…`. Held-out round 8 missed an
 * argon2 hash under `ADMIN_PASSWORD_HASH` (a name whose `hash` reads as metadata) and a sha512-crypt one under `user`.
 */
const PASSWORD_HASH = /^(?:\$(?:2[abxy]?|1|5|6|7|y|gy|argon2(?:id|i|d)|pbkdf2(?:-sha\d+)?|scrypt)\$[^\s$]{1,64}\$\S{8,}|\{(?:SSHA|SHA|SSHA256|SSHA512|SMD5|CRYPT|ARGON2|PBKDF2[-\w]*)\}\S{8,})$/;

/**
 * `ACCESS_KEY`, `MINIO_ACCESS_KEY`, `s3.accessKey`: the identifier half of a key pair (never the `SECRET_ACCESS_KEY`,
 * which a `_` before `ACCESS` matched until held-out round 14: `AWS_SECRET_ACCESS_KEY: lokiloki` passed).
 */
const ACCESS_KEY_NAME = /(?<!secret[-_.]?)(?:^|[^a-z])access[-_.]?key$/i;

/** Single-line values: known formats and embedded passwords first, then the key's name, then the value's shape. */
function judgeLine(key: string, v: string, ctx: SecretContext): boolean {
  if (credentialsUnder(key, findCredentials(v)).length > 0 || urlCredentials(v, ctx.applied === true).length > 0 || isCapabilityUrl(v)) return true;
  // A PEM block written as one base64 line (`CA_BUNDLE: LS0tLS1CRUdJTi…`): judged as the block it is.
  const pem = v.length >= 40 && STRICT_BASE64.test(v) ? decodeBase64(v) : null;
  if (pem?.startsWith("-----BEGIN ")) return pemHits(pem).length > 0;
  const dsn = DSN.exec(v);
  if (dsn && literalSkipReason(dsn[1]) === null) return true; // (interpolation: a reference, see `isInterpolated`)
  if (hasInlineCredential(v, ctx.applied === true)) return true; // `Password=…;`, `?password=…`, `password="…"`
  // A whole Authorization header value kept in a Secret under any key (`pat-github: Basic <base64 user:ghp_…>`, an
  // Argo CD notifications webhook's header; held-out round 25 missed a GitHub token so wrapped).
  if (v.length <= 1024 && authorizationToken(v)) return true;
  if (isAuthorizationSetting(key, v)) return true; // `Authorization: Basic <base64 user:password>`
  if (PASSWORD_HASH.test(v)) return true; // a password hash is a credential (README), under any key: `ADMIN_PASSWORD_HASH`
  // An access key that is a word is the identifier half (MinIO's root user name, `MINIO_ACCESS_KEY: mentatlab-admin`).
  if (ACCESS_KEY_NAME.test(key) && isWordLike(v)) return false;
  if (SECRET_TYPE_KEYS.has(key)) return true;
  if (namesASecret(key)) return !pointsElsewhere(key, v, false);
  if (isUuid(v) && namesSecretUuid(key)) return true; // a UUID is metadata by shape, unless the name says it is the secret
  if (looksLikePassword(v)) return true; // under any name: no metadata is written so (see looksLikePassword)
  if (isMetadataKey(key) || looksLikeMetadataValue(v) || ctx.secretNames.has(v)) return false;
  return looksRandom(v);
}

/**
 * The text a base64 value (a ConfigMap's `binaryData`) holds, when it is the padded standard base64 Kubernetes accepts
 * and decodes to text; null for anything else (invalid base64, an image, a keystore).
 */
export function decodedText(value: string): string | null {
  if (!STRICT_BASE64.test(value.replace(/\s+/g, ""))) return null;
  const text = decodeBase64(value);
  return text === null || text.trim() === "" || isBinary(text) ? null : text;
}

/** A Secret value as Kubernetes holds it: `data` decoded when it is the padded standard base64 Kubernetes accepts. */
export function secretValueText(value: string, encoding: "base64" | "text"): string {
  if (encoding === "text" || !STRICT_BASE64.test(value.replace(/\s+/g, ""))) return value;
  return decodeBase64(value) ?? value;
}

/**
 * The credential fields a config file's reading found, or null for none. `decoded`: the text was base64 `data`, where
 * known formats are named here (no other rule sees them).
 */
function fileCredential(reading: EmbeddedReading, t: string, decoded: boolean): SecretCredential | null {
  const first = reading.settings[0];
  if (!first) return null;
  // Base64 `data` does not hold the decoded line, so the finding falls back to the value; a Secret rendered from a
  // Kustomize generator file does (its source is the file itself), so the finding points at the credential's line.
  const format = decoded ? findCredentials(t)[0]?.label : undefined;
  const line = first.line !== "" ? { text: first.line, occurrence: first.occurrence } : null;
  return { fields: reading.settings.map((s) => s.key), line, ...(format ? { format } : {}), settingLines: reading.settings.map((s) => s.line) };
}

/**
 * The credential a Secret value holds, or null. `encoding` is `base64` for `data` (decoded first, so that a base64
 * `changeme` or `postgresql` is judged as what it is). Not credentials: references and placeholders (as written and
 * decoded), booleans, numbers (not digits under a credential's name: `POSTGRES_PASSWORD: "12345"`), public certificates and keys, connection metadata by key (`url`, `username`,
 * `DATABASE_KIND`, `*_PORT`, `*_HOST`) or by shape, the names of other Secrets, and config files without credential
 * fields. Credentials: values under names that say so (`password`, `tls.key`, `apiKey`), known formats, passwords
 * in URLs, connection strings and DSNs, private keys, binary key material, config files' credential fields (see
 * `readEmbedded`), and generated-looking values under names that say nothing (`SESSION_MATERIAL: 9fQ2xL7v…`).
 */
export function judgeSecretValue(key: string, value: unknown, encoding: "base64" | "text", ctx: SecretContext): SecretCredential | null {
  if (typeof value !== "string") return null;
  let text = value;
  if (encoding === "base64") {
    if (skipReason(value, key, ctx) !== null) return null; // as written: `${X}`, `<path:…>`, `ENC[…]`, `changeme`
    // Kubernetes accepts only padded standard base64: anything else was written in the clear (by mistake) and is
    // judged as written; decoded bytes that are not text are key material unless the key names public material.
    const decoded = STRICT_BASE64.test(value.replace(/\s+/g, "")) ? decodeBase64(value) : null;
    if (decoded !== null && isBinary(decoded)) {
      return isMetadataKey(key) || /trust|cacert|(^|[^a-z])ca([^a-z]|$)|\.crt$|\.cer$|\.pub$|public/i.test(key) ? null : { fields: [], line: null };
    }
    if (decoded !== null) text = decoded;
  }
  const t = text.trim();
  const userlist = (ctx.userlistFiles ?? DEFAULT_USERLIST_FILES).has(key);
  if (!t.includes("\n") && parseJson(t) === undefined && !NPMRC_AUTH_LINE.test(t)) {
    // A block scalar that holds one comment line: a note in place of the value.
    if (text.includes("\n") && t.startsWith("#")) return null;
    // A one-line config file (a pgbouncer userlist of one user) is read as the file first, then as a value.
    if (userlist || CONFIG_FILE_KEY.test(key)) {
      const found = fileCredential(readEmbedded(text, { formats: true, userlist, applied: ctx.applied === true }), t, text !== value);
      if (found) return found;
    }
    if (skipReason(t, key, ctx) !== null || !judgeLine(key, t, ctx)) return null;
    const format = text !== value ? findCredentials(t)[0]?.label : undefined; // decoded: no other rule names it
    // A one-line file in a block scalar (`.pgpass: |` and its line): the finding points at that line, not at the `|`.
    return { fields: [], line: encoding === "text" && text.includes("\n") ? { text: t, occurrence: 0 } : null, ...(format ? { format } : {}) };
  }
  // A config file, a JSON document, a PEM block or a multi-line blob: judged by its content (a registry host named
  // `registry.example.com` does not make a whole registry config a placeholder).
  if (isPublicMaterial(t)) return null;
  // Instructions in place of the value (`# paste the deploy key here` lines, then `__REPLACE_WITH_YOUR_KEY__`): what
  // is left once the comment lines go is judged; comments alone hold no credential.
  const kept = t.split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
  if (kept.length === 0 || (kept.length === 1 && kept[0] !== t && literalSkipReason(kept[0], key) !== null)) return null;
  // A config file, a JSON document, a PEM block or a multi-line blob.
  // In an applied Secret, the bare word `password` or `secret` under a password's name in the file is the weak
  // password the workload reads, as it is under the Secret's own key (held-out round 23: a secretGenerator's
  // `password.txt` of `password=secret` was missed while the same literal was reported).
  const reading = readEmbedded(text, { formats: true, userlist, applied: ctx.applied === true });
  const found = fileCredential(reading, t, text !== value);
  if (found) return found;
  if (reading.structured || t.includes("-----BEGIN ")) return null; // configuration only; a PEM block that is no private key
  if (namesASecret(key) && !isMetadataKey(key)) return { fields: [], line: null };
  // One generated token wrapped over lines (base64 of key material); prose and other free text are not judged.
  const lines = t.split(/\s*\n\s*/);
  return lines.every((l) => /^[A-Za-z0-9+/=_-]+$/.test(l)) && looksRandom(lines.join("")) ? { fields: [], line: null } : null;
}

/**
 * A value SOPS is configured to leave in the clear (`encrypted_regex` that misses the key, an `_unencrypted` suffix)
 * is public by intent — unless it is plainly a credential: a known format, a password in a URL, a private key, or
 * a generated-looking value under a name that says "secret" (`DB_PASSWORD: vT9#qLm2…` next to an encrypted
 * `API_TOKEN`). Weaker signals (a config file's fields, a word under a secret name) are not enough here.
 */
export function isClearCredential(key: string, value: unknown, encoding: "base64" | "text"): boolean {
  if (typeof value !== "string") return false;
  let text = value;
  if (encoding === "base64") {
    const decoded = STRICT_BASE64.test(value.replace(/\s+/g, "")) ? decodeBase64(value) : null;
    if (decoded === null || isBinary(decoded)) return false;
    text = decoded;
  }
  const t = text.trim();
  if (literalSkipReason(t, key) !== null) return false;
  if (findCredentials(t).length > 0 || urlCredentials(t).length > 0) return true;
  return !t.includes("\n") && namesASecret(key) && !isMetadataKey(key) && looksRandom(t);
}
