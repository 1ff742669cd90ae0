/** A `FileTree` over files held in memory (tests, and the GitHub App once it has fetched a closure). */
import { dirname } from "./paths.js";
import type { FileTree } from "./types.js";

export function memoryTree(files: Iterable<[string, string | Uint8Array]> | Record<string, string | Uint8Array>): FileTree {
  const map = new Map<string, string | Uint8Array>(Symbol.iterator in files ? (files as Iterable<[string, string | Uint8Array]>) : Object.entries(files));
  const children = new Map<string, Set<string>>();
  const add = (dir: string, name: string) => {
    let s = children.get(dir);
    if (!s) children.set(dir, (s = new Set()));
    s.add(name);
  };
  for (const path of map.keys()) {
    let p = path;
    for (;;) {
      const d = dirname(p);
      add(d, p.slice(d === "" ? 0 : d.length + 1));
      if (d === "") break;
      p = d;
    }
  }
  return {
    readFile: (path) => map.get(path) ?? null,
    isDirectory: (path) => children.has(path),
    listDirectory: (path) => [...(children.get(path) ?? [])],
  };
}
