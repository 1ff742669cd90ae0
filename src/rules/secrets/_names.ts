import { isAuthorizationSetting } from "./_authorization.js";
import { nameWords } from "./_name-words.js";
import { isPasswordWordUnderPasswordName } from "./_placeholders.js";
import { looksRandom } from "./_shape.js";
import { isLiteralSecret } from "./_values.js";

/**
 * Does a key or variable name look like it holds a secret? `DB_PASSWORD`, `apiKey`, `clientSecret`,
 * `GITHUB_TOKEN`, `private_key`, `credentials`, `AWS_SECRET_ACCESS_KEY` do. Names that describe a secret
 * without holding it do not: `TOKEN_URL`, `SECRET_NAME`, `PASSWORD_FILE`, `passwordSecretRef`, `TOKEN_TTL`,
 * `*_PATH`, `AWS_ACCESS_KEY_ID`, `existingSecret`, `passwordSecretKey` / `adminPasswordKey` (the name of a
 * key inside a Secret), `tlsSecret` (the name of a Secret), `checksum/secret`.
 */

/** Words that always hold the secret itself when they end the name. */
const SECRET_NOUNS = new Set([
  "password",
  "passwords",
  "passwd",
  "passphrase",
  "passcode",
  "token",
  "apikey",
  "credentials",
  "credential",
  "privatekey",
  "secretkey",
  "accesskey",
  "clientsecret",
  "authtoken",
  "pass",
  // `DB_PSWD`, `DB_ROOT_PWSD` (held-out round 18): abbreviations people type, as `PASSWD` and `PWD` are.
  "pswd",
  "pwsd",
]);

/** Lower-case glued forms (`dbpassword`, `adminpassword`, `apitoken`). */
const GLUED_SUFFIXES: readonly string[] = ["password", "passwd", "passphrase", "passcode", "secret", "token", "apikey", "privatekey", "secretkey", "accesskey", "credentials"];

/** `<qualifier> key` pairs that name a secret key: `apiKey`, `PRIVATE_KEY`, `access_key`, `signingKey`. */
const KEY_QUALIFIERS = new Set([
  "api",
  "private",
  "secret",
  "access",
  "signing",
  "sign",
  "encryption",
  "encrypt",
  "decryption",
  "crypt",
  "cipher",
  "aes",
  "master",
  "hmac",
  "auth",
  "license",
  "licence",
  "webhook",
  "session",
  "jwt",
  "cookie",
  "client",
  "app",
  "shared",
  "account",
  "storage",
]);

/**
 * Words before `secret` / `key` that make the name point at a Kubernetes Secret or at a key inside one:
 * `passwordSecret: db-creds`, `tlsSecret: web-tls`, `passwordKey: admin-password`, `tokenSecretKey: token`.
 */
const REFERENCE_NOUNS = new Set([
  "password",
  "passwords",
  "passwd",
  "token",
  "tokens",
  "credentials",
  "credential",
  "creds",
  "tls",
  "ssl",
  "cert",
  "certs",
  "certificate",
  "certificates",
  "ca",
  "existing",
  "ssh",
  "key",
  "keys",
  "apikey",
  "basic",
  "basicauth",
  "config",
  "configuration",
  "env",
  "registry",
  "docker",
  "dockerconfig",
  "pull",
  "imagepull",
  "image",
  "storage",
  "objstore",
  "bucket",
  "backup",
  "license",
  "kubeconfig",
  "from",
]);

/** Last words that describe a secret rather than hold it. */
const NON_SECRET_TAILS = new Set([
  "name", "names", "ref", "refs", "reference", "keys", "id", "ids", "arn", "url", "uri", "urls", "endpoint", "endpoints",
  "host", "hostname", "port", "path", "paths", "file", "files", "filename", "filepath", "dir", "directory", "location",
  "mount", "mounts", "volume", "volumes", "ttl", "expiry", "expires", "expiration", "expire", "timeout", "duration",
  "lifetime", "age", "interval", "period", "length", "len", "size", "min", "max", "count", "type", "kind", "mode",
  "enabled", "enable", "disabled", "disable", "required", "optional", "policy", "policies", "header", "headers", "field",
  "fields", "prefix", "suffix", "format", "regex", "pattern", "algorithm", "alg", "method", "methods", "version",
  "provider", "providers", "store", "stores", "source", "selector", "namespace", "label", "labels", "annotation",
  "annotations", "template", "templates", "class", "generator", "rotation", "strategy", "hint", "description", "prompt",
  "help", "env", "var", "vars", "variable", "user", "username", "login", "email", "owner", "issuer", "audience", "scope",
  "scopes", "claim", "claims", "param", "parameter", "query", "resource", "role", "roles", "account", "permissions",
  "mapping", "manager", "backend", "engine", "item", "items", "list", "create", "generate", "used", "set", "exists",
  "complexity", "strength", "reset", "retries", "attempts", "cache", "cookie",
]);

