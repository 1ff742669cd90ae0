import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { DEFAULT_LIMITS } from "../parse/limits.js";
import { readBytes } from "../local/files.js";

/**
 * Reads the files a scan found, synchronously: thousands of small files read one `readSync` each take a fraction of
 * the time that one awaited `readFile` per file does (measured on 4,984 corpus files: ~80 ms against ~480 ms
 * sequentially awaited and ~320 ms with 8–64 reads in flight). A file is read to at most its size at open time; one
 * that is not a regular file, or is over the parse limit (it becomes a `guard/parse-error` finding), goes through
 * the ordinary `readBytes`, which decides what to do with it.
 */
export async function readScanned(path: string, maxBytes = DEFAULT_LIMITS.maxFileBytes): Promise<Uint8Array> {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return readBytes(path);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > maxBytes) return await readBytes(path);
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
