/** Reading a kustomization node: once per node (a root's is asked for by its build and by its directory's build). */
import { describe, expect, it } from "@jest/globals";
import { readKustomization } from "./kustomization.js";
import { parseSource } from "./session.js";
import { SourceFile } from "./source.js";

const node = (text: string) => parseSource(new SourceFile("app/kustomization.yaml", text), "1.1")[0]!;

describe("readKustomization", () => {
  it("reads a node once: the same node in the same file gives the same (shared, read-only) kustomization", () => {
    const n = node("resources: [a.yaml]\nnamespace: web\n");
    const first = readKustomization(n, "app/kustomization.yaml", "app");
    expect(readKustomization(n, "app/kustomization.yaml", "app")).toBe(first);
    expect(first.resources.map((r) => r.value)).toEqual(["a.yaml"]);
    expect(first.namespace?.value).toBe("web");
  });

  it("reads the node again for another file or directory", () => {
    const n = node("resources: [a.yaml]\n");
    const first = readKustomization(n, "app/kustomization.yaml", "app");
    const other = readKustomization(n, "other/kustomization.yaml", "other");
    expect(other).not.toBe(first);
    expect([other.file, other.dir]).toEqual(["other/kustomization.yaml", "other"]);
  });

  it("fails an invalid kustomization every time it is asked for", () => {
    const n = node("resources: a.yaml\n");
    expect(() => readKustomization(n, "app/kustomization.yaml", "app")).toThrow("invalid Kustomization app/kustomization.yaml: resources");
    expect(() => readKustomization(n, "app/kustomization.yaml", "app")).toThrow("invalid Kustomization app/kustomization.yaml: resources");
  });
});