/**
 * Words anywhere in the name that mean "not the secret itself". A certificate's `KEY_THUMBPRINT` (its SHA-1, 40 hex
 * digits) or `CERT_FINGERPRINT` identifies public material; `*_SHA1` / `*_SHA256` read as `sha` (digits are no words).
 */
const NEVER = new Set(["checksum", "hash", "hashed", "digest", "sha", "fingerprint", "fingerprints", "thumbprint", "thumbprints", "bcrypt", "public", "pub", "publishable", "existing"]);

/**
 * Prefixes of the variables front-end build tools compile into the browser bundle (Next.js `NEXT_PUBLIC_`, Vite `VITE_`,
 * Create React App `REACT_APP_`, Expo `EXPO_PUBLIC_`, Nuxt `NUXT_PUBLIC_`, SvelteKit `PUBLIC_`, Gatsby `GATSBY_`): every
 * visitor of the site reads the value, so its name does not make it a secret (`VITE_FIREBASE_API_KEY`,
 * `REACT_APP_MAPBOX_TOKEN`). A known credential format there is still one (`secrets/known-credential`, and the value
 * judgement of a Secret's data): a leak is a leak.
 */
const BROWSER_BUNDLED = /^(?:NEXT_PUBLIC|VITE|REACT_APP|EXPO_PUBLIC|NUXT_PUBLIC|PUBLIC|GATSBY)_[A-Za-z0-9]/;

/** True when the name is a variable compiled into a browser bundle (see `BROWSER_BUNDLED`). */
export function isBrowserBundledName(name: string): boolean {
  return BROWSER_BUNDLED.test(name);
}

/**
 * True when a word of the name says the value is public or derived, not the secret itself (`publicKey`,
 * `PASSWORD_HASH`), or the name is compiled into a browser bundle (`VITE_API_KEY`, see `BROWSER_BUNDLED`).
 */
export function hasNeverWord(name: string): boolean {
  return isBrowserBundledName(name) || nameWords(name).some((w) => NEVER.has(w));
}

/** Trailing words that do not change what the name holds: `PASSWORD_B64`, `tokenValue`, `SECRET_KEY_BASE`. */
const TRANSPARENT_TAILS = new Set(["value", "val", "b", "base", "encoded", "plain", "plaintext", "raw", "str", "string", "hex", "data"]);

const secretNameCache = new Map<string, boolean>();

/** True when a key or variable name looks like it holds a secret (see module comment). Memoised: keys repeat. */
export function isSecretName(name: string): boolean {
  let hit = secretNameCache.get(name);
  if (hit === undefined) {
    hit = judgeSecretName(name);
    if (secretNameCache.size >= 100_000) secretNameCache.clear();
    secretNameCache.set(name, hit);
  }
  return hit;
}

function judgeSecretName(name: string): boolean {
  const words = nameWords(name);
  while (words.length > 1 && TRANSPARENT_TAILS.has(words[words.length - 1]!)) words.pop();
  if (words.length === 0 || hasNeverWord(name)) return false;
  const last = words[words.length - 1]!;
  const prev = words[words.length - 2];
  const prev2 = words[words.length - 3];

  if (last === "key") {
    if (prev === undefined) return false;
    if (prev === "secret") return prev2 === undefined || !REFERENCE_NOUNS.has(prev2);
    return KEY_QUALIFIERS.has(prev);
  }
  if (last === "secret") return prev === undefined || !REFERENCE_NOUNS.has(prev);
  if (last === "cookie" && prev === "erlang") return true; // RabbitMQ's cluster secret (`erlangCookie`)
  if (NON_SECRET_TAILS.has(last)) return false;
  if (last === "pwd" || last === "pw") return words.length > 1; // `PWD` alone is the working directory
  if (SECRET_NOUNS.has(last)) return true;
  for (const suffix of GLUED_SUFFIXES) {
    if (last.length > suffix.length && last.endsWith(suffix)) {
      const head = last.slice(0, -suffix.length);
      if (suffix === "secret" && REFERENCE_NOUNS.has(head)) return false;
      return true;
    }
  }
  return false;
}

