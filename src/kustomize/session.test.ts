/** A render session reads each file of its tree once, however often a build asks (missing files included). */
import { describe, expect, it } from "@jest/globals";
import { memoryTree } from "./memory-tree.js";
import { Session } from "./session.js";
import type { FileTree } from "./types.js";

function counting(tree: FileTree): { tree: FileTree; reads: Map<string, number> } {
  const reads = new Map<string, number>();
  return {
    reads,
    tree: { ...tree, readFile: (p) => (reads.set(p, (reads.get(p) ?? 0) + 1), tree.readFile(p)) },
  };
}

describe("Session.file", () => {
  it("reads a file once and gives the same entry after", () => {
    const { tree, reads } = counting(memoryTree({ "a/x.yaml": "k: v\n" }));
    const s = new Session(tree);
    const first = s.file("a/x.yaml");
    expect(first).toMatchObject({ path: "a/x.yaml", content: "k: v\n", bytes: 5 });
    expect(s.file("a/x.yaml")).toBe(first);
    expect(reads.get("a/x.yaml")).toBe(1);
  });

  it("remembers a missing file as missing", () => {
    const { tree, reads } = counting(memoryTree({ "a/x.yaml": "k: v\n" }));
    const s = new Session(tree);
    expect(s.file("a/none.yaml")).toBeNull();
    expect(s.file("a/none.yaml")).toBeNull();
    expect(reads.get("a/none.yaml")).toBe(1);
  });

  it("caches documents per YAML version: a 1.1 and a 1.2 reading of one file differ where the versions do", () => {
    const s = new Session(memoryTree({ "a/x.yaml": "flag: yes\n" }));
    const entry = s.file("a/x.yaml")!;
    const v11 = s.yamlDocs(entry, "1.1");
    const v12 = s.yamlDocs(entry, "1.2");
    expect(s.yamlDocs(entry, "1.1")).toBe(v11);
    expect(s.yamlDocs(entry, "1.2")).toBe(v12);
    expect(v11).not.toBe(v12);
  });
});
