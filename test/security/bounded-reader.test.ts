/**
 * Issue 12 #5, the parts: the bounded file reader (sizes first, never reads more than the cap, opens only regular
 * files) with a recording file system, and the streaming reader of `git cat-file --batch` output.
 */
import { beforeAll, describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { symlinkSync, writeFileSync } from "node:fs";
import { open, stat } from "node:fs/promises";
import { join } from "node:path";
import { CatFileBatchReader } from "../../src/local/cat-file-batch.js";
import { readFileContent, type FileInfo, type ReaderFs } from "../../src/local/files.js";
import { sparseFile, tempDir } from "./helpers.js";

const MB = 1_000_000;

/** What `stat` says of a regular file of `size` bytes. */
const regularFile = (size: number): FileInfo => ({
  size,
  isFile: () => true,
  isDirectory: () => false,
  isFIFO: () => false,
  isCharacterDevice: () => false,
  isBlockDevice: () => false,
  isSocket: () => false,
  isSymbolicLink: () => false,
});

/** The real file system, with every stat, open and read recorded. */
function recordingFs(): { fs: ReaderFs; calls: string[]; bytesRequested: () => number } {
  const calls: string[] = [];
  let requested = 0;
  const fs: ReaderFs = {
    stat: async (p) => {
      calls.push(`stat ${p}`);
      return stat(p);
    },
    open: async (p, flags) => {
      calls.push(`open ${p}`);
      const handle = await open(p, flags);
      return {
        stat: () => handle.stat(),
        read: (buffer, offset, length, position) => {
          calls.push(`read ${length}`);
          requested += length;
          return handle.read(buffer, offset, length, position);
        },
        close: () => handle.close(),
      };
    },
  };
  return { fs, calls, bytesRequested: () => requested };
}

describe("the bounded reader", () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir("reader");
  });

  it("a 1.5 GB file is sized, never opened or read", async () => {
    const big = join(dir, "big.yaml");
    sparseFile(big, 1_500 * MB);
    const { fs, calls } = recordingFs();
    expect(await readFileContent(big, { fs })).toEqual({ unread: "too-large", byteSize: 1_500 * MB, limit: MB });
    expect(calls).toEqual([`stat ${big}`]);
  });

  it("a file within the cap is read whole, asking for its size and one byte more (to see the end)", async () => {
    const small = join(dir, "small.yaml");
    writeFileSync(small, "a: 1\n".repeat(1000));
    const { fs, bytesRequested } = recordingFs();
    const content = await readFileContent(small, { fs, maxBytes: 10_000 });
    expect(Buffer.from(content as Uint8Array).toString()).toBe("a: 1\n".repeat(1000));
    expect(bytesRequested()).toBe(5000 + 1 + 1);
  });

  it("a file that grows past the cap after it was sized stops at the cap", async () => {
    // stat says 10 bytes; the file then yields data without end.
    const endless: ReaderFs = {
      stat: async () => regularFile(10),
      open: async () => ({
        stat: async () => regularFile(10),
        read: async (buffer, offset, length) => {
          requested += length;
          buffer.fill(0x61, offset, offset + length);
          return { bytesRead: length };
        },
        close: async () => undefined,
      }),
    };
    let requested = 0;
    expect(await readFileContent("endless.yaml", { fs: endless, maxBytes: 1000 })).toEqual({ unread: "too-large", byteSize: 1001, limit: 1000 });
    expect(requested).toBe(1001);
  });

  it("a device, a FIFO or a directory is not opened", async () => {
    const fifo = join(dir, "pipe.yaml");
    execFileSync("mkfifo", [fifo]);
    for (const [path, what] of [
      ["/dev/zero", "a character device"],
      [fifo, "a FIFO"],
      [dir, "a directory"],
    ] as const) {
      const { fs, calls } = recordingFs();
      expect(await readFileContent(path, { fs })).toEqual({ unread: "not-a-file", what });
      expect(calls).toEqual([`stat ${path}`]);
    }
  });

  it("a file found by walking a tree is not followed through a link", async () => {
    const target = join(dir, "target.yaml");
    writeFileSync(target, "a: 1\n");
    const link = join(dir, "link.yaml");
    symlinkSync(target, link);
    expect(await readFileContent(link, { followSymlinks: false })).toEqual({ unread: "not-a-file", what: "a symbolic link" });
    expect(await readFileContent(link)).toBeInstanceOf(Uint8Array);
  });
});

describe("the cat-file --batch stream reader", () => {
  const objects: Array<[string, Buffer]> = [
    ["a".repeat(40), Buffer.from("kind: Pod\n\nmetadata: {}\n")],
    ["b".repeat(40), Buffer.alloc(0)],
    ["c".repeat(40), Buffer.from([0x0a, 0x00, 0xff, 0x0a, 0x0a])],
  ];
  const output = Buffer.concat([
    ...objects.flatMap(([id, body]) => [Buffer.from(`${id} blob ${body.length}\n`), body, Buffer.from("\n")]),
    Buffer.from(`${"d".repeat(40)} missing\n`),
  ]);

  it.each([1, 2, 3, 7, 64, output.length])("reads objects split into %i-byte chunks", (size) => {
    const reader = new CatFileBatchReader();
    for (let i = 0; i < output.length; i += size) reader.push(output.subarray(i, i + size));
    reader.end();
    expect([...reader.objects.entries()].map(([id, b]) => [id, Buffer.from(b).toString("hex")])).toEqual(objects.map(([id, b]) => [id, b.toString("hex")]));
  });

  it("output that stops inside an object is an error", () => {
    const reader = new CatFileBatchReader();
    reader.push(output.subarray(0, 50));
    expect(() => reader.end()).toThrow(/middle of an object/);
  });
});
