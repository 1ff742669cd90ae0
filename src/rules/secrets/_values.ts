/**
 * Value classification shared by the secrets rules: is a string a reference to a secret kept elsewhere
 * (SOPS, Vault, External Secrets, 1Password, templating), an obvious placeholder, or a literal value?
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
  /^(?:sm|berglas|gcpsm|awssm|awsssm|azkv|akv|k8s|secret):\/\//i,
  /^arn:aws[a-z-]*:(?:secretsmanager|ssm):/, // AWS Secrets Manager / SSM parameter references
  /^\$[A-Za-z_][\w.-]*(?::[\w./-]+)?$/, // `$VAR`, Argo CD `$secret-name:key`
  /^\$__[a-z]+\{[^}]*\}$/, // Grafana `$__file{...}`, `$__env{...}`
  /^__[A-Za-z0-9_]+__$/, // token replacement (`__DB_PASSWORD__`)
  /^#\{[^}]+\}#?$/, // Octopus / Azure DevOps `#{Password}#`
  /^%[A-Za-z_][A-Za-z0-9_]*%$/, // `%PASSWORD%`
  /^@[A-Za-z_][\w.]*@$/, // Maven/Gradle filtering `@db.password@`
  /^\$ANSIBLE_VAULT;/, // Ansible Vault ciphertext
];

/** Templating anywhere in the value makes it a template, not a literal (`${X}`, `$(X)`, `{{ }}`, inline `<path:...>`). */
const TEMPLATING = /\$\{[^}\n]*\}|\$\([A-Za-z_][\w.]*\)|\{\{[\s\S]*?\}\}|\$\{\{|<path:[^>\n]+>/;

/** True when the value (as written in the manifest) points to a secret kept elsewhere or is templated. */
export function isReference(value: string): boolean {
  const v = value.trim();
  if (v === "") return false;
  if (TEMPLATING.test(v)) return true;
  return WHOLE_REFERENCES.some((re) => re.test(v));
}

/** A SOPS-encrypted scalar. */
export function isSopsEncrypted(value: string): boolean {
  return SOPS_VALUE.test(value.trim());
}

const PLACEHOLDER_WORDS = new Set([
  "changeme",
  "changeit",
  "replaceme",
  "todo",
  "tbd",
  "fixme",
  "example",
  "dummy",
  "redacted",
  "placeholder",
  "null",
  "none",
  "nil",
  "undefined",
  "na",
  "notset",
  "unset",
  "empty",
  "secret",
  "password",
  "token",
  "yourpassword",
  "yoursecret",
  "yourtoken",
  "foo",
  "bar",
  "baz",
  "qux",
  "quux",
  "foobar",
]);

/** Substrings that mark a value as a stand-in (compared on the lower-cased value without separators). */
const PLACEHOLDER_PARTS: readonly string[] = ["changeme", "replaceme", "example", "dummy", "redacted", "placeholder", "xxxx", "insertyour", "putyour", "fillin", "fake"];

/**
 * True for obvious placeholders: `changeme`, `<...>`, `REPLACE_ME`, `xxx`, `TODO`, `example`, `dummy`,
 * `redacted`, `****`, `your-token-here`, a single repeated character, etc.
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v === "") return true;
  if (/^<[^<>]*>$/.test(v)) return true;
  if (/^\[[^[\]]*\]$/.test(v) && /redacted|secret|password|token|key|hidden/i.test(v)) return true;
  const lower = v.toLowerCase();
  const squashed = lower.replace(/[^a-z0-9]/g, "");
  if (squashed === "") return true; // only punctuation: `****`, `...`, `---`, `###`
  if (/^(.)\1*$/.test(squashed)) return true; // `aaaa`, `0000`, `xxx`
  if (/^x{3,}$/.test(squashed)) return true;
  if (PLACEHOLDER_WORDS.has(squashed)) return true;
  if (PLACEHOLDER_PARTS.some((p) => squashed.includes(p))) return true;
  if (/\*{3,}/.test(v)) return true; // masked: `ab****yz`
  if (/(^|[^a-z])(todo|tbd|fixme)([^a-z]|$)/.test(lower)) return true;
  if (/^your[-_ ]/.test(lower) || /[-_ ]here$/.test(lower)) return true; // `your-api-key`, `TOKEN_HERE`
  if (/^(set|insert|enter|add|put)[-_ ]/.test(lower) && /(password|secret|token|key)/.test(lower)) return true;
  return false;
}

const BOOLEANISH = /^(true|false|yes|no|on|off|y|n|enabled?|disabled?)$/i;
const NUMERIC = /^[-+]?\d+(\.\d+)?$/;
const DURATION = /^\d+(\.\d+)?(ns|us|µs|ms|s|m|h|d|w)$/;
/** An absolute or relative file path with no spaces: `/run/secrets/db`, `./creds.json`, `~/.ssh/id`. */
const FILE_PATH = /^(\/|\.\.?\/|~\/)[\w@%+=:,./-]*$/;

/** Why a scalar is not a literal secret, or null when it is one. */
export type SkipReason = "not-a-string" | "empty" | "reference" | "placeholder" | "boolean" | "number" | "file-path";

/**
 * Classifies a value found under a secret-looking name. Booleans and numbers are settings
 * (`enablePassword: true`, `TOKEN_TTL: "3600"`), not secrets.
 */
export function literalSkipReason(value: unknown): SkipReason | null {
  if (typeof value !== "string") return "not-a-string";
  const v = value.trim();
  if (v === "") return "empty";
  if (isReference(v)) return "reference";
  if (BOOLEANISH.test(v)) return "boolean";
  if (NUMERIC.test(v) && v.replace(/\D/g, "").length <= 6) return "number";
  if (DURATION.test(v)) return "number";
  if (FILE_PATH.test(v) && v.includes("/") && v.length > 1) return "file-path";
  if (isPlaceholder(v)) return "placeholder";
  return null;
}

/** True when `value` is a literal secret under a secret-looking name. */
export function isLiteralSecret(value: unknown): value is string {
  return literalSkipReason(value) === null;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
const PUBLIC_PEM = /^(CERTIFICATE|TRUSTED CERTIFICATE|X509 CRL|PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE REQUEST|NEW CERTIFICATE REQUEST|PGP PUBLIC KEY BLOCK|PGP SIGNATURE|SSH2 PUBLIC KEY)$/;

/** An OpenSSH public key line, optionally after `known_hosts` markers and host patterns. */
const SSH_PUBLIC_LINE = /^(@[\w-]+\s+)?(\S+\s+)?(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp\d+|sk-(ssh|ecdsa)-[\w@.-]+)\s+[A-Za-z0-9+/]+={0,2}(\s.*)?$/;

/**
 * True when the text is only public material: PEM certificates / public keys, or an OpenSSH public key
 * line / `known_hosts` file. A CA bundle in a Secret (`ca.crt`) is not a secret.
 */
export function isPublicMaterial(text: string): boolean {
  const t = text.trim();
  if (t === "") return false;
  const lines = t.split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("#"));
  if (lines.length > 0 && lines.every((l) => SSH_PUBLIC_LINE.test(l.trim()))) return true; // `id.pub`, `known_hosts`
  if (!t.startsWith("-----BEGIN ")) return false;
  let rest = t;
  let sawBlock = false;
  for (const m of t.matchAll(PEM_BLOCK)) {
    if (!PUBLIC_PEM.test(m[1] ?? "")) return false;
    sawBlock = true;
    rest = rest.replace(m[0], "");
  }
  return sawBlock && rest.trim() === "";
}

/** Decodes standard or URL-safe base64, or returns null when the text is not base64. */
export function decodeBase64(text: string): string | null {
  const compact = text.replace(/\s+/g, "");
  if (compact === "") return "";
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact) || compact.replace(/=+$/, "").length % 4 === 1) return null;
  return Buffer.from(compact.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("utf8");
}

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Ascending runs such as `abcdef` or `123456` mark hand-made sample tokens. */
function hasSequence(s: string, run = 6): boolean {
  let len = 1;
  for (let i = 1; i < s.length; i++) {
    len = s.charCodeAt(i) === s.charCodeAt(i - 1) + 1 ? len + 1 : 1;
    if (len >= run) return true;
  }
  return false;
}

/**
 * True for token bodies that are obviously not real: `xxxx`, `EXAMPLE`, `0000`, `abcdef123456`, low
 * entropy. Real tokens are random.
 */
export function looksFake(body: string, minEntropy = 3): boolean {
  const lower = body.toLowerCase();
  if (/x{4,}|0{6,}|\*{3,}|example|sample|dummy|placeholder|redacted|changeme|your(token|key|secret)/.test(lower)) return true;
  if (hasSequence(lower)) return true;
  return entropy(body) < minEntropy;
}
