import { credentialDigest } from "../../core/value-digest.js";
import { isPlainObject } from "../../parse/classify.js";
import { authorizationToken } from "./_authorization.js";
import { findCredentials } from "./_credentials.js";
import { isAppliedPasswordWord, isMapEntryCredential, isSecretName, isSecretSetting, mapEntryName } from "./_names.js";
import { isWordLike, looksRandom } from "./_shape.js";
import { urlCredentials } from "./_urls.js";
import { decodeBase64, decodeURIComponentSafe, isInterpolated, literalSkipReason } from "./_values.js";

/**
 * Credentials inside a config file held in a string (a ConfigMap's `application.properties`, a Secret's
 * `grafana.ini`, `client.properties`, `config.json`, a kubeconfig, an htpasswd file, a connection string). Only the
 * credential fields count: `admin_password = …`, `"bearerToken": "…"`, `password="…"` inside a JAAS line,
 * `Password=…;` in a connection string, `<password>…</password>`, `PASSWORD '…'` in SQL, htpasswd entries, netrc and
 * redis.conf `password …` lines; timezones, timeouts, hosts and licence headers are configuration. With `formats`
 * (Secrets), known credential formats, private keys and URL passwords anywhere in the text count too.
 *
 * One pass over the lines; every pattern is anchored or bounded (issue 12).
 */
export interface EmbeddedSetting {
  /** The setting's name as written (a key, never the value), or what was found (`htpasswd entry`, a credential format). */
  key: string;
  /** The line as written, trimmed, to find it in the source ("" when it cannot be told, e.g. in minified JSON). */
  line: string;
  /** How many earlier lines of the text are identical to this one. */
  occurrence: number;
  /** The line's index in the text (-1 when unknown). */
  index: number;
}

export interface EmbeddedReading {
  settings: EmbeddedSetting[];
  /** True when the text reads as a config file (JSON, settings lines, XML): its other content is configuration. */
  structured: boolean;
}

export interface EmbeddedOptions {
  /** Also count known credential formats, private keys and URL passwords (for Secrets). */
  formats?: boolean;
  /**
   * The text is a pgbouncer `auth_file` (stored as `userlist.txt`, or named by a `pgbouncer.ini` beside it, see
   * `isUserlistFile`): every `"user" "password"` line is a credential unless the password is a placeholder.
   */
  userlist?: boolean;
  /**
   * The text is applied as written (a deployed object's inline Helm values): the bare word `password` under a
   * password's name is the weak password itself there (see `isAppliedPasswordWord`).
   */
  applied?: boolean;
}

/** Names that hold a credential in config files although they do not say "password" or "token" (`_auth`: npm's base64 `user:password`). */
const CREDENTIAL_FIELDS = new Set(["keyData", "client-key-data", "requirepass", "masterauth", "auth_pass", "sasl_password", "_auth"]);
/** Query parameters that carry a credential in URLs (`?sig=…`, `?code=…` of an Azure Function). */
const URL_SECRET_PARAMS = new Set(["key", "sig", "signature", "code", "token", "access_token", "apikey", "api_key", "secret", "auth"]);

const MAX_LINE = 4096;
const MAX_JSON = 2_000_000;
// `pw` for `bindPW` (Dex's LDAP connector), `DB_PW`; `basic`, `ssws`, `splunk`, `bot` open Authorization values.
const PREFILTER = /pass|secret|token|key|credential|pwd|pw|auth|bearer|basic|ssws|splunk|\bbot\b|private|identified|\$apr1\$|\$2[abxy]\$|\{SHA\}|\$[156]\$/i;
/** Texts with lines the keyword prefilter cannot see: `.pgpass` (`host:5432:db:user:pw`), a pgbouncer userlist, a redis ACL. */
const TEXT_PREFILTER = /:(?:\d{1,5}|\*):|^[ \t]*"|^[ \t]*user[ \t]/m;
/** Texts that may hold a URL carrying its own credential (see `isCapabilityUrl`): a webhook, a signed or coded query. */
const URL_PREFILTER = /hook|[?&](?:sig|signature|code)=/i;

interface Setting {
  key: string;
  value: string;
}

