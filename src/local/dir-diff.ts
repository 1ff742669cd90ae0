import type { FileChange, FileContent } from "../core/review.js";
import { listFileEntries, readFileContent, type ListedFile } from "./files.js";

/** Same bytes on both sides. A file that was not read (too large, not a regular file) never counts as the same. */
function sameBytes(a: FileContent | undefined, b: FileContent | undefined): boolean {
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array)) return false;
  return a.byteLength === b.byteLength && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** A file found by walking a tree: read within the size cap, never following a link swapped in since. */
const read = (file: ListedFile): Promise<FileContent> => readFileContent(file.fsPath, { followSymlinks: false });

/** The files of a tree that `wanted` accepts, by shown path. */
async function wantedFiles(dir: string, wanted: (path: string) => boolean): Promise<Map<string, ListedFile>> {
  return new Map((await listFileEntries(dir)).filter((f) => wanted(f.path)).map((f) => [f.path, f]));
}

/**
 * Changes between two directory trees (e.g. two `kustomize build` outputs, or two checkouts). Only files that
 * `wanted` accepts are read. A removed and an added file with identical content count as a rename.
 */
export async function diffDirectories(baseDir: string, headDir: string, wanted: (path: string) => boolean): Promise<FileChange[]> {
  const [base, head] = await Promise.all([wantedFiles(baseDir, wanted), wantedFiles(headDir, wanted)]);
  const changes: FileChange[] = [];
  const added: FileChange[] = [];
  const removed: FileChange[] = [];
  for (const [path, headFile] of head) {
    const h = await read(headFile);
    const baseFile = base.get(path);
    if (baseFile) {
      const b = await read(baseFile);
      if (!sameBytes(b, h)) changes.push({ path, status: "modified", base: b, head: h });
    } else {
      added.push({ path, status: "added", head: h });
    }
  }
  for (const [path, baseFile] of base) {
    if (!head.has(path)) removed.push({ path, status: "removed", base: await read(baseFile) });
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
