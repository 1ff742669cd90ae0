import { defineRule, type Rule } from "../../src/core/rule.js";
import type { ParsedDoc } from "../../src/parse/yaml-file.js";

/**
 * A rule that costs one second of a fake clock per document it checks, for the time-budget tests, recording each
 * document it was called on (by `label`, default its file) in `calls`.
 */
export function slowRule(clock: { now: number }, calls: string[], label: (doc: ParsedDoc) => string = (doc) => doc.file): Rule {
  return defineRule({
    meta: {
      id: "test/slow",
      title: "Slow",
      severity: "low",
      description: "Costs one second of the fake clock per document.",
      rationale: "A stand-in for a file that is expensive to review, or a rule that is slow on hostile input.",
      fix: "None.",
      example: { bad: "a: 1\n", good: "a: 1\n" },
    },
    checkDoc(ctx) {
      calls.push(label(ctx.doc));
      clock.now += 1000;
    },
  });
}
