/** Positions of offsets in a source file: as the `yaml` package's LineCounter gives them. */
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { LineCounter } from "yaml";
import { SourceFile } from "./source.js";

function counted(text: string, offset: number): readonly [number, number] {
  const lc = new LineCounter();
  lc.addNewLine(0);
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lc.addNewLine(i + 1);
  const { line, col } = lc.linePos(offset);
  return [line, col];
}

describe("SourceFile.position", () => {
  it("answers as LineCounter at line starts, line ends, the end of the text and past it", () => {
    const text = "a: 1\r\nb:\n\n  - c\nlast";
    const file = new SourceFile("f.yaml", text);
    for (let offset = 0; offset <= text.length + 2; offset++) expect([offset, file.position(offset)]).toEqual([offset, counted(text, offset)]);
    expect(new SourceFile("e.yaml", "").position(0)).toEqual([1, 1]);
  });

  it("answers as LineCounter on random texts", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("a", " ", "\n", "\r"), { maxLength: 40 }), fc.nat(45), (chars, offset) => {
        const text = chars.join("");
        expect(new SourceFile("r.yaml", text).position(offset)).toEqual(counted(text, offset));
      }),
      { numRuns: 2000, seed: 11 },
    );
  });

  it("gives an origin's lines and columns, mapped for embedded text", () => {
    const file = new SourceFile("k.yaml", "x: 1\ny: two\n");
    expect(file.origin(8, 11)).toEqual({ file: "k.yaml", line: 2, column: 4, endLine: 2, endColumn: 7 });
  });
});
