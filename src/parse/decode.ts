/** Turns file bytes into text, refusing binary and non-UTF-8 input with a clear reason. */
export type Decoded = { ok: true; text: string } | { ok: false; reason: string };

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function decodeFile(content: string | Uint8Array, maxBytes: number): Decoded {
  const size = typeof content === "string" ? Buffer.byteLength(content, "utf8") : content.byteLength;
  if (size > maxBytes) {
    return { ok: false, reason: `file is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit; it was not read` };
  }
  let text: string;
  if (typeof content === "string") {
    text = content;
  } else {
    const probe = content.subarray(0, 8192);
    if (probe.includes(0)) return { ok: false, reason: "file looks binary (it contains NUL bytes); it was not read as YAML" };
    try {
      text = utf8.decode(content);
    } catch {
      return { ok: false, reason: "file is not valid UTF-8; YAML must be UTF-8 encoded" };
    }
  }
  if (text.includes("\u0000")) return { ok: false, reason: "file looks binary (it contains NUL bytes); it was not read as YAML" };
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { ok: true, text };
}

export function formatBytes(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)} MB`;
  if (n >= 1_000) return `${(n / 1_000).toFixed(1)} kB`;
  return `${n} bytes`;
}
