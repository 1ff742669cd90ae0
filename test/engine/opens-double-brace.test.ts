/**
 * `opensDoubleBrace` skips collections whose text holds no `{{`; it must answer what a walk of every node answers.
 */
import { describe, expect, it } from "@jest/globals";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments, visit, type Document } from "yaml";
import { opensDoubleBrace } from "../../src/parse/yaml-file.js";

/** The walk of every node (the implementation before the pruning). */
function everyNode(doc: Document.Parsed, text: string): boolean {
  let found = false;
  visit(doc, {
    Map(_, node) {
      const start = node.range?.[0];
      if (node.flow && start !== undefined && text.startsWith("{{", start)) {
        found = true;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

function compare(text: string): { docs: number; opened: number } {
  let docs = 0;
  let opened = 0;
  for (const doc of parseAllDocuments(text, { logLevel: "silent", uniqueKeys: false })) {
    const expected = everyNode(doc, text);
    expect(opensDoubleBrace(doc, text)).toBe(expected);
    docs++;
    if (expected) opened++;
  }
  return { docs, opened };
}

const CASES = [
  "a: {{ .Values.x }}\n",
  "a:\n  b:\n    - c: d\n    - {{ .Values.list }}\n",
  "list: [1, {{ x }}, 3]\n",
  "a: &anchor {{ y }}\n",
  "a: !tag {{ y }}\n",
  "name: '{{cluster}}'\nplain: apps/{{name}}\n",
  "first: 1\n---\nsecond: {{ z }}\n---\nthird: '{{ q }}'\n",
  "a: {b: {{ c }}}\n",
  "- - - {{ deep }}\n",
  "key: |\n  {{ block }}\nnext: {{ flow }}\n",
  "{{ root }}\n",
];

describe("opensDoubleBrace", () => {
  it("answers as the walk of every node on hand-made templates and strings", () => {
    let opened = 0;
    for (const text of CASES) opened += compare(text).opened;
    expect(opened).toBeGreaterThanOrEqual(7);
  });

  it("answers as the walk of every node on every corpus and fixture file with `{{`", () => {
    const roots = [join(import.meta.dirname, "../../../shared/corpus"), join(import.meta.dirname, "../../src"), join(import.meta.dirname, "../../test"), join(import.meta.dirname, "../../examples")];
    let files = 0;
    for (const root of roots) {
      for (const e of readdirSync(root, { recursive: true, withFileTypes: true })) {
        if (!e.isFile() || !/\.ya?ml$/i.test(e.name)) continue;
        const text = readFileSync(join(e.parentPath, e.name), "utf8");
        if (!text.includes("{{")) continue;
        compare(text);
        files++;
      }
    }
    expect(files).toBeGreaterThan(50);
  });
});
