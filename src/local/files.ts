import { constants, readdirSync } from "node:fs";
import { open, stat } from "node:fs/promises";
import { sep } from "node:path";
import { DEFAULT_LIMITS } from "../parse/limits.js";
import type { FileContent } from "../parse/decode.js";
import { pathText } from "./raw-paths.js";

const SKIP_DIRS = new Set([".git", "node_modules", ".gitops-guard", "dist"]);

export function toPosix(p: string): string {
  return sep === "/" ? p : p.split(sep).join("/");
}

/** A file found under a directory. */
export interface ListedFile {
  /** Relative to the root, with forward slashes, as shown in findings (see `pathText` for names not in UTF-8). */
  path: string;
  /** Its path on disk, exactly: a Buffer when the name is not valid UTF-8 (a string would name another file). */
  fsPath: string | Buffer;
}

const SLASH = Buffer.from("/");

/**
 * Every file under `root` (recursively), read from the directory as bytes, whatever the names hold. The directories
 * are read synchronously: the CLI has nothing else to do meanwhile, and one awaited `readdir` per directory left the
 * process idle for most of the listing (1,961 directories of the 5,000-file bench tree: ~140–210 ms awaited, ~50 ms
 * synchronously).
 */
export async function listFileEntries(root: string): Promise<ListedFile[]> {
  const out: ListedFile[] = [];
  const walk = (dir: Buffer, shown: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true, encoding: "buffer" });
    for (const e of entries) {
      const name = pathText(e.name);
      const full = Buffer.concat([dir, SLASH, e.name]);
      const path = shown === "" ? name : `${shown}/${name}`;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(name)) walk(full, path);
      } else if (e.isFile()) {
        const text = full.toString("utf8");
        out.push({ path, fsPath: Buffer.from(text, "utf8").equals(full) ? text : full });
      }
    }
  };
  walk(Buffer.from(root.endsWith(sep) && root.length > 1 ? root.slice(0, -1) : root), "");
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Every file under `root` (recursively), as paths relative to `root` with forward slashes. */
export async function listFiles(root: string): Promise<string[]> {
  return (await listFileEntries(root)).map((f) => f.path);
}

export async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** What the reader needs of a file's metadata (fs.Stats has it). */
export interface FileInfo {
  size: number;
  isFile(): boolean;
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
  isSymbolicLink(): boolean;
}

/** An open file (fs.promises.FileHandle has this shape). */
export interface OpenFile {
  stat(): Promise<FileInfo>;
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  close(): Promise<void>;
}

/** The file system calls the bounded reader makes; tests pass one that records them. */
export interface ReaderFs {
  stat(path: string | Buffer): Promise<FileInfo>;
  open(path: string | Buffer, flags: number): Promise<OpenFile>;
}

const nodeFs: ReaderFs = { stat, open };

export interface ReadOptions {
  /** Files over this many bytes are not read (default: the parser's cap, 1 MB). */
  maxBytes?: number;
  /** Follow a symbolic link at `path` (a path the user named); false for files found by walking a tree. */
  followSymlinks?: boolean;
  fs?: ReaderFs;
}

function kindOf(info: FileInfo): string {
  if (info.isDirectory()) return "a directory";
  if (info.isFIFO()) return "a FIFO";
  if (info.isCharacterDevice()) return "a character device";
  if (info.isBlockDevice()) return "a block device";
  if (info.isSocket()) return "a socket";
  if (info.isSymbolicLink()) return "a symbolic link";
  return "not a regular file";
}

// O_NONBLOCK: opening a FIFO that was swapped in after the check must not wait for a writer. O_NOFOLLOW: a file
// found by walking a tree is not followed into a link swapped in after the listing. (Both are 0 where unknown.)
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * Reads a file for review without ever reading more than `maxBytes` + 1 bytes of it: the size is checked before
 * the first byte is read (an oversized file becomes a `too-large` stand-in that the parser reports), and only
 * regular files are opened at all — a device (`/dev/zero`), a FIFO or a socket becomes a `not-a-file` stand-in,
 * never a read that does not end. Errors (a missing file, no permission) are thrown as they come.
 */
export async function readFileContent(path: string | Buffer, options: ReadOptions = {}): Promise<FileContent> {
  const fs = options.fs ?? nodeFs;
  const maxBytes = options.maxBytes ?? DEFAULT_LIMITS.maxFileBytes;
  const follow = options.followSymlinks ?? true;
  const before = await fs.stat(path);
  if (!before.isFile()) return { unread: "not-a-file", what: kindOf(before) };
  if (before.size > maxBytes) return { unread: "too-large", byteSize: before.size, limit: maxBytes };
  let handle: OpenFile;
  try {
    handle = await fs.open(path, OPEN_FLAGS | (follow ? 0 : NO_FOLLOW));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ELOOP") return { unread: "not-a-file", what: "a symbolic link" };
    throw err;
  }
  try {
    // The file may have changed since `stat`: what was opened is what counts.
    const info = await handle.stat();
    if (!info.isFile()) return { unread: "not-a-file", what: kindOf(info) };
    if (info.size > maxBytes) return { unread: "too-large", byteSize: info.size, limit: maxBytes };
    // One byte more than the cap tells a file that grew past it from one that fits.
    let buffer = new Uint8Array(Math.min(info.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) return { unread: "too-large", byteSize: length, limit: maxBytes };
        const bigger = new Uint8Array(Math.min(buffer.length * 2, maxBytes + 1));
        bigger.set(buffer);
        buffer = bigger;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) return { unread: "too-large", byteSize: length, limit: maxBytes };
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

/** A small text file (a config file), read with the same bounds; throws when it is not a readable text file. */
export async function readTextFile(path: string, maxBytes: number = DEFAULT_LIMITS.maxFileBytes): Promise<string> {
  const content = await readFileContent(path, { maxBytes });
  if (content instanceof Uint8Array) return Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString("utf8");
  if (typeof content === "string") return content;
  throw new Error(content.unread === "too-large" ? `${path} is over the ${maxBytes}-byte limit` : `${path} is ${content.what}, not a file`);
}