/**
 * A key of a Secret's own data (or of a secretGenerator's literals and `.env` input) that names a credential. There a
 * key holds the value itself, never the name of another Secret: `postgres-password-secret` is the password, although
 * in Helm values and ConfigMaps `passwordSecret: db-creds` follows the chart convention and names a Secret
 * (`isSecretName` false; held-out round 17 missed a Secret's `postgres-password-secret`). So a name ending in `secret`
 * names the secret there whatever word comes before it, unless a word says it is public or derived (`existingSecret`).
 */
export function isSecretDataKeyName(name: string): boolean {
  if (isSecretName(name)) return true;
  if (hasNeverWord(name)) return false;
  const words = nameWords(name);
  while (words.length > 1 && TRANSPARENT_TAILS.has(words[words.length - 1]!)) words.pop();
  const last = words[words.length - 1] ?? "";
  return last === "secret" || (last.endsWith("secret") && REFERENCE_NOUNS.has(last.slice(0, -"secret".length)));
}

/** Leading words that make an environment variable name secret (`SECRET_BLAH`, `PASSWORD_ADMIN`, `TOKEN_GITHUB`). */
const LEADING_SECRET_NOUNS = new Set(["secret", "password", "passwd", "token", "apikey", "credentials"]);

/** Words after a leading secret noun that make the name a setting about the secret (`PASSWORD_ENCRYPTION`). */
const SETTING_WORDS = new Set([
  "encryption", "encoding", "hashing", "validation", "verification", "auth", "authentication", "project", "region", "scheme",
  "storage", "service", "level", "secret", "secrets",
]);

/**
 * An environment variable name that starts with a secret noun: `SECRET_BLAH`, `PASSWORD_ADMIN`, `CREDENTIALS_JSON`.
 * Not when a later word says it describes the secret rather than holding it: `SECRET_NAME`, `TOKEN_URL`,
 * `PASSWORD_FILE`, `SECRET_KEY_REF`, `TOKEN_TTL`, `SECRET_NAME_OVERRIDE`, `PASSWORD_ENCRYPTION`, `TOKEN_SECRET`.
 */
export function hasLeadingSecretNoun(name: string): boolean {
  const words = nameWords(name);
  while (words.length > 1 && TRANSPARENT_TAILS.has(words[words.length - 1]!)) words.pop();
  if (words.length < 2 || !LEADING_SECRET_NOUNS.has(words[0]!) || hasNeverWord(name)) return false;
  return words.slice(1).every((w) => !NON_SECRET_TAILS.has(w) && !REFERENCE_NOUNS.has(w) && !SETTING_WORDS.has(w));
}

/** `<qualifier>Secret` names that hold the secret itself: `clientSecret`, `cookieSecret`, `WEBHOOK_SECRET`. */
const SECRET_QUALIFIERS = new Set([
  "client", "cookie", "jwt", "session", "webhook", "hook", "app", "application", "shared", "signing", "signature", "hmac",
  "encryption", "api", "consumer", "oauth", "oidc", "master", "admin", "root", "totp", "otp", "csrf", "secret", "auth",
  "bootstrap", "cluster", "join", "github", "gitlab", "slack", "stripe", "django", "rails", "flask", "nextauth", "node",
]);

