import { nameWords } from "./_name-words.js";
import { isSecretName } from "./_names.js";
import { isPlaceholder } from "./_placeholders.js";
import { isWordLike } from "./_shape.js";

/**
 * Value classification shared by the secrets rules: is a string a reference to a secret kept elsewhere
 * (SOPS, Vault, External Secrets, 1Password, a `file:///` or `env://` URI, templating), an obvious placeholder, or a literal value?
 * Pure functions; they never return or log the value itself.
 */

/** SOPS-encrypted value: `ENC[AES256_GCM,data:...,iv:...,tag:...,type:str]`. */
const SOPS_VALUE = /^ENC\[[A-Z0-9_]+,[^\]]*\]$/;

/** Whole-value reference forms (trimmed value, tested case-sensitively unless noted). */
const WHOLE_REFERENCES: readonly RegExp[] = [
  SOPS_VALUE,
  /^<path:[^>]+>$/, // argocd-vault-plugin
  /^<[^<>\n]+>$/, // `<key>`-style placeholders (argocd-vault-plugin inline, docs)
  /^vault:/i, // bank-vaults `vault:secret/data/app#key`
  /^vault\+/i,
  /^ref\+[a-z0-9]+:\/\//i, // helmfile/vals `ref+vault://...`
  /^secretref\+/i,
  /^op:\/\//, // 1Password
  // authentik (and other apps) read `file:///path` from that file and `env://NAME` from that variable
  /^file:\/\/\/[^\s]+$/,
  /^env:\/\/[A-Za-z_][A-Za-z0-9_]*$/,
  /^(?:sm|berglas|gcpsm|awssm|awsssm|azkv|akv|k8s|secret):\/\//i,
  /^(?:awssm|gcpsm|azkv|sops):/i, // argocd-vault-plugin style backends
  /^arn:aws[a-z-]*:(?:secretsmanager|ssm):/, // AWS Secrets Manager / SSM parameter references
  /^\$__[a-z]+\{[^}]*\}$/, // Grafana `$__file{...}`, `$__env{...}`
  /^__[A-Za-z0-9_]+__$/, // token replacement (`__DB_PASSWORD__`)
  /^#\{[^}]+\}#?$/, // Octopus / Azure DevOps `#{Password}#`
  /^%[A-Za-z_][A-Za-z0-9_]*%$/, // `%PASSWORD%`
  /^@[A-Za-z_][\w.]*@$/, // Maven/Gradle filtering `@db.password@`
  /^\$ANSIBLE_VAULT;/, // Ansible Vault ciphertext
  // argocd-image-updater `credentials:` — where the registry credential is, never the credential itself
  /^pullsecret:[a-z0-9][a-z0-9.-]*\/[a-z0-9][a-z0-9.-]*$/, // `pullsecret:<namespace>/<secret>`
  /^secret:[a-z0-9][a-z0-9.-]*\/[a-z0-9][a-z0-9.-]*#[\w.-]+$/, // `secret:<namespace>/<secret>#<field>`
  /^env:[A-Za-z_][A-Za-z0-9_]*$/, // `env:<VARIABLE>`
  /^ext:\/[^\s]+$/, // `ext:<script>`
];

/**
 * Shell variables as the whole value (quoted or not): `$VAR`, `$var`, `$1`, `$USER:$PASS`, Argo CD `$secret-name:key`.
 * A `$` inside generated text (`k9x2$w1ey`, a Django key) is a character, not a variable.
 */
