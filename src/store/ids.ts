import { createHash, randomBytes } from "node:crypto";

/** Lower-case letters and digits without look-alikes (no i, l, o, 0, 1): easy to type in `/guard unwaive <id>`. */
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
const ID_LENGTH = 8;

export const WAIVER_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

function encode(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < ID_LENGTH; i++) out += ALPHABET[bytes[i]! % ALPHABET.length];
  return out;
}

/** A random waiver id, e.g. `k7tq3mzp`. */
export function randomWaiverId(): string {
  return encode(randomBytes(ID_LENGTH));
}

/**
 * A waiver id derived from where the command came from (repository, comment, line), so that a
 * retried event finds the waiver it already wrote instead of writing a second one.
 */
export function waiverIdFor(repo: string, source: string): string {
  return encode(createHash("sha256").update(`${repo.toLowerCase()}\u0000${source}`).digest());
}
