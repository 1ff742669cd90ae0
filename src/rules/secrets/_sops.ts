import { backtrackingRisk, MAX_PATTERN_INPUT } from "../../core/regex-safety.js";
import { isPlainObject } from "../../parse/classify.js";

/**
 * The SOPS metadata of a document (its top-level `sops:` block), which says which keys SOPS encrypts.
 * The block's own fields (`mac`, `lastmodified`, age/pgp recipients and their `enc` blobs) are metadata
 * and ciphertext, never plaintext secrets.
 */
export interface SopsInfo {
  encryptedRegex: RegExp | null;
  unencryptedRegex: RegExp | null;
  encryptedSuffix: string | null;
  unencryptedSuffix: string;
}

const SOPS_FIELDS = ["mac", "lastmodified", "version", "age", "pgp", "kms", "gcp_kms", "azure_kv", "hc_vault"];

/** The document's own pattern; none when it could stall the review (SOPS runs it on RE2, this engine backtracks). */
function regex(v: unknown): RegExp | null {
  if (typeof v !== "string" || v === "" || backtrackingRisk(v) !== null) return null;
  try {
    return new RegExp(v);
  } catch {
    return null;
  }
}

/** SOPS metadata of a document, or null when the document is not SOPS-managed. */
export function sopsInfo(value: unknown): SopsInfo | null {
  if (!isPlainObject(value) || !isPlainObject(value.sops)) return null;
  const sops = value.sops;
  if (!SOPS_FIELDS.some((f) => f in sops)) return null;
  return {
    encryptedRegex: regex(sops.encrypted_regex),
    unencryptedRegex: regex(sops.unencrypted_regex),
    encryptedSuffix: typeof sops.encrypted_suffix === "string" && sops.encrypted_suffix !== "" ? sops.encrypted_suffix : null,
    unencryptedSuffix: typeof sops.unencrypted_suffix === "string" && sops.unencrypted_suffix !== "" ? sops.unencrypted_suffix : "_unencrypted",
  };
}

/**
 * Would SOPS encrypt the value at these keys (the string keys of its path)? SOPS applies its rules to every
 * key along the path: `encrypted_regex` / `encrypted_suffix` select what is encrypted, `unencrypted_regex` /
 * `unencrypted_suffix` what is left in the clear.
 */
export function sopsEncrypts(info: SopsInfo, keys: readonly string[]): boolean {
  // A key too long to run the document's pattern on is taken as encrypted (so a plaintext value there is reported).
  const tooLong = (k: string) => k.length > MAX_PATTERN_INPUT;
  if (info.encryptedRegex) return keys.some((k) => tooLong(k) || info.encryptedRegex!.test(k));
  if (info.unencryptedRegex) return !keys.some((k) => !tooLong(k) && info.unencryptedRegex!.test(k));
  if (info.encryptedSuffix) return keys.some((k) => k.endsWith(info.encryptedSuffix!));
  return !keys.some((k) => k.endsWith(info.unencryptedSuffix));
}