const WHOLE_VARIABLES = /^\$(?:[A-Za-z_][\w.-]*(?:[:/@]?\$[A-Za-z_][\w.-]*)*(?::[\w./-]+)?|\d|[@*#?!])$/;

/** Interpolation anywhere in a value: Python `%(name)s`, Ruby / Puppet `%{…}` and `#{…}`, shell backticks `` `…` ``. */
const INLINE_INTERPOLATION = /%\([\w.-]{1,64}\)[a-z]|%\{[^{}\n]{1,256}\}|#\{[^{}\n]{1,256}\}|`[^`\n]{1,256}`/;

/**
 * True when a value is filled in by interpolation rather than written: templating anywhere (see `hasTemplating`),
 * `%(name)s`, `%{…}`, `#{…}` or backticks anywhere, or shell variables as the whole value (see `WHOLE_VARIABLES`).
 * The one judgement of interpolation for every secrets rule: flat values, embedded config lines, URLs, headers.
 */
export function isInterpolated(value: string): boolean {
  const v = value.trim();
  const bare = v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.endsWith(v[0]) ? v.slice(1, -1) : v;
  return hasTemplating(v) || INLINE_INTERPOLATION.test(v) || WHOLE_VARIABLES.test(bare);
}

/**
 * Templating anywhere in the value makes it a template, not a literal: `${X}` (on one line), `$(X)`, `{{ ... }}`,
 * `${{ ... }}`, shell command substitution `$(...)` and an inline argocd-vault-plugin `<path:...>`. Written as scans, not backtracking patterns, so that
 * text such as `${${${...` costs one pass.
 */
function hasTemplating(v: string): boolean {
  let open = -1; // last `${` on the current line
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 10) open = -1;
    else if (c === 36 && v.charCodeAt(i + 1) === 123) open = i; // `${`
    else if (c === 125 && open >= 0) return true; // `}` closing it
  }
  const braces = v.indexOf("{{");
  if (braces >= 0 && v.indexOf("}}", braces + 2) >= 0) return true;
  return /\$\([^()\n]{1,256}\)|<path:[^<>\n]+>/.test(v); // `$(VAR)`, `$(echo -n … | base64)`
}

/** True when the value (as written in the manifest) points to a secret kept elsewhere or is templated. */
export function isReference(value: string): boolean {
  const v = value.trim();
  if (v === "") return false;
  if (isInterpolated(v)) return true;
  return WHOLE_REFERENCES.some((re) => re.test(v));
}

/** A SOPS-encrypted scalar. */
export function isSopsEncrypted(value: string): boolean {
  return SOPS_VALUE.test(value.trim());
}

const BOOLEANISH = /^(true|false|yes|no|on|off|y|n|enabled?|disabled?)$/i;
const NUMERIC = /^[-+]?\d+(\.\d+)?$/;
const DURATION = /^\d+(\.\d+)?(ns|us|µs|ms|s|m|h|d|w)$/;
/** An absolute or relative file path with no spaces: `/run/secrets/db`, `./creds.json`, `~/.ssh/id`. */
const FILE_PATH = /^(\/|\.\.?\/|~\/)[\w@%+=:,./-]*$/;

/**
 * Base64 of key material that happens to start with `/` (one random key in 64: `/BUzB0oNmFUo2emCgC9MBA==`), not a
 * path: standard base64 of a whole number of quanta, 16 characters or more, with padding or a `+` (which paths do
 * not end with or hold), or else mixed case and digits with a segment of 12 characters or more that is no word.
 */
function isBase64Material(v: string): boolean {
  if (v.length < 16 || v.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(v) || v.includes("//")) return false;
  if (v.endsWith("=") || v.includes("+")) return true;
  return /[A-Z]/.test(v) && /[a-z]/.test(v) && /\d/.test(v) && v.split("/").some((seg) => seg.length >= 12 && !isWordLike(seg));
}

/**
 * Reads of the environment as code writes them: PHP `getenv(` / `$_ENV[`, Node `process.env.`, Python `os.environ` /
 * `os.getenv(`, Ruby `ENV[` / `ENV.fetch(`, Java `System.getenv(`.
 */
