import { createHash } from "node:crypto";
import type { JsonPath } from "../../core/path.js";
import { findCredentials } from "./_credentials.js";
import { looksRandom } from "./_shape.js";

/**
 * Map keys that are themselves credentials (`stringData: {"sk_live_…": billing}`, a token pasted as a key) must not
 * be echoed in a finding's path or message (issue 12). Such a key is shown as `<credential-key:1a2b3c4d>`: the first
 * eight hex digits of its SHA-256, which keeps the finding's path (and so its fingerprint) stable without revealing
 * anything of a random key.
 */

const cache = new Map<string, boolean>();

/** A key that is a known credential format or looks like generated secret material (letters and digits mixed). */
export function isCredentialKey(key: string): boolean {
  let hit = cache.get(key);
  if (hit === undefined) {
    hit = key.length >= 8 && ((looksRandom(key) && /\d/.test(key) && /[A-Za-z]/.test(key)) || findCredentials(key).length > 0);
    if (cache.size >= 100_000) cache.clear();
    cache.set(key, hit);
  }
  return hit;
}

/** The key as it may be shown: itself, or a masked stand-in when it is a credential. */
export function shownKey(key: string): string {
  return isCredentialKey(key) ? `<credential-key:${createHash("sha256").update(key).digest("hex").slice(0, 8)}>` : key;
}

/** The path with every credential-like key masked (see `shownKey`). */
export function shownPath(path: JsonPath): JsonPath {
  return path.some((seg) => typeof seg === "string" && isCredentialKey(seg)) ? path.map((seg) => (typeof seg === "string" ? shownKey(seg) : seg)) : path;
}