/** `key: value`, `key = value`, `key => "value"`, `"key": "value",`, `export KEY=value`, `- key: value`, read without backtracking. */
function parseSetting(line: string): Setting | null {
  let i = 0;
  const skip = (): void => {
    while (i < line.length && (line[i] === " " || line[i] === "\t")) i++;
  };
  skip();
  if (line[i] === "-" && line[i + 1] === " ") i += 2;
  skip();
  if (line.startsWith("export ", i)) i += 7;
  skip();
  const quote = line[i] === '"' || line[i] === "'" ? line[i] : "";
  if (quote) i++;
  const start = i;
  if (!/[A-Za-z_]/.test(line[i] ?? "")) return null;
  while (i < line.length && i - start < 128 && /[\w.-]/.test(line[i]!)) i++;
  const key = line.slice(start, i);
  if (quote) {
    if (line[i] !== quote) return null;
    i++;
  }
  skip();
  const sep = line[i];
  if (sep !== ":" && sep !== "=") return null;
  if (sep === ":" && line[i + 1] === "/") return null; // `http://…`, not a setting
  const arrow = sep === "=" && line[i + 1] === ">"; // logstash pipelines, Ruby and PHP arrays: `password => "…"`
  let value = line.slice(i + (arrow ? 2 : 1)).trim();
  if (value.endsWith(",") || value.endsWith(";")) value = value.slice(0, -1).trimEnd();
  return { key, value };
}

/** Strips matching quotes and a trailing comment; null for values that are not a plain literal (objects, code, expansions). */
function literalOf(raw: string): string | null {
  let v = raw;
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.endsWith(v[0])) v = v.slice(1, -1);
  else {
    const comment = v.search(/\s#/);
    if (comment >= 0) v = v.slice(0, comment).trimEnd(); // trailing YAML / shell / INI comment
    // Code, flow collections and block indicators; a YAML tag, anchor or alias only opens a value.
    if (!/^[^\s()[\]{}<>;,'"`|]+$/.test(v) || /^[!&*]/.test(v)) return null;
    // Property access (`process.env.DB_PASSWORD`, `settings.db.password`): names made of words. A Kubernetes bootstrap
    // token (`cs26h3.xonz1r5cgkpkdarr`) has the same shape with generated text.
    if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(v) && v.split(".").every((seg) => isWordLike(seg))) return null;
  }
  if (isInterpolated(v)) return null; // shell, Python, Ruby interpolation (a `$` inside generated text is a character)
  return v;
}

/**
 * A value written inline (`password="…"`, `Password=…;`): literal unless it is a reference (interpolation included,
 * see `isInterpolated`), placeholder or setting.
 */
function inlineLiteral(name: string, value: string): boolean {
  return literalSkipReason(value, name) === null;
}

const isCredentialName = (name: string): boolean => isSecretName(name) || CREDENTIAL_FIELDS.has(name);
/** The name a list's items are judged under: `apiKeys` → `apiKey`, `tokens` → `token`; null when it names no credential. */
function itemName(list: string): string | null {
  if (isCredentialName(list)) return list;
  const one = list.replace(/s$/i, "");
  return one !== list && isCredentialName(one) ? one : null;
}

/** `name="value"`, `name='value'`, `name=value` inside a line: JAAS configs, XML attributes, connection strings, URL queries. */
const INLINE = /(?<![\w.])([A-Za-z_][\w.-]{0,63})[ \t]{0,8}=[ \t]{0,8}(?:"([^"\n]{0,512})"|'([^'\n]{0,512})'|([^\s;&,'"()<>]{1,512}))/g;
/** `<password>value</password>`. */
const XML_ELEMENT = /<([A-Za-z_][\w.:-]{0,63})>([^<\n]{1,512})<\/([A-Za-z_][\w.:-]{0,63})>/g;
/** .NET `app.config` / `nuget.config`: `<add key="ClearTextPassword" value="…" />`. */
const XML_ADD = /<add[ \t]+key[ \t]*=[ \t]*"([A-Za-z_][\w.:-]{0,63})"[ \t]+value[ \t]*=[ \t]*"([^"\n]{1,512})"/g;
/** PHP `define('DB_PASSWORD', '…');` (wp-config.php). */
const PHP_DEFINE = /\bdefine[ \t]*\([ \t]*['"]([A-Za-z_][\w]{0,63})['"][ \t]*,[ \t]*(?:'([^'\n]{1,512})'|"([^"\n]{1,512})")[ \t]*\)/g;
/** SQL: `CREATE USER … WITH PASSWORD '…'`, `IDENTIFIED BY '…'`. */
const SQL_PASSWORD = /\b(?:PASSWORD|IDENTIFIED[ \t]{1,8}BY)[ \t]{1,8}'([^'\n]{1,256})'/gi;
/** An htpasswd entry: `user:` and a password hash (MD5-apr1, bcrypt, SHA-1, crypt). */
const HTPASSWD = /^[^:\s]{1,64}:(?:\$apr1\$|\$2[abxy]\$|\{SHA\}|\$[156]\$|\$argon2)/;
/** A `.pgpass` line: `host:port:database:user:password` (a `:` inside a field is written `\:`, so an IPv6 address is none). */
const PGPASS = /^[^:\s]{1,253}:(?:\d{1,5}|\*):[^:\s]{1,128}:[^:\s]{1,128}:((?:[^:\s\\]|\\.){1,512})$/;
/**
 * A pgbouncer `auth_file` (userlist.txt) line: `"user" "password"` (or an `md5…` / `SCRAM-SHA-256$…` secret, which
 * logs in as well); the password must not be word-like (a word with a number, as `hunter2`, is missed).
 */
