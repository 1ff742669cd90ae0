import { describe, expect, it } from "@jest/globals";
import { parseConfig } from "./config.js";
import { scan } from "./review.js";
import { defineRule, type Rule } from "./rule.js";

/** A test rule that reports `metadata.name` of the documents `pick` chooses, `times` times each. */
function namingRule(id: string, pick: (name: unknown) => boolean, times = 1): Rule {
  return defineRule({
    meta: { id, title: id, severity: "low", description: "test", rationale: "test", fix: "Test." },
    checkDoc({ doc, report }) {
      const name = (doc.value as { metadata?: { name?: unknown } }).metadata?.name;
      if (!pick(name)) return;
      for (let i = 0; i < times; i++) report({ path: ["metadata", "name"], message: `${id} ${String(name)} ${i}` });
    },
  });
}

const YAML = ["apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: a", "---", "apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: b", "---", "apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: c", ""].join("\n");

describe("evaluateFile", () => {
  // The engine hands every rule and document the same report function and context (no closure per pair): each
  // report must still land on the rule and document that made it.
  it("files each report under the rule and document that made it, in rule then document order", () => {
    const rules = [namingRule("test/every", () => true), namingRule("test/only-b", (n) => n === "b", 2), namingRule("test/none", () => false)];
    const known = new Set(rules.map((r) => r.meta.id));
    const result = scan([{ path: "manifests/app.yaml", content: YAML }], { config: parseConfig({}, known), rules, now: new Date("2026-11-22T00:00:00Z") });
    const seen = result.findings.map((f) => ({ ruleId: f.ruleId, line: f.line, column: f.column, resource: f.resource.name, message: f.message }));
    expect(seen).toEqual(
      expect.arrayContaining([
        { ruleId: "test/every", line: 4, column: 9, resource: "a", message: "test/every a 0" },
        { ruleId: "test/every", line: 9, column: 9, resource: "b", message: "test/every b 0" },
        { ruleId: "test/every", line: 14, column: 9, resource: "c", message: "test/every c 0" },
        { ruleId: "test/only-b", line: 9, column: 9, resource: "b", message: "test/only-b b 0" },
        { ruleId: "test/only-b", line: 9, column: 9, resource: "b", message: "test/only-b b 1" },
      ]),
    );
    expect(seen).toHaveLength(5);
  });
});
