import { isPlaceholder } from "./_placeholders.js";
import { isReference } from "./_values.js";

/** A URL with a literal password in its userinfo (`scheme://user:password@host`). */
export interface UrlCredential {
  scheme: string;
  host: string;
  /** The whole `scheme://user:password@host` text, to locate it in the source; never print it. */
  text: string;
  /** How many earlier matches in the same string have the same text. */
  occurrence: number;
}

/** Every part bounded (a user name, password or host name is short), so a long run of URL-like text is read once. */
const URL_WITH_USERINFO =
  /\b([a-z][a-z0-9+.-]{0,30}):\/\/([^\s:@/?#"'`<>\\]{0,256}):([^\s/?#"'`<>\\]{1,512})@(\[[0-9a-f:.]{2,64}\]|[a-z0-9](?:[a-z0-9._-]{0,251}[a-z0-9])?)(?=$|[:/?#\s"'`,;)\]}>])/gi;
const GENERIC_USERS = new Set(["", "user", "username", "usr", "login", "name", "myuser", "your-user", "youruser"]);
const GENERIC_PASSWORDS = new Set(["password", "pass", "passwd", "pwd", "pw", "secret", "mypassword", "yourpassword", "your-password"]);

function isLiteralPassword(user: string, password: string): boolean {
  if (password.includes("$") || /%24|%7B/i.test(password)) return false; // `$VAR`, `${VAR}`, `$(VAR)`, encoded `${`
  if (isReference(password) || isPlaceholder(password, "password")) return false;
  const p = password.toLowerCase();
  if (GENERIC_PASSWORDS.has(p)) return false;
  if (GENERIC_USERS.has(user.toLowerCase()) && /^(pass|pwd|pw|secret)/.test(p)) return false;
  return true;
}

/** Every URL in `s` that embeds a literal password. */
export function urlCredentials(s: string): UrlCredential[] {
  if (!s.includes("://") || !s.includes("@")) return [];
  const out: UrlCredential[] = [];
  const seen = new Map<string, number>();
  for (const m of s.matchAll(URL_WITH_USERINFO)) {
    const [text, scheme = "", user = "", password = "", host = ""] = m;
    if (!isLiteralPassword(user, password)) continue;
    const n = seen.get(text) ?? 0;
    seen.set(text, n + 1);
    out.push({ scheme: scheme.toLowerCase(), host, text, occurrence: n });
  }
  return out;
}