const USERLIST = /^"([^"\s]{1,128})"[ \t]+"([^"\n]{1,512})"$/;
/** pgbouncer's stored secrets: `md5` and 32 hex digits, or `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` in base64. */
const USERLIST_SECRET = /^(?:md5[0-9a-f]{32}|SCRAM-SHA-256\$\d{1,7}:[A-Za-z0-9+/]{8,128}={0,2}\$[A-Za-z0-9+/]{16,128}={0,2}:[A-Za-z0-9+/]{16,128}={0,2})$/;

/**
 * A userlist entry's password: a stored secret in its real shape, or a plaintext password. A stored secret's template
 * (`SCRAM-SHA-256$4096:salt$hash`, found on a real repository) is none; `md5` followed by anything but 32 hex digits is
 * no md5 secret but the plaintext password pgbouncer then compares, unless it is a placeholder after the `md5`
 * (`md5password`, held-out round 13). In a file known to be a userlist (`known`) a plaintext password counts when it
 * is literal (`"postgres" "postgres"`); in a text that only looks like one, when it is no word either (`"en" "Hello"`).
 */
function isUserlistPassword(value: string, known: boolean): boolean {
  if (USERLIST_SECRET.test(value)) return true;
  if (value.startsWith("SCRAM-SHA-256$")) return false;
  if (value.startsWith("md5") && !inlineLiteral("password", value.slice(3))) return false;
  return inlineLiteral("password", value) && (known || !isWordLike(value));
}

/** The file name a pgbouncer `auth_file` setting points at (`auth_file = /etc/pgbouncer/userlist.txt` → `userlist.txt`). */
const AUTH_FILE = /^[ \t]*auth_file[ \t]*=[ \t]*["']?([^\s"';#]{1,512})/gm;

/**
 * The file names pgbouncer reads as its `auth_file`: `userlist.txt` (the name its documentation and images use) and
 * whatever an `auth_file` setting in one of `texts` (the other values of the same ConfigMap or Secret) names.
 */
export function userlistFileNames(texts: Iterable<unknown>): Set<string> {
  const out = new Set(["userlist.txt"]);
  for (const t of texts) {
    if (typeof t !== "string" || !t.includes("auth_file")) continue;
    for (const m of t.matchAll(AUTH_FILE)) out.add(m[1]!.slice(m[1]!.lastIndexOf("/") + 1));
  }
  return out;
}

/** Space-separated settings (`password hunter2` in netrc, `requirepass …` in redis.conf). */
const SPACED = /^([A-Za-z_][\w.-]{0,63})[ \t]+("[^"\n]*"|'[^'\n]*'|\S+)$/;
const NETRC = /^(?:machine|default)\b.*?\bpassword[ \t]+(\S{1,512})/;

/**
 * The call an unquoted inline value opens (`urllib.parse.quote` followed by `(input())`): the text from `start` to the
 * `)` that closes the `(` at `open`, or null when the value is not followed by `(` or the brackets do not close
 * within 512 characters.
 */
function callAt(line: string, start: number, open: number): string | null {
  if (line[open] !== "(") return null;
  let depth = 0;
  for (let i = open; i < line.length && i - start <= 512; i++) {
    if (line[i] === "(") depth++;
    else if (line[i] === ")" && --depth === 0) return line.slice(start, i + 1);
  }
  return null;
}

/**
 * Every credential-bearing name written inline in a line (see INLINE). `applied`: the bare word `password` under a
 * password's name is the weak password itself (see `isAppliedPasswordWord`), as in `?user=postgres&password=password`.
 */
function inlineNames(line: string, applied = false): string[] {
  const out: string[] = [];
  if (!line.includes("=")) return out;
  const connection = CONNECTION_STRING.test(line);
  for (const m of line.matchAll(INLINE)) {
    const name = m[1] ?? "";
    let value = m[2] ?? m[3] ?? m[4] ?? "";
    // Code: `encoded_pass = urllib.parse.quote(input())`, `$wgDBpassword = getenv( 'MYSQL_PASSWORD' ) ?: ''` (the
    // unquoted value stops at the `(`; the call it opens is judged whole, see `isExpression`).
    const end = (m.index ?? 0) + m[0].length;
    if (m[4] !== undefined) value = callAt(line, end - m[4].length, end) ?? value;
    if (!isCredentialName(name) && !(connection && /^pwd$/i.test(name))) continue;
    if (inlineLiteral(name, value) || (applied && isAppliedPasswordWord(name, value))) out.push(name);
  }
  return out;
}

/**
 * A `key: value` pair inside a one-line flow mapping or object literal, after its `{` or `,`: YAML `db: {host: db,
 * password: …}`, `users: [{name: admin, password: …}]`, a Python dict `{"default": {"PASSWORD": "…"}}`, JS
 * `module.exports = { db: { password: '…' } }`. The value is quoted, or a plain scalar that the next `,` or `}` ends.
 * A `${` opens a shell or Compose substitution (`${POSTGRES_PASSWORD:-postgres}`), not a mapping.
 */
const FLOW_PAIR = /(?:(?<!\$)\{|,)[ \t]{0,16}(["']?)([A-Za-z_][\w.-]{0,63})\1[ \t]{0,16}:[ \t]{0,16}(?:"([^"\n]{0,512})"|'([^'\n]{0,512})'|([^\s,{}[\]'"]{1,512}))[ \t]{0,16}(?=[,}])/g;

/** A double-quoted string's text with its JSON escapes read (`\\n` in a PEM block), or as written when they are not JSON's. */
function unescapeDoubleQuoted(v: string): string {
  if (!v.includes("\\")) return v;
  try {
    return JSON.parse(`"${v}"`) as string;
  } catch {
    return v;
  }
}

/** The first credential-bearing name of a flow mapping written on one line (see FLOW_PAIR), or null. */
function flowPairName(line: string): string | null {
  if (!line.includes("{") || line.length > MAX_LINE) return null;
  for (const m of line.matchAll(FLOW_PAIR)) {
    const name = m[2]!;
    const value = m[3] !== undefined ? unescapeDoubleQuoted(m[3]) : (m[4] ?? literalOf(m[5] ?? ""));
    if (value !== null && (isSecretSetting(name, value) || (CREDENTIAL_FIELDS.has(name) && literalSkipReason(value) === null))) return name;
  }
  return null;
}

/** `Authorization "Basic …"` / `Authorization: Bearer …` inside a line: nginx `proxy_set_header`, a curl `-H`, HAProxy `set-header`. */
const AUTHORIZATION_INLINE = /\bAuthorization["']?[ \t]{0,8}[:=]?[ \t]{0,8}["']?((?:Bearer|Basic|OAuth|Token|Bot|SSWS|GenieKey|Splunk|ApiKey|Api-Key)[ \t]{1,8}[A-Za-z0-9._~+/=:-]{16,512})/i;

/** A redis ACL rule (`users.acl`, `ACL SETUSER`): `user app on >password ~keys:* +@all`; `#<sha256>` is a hash, not a password. */
function redisAclPassword(line: string): boolean {
  if (!/^(?:ACL[ \t]+SETUSER|user)[ \t]/i.test(line)) return false;
  return line
    .split(/[ \t]+/)
    .some((t) => t.length > 1 && t.length <= 513 && t.startsWith(">") && inlineLiteral("password", t.slice(1)));
}

/** An ODBC / ADO.NET connection string (`Server=…;Uid=…;Pwd=…;`), where `Pwd` is the password, not a directory. */
const CONNECTION_STRING = /(?:^|;)[ \t]{0,8}(?:server|data source|uid|user id|database|driver|host|initial catalog)[ \t]{0,8}=/i;

/** Bare names that hold a credential in a file kept in a Secret (`key = …` of rclone, `pass = …`) when the value is generated. */
const SECRET_FILE_NAMES = new Set(["key", "pass", "pw", "secret", "auth"]);

/**
 * What in one line of a config file holds a credential (the setting's name, or what it is), or null. `inSecret`: the
 * file is kept in a Secret, where a bare `key = <generated text>` is key material.
 */
function lineCredential(line: string, inSecret = false, applied = false): string | null {
  const setting = parseSetting(line);
  // Any name, judged as flat values are: a credential's name, or an ambiguous `…key` name (`routing_key`, `fernetKey`)
  // holding generated key material (see `isSecretSetting`).
  if (setting) {
    const value = literalOf(setting.value);
    if (value !== null && (isSecretSetting(setting.key, value) || (CREDENTIAL_FIELDS.has(setting.key) && literalSkipReason(value) === null))) return setting.key;
    if (value !== null && applied && isAppliedPasswordWord(setting.key, value)) return setting.key;
  }
  if (setting && inSecret && SECRET_FILE_NAMES.has(setting.key.toLowerCase())) {
    const value = literalOf(setting.value);
    if (value !== null && looksRandom(value)) return setting.key;
  }
  if (setting && authorizationToken(setting.value)) return "Authorization header";
  const header = line.length <= MAX_LINE ? AUTHORIZATION_INLINE.exec(line) : null;
  if (header && authorizationToken(header[1]!)) return "Authorization header";
  if (redisAclPassword(line)) return "ACL password";
  const inline = inlineNames(setting ? setting.value : line, applied);
  if (inline.length > 0) return inline[0]!;
  const flow = flowPairName(line); // `db: {host: db, password: …}`, `DATABASES = {"default": {"PASSWORD": "…"}}`
  if (flow !== null) return flow;
  // A connection string that starts with its password (`Password=…;User ID=…`): the setting is the first pair.
  const leading = setting && setting.value.includes(";") ? inlineNames(line, applied) : [];
  if (leading.length > 0) return leading[0]!;
  if (line.includes("</")) {
    for (const m of line.matchAll(XML_ELEMENT)) {
      if (m[1] === m[3] && isCredentialName(m[1] ?? "") && inlineLiteral(m[1] ?? "", m[2] ?? "")) return m[1]!;
    }
  }
  if (line.includes("<add")) {
    for (const m of line.matchAll(XML_ADD)) if (isCredentialName(m[1] ?? "") && inlineLiteral(m[1] ?? "", m[2] ?? "")) return m[1]!;
  }
  if (line.includes("define")) {
    for (const m of line.matchAll(PHP_DEFINE)) if (isCredentialName(m[1] ?? "") && inlineLiteral(m[1] ?? "", m[2] ?? m[3] ?? "")) return m[1]!;
  }
  for (const m of line.matchAll(SQL_PASSWORD)) if (inlineLiteral("password", m[1] ?? "")) return "PASSWORD";
  if (HTPASSWD.test(line)) return "htpasswd entry";
  const pgpass = PGPASS.exec(line);
  if (pgpass && inlineLiteral("password", pgpass[1] ?? "")) return "pgpass entry";
  const netrc = NETRC.exec(line);
  if (netrc && inlineLiteral("password", netrc[1] ?? "")) return "password";
  const spaced = SPACED.exec(line);
  if (spaced && isCredentialName(spaced[1] ?? "")) {
    const value = literalOf(spaced[2] ?? "");
    if (value !== null && inlineLiteral(spaced[1] ?? "", value)) return spaced[1]!;
  }
  return null;
}

/** A registry config's `auth` (base64 `user:password`): a credential when the password part is literal. */
function isRegistryAuth(value: string): boolean {
  const decoded = decodeBase64(value);
  const colon = decoded?.indexOf(":") ?? -1;
  if (decoded === null || colon < 0) return literalSkipReason(value) === null; // not `user:password`: the literal itself
  return literalSkipReason(decoded.slice(colon + 1)) === null;
}

/** A credential field of a JSON document: what it is, and the JSON key that names it in the text. */
interface JsonCredential {
  key: string;
  at: string;
}

/** A JSON Web Key with its private part (`d`: RSA private exponent, EC / OKP private key): a private key. */
function isPrivateJwk(value: Record<string, unknown>): boolean {
  return typeof value.kty === "string" && typeof value.d === "string" && value.d.length >= 16 && literalSkipReason(value.d) === null;
}

/**
 * Credential fields of a JSON document, in document order: secret-looking names with literal string values, the
 * items of a list so named (once per list, at the list's key) and private JSON Web Keys (at their `d`).
 */
function jsonCredentials(root: unknown): JsonCredential[] {
  const out: JsonCredential[] = [];
  // An explicit stack (JSON may nest deeper than the call stack allows), children pushed last-first. An item of a list
  // named like a credential carries the list and its key: the key is where it is found in the text.
  type Item = { key: string; value: unknown; list?: { key: string; items: unknown[] } };
  const stack: Item[] = [{ key: "", value: root }];
  const reported = new Set<unknown[]>();
  while (stack.length > 0) {
    const { key, value, list } = stack.pop()!;
    if (typeof value === "string") {
      // A connection string under any name (`"ConnectionStrings": {"Default": "Server=…;Password=…;"}`) counts too
      // (Only a connection string's shape: `secret="db-creds"` in a dashboard's PromQL is a label matcher.)
      const connection = value.length <= MAX_LINE && CONNECTION_STRING.test(value) && inlineNames(value).length > 0;
      // (Not a list item of another list: its index names nothing to point at.)
      const url = list === undefined && !/^\d+$/.test(key) && value.includes("://") && value.length <= MAX_LINE && isCapabilityUrl(value) && findCredentials(value).length === 0;
      const hit = key === "auth" ? isRegistryAuth(value) : isSecretSetting(key, value) || (CREDENTIAL_FIELDS.has(key) && literalSkipReason(value) === null) || connection || url;
      if (hit && list === undefined) out.push({ key, at: key });
      else if (hit && list !== undefined && !reported.has(list.items)) {
        reported.add(list.items);
        out.push({ key: list.key, at: list.key });
      }
    } else if (Array.isArray(value)) {
      // Items of a list named like a credential (`"apiKeys": ["…"]`) are judged under the list's name.
      const itemKey = itemName(key);
      const owner = itemKey === null ? undefined : { key, items: value };
      for (let i = value.length - 1; i >= 0; i--) stack.push({ key: itemKey ?? String(i), value: value[i], list: owner });
    } else if (isPlainObject(value)) {
      if (isPrivateJwk(value)) out.push({ key: "JWK private key", at: "d" });
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ key: entries[i]![0], value: entries[i]![1] });
    }
  }
  return out;
}

/** A JSON object or array (the whole trimmed text), parsed; undefined for anything else. */
export function parseJson(t: string): unknown {
  if (t.length > MAX_JSON || !((t.startsWith("{") && t.endsWith("}")) || (t.startsWith("[") && t.endsWith("]")))) return undefined;
  // An object's first key is a string: `{{ .Values.x }}` (a template, common in ExternalSecrets) is not JSON, and is
  // refused here rather than by a thrown SyntaxError, which costs a stack trace each time.
  if (t.startsWith("{") && !/^\{\s*["}]/.test(t)) return undefined;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return undefined;
  }
}

/** Lines with the number of identical lines before each (to find the n-th copy in the source). */
type NumberedLine = Omit<EmbeddedSetting, "key">;

const NO_LINES: readonly NumberedLine[] = [];

function numberedLines(text: string): NumberedLine[] {
  const seen = new Map<string, number>();
  return text.split("\n").map((raw, index) => {
    const line = raw.trim();
    const n = seen.get(line) ?? 0;
    seen.set(line, n + 1);
    return { line, occurrence: n, index };
  });
}

/**
 * The JSON lines naming each credential key: each `"key"` is searched after the previous one (JSON keeps document
 * order), and its line found by moving forward through the line starts, so a minified document is read once.
 */
function jsonSettings(text: string, found: readonly JsonCredential[]): EmbeddedSetting[] {
  // Most JSON (a Grafana dashboard in a ConfigMap) holds no credential field: its lines are not numbered for nothing.
  if (found.length === 0) return [];
  const lines = numberedLines(text);
  let cursor = 0;
  let line = 0;
  let lineEnd = text.indexOf("\n");
  return found.map(({ key, at: name }) => {
    const at = text.indexOf(JSON.stringify(name), cursor);
    if (at < 0) return { key, line: "", occurrence: 0, index: -1 };
    cursor = at + 1;
    while (lineEnd >= 0 && lineEnd < at) {
      line++;
      lineEnd = text.indexOf("\n", lineEnd + 1);
    }
    return { key, ...lines[line]! };
  });
}

/** The credential-like key a YAML block list belongs to (`api-keys:` on its own line), kept until another setting. */
function nextListOwner(line: string, owner: string | null): string | null {
  if (line.startsWith("- ") || line === "-" || line.startsWith("#")) return owner;
  const setting = parseSetting(line);
  return setting !== null && setting.value === "" ? itemName(setting.key) : null;
}

/** A `- value` item of a list owned by a credential-like key, judged under that key's name; null otherwise. */
function listItemOf(line: string, owner: string | null): string | null {
  if (owner === null || !line.startsWith("- ")) return null;
  const item = line.slice(2).trim();
  if (parseSetting(item) !== null) return null; // `- name: …`: a map, judged line by line
  const value = literalOf(item);
  return value !== null && isSecretSetting(owner, value) ? owner : null;
}

/** A line that makes the text a config file: a setting with a name made of words, an INI section, an XML element. */
function isConfigLine(line: string): boolean {
  const setting = parseSetting(line);
  return (setting !== null && isWordLike(setting.key)) || /^\[[^\]]{1,128}\]$/.test(line) || line.startsWith("<");
}

/**
 * A line whose value is a URL that carries its own credential (an alertmanager `msteams_configs` `webhook_url`, a
 * Discord webhook as a list item): the setting's name, or `webhook URL` for a bare value; null otherwise. Known
 * formats (a Slack webhook) are left to the format detectors, as for flat values.
 */
function capabilityUrlLine(line: string): string | null {
  const setting = parseSetting(line);
  const raw = setting ? setting.value : line.startsWith("- ") ? line.slice(2).trim() : line;
  const value = raw.includes("://") && raw.length <= MAX_LINE ? literalOf(raw) : null;
  if (value === null || !isCapabilityUrl(value) || findCredentials(value).length > 0) return null;
  return setting ? setting.key : "webhook URL";
}

/** Reads a config file held in a string; see the module comment. */
export function readEmbedded(text: string, opts: EmbeddedOptions = {}): EmbeddedReading {
  const t = text.trim();
  const json = parseJson(t);
  const settings: EmbeddedSetting[] = [];
  let structured = json !== undefined && typeof json === "object" && json !== null;
  if (structured) settings.push(...jsonSettings(text, jsonCredentials(json)));
  // Read line by line unless it is JSON; a JSON text's lines are only read again for credential formats.
  const lines = structured && !opts.formats ? NO_LINES : numberedLines(text);
  if (!structured) {
    const multiLine = t.includes("\n");
    let listOwner: string | null = null;
    // A pgbouncer userlist: every line is `"user" "password"` (or a `;` comment); a line like it elsewhere is not one.
    const userlist = opts.userlist === true || (t.startsWith('"') && lines.every((l) => l.line === "" || l.line.startsWith(";") || USERLIST.test(l.line)));
    // `- name: ADMIN_TOKEN` then `value: …` (an env list written as a string, a Helm chart's `extraEnv: |`): the
    // value is judged under the item's name, until the next item.
    let itemName: string | null = null;
    // `apiKeys:` then more indented `platform: …` lines: entries judged under the map's singular name (`apiKey`).
    let mapOwner: { name: string; indent: number } | null = null;
    let raw: string[] | null = null;
    const indentOf = (index: number): number => {
      raw ??= text.split("\n");
      const r = raw[index] ?? "";
      return r.length - r.trimStart().length;
    };
    for (const { line, occurrence, index } of lines) {
      if (line === "" || line.length > MAX_LINE) continue;
      if (mapOwner !== null && !line.startsWith("#")) {
        if (indentOf(index) <= mapOwner.indent) mapOwner = null;
        else {
          const entry = parseSetting(line);
          const value = entry && !line.startsWith("- ") ? literalOf(entry.value) : null;
          // Generated text only: the entries may as well be settings (`tokens: {audience: api}`).
          if (value !== null && isSecretSetting(mapOwner.name, value) && isMapEntryCredential(value)) {
            settings.push({ key: mapOwner.name, line, occurrence, index });
            continue;
          }
        }
      }
      if (mapOwner === null && line.endsWith(":")) {
        const owner = parseSetting(line);
        const name = owner && owner.value === "" ? mapEntryName(owner.key) : null;
        if (name !== null) mapOwner = { name, indent: indentOf(index) };
      }
      if (multiLine && !structured && isConfigLine(line)) structured = true;
      if (line.startsWith("- ")) itemName = null;
      const pair = line.includes("name") || (itemName !== null && line.includes("value")) ? parseSetting(line) : null;
      if (pair && pair.key === "name" && line.startsWith("- ")) itemName = literalOf(pair.value);
      else if (pair && pair.key === "value" && itemName !== null) {
        const value = literalOf(pair.value);
        if (value !== null && (isSecretSetting(itemName, value) || (opts.applied === true && isAppliedPasswordWord(itemName, value)))) {
          settings.push({ key: itemName, line, occurrence, index });
        }
        itemName = null;
      }
      const listKey = listItemOf(line, listOwner);
      listOwner = nextListOwner(line, listOwner);
      if (listKey !== null) {
        settings.push({ key: listKey, line, occurrence, index });
        continue;
      }
      // The password as generated text or a hash: a file of `"text/markdown" "md"` or `"en" "Hello"` pairs is no userlist.
      const entry = userlist ? USERLIST.exec(line) : null;
      if (entry && isUserlistPassword(entry[2]!, opts.userlist === true)) {
        settings.push({ key: "userlist entry", line, occurrence, index });
        continue;
      }
      const url = line.includes("://") ? capabilityUrlLine(line) : null;
      if (url !== null) {
        settings.push({ key: url, line, occurrence, index });
        continue;
      }
      if (!PREFILTER.test(line) && !PGPASS.test(line) && !/^(?:ACL[ \t]+SETUSER|user)[ \t]/i.test(line)) continue;
      const key = lineCredential(line, opts.formats === true, opts.applied === true);
      if (key !== null) settings.push({ key, line, occurrence, index });
    }
  }
  if (opts.formats) settings.push(...formatSettings(text, lines));
  return { settings: dedupeByLine(settings), structured };
}

/** Known credential formats and URL passwords in the text, each at its line. */
function formatSettings(text: string, lines: readonly NumberedLine[]): EmbeddedSetting[] {
  const out: EmbeddedSetting[] = [];
  const hits = findCredentials(text);
  let lineNo = 0;
  let nl = text.indexOf("\n");
  for (const hit of hits) {
    while (nl >= 0 && nl < hit.start) {
      lineNo++;
      nl = text.indexOf("\n", nl + 1);
    }
    out.push({ key: hit.label, ...lines[lineNo]! });
  }
  if (text.includes("://") && text.includes("@")) {
    for (const l of lines) {
      if (l.line.length <= MAX_LINE && urlCredentials(l.line).length > 0) out.push({ key: "password in a URL", ...l });
    }
  }
  return out;
}

/** One setting per line, in line order (settings whose line is unknown first). */
function dedupeByLine(settings: EmbeddedSetting[]): EmbeddedSetting[] {
  if (settings.length < 2) return settings;
  const seen = new Set<number>();
  return settings
    .filter((s) => {
      if (s.index < 0) return true;
      if (seen.has(s.index)) return false;
      seen.add(s.index);
      return true;
    })
    .sort((a, b) => a.index - b.index);
}

/**
 * The digest (`credentialDigest`) of the credentials an embedded config file commits on the lines `readEmbedded` found
 * (a Secret's `config.yaml: |`, an Application's `helm.values`): each line's literal value when it is a `key: value`
 * setting (so the same password written as a flat value or in `valuesObject` digests alike), else the line as written
 * without quotes and white space. A pull request that rotates the password inside the file commits a fresh value; one
 * that edits another line (`log_level: debug`), re-indents the file or changes the quoting does not. Null when a line
 * is not known (minified JSON): the finding is then matched by its identity only.
 */
export function embeddedCredentialDigest(lines: readonly string[]): string | null {
  if (lines.length === 0 || lines.some((l) => l === "")) return null;
  const values = lines.map((line) => {
    const setting = parseSetting(line);
    return (setting !== null ? literalOf(setting.value) : null) ?? line.replace(/["'\s]/g, "");
  });
  return credentialDigest(values.join("\n"));
}

/**
 * Whether a text may hold a credential setting at all (the keyword, text and URL prefilters; a pgbouncer userlist
 * always may): asked about every string of every values file, and most hold none.
 */
export function mayEmbedSecrets(text: string, userlist = false): boolean {
  return userlist || PREFILTER.test(text) || TEXT_PREFILTER.test(text) || (text.includes("://") && URL_PREFILTER.test(text));
}

const NO_SETTINGS: readonly EmbeddedSetting[] = [];
const NO_OPTIONS: Pick<EmbeddedOptions, "userlist" | "applied"> = {};

/** Secret-looking settings with a literal value in a config file held in a string (ConfigMaps, Helm values). */
export function embeddedSecrets(text: string, opts: Pick<EmbeddedOptions, "userlist" | "applied"> = NO_OPTIONS): readonly EmbeddedSetting[] {
  if (!mayEmbedSecrets(text, opts.userlist === true)) return NO_SETTINGS;
  return readEmbedded(text, opts).settings;
}

/**
 * A single line (of a Secret) that names a credential inline (`Password=…;`, `?password=…`, `PASSWORD '…'`, `.pgpass`).
 * `applied`: the Secret is applied as written (see `inlineNames`).
 */
export function hasInlineCredential(line: string, applied = false): boolean {
  return (PREFILTER.test(line) || PGPASS.test(line)) && lineCredential(line, true, applied) !== null;
}

/**
 * A URL that is itself a credential: a webhook whose path carries its token (`/api/webhooks/<id>/<token>`), or a
 * query parameter such as `sig=`, `code=`, `token=` with generated material.
 */
export function isCapabilityUrl(value: string): boolean {
  const m = /^https?:\/\/([^\s/?#]{1,253})(\/[^\s?#]{0,2048})?(\?[^\s#]{0,2048})?$/i.exec(value.trim());
  if (!m) return false;
  const host = (m[1] ?? "").toLowerCase();
  const path = m[2] ?? "";
  const webhook = /(^|\.)hooks?\.|webhook/.test(host) || /\/(?:web)?hooks?\//i.test(path) || /webhook/i.test(path);
  if (webhook && path.split("/").some((seg) => seg.length >= 20 && looksRandom(seg))) return true;
  return (m[3] ?? "")
    .slice(1)
    .split("&")
    .some((pair) => {
      const eq = pair.indexOf("=");
      return eq > 0 && URL_SECRET_PARAMS.has(pair.slice(0, eq).toLowerCase()) && looksRandom(decodeURIComponentSafe(pair.slice(eq + 1)));
    });
}
