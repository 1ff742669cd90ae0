import { describe, expect, it } from "@jest/globals";
import { composeReply, MAX_REPLY_BYTES } from "./reply.js";

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

describe("composeReply", () => {
  it("keeps parts in order, separated by blank lines, lists under their text", () => {
    const reply = composeReply("H\n\n", [{ text: "one" }, { text: "two:\n", items: ["- a", "- b"] }, { text: "three" }]);
    expect(reply).toBe("H\n\none\n\ntwo:\n\n- a\n- b\n\nthree\n");
  });

  it("cuts long lists to fit, every list keeping its first items and saying how many were left out", () => {
    const line = (i: number) => `- item ${i} ${"é@<".repeat(150)}`;
    const parts = [
      { text: "first:\n", items: Array.from({ length: 1_000 }, (_, i) => line(i)), more: (n: number) => `- _… and ${n} more (see the export)_` },
      { text: "between" },
      { text: "second:\n", items: Array.from({ length: 1_000 }, (_, i) => line(i)) },
    ];
    const reply = composeReply("H\n\n", parts);
    expect(bytes(reply)).toBeLessThanOrEqual(MAX_REPLY_BYTES);
    expect(bytes(reply)).toBeGreaterThan(MAX_REPLY_BYTES * 0.9);
    const [first, rest] = reply.split("\n\nbetween\n\n");
    expect(first).toContain("- item 0 ");
    expect(first).toMatch(/- _… and \d+ more \(see the export\)_$/);
    expect(rest).toContain("- item 0 ");
    expect(rest).toMatch(/- _… and \d+ more not shown\._\n$/);
    const shown = (s: string) => s.split("\n").filter((l) => l.startsWith("- item")).length;
    expect(Number(/and (\d+) more/.exec(first!)![1]) + shown(first!)).toBe(1_000);
  });

  it("honours a smaller limit", () => {
    const reply = composeReply("H\n\n", [{ text: "list:\n", items: Array.from({ length: 100 }, (_, i) => `- ${i}`.repeat(20)) }], 1_000);
    expect(bytes(reply)).toBeLessThanOrEqual(1_000);
  });
});
