/**
 * `aliasTargets` (one walk a document; the render's and the parser's locator's alias resolution) answers exactly what
 * the `yaml` package's `Alias.resolve(doc)` answers (one walk an alias): on hand-made cases with redefined, nested,
 * key and forward anchors, and on every alias of the corpus.
 */
import { describe, expect, it } from "@jest/globals";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments, visit, type Alias, type Document } from "yaml";
import { aliasTargets } from "../../src/parse/yaml-aliases.js";

function aliasesOf(doc: Document.Parsed): Alias[] {
  const out: Alias[] = [];
  visit(doc, { Alias: (_k, a) => void out.push(a) });
  return out;
}

/** Every alias of every document: [ours, yaml's]. */
function answers(text: string): Array<[unknown, unknown]> {
  const out: Array<[unknown, unknown]> = [];
  for (const doc of parseAllDocuments(text, { logLevel: "silent", uniqueKeys: false })) {
    const targets = aliasTargets(doc);
    for (const a of aliasesOf(doc)) out.push([targets.get(a), a.resolve(doc)]);
  }
  return out;
}

const CASES: Record<string, string> = {
  "simple": "a: &x {k: 1}\nb: *x\nc: *x\n",
  "redefined anchor: the latest before the alias": "a: &x 1\nb: *x\nc: &x 2\nd: *x\n",
  "nested anchors, used after an expansion that contains them": "a: &outer\n  in: &inner v\nb: *outer\nc: &inner w\nd: *inner\n",
  "anchor on a key": "? &k key\n: value\nother: *k\n",
  "alias before its anchor": "a: *later\nb: &later 1\n",
  "unknown anchor": "a: *nowhere\n",
  "alias inside its own anchor": "a: &self [1, *self]\n",
  "anchors in a sequence": "- &a 1\n- &b 2\n- *a\n- &a 3\n- *a\n- *b\n",
  "two documents do not share anchors": "a: &x 1\n---\nb: *x\n",
};

describe("aliasTargets", () => {
  for (const [name, text] of Object.entries(CASES)) {
    it(`resolves as Alias.resolve does: ${name}`, () => {
      const pairs = answers(text);
      expect(pairs.length).toBeGreaterThan(0);
      for (const [ours, theirs] of pairs) expect(ours).toBe(theirs);
    });
  }

  it("the redefined anchor case really picks the later definition (not the first one)", () => {
    const [doc] = parseAllDocuments("a: &x 1\nb: *x\nc: &x 2\nd: *x\n");
    const targets = aliasTargets(doc!);
    expect(aliasesOf(doc!).map((a) => (targets.get(a) as { value?: unknown } | undefined)?.value)).toEqual([1, 2]);
  });

  it("agrees with Alias.resolve on every alias of the corpus", () => {
    const corpus = join(import.meta.dirname, "../../../shared/corpus");
    let aliases = 0;
    for (const e of readdirSync(corpus, { recursive: true, withFileTypes: true })) {
      if (!e.isFile() || !/\.ya?ml$/i.test(e.name)) continue;
      const text = readFileSync(join(e.parentPath, e.name), "utf8");
      if (!text.includes("*")) continue;
      for (const [ours, theirs] of answers(text)) {
        aliases++;
        expect(ours).toBe(theirs);
      }
    }
    expect(aliases).toBeGreaterThan(20);
  });
});
