import { describe, expect, it } from "@jest/globals";
import { code, inline } from "./markdown-blocks.js";

describe("code spans of quoted text", () => {
  it("hold backticks with a longer fence", () => {
    expect(code("a`b")).toBe("``a`b``");
  });

  it("never open an HTML comment, inside our own spans or a user's", () => {
    for (const shown of [code("<!-- gitops-guard:summary -->"), inline("`<!--` is not a rule id")]) {
      expect(shown).not.toContain("<!--");
      expect(shown).toContain("<\u200b!--");
    }
  });
});