const ENV_READ = /^(?:getenv[ \t]*\(|os\.getenv[ \t]*\(|System\.getenv[ \t]*\(|ENV\.fetch[ \t]*\(|process\.env\b|os\.environ\b|ENV\[|\$_(?:ENV|SERVER)\[)/;

/** A call as the whole value: a name (`quote`, `urllib.parse.quote`, `$cfg->get`, `Foo::bar`), `(`, …, `)`, maybe `;`. */
const CALL = /^([A-Za-z_$][\w$]{0,63}(?:(?:\.|->|::)[A-Za-z_$][\w$]{0,63}){0,8})\(([^\n]{0,448})\)[ \t]*;?$/;

/**
 * Code in place of a value (held-out round 14: `encoded_pass = urllib.parse.quote(input())` in a ConfigMap's shell
 * one-liner, PHP `$wgDBpassword = getenv( 'MYSQL_PASSWORD' ) ?: '';`): an environment read (`ENV_READ`), or a call whose
 * callee is a method (`a.b(…)`, `a->b(…)`, `A::b(…)`) or whose arguments are code — none, a string, another call or a
 * variable (`input()`, `quote(input())`, `get('db')`). A password with brackets stays a value: `Secret(2024)` (a word
 * and digits in brackets) is no call.
 */
export function isExpression(value: string): boolean {
  const v = value.trim();
  if (v.length > 512) return false;
  if (ENV_READ.test(v)) return true;
  const call = CALL.exec(v);
  if (call === null) return false;
  const callee = call[1]!;
  const args = call[2]!.trim();
  return /\.|->|::/.test(callee) || args === "" || /['"(]/.test(args) || /^\$[A-Za-z_]/.test(args);
}

/** Why a scalar is not a literal secret, or null when it is one. */
export type SkipReason = "not-a-string" | "empty" | "reference" | "expression" | "placeholder" | "public" | "boolean" | "number" | "file-path";

/**
 * Client keys public by design, issued to be compiled into browser and mobile code: Stripe (and Clerk) publishable keys
 * `pk_live_…` / `pk_test_…`, Mapbox public tokens `pk.eyJ…` (the secret ones are `sk.`), PostHog project keys `phc_…`
 * (personal keys, `phx_…`, are secret), Supabase publishable keys `sb_publishable_…` (`sb_secret_…` is secret).
 */
const PUBLIC_CLIENT_KEY = /^(?:pk_(?:live|test)_[A-Za-z0-9]{10,247}|pk\.eyJ[A-Za-z0-9_-]{10,2048}\.[A-Za-z0-9_-]{10,512}|phc_[A-Za-z0-9]{20,64}|sb_publishable_[A-Za-z0-9_-]{10,128})$/;

/**
 * The claims of a JWT issued to be public: Supabase's (and PostgREST's) `anon` key, `"role": "anon"`, which every
 * browser client holds (row-level security guards the data). Its `service_role` key bypasses that and is a credential.
 */
export function isPublicJwtClaims(claims: unknown): boolean {
  return typeof claims === "object" && claims !== null && (claims as Record<string, unknown>).role === "anon";
}

/** A JWT (`header.payload.signature`) whose payload claims are public (see `isPublicJwtClaims`). */
function isPublicJwt(v: string): boolean {
  const parts = v.split(".");
  if (parts.length !== 3 || !v.startsWith("eyJ") || v.length > 16384) return false;
  const payload = decodeBase64(parts[1]!);
  if (payload === null) return false;
  try {
    return isPublicJwtClaims(JSON.parse(payload) as unknown);
  } catch {
    return false;
  }
}

/**
 * A key public by design (see `PUBLIC_CLIENT_KEY` and `isPublicJwtClaims`): the one judgement of every secrets rule, as
 * the placeholder judgement is, so that a ConfigMap, an env value and a Secret agree. Known secret formats are not.
 */
export function isPublicClientKey(value: string): boolean {
  const v = value.trim();
  return PUBLIC_CLIENT_KEY.test(v) || isPublicJwt(v);
}

/** Words that make a credential's name a count or a limit about it: `MAX_TOKEN`, `NUM_TOKEN`, `TOKEN_COUNT_LIMIT`. */
const COUNTING_WORDS = new Set(["max", "min", "num", "number", "count", "limit", "length", "len", "size", "ttl", "timeout", "port", "uid", "gid", "id", "version", "retries", "attempts", "rounds", "bits", "days", "hours", "minutes", "seconds", "interval"]);

/**
 * Digits under a name that says the value is the credential (`POSTGRES_PASSWORD: "12345"`, a datasource password
 * `1234`, `JWT_SECRET: "123456"`): a (weak) password, not a setting. Four digits or more — a PIN's length; a shorter
 * run, a sign or a decimal point is a setting even there (`password: -1`, `token: 0`). Names of settings
 * (`TOKEN_TTL`, `REDIS_PORT`, `PASSWORD_MIN_LENGTH`, `MAX_TOKEN`) keep their numbers.
 */
function isDigitsCredential(v: string, name: string | undefined): boolean {
  return name !== undefined && /^\d{4,}$/.test(v) && isSecretName(name) && !nameWords(name).some((w) => COUNTING_WORDS.has(w));
}

/**
 * Classifies a value found under a secret-looking name. Booleans and numbers are settings
 * (`enablePassword: true`, `TOKEN_TTL: "3600"`), not secrets — except digits under a name that says they are the
 * credential (`POSTGRES_PASSWORD: "12345"`, see `isDigitsCredential`).
 */
export function literalSkipReason(value: unknown, name?: string, usernames?: ReadonlySet<string>): SkipReason | null {
  if (typeof value !== "string") return "not-a-string";
  const v = value.trim();
  if (v === "") return "empty";
  if (isReference(v)) return "reference";
  if (isExpression(v)) return "expression"; // `os.environ['DB_PASSWORD']`, `getenv('DB_PASSWORD')`, `quote(input())`
  if (BOOLEANISH.test(v)) return "boolean";
  if (NUMERIC.test(v) && v.replace(/\D/g, "").length <= 6 && !isDigitsCredential(v, name)) return "number";
  if (DURATION.test(v)) return "number";
  if (FILE_PATH.test(v) && v.includes("/") && v.length > 1 && !isBase64Material(v)) return "file-path";
  if (isPlaceholder(v, name, usernames)) return "placeholder";
  if (isPublicClientKey(v)) return "public"; // `pk_live_…`, `phc_…`, a Supabase `anon` JWT
  return null;
}

/**
 * A scalar as the text it stands for: an unquoted run of digits (`password: 654321`) is a number to YAML, and the same
 * value quoted — Helm writes it into a Secret, a ConfigMap mounts it, an env var holds it. A non-negative safe integer
 * becomes its digits (judged as digits: a setting under most names, a weak password under a credential's); anything
 * else is returned as it is.
 */
export function scalarText(value: unknown): unknown {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? String(value) : value;
}

/** True when `value` is a literal secret under a secret-looking name (`name`, when given, to spot echoes). */
export function isLiteralSecret(value: unknown, name?: string): value is string {
  return literalSkipReason(value, name) === null;
}

const PUBLIC_PEM = /^(CERTIFICATE|TRUSTED CERTIFICATE|X509 CRL|PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE REQUEST|NEW CERTIFICATE REQUEST|PGP PUBLIC KEY BLOCK|PGP SIGNATURE|SSH2 PUBLIC KEY)$/;

/** An OpenSSH public key line, optionally after `known_hosts` markers and host patterns. */
const SSH_PUBLIC_LINE = /^(@[\w-]+\s+)?(\S+\s+)?(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp\d+|sk-(ssh|ecdsa)-[\w@.-]+)\s+[A-Za-z0-9+/]+={0,2}(\s.*)?$/;

/** Only PEM blocks of public types, separated by white space: read block by block, each END found with one forward search. */
function onlyPublicPem(t: string): boolean {
  let at = 0;
  let blocks = 0;
  while (at < t.length) {
    if (!t.startsWith("-----BEGIN ", at)) return false;
    const close = t.indexOf("-----", at + 11);
    if (close < 0 || close - at > 80) return false;
    const type = t.slice(at + 11, close);
    if (!PUBLIC_PEM.test(type)) return false;
    const end = `-----END ${type}-----`;
    const endAt = t.indexOf(end, close + 5);
    if (endAt < 0) return false;
    blocks++;
    at = endAt + end.length;
    while (at < t.length && /\s/.test(t[at]!)) at++;
  }
  return blocks > 0;
}

/**
 * True when the text is only public material: PEM certificates / public keys, or an OpenSSH public key
 * line / `known_hosts` file. A CA bundle in a Secret (`ca.crt`) is not a secret.
 */
export function isPublicMaterial(text: string): boolean {
  const t = text.trim();
  if (t === "") return false;
  if (t.startsWith("-----BEGIN ")) return onlyPublicPem(t);
  const lines = t.split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("#"));
  return lines.length > 0 && lines.every((l) => SSH_PUBLIC_LINE.test(l.trim())); // `id.pub`, `known_hosts`
}

/** Decodes standard or URL-safe base64, or returns null when the text is not base64. */
export function decodeBase64(text: string): string | null {
  const compact = text.replace(/\s+/g, "");
  if (compact === "") return "";
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact) || compact.replace(/=+$/, "").length % 4 === 1) return null;
  return Buffer.from(compact.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("utf8");
}

/** `decodeURIComponent`, or the text as it is when it is not valid percent-encoding. */
export function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
