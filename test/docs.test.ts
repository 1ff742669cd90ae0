import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { renderRulesMarkdown } from "../src/docs/rules-markdown.js";
import { ALL_RULES } from "../src/rules/index.js";

describe("docs/rules.md", () => {
  it("is generated from the current rule metadata (run `npm run docs` when this fails)", () => {
    const onDisk = readFileSync(join(process.cwd(), "docs", "rules.md"), "utf8");
    expect(onDisk).toBe(renderRulesMarkdown(ALL_RULES));
  });

  it("documents every rule id", () => {
    const doc = renderRulesMarkdown(ALL_RULES);
    for (const r of ALL_RULES) expect(doc).toContain(`### ${r.meta.id}`);
  });
});
