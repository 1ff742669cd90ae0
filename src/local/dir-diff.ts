import { join } from "node:path";
import type { FileChange, FileContent } from "../core/review.js";
import { listFiles, readFileContent } from "./files.js";

/** Same bytes on both sides. A file that was not read (too large, not a regular file) never counts as the same. */
function sameBytes(a: FileContent | undefined, b: FileContent | undefined): boolean {
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array)) return false;
  return a.byteLength === b.byteLength && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** A file found by walking a tree: read within the size cap, never following a link swapped in since. */
const read = (path: string): Promise<FileContent> => readFileContent(path, { followSymlinks: false });

/**
 * Changes between two directory trees (e.g. two `kustomize build` outputs, or two checkouts). Only files that
 * `wanted` accepts are read. A removed and an added file with identical content count as a rename.
 */
export async function diffDirectories(baseDir: string, headDir: string, wanted: (path: string) => boolean): Promise<FileChange[]> {
  const [baseList, headList] = await Promise.all([listFiles(baseDir), listFiles(headDir)]);
  const base = new Set(baseList.filter(wanted));
  const head = new Set(headList.filter(wanted));
  const changes: FileChange[] = [];
  const added: FileChange[] = [];
  const removed: FileChange[] = [];
  for (const path of head) {
    const h = await read(join(headDir, path));
    if (base.has(path)) {
      const b = await read(join(baseDir, path));
      if (!sameBytes(b, h)) changes.push({ path, status: "modified", base: b, head: h });
    } else {
      added.push({ path, status: "added", head: h });
    }
  }
  for (const path of base) {
    if (!head.has(path)) removed.push({ path, status: "removed", base: await read(join(baseDir, path)) });
  }
  for (const r of removed) {
    const twin = added.findIndex((a) => sameBytes(a.head, r.base));
    if (twin >= 0) {
      const a = added.splice(twin, 1)[0]!;
      changes.push({ path: a.path, previousPath: r.path, status: "renamed", base: r.base, head: a.head });
    } else {
      changes.push(r);
    }
  }
  return [...changes, ...added].sort((x, y) => x.path.localeCompare(y.path));
}
