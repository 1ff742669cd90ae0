import { describe, expect, it } from "@jest/globals";
import type { JsonPath, PathSeg } from "../../core/path.js";
import { eachLeaf, skipSopsBlock } from "./_walk.js";

/** What the walk hands over, with the path copied (the walk's own array changes as it moves on). */
function walked(root: unknown, base?: JsonPath, skip?: (path: JsonPath) => boolean): Array<[PathSeg[], PathSeg, unknown]> {
  const out: Array<[PathSeg[], PathSeg, unknown]> = [];
  eachLeaf(root, (path, key, value) => out.push([[...path], key, value]), base, skip ? { skip } : {});
  return out;
}

describe("eachLeaf", () => {
  const doc = {
    a: { b: "x", c: [1, { d: null }, []] },
    e: [],
    f: {},
    g: [["h", true]],
    i: "last",
  };

  it("visits every scalar depth-first in document order, with its path and key", () => {
    expect(walked(doc)).toEqual([
      [["a", "b"], "b", "x"],
      [["a", "c", 0], 0, 1],
      [["a", "c", 1, "d"], "d", null],
      [["g", 0, 0], 0, "h"],
      [["g", 0, 1], 1, true],
      [["i"], "i", "last"],
    ]);
  });

  it("hands over the map or list that holds the value", () => {
    const parents: unknown[] = [];
    eachLeaf(doc, (_path, _key, _value, parent) => parents.push(parent));
    expect(parents).toEqual([doc.a, doc.a.c, doc.a.c[1], doc.g[0], doc.g[0], doc]);
    expect(parents[0]).toBe(doc.a);
  });

  it("prefixes the paths with the base, and visits nothing of a scalar root", () => {
    expect(walked({ k: "v" }, ["spec", "values"])).toEqual([[["spec", "values", "k"], "k", "v"]]);
    expect(walked("text")).toEqual([]);
    expect(walked(null)).toEqual([]);
  });

  it("neither visits nor enters what `skip` refuses", () => {
    const sops = { sops: { mac: "ENC[…]", age: [{ recipient: "age1…" }] }, data: { sops: "kept below the top" } };
    expect(walked(sops, [], skipSopsBlock(true))).toEqual([[["data", "sops"], "sops", "kept below the top"]]);
    expect(walked(sops, [], skipSopsBlock(false)).map(([path]) => path)).toEqual([["sops", "mac"], ["sops", "age", 0, "recipient"], ["data", "sops"]]);
  });

  it("walks deep documents without overflowing the stack", () => {
    let deep: unknown = "bottom";
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const found = walked(deep);
    expect(found).toHaveLength(1);
    expect(found[0]![0]).toHaveLength(20_000);
    expect(found[0]![2]).toBe("bottom");
  });
});
