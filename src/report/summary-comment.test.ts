import { describe, expect, it } from "@jest/globals";
import { commentBody, markerSha, sameContent } from "./summary-comment.js";

describe("summary comment envelope", () => {
  it("markers carry the head SHA; content comparison ignores it", () => {
    const a = commentBody("hello", "a".repeat(40));
    const b = commentBody("hello", "b".repeat(40));
    expect(markerSha(a)).toBe("a".repeat(40));
    expect(sameContent(a, b)).toBe(true);
    expect(sameContent(a, commentBody("bye", "a".repeat(40)))).toBe(false);
  });

  it("a re-run of the same commit links another check run but says the same; another reviewed commit does not", () => {
    const sha = "a".repeat(40);
    const body = (text: string) => commentBody(text, sha);
    expect(sameContent(body("see the [check run](https://github.com/o/r/runs/41)"), body("see the [check run](https://github.com/o/r/runs/42)"))).toBe(true);
    expect(sameContent(body("Reviewed `aaaaaaa`"), commentBody("Reviewed `bbbbbbb`", "b".repeat(40)))).toBe(false);
  });
});
