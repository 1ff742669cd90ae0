import { looksRandom } from "./_shape.js";
import { decodeBase64, literalSkipReason } from "./_values.js";

/**
 * HTTP `Authorization` header values that carry a literal credential, wherever the header is written: a line of an
 * embedded config file (nginx `proxy_set_header Authorization "Basic …"`, a header's `value:`), or a YAML field named
 * after the header (an External Secrets webhook provider's `headers: {Authorization: Basic …}`, a probe's
 * `httpHeaders`, Helm values). One judgement for all of them. Pure; anchored patterns only.
 */

/** An HTTP Authorization value with its credential: `Bearer <token>`, `Basic <base64>`, `OAuth <token>`, `token <token>`. */
const AUTHORIZATION = /^(?:Bearer|Basic|OAuth|Token|Bot|SSWS|GenieKey|Splunk|ApiKey|Api-Key)[ \t]{1,8}([A-Za-z0-9._~+/=:-]{16,512})$/i;

/** Names of the headers that carry credentials (compared in lower case). */
const HEADER_NAMES = new Set(["authorization", "proxy-authorization"]);
const HEADER_NAME_LENGTHS = new Set([...HEADER_NAMES].map((n) => n.length));

/**
 * A value written literally: no shell, Python or Ruby interpolation (`isInterpolated`, through `literalSkipReason`),
 * no reference or placeholder. `anyWord`: what
 * elsewhere reads as a setting (`102030`, `true`) is still the secret here (the password of a `Basic` pair).
 */
function isLiteral(name: string, value: string, anyWord = false): boolean {
  const skip = literalSkipReason(value, name);
  return skip === null || (anyWord && (skip === "number" || skip === "boolean"));
}

/** Decoded bytes that are no text (random base64 read as `user:password`). */
function isBinaryText(text: string): boolean {
  return text.includes("\uFFFD") || /[\x00-\x08\x0E-\x1F]/.test(text);
}

/**
 * A raw value that is an Authorization header with a literal credential: generated text, or `Basic` with the base64
 * of `user:password` whose password is literal, digits included (`Basic` of `admin:102030` is; of `admin:changeme`
 * is not). Quotes around it are read past.
 */
export function authorizationToken(raw: string): boolean {
  let v = raw.trim();
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.endsWith(v[0])) v = v.slice(1, -1);
  const m = AUTHORIZATION.exec(v);
  if (m === null || !isLiteral("token", m[1]!)) return false;
  const decoded = /^basic/i.test(v) ? decodeBase64(m[1]!) : null;
  const colon = decoded?.indexOf(":") ?? -1;
  if (decoded && colon > 0 && !isBinaryText(decoded)) return isLiteral("password", decoded.slice(colon + 1), true);
  return looksRandom(m[1]!);
}

/** `Authorization: Basic <base64 user:password>` (or `Bearer <token>`) as a name and its value, with a literal credential. */
export function isAuthorizationSetting(name: string, value: unknown): value is string {
  // Asked for every key of every values file: a name of another length is no header name, without lower-casing it.
  return typeof value === "string" && HEADER_NAME_LENGTHS.has(name.length) && HEADER_NAMES.has(name.toLowerCase()) && value.length <= 1024 && authorizationToken(value);
}