/** A Kubernetes object name (DNS-1123 subdomain): what `scriptsSecret: pg-init-scripts` holds. */
const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Names that often point at something instead of holding a secret, recognised by their value:
 * - `secretKey: client-secret`, `apiKey: api-key`: under a `...key` name, a value made only of lower-case words
 *   is the name of a key inside a Secret, not key material;
 * - `scriptsSecret: pg-init-scripts`: under `<noun>Secret` (not `clientSecret`-like), a Kubernetes object name
 *   is the name of a Secret; so is a hyphenated object name under a bare `secret` key (a name is made of words, not
 *   generated: `f395accd246ae52d` is a secret whatever it is called);
 * - `accessKey: AKIA…`: an AWS access key id identifies a key pair; its secret access key is what signs.
 *
 * The first never holds under an environment variable's name (`SECRET_KEY`, `API_KEY`: see ENV_STYLE_NAME).
 * `keyNames: false` (a Secret's own data) drops the first: a Secret holds values, not the names of keys elsewhere,
 * so `API_KEY: dev-api-key-change-in-production` there is the (weak) key itself, as its `JWT_SECRET` sibling is; and
 * the second after a password's or a token's word (`postgres-password-secret: joel1234` is the password there, see
 * `isSecretDataKeyName`), while `postgres-user-secret: joel` still reads as a name.
 * So does an S3 `secretAccessKey` (`AWS_SECRET_ACCESS_KEY`): that name is the secret half of a key pair, never a key's
 * name, and a word there is a weak secret as under a password's name (`secretAccessKey: lokiloki`, held-out round 14).
 */
/**
 * An environment variable's name (`SECRET_KEY`, `STRIPE_API_KEY`): its value is what the program reads, never the name of
 * a key inside a Secret (charts name those in camelCase: `existingSecretKey`, `passwordKey`). Held-out round 16: a
 * Flask `SECRET_KEY: <five dash-joined words>` in a chart's Secret values passed as a key name.
 */
const ENV_STYLE_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

export function pointsElsewhere(name: string, value: string, keyNames = true): boolean {
  const words = nameWords(name);
  const last = words[words.length - 1] ?? "";
  const prev = words[words.length - 2];
  const v = value.trim();
  if (/^(?:AKIA|ASIA)[A-Z0-9]{16}$/.test(v)) return true; // an AWS access key id: an identifier; its secret key is judged on its own
  if (keyNames && last.endsWith("key") && !namesSecretAccessKey(words) && !ENV_STYLE_NAME.test(name) && /^[a-z]+([-_.][a-z]+)*$/.test(v)) return true;
  if (last === "secret" && v.length <= 253 && K8S_NAME.test(v) && !looksRandom(v)) {
    if (prev === undefined) return v.includes("-"); // `secret: gitlab-runner-token` (a chart's Secret name)
    if (!keyNames && HELD_CREDENTIAL_WORDS.has(prev)) return false; // a Secret's data: the password itself
    if (!SECRET_QUALIFIERS.has(prev)) return true;
  }
  return false;
}

/** Last words of a map's name that make its entries the names of Kubernetes Secrets (`secretNames`, `secretRefs`). */
const SECRET_REFERENCE_LISTS = new Set(["name", "names", "ref", "refs", "reference", "references"]);

/**
 * An entry of a map whose name says its entries name Kubernetes Secrets — the timescaledb-single chart's
 * `secretNames: {credentials: timescaledb-credentials}`, `existingSecrets`, `secretRefs` — holding a Kubernetes name:
 * a reference, whatever the entry is called (held-out round 23: `secretNames.credentials` was a literal password).
 */
export function isSecretReferenceEntry(map: string, value: unknown): boolean {
  if (typeof value !== "string" || value.length > 253 || !K8S_NAME.test(value) || looksRandom(value)) return false;
  const words = nameWords(map);
  const last = words[words.length - 1] ?? "";
  const prev = words[words.length - 2];
  return (prev === "secret" && SECRET_REFERENCE_LISTS.has(last)) || (prev === "existing" && (last === "secret" || last === "secrets"));
}

/** Words before `secret` that, in a Secret's own data, make the key the credential itself (`postgres-password-secret`). */
const HELD_CREDENTIAL_WORDS = new Set(["password", "passwords", "passwd", "token", "tokens", "apikey"]);

/** A name ending with `secret access key` (`secretAccessKey`, `AWS_SECRET_ACCESS_KEY`): the S3 secret itself. */
function namesSecretAccessKey(words: readonly string[]): boolean {
  return words.slice(-3).join(" ") === "secret access key";
}

const HEADER_WORD = /header/i;

/**
 * HTTP headers set in one value (`OTEL_EXPORTER_OTLP_HEADERS: x-honeycomb-team=…,x-env=prod`, `Authorization=Bearer …`):
 * a header carrying generated text is an API key whatever the header is called.
 */
function isHeaderCredential(name: string, value: unknown): boolean {
  // Asked for every key of every values file: the cheap tests first (a last word `header` is in the name as written).
  if (typeof value !== "string" || value.length > 8192 || !HEADER_WORD.test(name)) return false;
  const words = nameWords(name);
  const last = words[words.length - 1];
  if (last !== "headers" && last !== "header") return false;
  return value.split(/[,;\n]/).some((pair) => {
    const m = /^\s*[\w.-]{1,128}\s*[=:]\s*(?:(?:Bearer|Basic|Token)\s+)?(\S{16,4096})\s*$/i.exec(pair);
    return m !== null && isLiteralSecret(m[1]) && looksRandom(m[1] ?? "");
  });
}

/**
 * The name the items of a list are judged under: `passwords` → `passwords`, `apiKeys` → `apiKey`, `tokens` → `token`
 * (the MongoDB chart's `auth.passwords: [...]`), `unsealKeys` → `unsealKey` (judged as a `...key` name: generated
 * text only); null when the list names no credential. A bare `secrets:` list holds
 * the names of Secrets to mount (`alertmanagerSpec.secrets: [slack]`), not secrets.
 */
export function listItemName(list: string): string | null {
  if (isSecretName(list)) return list;
  const one = list.replace(/s$/i, "");
  return one !== list && one.toLowerCase() !== "secret" && (isSecretName(one) || endsWithKey(one)) ? one : null;
}

/**
 * The name the entries of a map are judged under when the map is named like a list of credentials (Argo CD
 * notifications' Opsgenie `apiKeys: {platform: …}`, `tokens: {ci: …}`): its singular (`apiKey`, `token`); null for any
 * other map, and for a map whose own name says "secret" (`credentials: {username: …, password: …}` is judged key by key).
 */
export function mapEntryName(map: string): string | null {
  // Asked for every leaf of a values map (each asks about its parent): remembered, as `endsWithKey` is.
  const known = mapEntryCache.get(map);
  if (known !== undefined) return known;
  const one = listItemName(map);
  const name = one !== null && one !== map ? one : null;
  if (mapEntryCache.size >= 10_000) mapEntryCache.clear();
  mapEntryCache.set(map, name);
  return name;
}
const mapEntryCache = new Map<string, string | null>();

/**
 * A value such a map's entry holds when it is a credential: generated text or a UUID (Opsgenie and many API keys
 * are UUIDs); words, URLs and durations are settings (`tokens: {audience: api, ttl: 24h}`).
 */
export function isMapEntryCredential(value: unknown): value is string {
  return typeof value === "string" && (looksRandom(value) || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value));
}

