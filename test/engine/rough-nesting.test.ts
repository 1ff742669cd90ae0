/**
 * `roughNesting` jumps from bracket to bracket past each line's indentation; it must give the bound the character
 * by character pass gave (kept below as the reference), on the corpus and on random text made of the characters
 * that matter.
 */
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { roughNesting } from "../../src/parse/prescan.js";

function isBlankOrEnd(text: string, i: number): boolean {
  if (i >= text.length) return true;
  const c = text.charCodeAt(i);
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** The character-by-character pass (the implementation before the bracket jumps). */
function reference(text: string): number {
  let flow = 0;
  let run = 0;
  let linePrefix = true;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      run = 0;
      linePrefix = true;
    } else if (c === 0x5b || c === 0x7b) {
      flow++;
      linePrefix = false;
    } else if (c === 0x5d || c === 0x7d) {
      if (flow > 0) flow--;
      linePrefix = false;
    } else if ((c === 0x2d || c === 0x3f) && linePrefix && isBlankOrEnd(text, i + 1)) {
      run++;
    } else if (c !== 0x20 && c !== 0x09 && c !== 0x0d) {
      linePrefix = false;
    }
    if (flow + run > max) max = flow + run;
  }
  return max;
}

describe("roughNesting", () => {
  it("gives the bound of the character-by-character pass on hand-made cases", () => {
    const cases = ["", "a: b\n", "- - - x\n", "[[[", "{[{]}\n- ? - [a, {b: c}]\n", "-[x]\n", "- -x\n  - - [\n]]]]\n", "\r\n- \r\n", "?\n? ? ?", "a: [1,\n  [2,\n   [3]]]\n- - z"];
    for (const text of cases) expect([text, roughNesting(text)]).toEqual([text, reference(text)]);
    expect(roughNesting("- - - [[x]]\n")).toBe(5);
  });

  it("gives the bound of the character-by-character pass on random text of brackets, indicators and blanks", () => {
    const chars = fc.constantFrom("[", "]", "{", "}", "-", "?", " ", "\t", "\r", "\n", "a", ":", "#", "'");
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 200 }).map((a) => a.join("")), (text) => {
        expect(roughNesting(text)).toBe(reference(text));
      }),
      { numRuns: 3000, seed: 42 },
    );
  });

  it("gives the bound of the character-by-character pass on every corpus file", () => {
    const corpus = join(import.meta.dirname, "../../../shared/corpus");
    let files = 0;
    for (const e of readdirSync(corpus, { recursive: true, withFileTypes: true })) {
      if (!e.isFile() || !/\.ya?ml$/i.test(e.name)) continue;
      const text = readFileSync(join(e.parentPath, e.name), "utf8");
      expect(roughNesting(text)).toBe(reference(text));
      files++;
    }
    expect(files).toBeGreaterThan(500);
  });
});
