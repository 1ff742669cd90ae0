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
});