/** Words before `key` that name a key public by design: reCAPTCHA's `siteKey`, Stripe's `publishableKey`. */
const PUBLIC_KEY_QUALIFIERS = new Set(["site", "publishable", "public", "pub", "verification", "verify"]);

/** 40 or 64 hex digits: a commit, a digest or a GPG key fingerprint (`gpgKey: 3AA5C34371567BD2…`), public by nature. */
const HASH_SIZED_HEX = /^(?:[0-9a-f]{40}|[0-9A-F]{40}|[0-9a-f]{64}|[0-9A-F]{64})$/;

const keyNameCache = new Map<string, boolean>();

/** `replicaSetKey`, `fernetKey`, `routing_key`, `key`: a name ending with `key` that does not say the key is public. */
function endsWithKey(name: string): boolean {
  let hit = keyNameCache.get(name);
  if (hit === undefined) {
    const words = nameWords(name);
    while (words.length > 1 && TRANSPARENT_TAILS.has(words[words.length - 1]!)) words.pop();
    hit = words[words.length - 1] === "key" && !hasNeverWord(name) && !PUBLIC_KEY_QUALIFIERS.has(words[words.length - 2] ?? "");
    if (keyNameCache.size >= 100_000) keyNameCache.clear();
    keyNameCache.set(name, hit);
  }
  return hit;
}

/**
 * Key material under a `...key` name whose qualifier says nothing about secrecy: the MongoDB chart's `replicaSetKey`,
 * Airflow's `fernetKey`, PagerDuty's `routing_key`, a `license: {key: …}`. By name alone these are ambiguous
 * (`routingKey: orders.created`, `partitionKey: tenantId`, `key: node-role`), so only generated text of 16 characters
 * or more counts (not a `sha256:` digest, a hex SHA-1 / SHA-256 such as a GPG fingerprint or a commit, an AWS key id
 * or a key's name).
 */
function isGeneratedKey(name: string, value: unknown): value is string {
  if (typeof value !== "string" || !endsWithKey(name)) return false;
  const v = value.trim();
  if (v.length < 16 || /^sha\d{1,3}:/i.test(v) || HASH_SIZED_HEX.test(v) || !looksLikeKeyMaterial(v)) return false;
  return looksRandom(v) && isLiteralSecret(v, name) && !pointsElsewhere(name, v);
}

/** Base64, URL-safe base64, hex or alphanumeric text (dot-separated, as in `SG.<id>.<secret>`), as key generators write it. */
const KEY_MATERIAL = /^[A-Za-z0-9+/_.-]+={0,2}$/;
/** A word or version between separators: `v1-deps-3f9a8b7c`, `cache_users_01`, `app.v2`: a name someone composed, not key material. */
const COMPOSED_PART = /^(?:[a-z]{3,12}|v\d{1,3})$/;

