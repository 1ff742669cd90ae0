/**
 * A file that was deliberately not read: too large (its size is known from `stat`, `git cat-file --batch-check`
 * or the GitHub API, and no byte of it was fetched), or not a regular file at all (a device, a FIFO, a socket).
 */
export type UnreadContent =
  | { readonly unread: "too-large"; readonly byteSize: number; readonly limit: number }
  | { readonly unread: "not-a-file"; readonly what: string };

/** What a reader hands the parser: text, bytes, or the reason it read nothing. */
export type FileContent = string | Uint8Array | UnreadContent;

export function isUnread(content: FileContent): content is UnreadContent {
  return typeof content === "object" && !(content instanceof Uint8Array);
}

/**
 * Content as text for a cheap substring test before any parse: bytes read as latin1 (any byte sequence, and ASCII
 * survives it), null for content that was not read.
 */
export function rawText(content: FileContent): string | null {
  if (typeof content === "string") return content;
  if (isUnread(content)) return null;
  return Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString("latin1");
}

/** Turns file bytes into text, refusing binary and non-UTF-8 input with a clear reason. */
export type Decoded = { ok: true; text: string } | { ok: false; reason: string };

const utf8 = new TextDecoder("utf-8", { fatal: true });

function tooLarge(size: number, limit: number): Decoded {
  return { ok: false, reason: `file is ${formatBytes(size)}, over the ${formatBytes(limit)} limit; it was not read` };
}

export function decodeFile(content: FileContent, maxBytes: number): Decoded {
  if (isUnread(content)) {
    if (content.unread === "not-a-file") return { ok: false, reason: `not a regular file (${content.what}); it was not read` };
    return tooLarge(content.byteSize, Math.min(content.limit, maxBytes));
  }
  const size = typeof content === "string" ? Buffer.byteLength(content, "utf8") : content.byteLength;
  if (size > maxBytes) return tooLarge(size, maxBytes);
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
  if (n >= 1_000_000_000) return `${(n / 1_000_000_000).toFixed(1)} GB`;
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)} MB`;
  if (n >= 1_000) return `${(n / 1_000).toFixed(1)} kB`;
  return `${n} bytes`;
}
