import { createHash } from "node:crypto";

/**
 * A digest (SHA-256, hex) of a committed credential's value, as Kubernetes holds it (a Secret's `data` decoded,
 * surrounding white space trimmed): in memory only, so that a review can tell the same credential is committed
 * elsewhere on the other side (a secretGenerator literal moved from a base to an overlay). Never in any output,
 * fingerprint or log: the review drops it from its findings before it returns them.
 */
export function credentialDigest(value: string): string {
  return createHash("sha256").update(value.trim(), "utf8").digest("hex");
}