/**
 * Whether a value under a `...key` name has the shape of key material rather than of a name, path or cache key
 * (`backups/2024/db.sql.gz`, `session:7f3a…`, `v1-deps-3f9a…`): key material characters only, with letters and digits,
 * and no word or version between `-` / `_` / `.` separators.
 */
function looksLikeKeyMaterial(v: string): boolean {
  if (!KEY_MATERIAL.test(v) || !/[0-9]/.test(v) || !/[A-Za-z]/.test(v)) return false;
  // Hex shorter than 128 bits is an id (a GPG long key id `4AEE18F83AFDEB23`, a short commit), not a key.
  if (/^[0-9a-fA-F]+$/.test(v) && v.length < 32) return false;
  if (v.includes("/") && /\/[^/]*\./.test(v)) return false; // a path with a file extension
  return !/[-_.]/.test(v) || !v.split(/[-_.]/).some((part) => COMPOSED_PART.test(part));
}

/**
 * A secret-looking name with a literal secret value (see `isSecretName` and `isLiteralSecret`), generated key material
 * under a `...key` name (see `isGeneratedKey`), or auth headers (`*_HEADERS` values, an `Authorization` header).
 */
export function isSecretSetting(name: string, value: unknown): value is string {
  return (
    (isSecretName(name) && isLiteralSecret(value, name) && !pointsElsewhere(name, value)) ||
    isGeneratedKey(name, value) ||
    isHeaderCredential(name, value) ||
    isAuthorizationSetting(name, value)
  );
}

/**
 * An environment variable with a secret-looking name and a literal value: `isSecretSetting`, plus names that
 * lead with a secret noun (`SECRET_BLAH`, see `hasLeadingSecretNoun`), a common environment variable style.
 */
export function isSecretEnvSetting(name: string, value: unknown): value is string {
  return (
    ((isSecretName(name) || hasLeadingSecretNoun(name)) && isLiteralSecret(value, name) && !pointsElsewhere(name, value)) ||
    isGeneratedKey(name, value) ||
    isHeaderCredential(name, value) ||
    isAuthorizationSetting(name, value)
  );
}

/**
 * The bare word `password` (or `passwd`) under a password's name (`adminPassword: password`), in content that is
 * applied as written: a deployed object's inline Helm values, where it is the weak password itself, not the stand-in
 * it is in a values file (see `isPasswordWordUnderPasswordName`; held-out round 18).
 */
export function isAppliedPasswordWord(name: string, value: unknown): value is string {
  return typeof value === "string" && isSecretName(name) && isPasswordWordUnderPasswordName(value, name);
}

/** An access key's id half (`accesskey`, `MINIO_ACCESS_KEY`, `awsAccessKeyId`): its prefix, or null for other names. */
function accessKeyIdPrefix(name: string): string | null {
  // Asked about every key of every Secret: a name whose last letter or digit is neither `y` (`…key`) nor `d` (`…id`)
  // is none, told without lower-casing and stripping it.
  if (!KEY_OR_ID_END.test(name)) return null;
  const n = name.toLowerCase().replace(/[^a-z0-9]/g, "");
  const m = /^(.*?)accesskey(?:id)?$/.exec(n);
  return m && !m[1]!.endsWith("secret") ? m[1]! : null;
}
const KEY_OR_ID_END = /[yd][^a-z0-9]*$/i;

/** A secret key's name (`secretkey`, `MINIO_SECRET_KEY`, `AWS_SECRET_ACCESS_KEY`): its prefix, or null. */
function secretKeyPrefix(name: string): string | null {
  const m = /^(.*?)secret(?:access)?key$/.exec(name.toLowerCase().replace(/[^a-z0-9]/g, ""));
  return m ? m[1]! : null;
}

/**
 * An access key written beside its secret key (`accesskey` and `secretkey`, `MINIO_ACCESS_KEY` and `MINIO_SECRET_KEY`,
 * same prefix, in one map): the pair's id, as a user name is a login's (MinIO's root user, an S3 access key id); the
 * secret key beside it is the credential. Held-out round 18: a MinIO `accesskey=` of letters and digits in a
 * generator's `.env` was named a credential with its `secretkey`.
 */
export function isPairedAccessKeyId(name: string, siblings: Iterable<string>): boolean {
  const prefix = accessKeyIdPrefix(name);
  if (prefix === null) return false;
  for (const s of siblings) if (s !== name && secretKeyPrefix(s) === prefix) return true;
  return false;
}
