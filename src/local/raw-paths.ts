const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * A path as raw bytes (git's `-z` output, a directory listing) to the path shown in findings. Valid UTF-8 is shown
 * as it is — newlines, tabs, quotes and all: it is only ever data, never part of a command. A name that is not
 * valid UTF-8 (git and Linux allow any bytes but NUL) is shown with each byte that is not part of a valid UTF-8
 * sequence written `\xNN` (two upper-case hex digits) and each backslash doubled, so two such names never look
 * alike.
 */
export function pathText(raw: Uint8Array): string {
  try {
    return utf8.decode(raw);
  } catch {
    return escapeInvalidUtf8(raw);
  }
}

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when the byte there does not start one. */
function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

function escapeInvalidUtf8(raw: Uint8Array): string {
  let out = "";
  for (let i = 0; i < raw.length; ) {
    const n = sequenceLength(raw, i);
    if (n === 0) {
      out += `\\x${raw[i]!.toString(16).toUpperCase().padStart(2, "0")}`;
      i++;
    } else {
      const text = utf8.decode(raw.subarray(i, i + n));
      out += text === "\\" ? "\\\\" : text;
      i += n;
    }
  }
  return out;
}
