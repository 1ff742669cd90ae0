import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { DEFAULT_LIMITS } from "../parse/limits.js";
import type { FileContent } from "../core/review.js";
import { readFileContent } from "../local/files.js";

// Never wait on a FIFO swapped in after the listing, never follow a link found by walking a tree.
const SCAN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

/**
 * Reads the files a scan found, synchronously: thousands of small files read one `readSync` each take a fraction of
 * the time that one awaited `readFile` per file does (measured on 4,984 corpus files: ~80 ms against ~480 ms
 * sequentially awaited and ~320 ms with 8–64 reads in flight). A file is read to at most its size at open time; one
 * that is not a regular file, is over the parse limit or cannot be opened goes through the bounded reader
 * (`readFileContent`), which turns it into a stand-in the parser reports (or throws what went wrong).
 */
export async function readScanned(path: string | Buffer, maxBytes = DEFAULT_LIMITS.maxFileBytes): Promise<FileContent> {
  let fd: number;
  try {
    fd = openSync(path, SCAN_FLAGS);
  } catch {
    return readFileContent(path, { maxBytes, followSymlinks: false });
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > maxBytes) return await readFileContent(path, { maxBytes, followSymlinks: false });
    const buf = new Uint8Array(stat.size);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
    }
    return off === buf.length ? buf : buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}
