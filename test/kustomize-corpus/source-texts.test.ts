/** The joined source texts of a rendered object: offsets map back to the file, line and column they came from. */
import { describe, expect, it } from "@jest/globals";
import { joinSourceTexts } from "../../src/core/source-texts.js";

const files: Record<string, string> = {
  "base/cm.yaml": "a: 1\nb: |\n  x\n  y", // no final line break
  "overlay/patch.yaml": "c: 2\nd: three\n",
  "overlay/app.env": "K=v\n",
};
const read = (p: string): string | null => files[p] ?? null;

describe("joinSourceTexts", () => {
  it("keeps the first file's text as it is when it is the only one", () => {
    expect(joinSourceTexts(["base/cm.yaml"], read).text).toBe(files["base/cm.yaml"]);
    expect(joinSourceTexts(["missing.yaml"], read).text).toBeNull();
  });

  it("maps an origin to its offsets and back, in every file, across a first file without a final line break", () => {
    const t = joinSourceTexts(["base/cm.yaml", "overlay/patch.yaml", "missing.yaml", "overlay/app.env", "overlay/patch.yaml"], read);
    expect(t.text).toBe(`${files["base/cm.yaml"]}\n${files["overlay/patch.yaml"]}${files["overlay/app.env"]}`);
    const three = { file: "overlay/patch.yaml", line: 2, column: 4, endLine: 2, endColumn: 9 };
    const [start, end] = t.spanOf(three)!;
    expect(t.text!.slice(start, end)).toBe("three");
    expect(t.rangeOf(start, end)).toEqual(three);
    const y = t.text!.indexOf("y");
    expect(t.rangeOf(y, y + 1)).toEqual({ file: "base/cm.yaml", line: 4, column: 3, endLine: 4, endColumn: 4 });
    const k = t.text!.indexOf("K=v");
    expect(t.rangeOf(k + 2, k + 3)).toEqual({ file: "overlay/app.env", line: 1, column: 3, endLine: 1, endColumn: 4 });
    expect(t.spanOf({ ...three, file: "other.yaml" })).toBeNull();
  });

  it("gives no range across two files or outside the text", () => {
    const t = joinSourceTexts(["base/cm.yaml", "overlay/patch.yaml"], read);
    const first = t.text!.indexOf("y");
    expect(t.rangeOf(first, t.text!.indexOf("three"))).toBeNull();
    expect(t.rangeOf(t.text!.length + 5, t.text!.length + 6)).toBeNull();
  });
});
