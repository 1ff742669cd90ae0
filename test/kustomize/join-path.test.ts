/** `joinPath` skips the normalising pass for plain relative paths; it must answer as that pass does. */
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { joinPath } from "../../src/kustomize/paths.js";

/** The normalising pass alone (the implementation before the plain-path shortcut). */
function reference(dir: string, rel: string): string | null {
  if (rel.startsWith("/")) return null;
  const parts = dir === "" ? [] : dir.split("/");
  for (const seg of rel.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join("/");
}

describe("joinPath", () => {
  it("answers as the normalising pass on hand-made paths", () => {
    const dirs = ["", "apps", "apps/web/overlays/prod"];
    const rels = ["deployment.yaml", "../base", "./x", "a/./b", "a/..", "..", ".", ".hidden", "a//b", "/abs", "a/", "", "x..y", "a/.b/c", "../../../../x", "./", "./a/", "./../x", ".//x", "./.x", "././x", "./a/b.yaml", "./a//b"];
    for (const dir of dirs) for (const rel of rels) expect([dir, rel, joinPath(dir, rel)]).toEqual([dir, rel, reference(dir, rel)]);
    expect(joinPath("apps/web", "../base/deployment.yaml")).toBe("apps/base/deployment.yaml");
  });

  it("answers as the normalising pass on random paths of segments, dots and slashes", () => {
    const path = fc.array(fc.constantFrom("a", "b", ".", "..", "", ".x", "x."), { maxLength: 6 }).map((segs) => segs.join("/"));
    const dir = fc.array(fc.constantFrom("a", "b", "c.d"), { maxLength: 3 }).map((segs) => segs.join("/"));
    fc.assert(
      fc.property(dir, path, fc.boolean(), (d, rel, absolute) => {
        const r = absolute ? `/${rel}` : rel;
        expect(joinPath(d, r)).toBe(reference(d, r));
      }),
      { numRuns: 5000, seed: 7 },
    );
  });
});
